// The headline benchmark: CPU per request of whole Workers inside workerd, where users pay for it.
// Fed by one replay upstream (bench/lib/upstream.mjs), each Worker runs in its own workerd with
// the inspector off and is reached on its own socket (bench/lib/workerd.mjs):
//   gateway (REST)   this Worker, chat_transport "rest"
//   gateway (mgw)    this Worker, chat_transport "ws" (the mgw WebSocket)
//   JS per frame     bench/workers/js-converter.js: the JS reference transcoder, one SSE frame per
//                    token and one enqueue per frame (what TypeScript gateways usually do)
//   JS batched       the same, one enqueue per upstream chunk
//   passthrough      bench/workers/passthrough.js: the same NDJSON bytes piped untouched
// The gateways' D1 runs in a workerd of its own (bench/workers/d1-server.js), as in production;
// one more gateway keeps D1 in its process as `wrangler dev` does, for reference.
// G2A_BENCH_BASELINE=<another checkout with its wasm built> adds the same gateway rows for that
// build (before/after in one run).
// Rounds are interleaved (the order rotates each round); each round sends `n` sequential
// requests per row and reads the runtime process's CPU before and after. Figures: median and
// min–max over rounds, and ratios against the passthrough of the same run.
//
//   node bench/workerd.mjs [--quick] [--rounds N] [--rows a,b,...] [--json out.json]
//   node bench/workerd.mjs --profile [--requests N]   (V8 CPU profile of the gateway, not timed)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startUpstream } from './lib/upstream.mjs';
import { restNdjson, mgwFrames } from './lib/inputs.mjs';
import { JsMgwTranscoder } from './lib/js-transcoder.mjs';
import { stats } from './lib/stats.mjs';
import os from 'node:os';
import { root } from './lib/dev.mjs';
import { bundleGateway, startRuntime, cpuOf, profile, applyMigrations } from './lib/workerd.mjs';

const KEY = 'sk-g2a-bench-workerd';
const STATSIG_SEED = 'QBDA1lToImAMyVsfR7yIZxjs89fCnrwsyew5u9p/JvkmIBZ9ei03tNI85VtfQW7y';
const STATSIG_KEY = '069d602b851eb851eb860fd70a3d70a3d70fd70a3d70a3d702b851eb851eb8600';
const dec = new TextDecoder();
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

// G2A_TRACE / G2A_BENCH_TIMING from the environment reach the gateway (diagnosis only: both
// print lines, so a timed run leaves them unset).
const passVars = () => Object.fromEntries(['G2A_TRACE', 'G2A_BENCH_TIMING'].filter((k) => process.env[k] === '1').map((k) => [k, '1']));

async function seedGateway(db, transport) {
  const now = Date.now();
  const keyHash = createHash('sha256').update(KEY).digest('hex');
  await db.batch([
    db.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_bench', 'bench', ?, 'sk-g2a-…', -1, 0)").bind(keyHash),
    db.prepare("INSERT INTO tokens (id, sso, tier, user_id, created_at, last_used_at) VALUES ('tok_bench', 'sso-bench-0001', 'super', 'user-bench-0001', 0, 0)"),
    db.prepare("INSERT INTO token_buckets (token_id, bucket, remaining, refreshed_at, cooling_until) VALUES ('tok_bench', 'auto', 1000000000, ?, 0)").bind(now + 86400000),
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0), (?, ?, 0), (?, ?, 0)')
      .bind('statsig_seed', JSON.stringify(STATSIG_SEED), 'statsig_key', JSON.stringify(STATSIG_KEY), 'chat_transport', JSON.stringify(transport)),
  ]);
}

async function logRows(rt) {
  const db = rt.db;
  return (await db.prepare('SELECT COUNT(*) AS n FROM request_logs').first()).n;
}

function startD1Server(state) {
  const d1 = Object.fromEntries(['DB_REST', 'DB_MGW', 'DB_LOCAL', 'DB_BASE_REST', 'DB_BASE_MGW'].map((b) => [b, `bench-${b.toLowerCase()}`]));
  return startRuntime({ name: 'd1-server', scriptPath: path.join(root, 'bench/workers/d1-server.js'), d1, persist: state });
}

