// Browser-test setup: makes sure the vendored chart library is in admin/vendor (the same copy
// step the build runs), then starts the fake upstream and `wrangler dev` exactly as the e2e
// suite does.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import e2eSetup from '../e2e/global-setup.js';

const root = path.resolve(import.meta.dirname, '../..');

export default async function setup(ctx) {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-admin.mjs')], { stdio: 'inherit' });
  return e2eSetup(ctx);
}
