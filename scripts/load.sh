#!/usr/bin/env bash
# npm run load: the load run with injected upstream faults (scripts/load.mjs): starts the fake
# Grok upstream and the Worker straight in workerd (or under wrangler dev with --runtime wrangler),
# sends 2,000 chats at concurrency 50 with ~10% faults,
# prints throughput, latency, status and error-code breakdowns and the invariants (one log row
# per request, no 500 from the gateway itself, no healthy account invalidated), writes
# bench/load-results.json and exits non-zero when an invariant fails. Options pass through:
# --requests N, --concurrency C, --fault-rate F, --stream-ratio S, --seed N, --out FILE,
# --runtime direct|wrangler, --soak SECONDS --rate N (a steady-rate soak with memory samples).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" NO_COLOR=1 CI="${CI:-true}"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
[ -d node_modules/wrangler ] || npm ci --no-audit --no-fund
[ -f build/wasm/core.wasm ] || bash scripts/build.sh
exec node scripts/load.mjs "$@"