// A gateway whose D1 is the d1-server's `binding` (production-like), or with {local: true} its
// own in-process D1 as under `wrangler dev`; migrated and seeded for `transport`.
async function startGateway({ d1, bundle, state, vars, name, binding, transport, local = false, inspector = false }) {
  const entry = path.join(bundle.dir, 'gateway-remote-d1.js');
  if (!fs.existsSync(entry)) fs.copyFileSync(path.join(root, 'bench/workers/gateway-remote-d1.js'), entry);
  const common = { name, modulesRoot: bundle.dir, kv: { KV_CACHE: 'kv' }, persist: path.join(state, name), inspector };
  const r = await startRuntime(local
    ? { ...common, scriptPath: bundle.main, bindings: vars, d1: { DB: 'own' } }
    : { ...common, scriptPath: entry, bindings: { ...vars, D1_URL: `${d1.url}/${binding}` } });
  r.db = local ? await r.mf.getD1Database('DB') : await d1.mf.getD1Database(binding);
  await applyMigrations(r.db);
  await seedGateway(r.db, transport);
  return r;
}

function chatBody(size, stream) {
  return JSON.stringify({ model: 'grok-4', stream, messages: [{ role: 'user', content: `Explain the benchmark. [[bench:${size}]]` }] });
}

// One request, body read to the end: {status, bytes, text?, ms}.
function once(url, { method = 'GET', body = null, headers = {}, keep = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, agent, headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      const parts = [];
      let bytes = 0;
      res.on('data', (d) => {
        bytes += d.length;
        if (keep) parts.push(d);
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes, text: keep ? Buffer.concat(parts).toString('utf8') : null, ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', (err) => reject(new Error(`${method} ${url}: ${err.message}`)));
    req.end(body);
  });
}

// The answer text of an SSE or JSON chat answer (for the correctness check before timing).
function answerOf(text) {
  if (text.startsWith('{')) return JSON.parse(text).choices[0].message.content;
  let s = '';
  for (const block of text.split('\n\n')) {
    if (!block.startsWith('data: ') || block === 'data: [DONE]') continue;
    const d = JSON.parse(block.slice(6)).choices?.[0]?.delta;
    if (d && typeof d.content === 'string') s += d.content;
  }
  return s;
}

function rowsFor(rt, quick) {
  const gw = (r, size, stream, extra = {}) => ({ rt: r, url: `${r.url}/v1/chat/completions`, method: 'POST', body: chatBody(size, stream), headers: { authorization: `Bearer ${KEY}` }, expect: 200, size, ...extra });
  const rows = [
    { id: 'gw-rest-b-stream', label: 'gateway, REST, 2,000-token, stream', ...gw(rt.rest, 'b', true), n: 10 },
    { id: 'gw-rest-b-json', label: 'gateway, REST, 2,000-token, non-stream', ...gw(rt.rest, 'b', false), n: 10 },
    { id: 'gw-mgw-b-stream', label: 'gateway, mgw, 2,000-token, stream', ...gw(rt.mgw, 'b', true), n: 10 },
    { id: 'gw-mgw-b-json', label: 'gateway, mgw, 2,000-token, non-stream', ...gw(rt.mgw, 'b', false), n: 10 },
    { id: 'js-frame-b', label: 'JS converter, one enqueue per frame, 2,000-token', rt: rt.js, url: `${rt.js.url}/per-frame/b`, expect: 200, size: 'b', n: 10 },
    { id: 'js-batch-b', label: 'JS converter, one enqueue per chunk, 2,000-token', rt: rt.js, url: `${rt.js.url}/batched/b`, expect: 200, size: 'b', n: 10 },
    { id: 'pass-b', label: 'passthrough, 2,000-token bytes', rt: rt.pass, url: `${rt.pass.url}/raw/b`, expect: 200, size: 'b', n: 10 },
    { id: 'gw-rest-a-stream', label: 'gateway, REST, 20-token, stream', ...gw(rt.rest, 'a', true), n: 30 },
    ...(rt.local ? [
      { id: 'gw-local-b-stream', label: 'gateway, REST, 2,000-token, stream, D1 in its process (wrangler dev)', ...gw(rt.local, 'b', true), n: 10 },
      { id: 'gw-local-a-stream', label: 'gateway, REST, 20-token, stream, D1 in its process (wrangler dev)', ...gw(rt.local, 'a', true), n: 30 },
    ] : []),
    { id: 'gw-401', label: 'gateway, no key → 401', ...gw(rt.rest, 'a', true), headers: {}, expect: 401, n: 30 },
    { id: 'pass-a', label: 'passthrough, 20-token bytes', rt: rt.pass, url: `${rt.pass.url}/raw/a`, expect: 200, size: 'a', n: 30 },
  ];
  if (rt.baseRest) {
    rows.push(
      { id: 'base-rest-b-stream', label: 'BASELINE gateway, REST, 2,000-token, stream', ...gw(rt.baseRest, 'b', true), n: 10 },
      { id: 'base-rest-b-json', label: 'BASELINE gateway, REST, 2,000-token, non-stream', ...gw(rt.baseRest, 'b', false), n: 10 },
      { id: 'base-mgw-b-stream', label: 'BASELINE gateway, mgw, 2,000-token, stream', ...gw(rt.baseMgw, 'b', true), n: 10 },
      { id: 'base-rest-a-stream', label: 'BASELINE gateway, REST, 20-token, stream', ...gw(rt.baseRest, 'a', true), n: 30 },
      { id: 'base-401', label: 'BASELINE gateway, no key → 401', ...gw(rt.baseRest, 'a', true), headers: {}, expect: 401, n: 30 },
    );
  }
  if (!quick) {
    rows.push(
      { id: 'gw-rest-c-stream', label: 'gateway, REST, 1 MB answer, stream', ...gw(rt.rest, 'c', true), n: 1 },
      { id: 'pass-c', label: 'passthrough, 1 MB answer bytes', rt: rt.pass, url: `${rt.pass.url}/raw/c`, expect: 200, size: 'c', n: 1 },
      { id: 'gw-rest-line10-stream', label: 'gateway, REST, one 10 MB line, stream', ...gw(rt.rest, 'line10', true), n: 1 },
      { id: 'pass-line10', label: 'passthrough, one 10 MB line', rt: rt.pass, url: `${rt.pass.url}/raw/line10`, expect: 200, size: 'line10', n: 1 },
    );
  }
  return rows;
}

async function measureRow(row) {
  const c0 = cpuOf(row.rt.pid);
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < row.n; i++) {
    const r = await once(row.url, row);
    if (r.status !== row.expect) throw new Error(`${row.id}: status ${r.status}, expected ${row.expect}`);
    bytes += r.bytes;
  }
  const wall = (performance.now() - t0) / row.n;
  const c1 = cpuOf(row.rt.pid);
  return { cpu_ms: (c1.ms - c0.ms) / row.n, ticks_cpu_ms: (c1.ticks_ms - c0.ticks_ms) / row.n, wall_ms: wall, out_bytes: bytes / row.n };
}

