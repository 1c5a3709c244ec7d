// End-to-end through `wrangler dev` (workerd, local D1) and the replay upstream
// (bench/lib/upstream.mjs): time to first token and total time, through the gateway and
// straight from the upstream, at concurrency 1 and 32 (own probe for first-token times,
// autocannon for totals and throughput); the chunk forwarding delay on a paced stream; the
// workerd process CPU per streamed chat (/proc/<pid>/stat); the shim's G2A_BENCH_TIMING lines.
//
//   node bench/e2e.mjs [--quick] [--json out.json]
import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { startUpstream } from './lib/upstream.mjs';
import { stats } from './lib/stats.mjs';
import { freePort } from './lib/dev.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const KEY = 'sk-g2a-bench-e2e';
const STATSIG_SEED = 'QBDA1lToImAMyVsfR7yIZxjs89fCnrwsyew5u9p/JvkmIBZ9ei03tNI85VtfQW7y';
const STATSIG_KEY = '069d602b851eb851eb860fd70a3d70a3d70fd70a3d70a3d702b851eb851eb8600';
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };
const wrangler = path.join(root, 'node_modules/.bin/wrangler');

const q = (v) => `'${String(v).replace(/'/g, "''")}'`;

async function seed(state) {
  const now = Date.now();
  const sql = [
    `INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_bench', 'bench', ${q(createHash('sha256').update(KEY).digest('hex'))}, 'sk-g2a-…', -1, 0)`,
    `INSERT INTO tokens (id, sso, tier, user_id, created_at, last_used_at) VALUES ('tok_bench', 'sso-bench-0001', 'super', 'user-bench-0001', 0, 0)`,
    `INSERT INTO token_buckets (token_id, bucket, remaining, refreshed_at, cooling_until) VALUES ('tok_bench', 'auto', 1000000, ${now + 86400000}, 0)`,
    `INSERT INTO settings (key, value, updated_at) VALUES ('statsig_seed', ${q(JSON.stringify(STATSIG_SEED))}, 0), ('statsig_key', ${q(JSON.stringify(STATSIG_KEY))}, 0), ('chat_transport', '"rest"', 0)`,
  ];
  const file = path.join(state, 'seed.sql');
  fs.writeFileSync(file, sql.join(';\n') + ';');
  await run(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', file], { cwd: root, env: ENV });
}

// The workerd process of a detached wrangler dev (its process group is the wrangler pid).
function workerdPid(pgid) {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('workerd')) return Number(d);
    } catch {
      /* gone */
    }
  }
  return null;
}

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks
}

async function startDev(upstream, state) {
  const port = await freePort();
  const inspector = await freePort();
  const logPath = path.join(state, 'wrangler-dev.log');
  const log = fs.openSync(logPath, 'a');
  const args = [
    'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--persist-to', state,
    '--show-interactive-dev-session=false', '--var', `GROK_BASE_URL:${upstream.url}`, '--var', `GROK_ASSETS_URL:${upstream.url}`,
    '--var', 'G2A_BENCH_TIMING:1', '--var', 'BUILD_SHA:bench',
  ];
  const dev = spawn(wrangler, args, { cwd: root, env: ENV, detached: true, stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 90000;
  for (;;) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited (code ${dev.exitCode}); see ${logPath}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) throw new Error(`wrangler dev did not become healthy; see ${logPath}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      /* gone */
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
  };
  return { url, pid: dev.pid, logPath, stop };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function body(size, extra = '') {
  return JSON.stringify({ model: 'grok-4', stream: true, messages: [{ role: 'user', content: `Explain the benchmark. [[bench:${size}]]${extra}` }] });
}

// One streamed request: {status, ttft (first body byte), total, bytes, reads: [times]}.
function once(url, payload, { auth = true, reads = false } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const u = new URL(url);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(auth ? { authorization: `Bearer ${KEY}` } : {}) },
    }, (res) => {
      let first = null;
      let bytes = 0;
      const times = [];
      res.on('data', (d) => {
        const t = performance.now();
        if (first === null) first = t - t0;
        bytes += d.length;
        if (reads) times.push(t);
      });
      res.on('end', () => resolve({ status: res.statusCode, ttft: first, total: performance.now() - t0, bytes, reads: times }));
      res.on('error', (err) => resolve({ status: 0, error: String(err.message || err), ttft: first, total: performance.now() - t0, bytes, reads: times }));
    });
    req.on('error', (err) => resolve({ status: 0, error: String(err.message || err), ttft: null, total: performance.now() - t0, bytes: 0, reads: [] }));
    req.end(payload);
  });
}

async function probe(url, payload, { concurrency, requests, auth, expect = 200 }) {
  const ttft = [];
  const total = [];
  let bad = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const r = await once(url, payload, { auth });
      if (r.status !== expect) {
        bad++;
        continue;
      }
      ttft.push(r.ttft);
      total.push(r.total);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests, concurrency, non_200: bad, ttft_ms: stats(ttft), total_ms: stats(total), req_per_s: requests / ((performance.now() - t0) / 1000) };
}

async function cannon(url, payload, { connections, amount, auth }) {
  const r = await autocannon({
    url, method: 'POST', connections, amount, body: payload,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${KEY}` } : {}) },
  });
  return { connections, amount, non_2xx: r.non2xx, errors: r.errors, latency_p50_ms: r.latency.p50, latency_p99_ms: r.latency.p99, latency_max_ms: r.latency.max, req_per_s: r.requests.average };
}

