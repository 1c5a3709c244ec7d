#!/usr/bin/env bash
# npm run bench: builds the wasm core if needed, then runs every benchmark (bench/run.mjs):
# transcoding wasm vs the JS baseline, core time per request, cold start, memory, bundle size,
# the native harness when a native build has it, and end to end through wrangler dev.
# Prints one table and writes bench/results.json. Options pass through: --quick, --no-e2e,
# --runs N, --out FILE. See docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" NO_COLOR=1 CI="${CI:-true}"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
[ -d node_modules/autocannon ] || npm ci --no-audit --no-fund
if [ -z "${G2A_WASM_DIR:-}" ] && [ ! -f build/wasm/core.wasm ]; then bash scripts/build.sh; fi
exec node bench/run.mjs "$@"