// Before timing: every row answers as expected, and the gateway's answers carry the whole text.
async function check(rows) {
  const expected = { a: restNdjson('a').message, b: restNdjson('b').message };
  // mgw places the citation differently: its expected text comes from the JS reference transcoder.
  const mgwText = (size) => {
    const t = new JsMgwTranscoder({ id: 'x', created: 0, model: 'grok-4' });
    let sse = '';
    for (const f of mgwFrames(size).frames) sse += dec.decode(t.feed(f));
    return answerOf(sse + dec.decode(t.end()));
  };
  const expectedMgw = { a: mgwText('a'), b: mgwText('b') };
  for (const row of rows) {
    const r = await once(row.url, { ...row, keep: row.size === 'a' || row.size === 'b' });
    if (r.status !== row.expect) throw new Error(`${row.id}: status ${r.status}, expected ${row.expect}: ${r.text ?? ''}`.slice(0, 400));
    if ((row.id.startsWith('gw-') || row.id.startsWith('base-')) && row.expect === 200 && expected[row.size] !== undefined) {
      const got = answerOf(r.text);
      const want = (row.id.includes('-mgw-') ? expectedMgw : expected)[row.size];
      if (got !== want) {
        let i = 0;
        while (i < got.length && got[i] === want[i]) i++;
        throw new Error(`${row.id}: the answer differs from the upstream's at char ${i}: ${JSON.stringify(got.slice(Math.max(0, i - 40), i + 40))} vs ${JSON.stringify(want.slice(Math.max(0, i - 40), i + 40))}`);
      }
    }
  }
}

