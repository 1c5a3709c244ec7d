// `wrangler dev` for benchmark and load runs: a throw-away local D1/KV state with the
// migrations applied, SQL run through `wrangler d1 execute`, and the Worker served in its own
// session and process group (spawn detached = setsid), so that stop() — and any exit of the
// calling process — takes wrangler and workerd down together.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };
const wrangler = path.join(root, 'node_modules/.bin/wrangler');
const run = promisify(execFile);

export function freePort() {
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

// A fresh state directory with the D1 migrations applied.
export async function freshState(prefix = 'g2a-dev-') {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: root, env: ENV });
  return state;
}

// Runs SQL statements against the state's D1 in one call; returns each statement's rows.
// While `wrangler dev` writes to the same database the call may find it locked: retried.
export async function d1(state, statements, { attempts = 10 } = {}) {
  const file = path.join(state, `q-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.sql`);
  fs.writeFileSync(file, statements.join(';\n') + ';');
  try {
    for (let i = 1; ; i++) {
      try {
        const { stdout } = await run(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', file, '--json'], {
          cwd: root, env: ENV, maxBuffer: 256 << 20,
        });
        return JSON.parse(stdout).map((r) => r.results);
      } catch (err) {
        if (i >= attempts || !/SQLITE_BUSY|database is locked/.test(String(err.message))) throw err;
        await new Promise((r) => setTimeout(r, 500 * i));
      }
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const live = new Set();
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* gone */
  }
}
// Whatever way this process ends, no wrangler/workerd is left behind.
process.on('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL');
});

// Starts `wrangler dev` on a free port with `vars` (name → value) and waits for /health.
// → {url, pid, logPath, stop()}
export async function startDev(state, vars = {}, { testScheduled = false, healthMs = 90000 } = {}) {
  const port = await freePort();
  const inspector = await freePort();
  const logPath = path.join(state, 'wrangler-dev.log');
  const log = fs.openSync(logPath, 'a');
  const args = [
    'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--persist-to', state,
    '--show-interactive-dev-session=false', ...(testScheduled ? ['--test-scheduled'] : []),
  ];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const dev = spawn(wrangler, args, { cwd: root, env: ENV, detached: true, stdio: ['ignore', log, log] });
  live.add(dev.pid);
  const stop = async () => {
    killGroup(dev.pid, 'SIGTERM');
    await new Promise((r) => {
      if (dev.exitCode !== null || dev.signalCode !== null) return r();
      const t = setTimeout(() => {
        killGroup(dev.pid, 'SIGKILL');
        r();
      }, 5000);
      dev.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    // workerd may outlive wrangler for a moment; the group kill reaches it too.
    killGroup(dev.pid, 'SIGKILL');
    live.delete(dev.pid);
  };
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + healthMs;
  for (;;) {
    if (dev.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited (code ${dev.exitCode}); see ${logPath}`);
    }
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`wrangler dev did not become healthy; see ${logPath}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: dev.pid, logPath, stop };
}
