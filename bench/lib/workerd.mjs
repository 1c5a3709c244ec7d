// Workers inside workerd for benchmarks, with nothing in the way: each Worker gets its own
// Miniflare instance — one workerd process — with the inspector OFF (no inspector port: plain
// `wrangler dev` turns on network events and forwards every message to Node, which doubles
// every CPU figure) and a direct socket to the Worker's own entry (`unsafeDirectSockets`), so
// requests skip wrangler's proxy and Miniflare's entry worker. CPU is read from the runtime
// process: the sum of its threads' run time (/proc/<pid>/task/*/schedstat, ns) and, as a
// cross-check, utime+stime (/proc/<pid>/stat, clock ticks).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { dryRun } from '../../scripts/bundle-check.mjs';
import { root } from './dev.mjs';

/**
 * `wrangler deploy --dry-run` of the gateway into a fresh directory: {dir, main, files}.
 * `tree`: another checkout to bundle (with its build/wasm built), for before/after runs.
 */
export function bundleGateway(tree = root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bench-bundle-'));
  dryRun(path.join(tree, 'wrangler.toml'), dir);
  const files = fs.readdirSync(dir).filter((f) => !f.endsWith('.map') && f !== 'README.md');
  const main = files.find((f) => f.endsWith('.js'));
  if (!main) throw new Error(`no script in the dry-run bundle (${files.join(', ')})`);
  return { dir, main: path.join(dir, main), files };
}

function workerdChildren() {
  const out = new Set();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) !== process.pid) continue;
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('workerd')) out.add(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Applies migrations/*.sql to a D1 binding, split into statements as wrangler splits them. */
export async function applyMigrations(db) {
  const { unstable_splitSqlQuery: split } = await import('wrangler');
  const dir = path.join(root, 'migrations');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.sql')).sort()) {
    const stmts = split(fs.readFileSync(path.join(dir, f), 'utf8')).filter((q) => q.trim());
    if (stmts.length) await db.batch(stmts.map((q) => db.prepare(q)));
  }
}

/** CPU time of a process so far: {ns} from its threads' schedstat, {ticks_ms} from /proc/stat. */
export function cpuOf(pid) {
  let ns = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      /* thread ended */
    }
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return { ms: ns / 1e6, ticks_ms: (ticks * 1000) / 100 };
}

/**
 * Starts one Worker in its own workerd. opts: {name, scriptPath, modulesRoot, bindings,
 * d1 (binding → id), kv (binding → id), persist (dir for D1/KV), compatibilityDate, inspector
 * (true only for profiling: never for timed runs), onOutput (receives the runtime's stdout and
 * stderr text)}.
 * → {name, url (the direct socket), pid, mf, inspector (ws URL or null), startup_cpu_ms, close()}
 */
export async function startRuntime(opts) {
  const before = workerdChildren();
  const mf = new Miniflare({
    workers: [{
      name: opts.name,
      modules: true,
      scriptPath: opts.scriptPath,
      modulesRoot: opts.modulesRoot ?? path.dirname(opts.scriptPath),
      modulesRules: [{ type: 'ESModule', include: ['**/*.js', '**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: opts.compatibilityDate ?? '2026-01-28',
      bindings: opts.bindings ?? {},
      d1Databases: opts.d1 ?? {},
      kvNamespaces: opts.kv ?? {},
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    }],
    ...(opts.inspector ? { inspectorPort: 0 } : {}),
    ...(opts.persist ? { d1Persist: path.join(opts.persist, 'd1'), kvPersist: path.join(opts.persist, 'kv') } : {}),
    handleRuntimeStdio(stdout, stderr) {
      // Drained, not printed (G2A_BENCH_STDERR=1 prints them; opts.onOutput receives the text).
      for (const [stream, out] of [[stdout, process.stdout], [stderr, process.stderr]]) {
        if (opts.onOutput) stream.on('data', (d) => opts.onOutput(d.toString('utf8')));
        if (process.env.G2A_BENCH_STDERR) stream.pipe(out);
        else if (!opts.onOutput) stream.resume();
      }
    },
  });
  await mf.ready;
  const url = (await mf.unsafeGetDirectURL(opts.name)).toString().replace(/\/$/, '');
  const pid = [...workerdChildren()].find((p) => !before.has(p));
  if (!pid) throw new Error(`could not find the workerd process of ${opts.name}`);
  const inspector = opts.inspector ? `${(await mf.getInspectorURL()).toString().replace(/^http/, 'ws').replace(/\/$/, '')}/core:user:${opts.name}` : null;
  return { name: opts.name, url, pid, mf, inspector, startup_cpu_ms: cpuOf(pid).ms, close: () => mf.dispose() };
}

/**
 * A V8 CPU profile of `work()` inside a runtime started with {inspector: true}, through the
 * inspector's Profiler domain. → {profile (.cpuprofile JSON), top: [{fn, url, self_ms, pct}]}
 */
export async function profile(rt, work, { intervalUs = 50, top = 30 } = {}) {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(rt.inspector);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  let id = 0;
  const waiting = new Map();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.id && waiting.has(m.id)) {
      waiting.get(m.id)(m);
      waiting.delete(m.id);
    }
  });
  const call = (method, params = {}) => new Promise((r) => {
    const n = ++id;
    waiting.set(n, r);
    ws.send(JSON.stringify({ id: n, method, params }));
  });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: intervalUs });
  await call('Profiler.start');
  await work();
  const res = await call('Profiler.stop');
  ws.close();
  const prof = res.result.profile;
  const byNode = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byNode.get(prof.samples[i]);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) || 0) + (dt[i] || 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([fn, us]) => ({ fn, self_ms: us / 1000, pct: (100 * us) / total }));
  return { profile: prof, top: rows, total_ms: total / 1000 };
}