export async function workerdBench({ quick = false, rounds = quick ? 3 : 7, only = null, log = () => {} } = {}) {
  const sizes = quick ? ['a', 'b'] : ['a', 'b', 'c', 'line10'];
  const upstream = await startUpstream({ sizes });
  const bundle = bundleGateway();
  const states = [];
  const baseBundles = [];
  const rt = {};
  const out = { rounds, quick, upstream_bytes: upstream.bytes, method: 'each Worker in its own workerd (Miniflare, inspector off), requests on its direct socket, CPU = runtime process thread time (schedstat) per request; sequential requests; local D1 runs inside the same process' };
  try {
    // D1 out of the gateways' processes (production-like), and one gateway with D1 inside its
    // process as `wrangler dev` runs it, for reference.
    const vars = { GROK_BASE_URL: upstream.url, GROK_ASSETS_URL: upstream.url, BUILD_SHA: 'bench', ...passVars(), CACHE_RESET_TZ_OFFSET_MINUTES: '480', KV_CACHE_MAX_BYTES: '26214400', KV_CLEANUP_BATCH: '200', MAX_REQUEST_BYTES: '20971520' };
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bench-workerd-'));
    states.push(state);
    rt.d1 = await startD1Server(state);
    const gw = (name, binding, transport, opts) => startGateway({ d1: rt.d1, bundle, state, vars, name, binding, transport, ...opts });
    rt.rest = await gw('gateway-rest', 'DB_REST', 'rest');
    rt.mgw = await gw('gateway-mgw', 'DB_MGW', 'ws');
    rt.local = await gw('gateway-local-d1', 'DB_LOCAL', 'rest', { local: true });
    // G2A_BENCH_BASELINE=<another checkout, built>: the same rows for that build, in the same run.
    const baseTree = process.env.G2A_BENCH_BASELINE;
    if (baseTree) {
      const base = bundleGateway(path.resolve(baseTree));
      baseBundles.push(base);
      out.baseline = { tree: path.resolve(baseTree) };
      rt.baseRest = await startGateway({ d1: rt.d1, bundle: base, state, vars, name: 'baseline-rest', binding: 'DB_BASE_REST', transport: 'rest' });
      rt.baseMgw = await startGateway({ d1: rt.d1, bundle: base, state, vars, name: 'baseline-mgw', binding: 'DB_BASE_MGW', transport: 'ws' });
    }
    rt.js = await startRuntime({ name: 'js-converter', scriptPath: path.join(root, 'bench/workers/js-converter.js'), modulesRoot: path.join(root, 'bench'), bindings: { UPSTREAM: upstream.url } });
    rt.pass = await startRuntime({ name: 'passthrough', scriptPath: path.join(root, 'bench/workers/passthrough.js'), bindings: { UPSTREAM: upstream.url } });
    out.startup_cpu_ms = Object.fromEntries(Object.entries(rt).map(([k, v]) => [k, v.startup_cpu_ms]));

    let rows = rowsFor(rt, quick);
    if (only) rows = rows.filter((r) => only.includes(r.id));
    // First request of each runtime: instantiation and cold paths, measured apart. The REST
    // gateway's first request is a 401 (no storage, no upstream), so that its cost beyond a
    // steady 401 is the core's instantiation and first use.
    out.first_request = {};
    const firstRows = [rows.find((r) => r.id === 'gw-401'), ...rows].filter(Boolean);
    for (const row of firstRows) {
      if (out.first_request[row.rt.name] !== undefined) continue;
      const c0 = cpuOf(row.rt.pid).ms;
      await once(row.url, row);
      out.first_request[row.rt.name] = cpuOf(row.rt.pid).ms - c0;
    }
    await check(rows);
    for (const row of rows) for (let i = 0; i < Math.min(row.n, 5); i++) await once(row.url, row); // warm-up (tier-up)
    const chats0 = upstream.stats.chats + upstream.stats.mgw;
    const other0 = Object.values(upstream.stats.other).reduce((a, b) => a + b, 0);
    const logs0 = await logRows(rt.rest);

    const samples = Object.fromEntries(rows.map((r) => [r.id, []]));
    for (let k = 0; k < rounds; k++) {
      const order = rows.map((_, i) => rows[(i + k) % rows.length]);
      for (const row of order) samples[row.id].push(await measureRow(row));
      log(`round ${k + 1}/${rounds}: ${rows.map((r) => `${r.id} ${samples[r.id].at(-1).cpu_ms.toFixed(2)}`).join(', ')}`);
    }
    const gwRequests = rows.filter((r) => (r.id.startsWith('gw-') || r.id.startsWith('base-')) && r.expect === 200).reduce((n, r) => n + r.n * rounds, 0);
    out.upstream_calls_per_chat = (upstream.stats.chats + upstream.stats.mgw - chats0 - rows.filter((r) => r.id.startsWith('js-')).reduce((n, r) => n + r.n * rounds, 0)) / gwRequests;
    out.upstream_other_calls = Object.values(upstream.stats.other).reduce((a, b) => a + b, 0) - other0;
    out.upstream_other_paths = upstream.stats.other;
    out.log_rows_added_rest = (await logRows(rt.rest)) - logs0;
    out.log_rows_by_401 = (await rt.rest.db.prepare('SELECT COUNT(*) AS n FROM request_logs WHERE status = 401').first()).n;

    out.rows = rows.map((r) => {
      const s = samples[r.id];
      return {
        id: r.id, label: r.label, requests_per_round: r.n, in_bytes: upstream.bytes[r.size] ?? null,
        cpu_ms: stats(s.map((x) => x.cpu_ms)), ticks_cpu_ms: stats(s.map((x) => x.ticks_cpu_ms)), wall_ms: stats(s.map((x) => x.wall_ms)), out_bytes: s[0].out_bytes,
      };
    });
    const med = (id) => out.rows.find((r) => r.id === id)?.cpu_ms.median;
    out.ratios = {};
    for (const r of out.rows) {
      const base = r.id.endsWith('-a-stream') || r.id.endsWith('-401') ? 'pass-a' : r.id.includes('-c-') ? 'pass-c' : r.id.includes('line10') ? 'pass-line10' : 'pass-b';
      if (r.id.startsWith('pass-') || med(base) === undefined) continue;
      out.ratios[r.id] = { vs: base, ratio: r.cpu_ms.median / med(base), diff_ms: r.cpu_ms.median - med(base) };
    }
    // Start-up: what the gateway's process spends beyond the passthrough's to start (script and
    // wasm compile) and on its first request beyond a steady 401 (instantiation).
    const g401 = med('gw-401');
    if (g401 !== undefined && out.first_request['gateway-rest'] !== undefined) {
      const startExtra = out.startup_cpu_ms.rest - out.startup_cpu_ms.pass;
      const firstExtra = out.first_request['gateway-rest'] - g401;
      out.start = { startup_extra_ms: startExtra, first_request_extra_ms: firstExtra, gateway_extra_ms: startExtra + firstExtra };
    }
    const line = out.rows.find((r) => r.id === 'gw-rest-line10-stream');
    if (line) out.line10_mb_s = line.in_bytes / 1e6 / (line.wall_ms.median / 1000);
    const c = out.rows.find((r) => r.id === 'gw-rest-c-stream');
    const b = out.rows.find((r) => r.id === 'gw-rest-b-stream');
    if (c && b) out.c_vs_b_per_byte = c.cpu_ms.median / c.in_bytes / (b.cpu_ms.median / b.in_bytes);
  } finally {
    for (const r of Object.values(rt)) await r.close().catch(() => {});
    agent.destroy();
    await upstream.close();
    fs.rmSync(bundle.dir, { recursive: true, force: true });
    for (const b of baseBundles) fs.rmSync(b.dir, { recursive: true, force: true });
    for (const s of states) fs.rmSync(s, { recursive: true, force: true });
  }
  return out;
}

