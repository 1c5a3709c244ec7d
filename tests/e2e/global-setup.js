// End-to-end setup: starts the fake Grok upstream and `wrangler dev` (its own process group,
// free ports, a throw-away local D1/KV state with migrations applied) and tears both down.
// Tests get the URLs through vitest's inject().
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeGrok } from '../fake-grok/server.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, deadlineMs, dev) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited early (code ${dev.exitCode})`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wrangler dev did not become healthy at ${url}`);
}

export default async function setup({ provide }) {
  const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };
  const fake = await startFakeGrok({});
  const state = mkdtempSync(path.join(os.tmpdir(), 'g2a-e2e-'));
  const wrangler = path.join(root, 'node_modules/.bin/wrangler');
  await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: root, env });

  const port = await freePort();
  const inspector = await freePort();
  const logPath = path.join(state, 'wrangler-dev.log');
  const log = openSync(logPath, 'a');
  const args = [
    'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
    '--persist-to', state, '--test-scheduled', '--show-interactive-dev-session=false',
    '--var', `GROK_BASE_URL:${fake.url}`, '--var', `GROK_ASSETS_URL:${fake.assetsUrl}`,
    '--var', `GROK_PUBLIC_MEDIA_URL:${fake.publicUrl}`, '--var', 'G2A_TEST_HOOKS:1', '--var', 'BUILD_SHA:e2e',
  ];
  const dev = spawn(wrangler, args, { cwd: root, env, detached: true, stdio: ['ignore', log, log] });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, 60000, dev);
  } catch (err) {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await fake.close();
    throw new Error(`${err.message}; see ${logPath}`);
  }

  provide('baseUrl', baseUrl);
  provide('fakeUrl', fake.url);
  provide('fakeAssetsUrl', fake.assetsUrl);
  provide('statePath', state);

  return async () => {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await new Promise((r) => {
      if (dev.exitCode !== null) return r();
      const t = setTimeout(() => {
        try {
          process.kill(-dev.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        r();
      }, 5000);
      dev.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    await fake.close();
    if (!process.env.G2A_KEEP_E2E_STATE) rmSync(state, { recursive: true, force: true });
  };
}
