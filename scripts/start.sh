#!/usr/bin/env bash
# npm start: set up what is missing, build the core, migrate the local D1 and serve the
# Worker on 127.0.0.1:8787 with local D1 and KV. Stopping this script (Ctrl-C, SIGTERM)
# stops wrangler and workerd with it.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
bash scripts/setup.sh
bash scripts/build.sh
CI=true npx wrangler d1 migrations apply DB --local >/dev/null
echo "start: migrations applied to the local D1"

port="${PORT:-8787}"
setsid npx wrangler dev --ip 127.0.0.1 --port "$port" --test-scheduled "$@" &
dev=$!
stop() { kill -TERM -- "-$dev" 2>/dev/null || true; wait "$dev" 2>/dev/null || true; }
trap 'stop; exit 0' INT TERM HUP
trap stop EXIT
# Also stop if whoever started us goes away without a signal.
parent=$PPID
while kill -0 "$dev" 2>/dev/null; do
  if ! kill -0 "$parent" 2>/dev/null; then stop; exit 0; fi
  sleep 1
done
wait "$dev"
