#!/usr/bin/env bash
# npm run deploy: deploy from a developer machine after `npx wrangler login` (or with
# CLOUDFLARE_API_TOKEN set): check the ids, build the core, write wrangler.ci.toml, apply D1
# migrations remotely, deploy. The same steps as .github/workflows/cloudflare-workers.yml.
# Ids: CF_D1_DATABASE_ID and CF_KV_NAMESPACE_ID in the environment, or flags passed through
# to scripts/ci-config.mjs: npm run deploy -- --d1-id <uuid> --kv-id <32 hex>
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false

# Fail before the slow part, naming every missing id.
if ! node scripts/ci-config.mjs --check "$@"; then
  echo "deploy: create the resources once with 'npx wrangler d1 create grok2api' and" >&2
  echo "deploy: 'npx wrangler kv namespace create grok2api-cache', then export the ids (docs/DEPLOY.md)" >&2
  exit 2
fi

bash scripts/setup.sh
bash scripts/build.sh
node scripts/ci-config.mjs "$@"

echo "deploy: applying D1 migrations (remote)"
npx wrangler d1 migrations apply DB --remote --config wrangler.ci.toml
echo "deploy: deploying the Worker"
# ADMIN_PASSWORD in the environment (optional) is uploaded with the deploy as a Worker secret:
# the initial admin password, so that admin/admin never works (docs/DEPLOY.md).
args=()
if [ -n "${ADMIN_PASSWORD:-}" ]; then
  secrets_file="$(mktemp)"
  trap 'rm -f "$secrets_file"' EXIT
  node -e 'process.stdout.write(JSON.stringify({ ADMIN_PASSWORD: process.env.ADMIN_PASSWORD }))' > "$secrets_file"
  args=(--secrets-file "$secrets_file")
fi
npx wrangler deploy --config wrangler.ci.toml ${args[@]+"${args[@]}"}
echo "deploy: done; check /health (its \"build\" is the commit) and sign in at /login (docs/DEPLOY.md)"