export async function e2e({ quick = false, log = () => {} } = {}) {
  const upstream = await startUpstream({ paceMs: 10 });
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bench-'));
  let dev = null;
  const out = { upstream_note: 'bench/lib/upstream.mjs replays the bench inputs in 1-4 KB writes' };
  try {
    await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: root, env: ENV });
    await seed(state);
    const t0 = performance.now();
    dev = await startDev(upstream, state);
    out.dev_start_ms = performance.now() - t0;
    const gw = `${dev.url}/v1/chat/completions`;
    const direct = `${upstream.url}/rest/app-chat/conversations/new`;
    const first = await once(gw, body('a'));
    if (first.status !== 200) throw new Error(`the gateway answered ${first.status}; see ${dev.logPath}`);
    out.first_request_ms = first.total;
    for (let i = 0; i < 10; i++) await once(gw, body('b')); // warm-up (tier-up, D1 pages)

    // The floor under every figure below: `wrangler dev`'s proxy and workerd answering a request
    // the core refuses at once (no key: 401 before any storage or upstream call). What a chat
    // adds beyond it is the gateway's own work (crypto, D1 round trips, the upstream call).
    const n1 = quick ? 30 : 80;
    const floor = await probe(gw, body('a'), { concurrency: 1, requests: n1, auth: false, expect: 401 });
    out.floor = { what: 'POST /v1/chat/completions without a key (401, no storage)', ...floor };
    log(`e2e floor (401, no storage): first byte p50 ${floor.ttft_ms.median.toFixed(2)} ms (p99 ${floor.ttft_ms.p99.toFixed(1)})`);

    // Time to first token and total time at concurrency 1 and 32, gateway vs direct, interleaved.
    const n32 = quick ? 160 : 320;
    out.latency = {};
    for (const size of ['a', 'b']) {
      const p = body(size);
      const r = {};
      for (const [c, n] of [[1, n1], [32, n32]]) {
        const d1 = await probe(direct, p, { concurrency: c, requests: n, auth: false });
        const g1 = await probe(gw, p, { concurrency: c, requests: n, auth: true });
        r[`c${c}`] = {
          gateway: g1, direct: d1,
          added_ttft_p50_ms: g1.ttft_ms.median - d1.ttft_ms.median, added_ttft_p99_ms: g1.ttft_ms.p99 - d1.ttft_ms.p99,
          added_total_p50_ms: g1.total_ms.median - d1.total_ms.median, added_total_p99_ms: g1.total_ms.p99 - d1.total_ms.p99,
        };
        log(`e2e ${size} c=${c}: ttft gateway ${g1.ttft_ms.median.toFixed(2)} / direct ${d1.ttft_ms.median.toFixed(2)} ms (p99 ${g1.ttft_ms.p99.toFixed(1)} / ${d1.ttft_ms.p99.toFixed(1)}), total ${g1.total_ms.median.toFixed(2)} / ${d1.total_ms.median.toFixed(2)} ms`);
      }
      out.latency[size] = r;
    }

    // autocannon: totals and throughput for the 2,000-token chat.
    out.autocannon = {};
    for (const c of [1, 32]) {
      const amount = c === 1 ? (quick ? 30 : 60) : quick ? 160 : 320;
      out.autocannon[`c${c}`] = {
        gateway: await cannon(gw, body('b'), { connections: c, amount, auth: true }),
        direct: await cannon(direct, body('b'), { connections: c, amount, auth: false }),
      };
      const a = out.autocannon[`c${c}`];
      log(`autocannon b c=${c}: gateway p50 ${a.gateway.latency_p50_ms} ms p99 ${a.gateway.latency_p99_ms} ms ${a.gateway.req_per_s.toFixed(1)} req/s; direct p50 ${a.direct.latency_p50_ms} ms`);
    }

    // Forwarding delay: the upstream sends a chunk every 10 ms; each client read should follow
    // the chunk that caused it by far less than the pacing (no waiting for the next chunk).
    const delays = { gateway: [], direct: [] };
    for (const [name, url, auth] of [['direct', direct, false], ['gateway', gw, true]]) {
      for (let i = 0; i < (quick ? 1 : 3); i++) {
        upstream.stats.sends.length = 0;
        const r = await once(url, body('b', ' [[bench:paced]]'), { auth, reads: true });
        const sends = upstream.stats.sends;
        for (const t of r.reads) {
          let k = sends.length - 1;
          while (k >= 0 && sends[k] > t) k--;
          if (k >= 0) delays[name].push(t - sends[k]);
        }
      }
    }
    out.forwarding = { pace_ms: 10, gateway_ms: stats(delays.gateway), direct_ms: stats(delays.direct) };
    log(`forwarding delay (paced 10 ms): gateway p50 ${out.forwarding.gateway_ms.median.toFixed(2)} ms p99 ${out.forwarding.gateway_ms.p99.toFixed(2)}; direct p50 ${out.forwarding.direct_ms.median.toFixed(2)} ms`);

    // workerd process CPU per streamed chat (sequential; 100 Hz ticks over n requests).
    const pid = workerdPid(dev.pid);
    out.workerd_cpu = { pid_found: !!pid, ticks_per_s: 100 };
    if (pid) {
      const n = quick ? 20 : 40;
      for (const size of ['a', 'b']) {
        const p = body(size);
        const c0 = cpuTicks(pid);
        const t0w = performance.now();
        for (let i = 0; i < n; i++) await once(gw, p);
        const ms = ((cpuTicks(pid) - c0) * 10) / n;
        out.workerd_cpu[size] = { requests: n, cpu_ms_per_request: ms, wall_ms_per_request: (performance.now() - t0w) / n };
        log(`workerd CPU ${size}: ${ms.toFixed(2)} ms/request`);
      }
    }
    out.upstream_other_paths = upstream.stats.other;

    // What the shim's G2A_BENCH_TIMING saw inside workerd.
    const lines = fs.readFileSync(dev.logPath, 'utf8').split('\n').filter((l) => l.includes('[bench-timing]'));
    const num = (l, k) => Number((new RegExp(`${k}=([\\d.]+)`).exec(l) || [])[1]);
    const streamed = lines.filter((l) => num(l, 'feeds') > 100);
    out.shim_timing = {
      lines: lines.length,
      core_ms_2000_token: stats(streamed.map((l) => num(l, 'core_ms'))),
      request_ms_2000_token: stats(streamed.map((l) => num(l, 'request_ms'))),
      date_ms_2000_token: stats(streamed.map((l) => num(l, 'date_ms'))),
      feeds_2000_token: stats(streamed.map((l) => num(l, 'feeds'))),
    };
    log(`shim timing in workerd: ${streamed.length} streamed 2,000-token requests, core_ms median ${out.shim_timing.core_ms_2000_token.median} (request_ms median ${out.shim_timing.request_ms_2000_token.median})`);
  } finally {
    if (dev) await dev.stop();
    agent.destroy();
    await upstream.close();
    if (!process.env.G2A_KEEP_BENCH_STATE) fs.rmSync(state, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const out = await e2e({ quick: args.includes('--quick'), log: console.log });
  const j = args.indexOf('--json');
  if (j >= 0) fs.writeFileSync(args[j + 1], JSON.stringify(out, null, 2));
}