// --profile: the gateway with its inspector on (never timed), a V8 CPU profile over `requests`
// requests of one row; prints the top frames by self time and writes the .cpuprofile.
export async function workerdProfile({ row = 'gw-rest-b-stream', requests = 20, out = null, log = console.log } = {}) {
  const upstream = await startUpstream({ sizes: ['a', 'b'] });
  const bundle = bundleGateway();
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bench-profile-'));
  const rt = {};
  try {
    rt.d1 = await startD1Server(state);
    const transport = row.includes('-mgw-') ? 'ws' : 'rest';
    const vars = { GROK_BASE_URL: upstream.url, GROK_ASSETS_URL: upstream.url, BUILD_SHA: 'bench', ...passVars() };
    rt.rest = await startGateway({ d1: rt.d1, bundle, state, vars, name: 'gateway', binding: transport === 'ws' ? 'DB_MGW' : 'DB_REST', transport, inspector: true });
    rt.mgw = rt.js = rt.pass = rt.rest;
    const r = rowsFor(rt, true).find((x) => x.id === row);
    if (!r) throw new Error(`--profile: no row ${row}`);
    for (let i = 0; i < 10; i++) await once(r.url, r);
    const p = await profile(rt.rest, async () => {
      for (let i = 0; i < requests; i++) await once(r.url, r);
    });
    if (out) fs.writeFileSync(out, JSON.stringify(p.profile));
    log(`V8 profile of ${requests} × ${row}: ${p.total_ms.toFixed(1)} ms sampled (${(p.total_ms / requests).toFixed(2)} ms per request)`);
    log('| self ms / request | % | function |\n| ---: | ---: | --- |');
    for (const x of p.top) log(`| ${(x.self_ms / requests).toFixed(3)} | ${x.pct.toFixed(1)} | ${x.fn.replace(/\|/g, '\\|')} |`);
    return p;
  } finally {
    for (const x of new Set(Object.values(rt))) await x.close().catch(() => {});
    agent.destroy();
    await upstream.close();
    fs.rmSync(bundle.dir, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  }
}

export function workerdTable(w) {
  const f = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
  const lines = ['| Worker | CPU ms / request (min–max) | vs passthrough | wall ms | in bytes |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const r of w.rows) {
    const q = w.ratios[r.id];
    lines.push(`| ${r.label} | ${f(r.cpu_ms.median)} (${f(r.cpu_ms.min)}–${f(r.cpu_ms.max)}) | ${q ? `×${f(q.ratio, 1)} (+${f(q.diff_ms)} ms)` : '1'} | ${f(r.wall_ms.median, 1)} | ${r.in_bytes ? r.in_bytes.toLocaleString('en') : '–'} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
  if (args.includes('--profile')) {
    await workerdProfile({ row: opt('--row', 'gw-rest-b-stream'), requests: Number(opt('--requests', 20)), out: opt('--out', null) });
    process.exit(0);
  }
  const out = await workerdBench({
    quick: args.includes('--quick'),
    rounds: opt('--rounds') ? Number(opt('--rounds')) : undefined,
    only: opt('--rows') ? opt('--rows').split(',') : null,
    log: console.log,
  });
  console.log(`\n${workerdTable(out)}\n`);
  console.log(`upstream calls per chat ${out.upstream_calls_per_chat}; other upstream calls ${out.upstream_other_calls} ${JSON.stringify(out.upstream_other_paths)}; first-request CPU ${JSON.stringify(out.first_request)}; startup CPU ${JSON.stringify(out.startup_cpu_ms)}`);
  const j = args.indexOf('--json');
  if (j >= 0) fs.writeFileSync(args[j + 1], JSON.stringify(out, null, 2));
}
