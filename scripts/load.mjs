// npm run load: a load run with injected upstream faults through the gateway and the fake Grok
// upstream (issues #8, #17). It starts both itself — by default the Worker straight in workerd
// (bench/lib/workerd.mjs: the `wrangler deploy --dry-run` bundle, its own D1/KV state, requests
// on the runtime's own socket); with `--runtime wrangler` under `wrangler dev`, whose proxy loses
// requests under load (kept as a secondary figure) — sends N chats at concurrency C — half
// streamed — with a share of them carrying an upstream fault, then reads D1 and checks the
// invariants:
//   - one request_logs row per request (the x-request-ids the clients saw, each exactly once);
//   - no 500 produced by the gateway itself (upstream trouble is 502/503/504/429, never 500;
//     also no core trap or shim failure in the wrangler log);
//   - no healthy account invalidated (only the account whose upstream says 401 may be);
//   - every answer well-formed (JSON, SSE ending in [DONE] or an error event, OpenAI errors).
// Prints a table, writes bench/load-results.json, exits 1 when an invariant fails.
//
//   node scripts/load.mjs [--requests 2000] [--concurrency 50] [--fault-rate 0.1]
//                         [--stream-ratio 0.5] [--seed 1] [--out bench/load-results.json]
//                         [--runtime direct|wrangler] [--soak SECONDS --rate N]
//
// --soak: instead of N requests as fast as C clients go, N per second (--rate, default 20) for
// SECONDS; every 30 s it samples the runtime (RSS, open sockets, wasm linear memory and live
// core handles from /health with G2A_DIAGNOSTICS=1) and the fake upstream's open connections.
// Extra invariants: wasm memory flat, RSS flat over the second half, no core handle or upstream
// connection left when idle, one log row per request.
//
// Faults per request are prompt markers the fake acts on whichever account serves the request
// (cut mid-answer, stall before or during the answer, 5xx, Cloudflare challenge, malformed or
// invalid UTF-8 lines, mgw session ended / error). Faults per account: one whose upstream
// answers 401 (invalid), one 429 (cools), one 5xx (cools after repeated failures). Two healthy
// accounts have their WebSocket refused, so their chats go over REST (chat_transport=auto).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startFakeGrok } from '../tests/fake-grok/server.mjs';
import { uidFor } from '../tests/fake-grok/util.mjs';
import { freshState, d1, startDev, root } from '../bench/lib/dev.mjs';
import { bundleGateway, startRuntime, applyMigrations } from '../bench/lib/workerd.mjs';
import { stats } from '../bench/lib/stats.mjs';

function options(argv) {
  const o = { requests: 2000, concurrency: 50, faultRate: 0.1, streamRatio: 0.5, seed: 1, out: path.join(root, 'bench/load-results.json'), keepState: false, runtime: 'direct', soak: 0, rate: 20 };
  const names = { '--requests': 'requests', '--concurrency': 'concurrency', '--fault-rate': 'faultRate', '--stream-ratio': 'streamRatio', '--seed': 'seed', '--out': 'out', '--runtime': 'runtime', '--soak': 'soak', '--rate': 'rate' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep-state') o.keepState = true;
    else if (names[a]) {
      const v = argv[++i];
      const text = names[a] === 'out' || names[a] === 'runtime';
      o[names[a]] = names[a] === 'out' ? path.resolve(v) : text ? v : Number(v);
      if (!text && !Number.isFinite(o[names[a]])) throw new Error(`${a} needs a number`);
      if (names[a] === 'runtime' && !['direct', 'wrangler'].includes(v)) throw new Error('--runtime is direct or wrangler');
    } else if (a === '-h' || a === '--help') {
      console.log('node scripts/load.mjs [--requests N] [--concurrency C] [--fault-rate F] [--stream-ratio S] [--seed N] [--out FILE] [--keep-state] [--runtime direct|wrangler] [--soak SECONDS --rate N]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// mulberry32: a small seeded PRNG so that a run's request mix is reproducible.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUEST_FAULTS = ['eof', 'stall', 'stall_first', '5xx', 'cf_challenge', 'malformed', 'invalid_utf8', 'session_ended', 'ws_error'];
const KEY = `sk-g2a-load-${Date.now().toString(16)}`;
const SETTINGS = { first_byte_timeout_s: 3, idle_timeout_s: 3, total_timeout_s: 30, token_max_inflight: 16, max_retries: 3, chat_transport: 'auto' };

// Accounts: healthy ones (tok-ok-*, and tok-ws_refuse-* whose chats go over REST) and faulty ones.
const ACCOUNTS = [
  ...Array.from({ length: 8 }, (_, i) => ({ id: `tok_load_ok${i}`, sso: `tok-ok-load-${i}`, healthy: true })),
  ...Array.from({ length: 2 }, (_, i) => ({ id: `tok_load_rest${i}`, sso: `tok-ws_refuse-load-${i}`, healthy: true })),
  { id: 'tok_load_401', sso: 'tok-401-load-dead', healthy: false },
  { id: 'tok_load_429', sso: 'tok-429-load-limited', healthy: false },
  { id: 'tok_load_5xx', sso: 'tok-5xx-load-flaky', healthy: false },
];

const q = (v) => `'${String(v).replace(/'/g, "''")}'`;

function seedSql() {
  const now = Date.now();
  const sql = [
    `INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_load', 'load', ${q(createHash('sha256').update(KEY).digest('hex'))}, 'sk-g2a-…', 0)`,
  ];
  for (const a of ACCOUNTS) {
    sql.push(
      `INSERT INTO tokens (id, sso, tier, user_id, created_at) VALUES (${q(a.id)}, ${q(a.sso)}, 'super', ${q(uidFor(a.sso))}, 0)`,
      `INSERT INTO token_buckets (token_id, bucket, remaining, total, window_s, refreshed_at) VALUES (${q(a.id)}, 'auto', 1000000, 1000000, 7200, ${now})`,
    );
  }
  for (const [k, v] of Object.entries(SETTINGS)) sql.push(`INSERT INTO settings (key, value, updated_at) VALUES (${q(k)}, ${q(JSON.stringify(v))}, 0)`);
  return sql;
}

// Keep-alive for the load run (clients busy back to back). A soak at a steady rate leaves
// sockets idle between requests, and a request sent on a kept-alive socket the runtime is
// closing at that moment dies before it reaches the Worker ("socket hang up", no row): seen 3
// times in 6,000. A soak therefore opens a connection per request (setAgent below).
let agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

// One chat; reads the whole answer and judges its shape.
// → {status, rid, ms, ttfb, shape: 'json'|'sse'|'sse_error'|'error', code, wellFormed, problem?}
function chat(base, body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const u = new URL(`${base}/v1/chat/completions`);
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks = [];
        let ttfb = null;
        res.on('data', (d) => {
          if (ttfb === null) ttfb = performance.now() - t0;
          chunks.push(d);
        });
        res.on('end', () => {
          const out = { status: res.statusCode, rid: res.headers['x-request-id'] || null, ms: performance.now() - t0, ttfb, ...judge(res, Buffer.concat(chunks)) };
          resolve(out);
        });
        res.on('error', (err) => resolve({ status: res.statusCode, rid: res.headers['x-request-id'] || null, ms: performance.now() - t0, ttfb, shape: 'broken', wellFormed: false, devProxy: true, problem: `connection lost: ${err.message}` }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, rid: null, ms: performance.now() - t0, ttfb: null, shape: 'broken', wellFormed: false, devProxy: true, problem: `connection lost: ${err.message}` }));
    req.end(payload);
  });
}

const fatal = new TextDecoder('utf-8', { fatal: true });

// wrangler dev's own proxy answers this when it lost the request to a runtime restart.
const DEV_RESTART = 'Your worker restarted mid-request';

function judge(res, buf) {
  if (res.statusCode === 503 && buf.toString('utf8', 0, 64).startsWith(DEV_RESTART)) {
    return { shape: 'broken', wellFormed: false, devProxy: true, problem: 'wrangler dev: "Your worker restarted mid-request" (503 from its proxy)' };
  }
  let text;
  try {
    text = fatal.decode(buf);
  } catch {
    return { shape: 'broken', wellFormed: false, problem: 'invalid UTF-8 sent to the client' };
  }
  const type = res.headers['content-type'] || '';
  try {
    if (type.startsWith('text/event-stream')) {
      let done = false;
      let error = null;
      let finish = null;
      for (const block of text.split('\n\n')) {
        if (!block) continue;
        if (!block.startsWith('data: ')) return { shape: 'broken', wellFormed: false, problem: `SSE block without data: ${block.slice(0, 60)}` };
        const p = block.slice(6);
        if (p === '[DONE]') {
          done = true;
          continue;
        }
        const ev = JSON.parse(p);
        if (ev.error) error = ev.error;
        else finish = ev.choices?.[0]?.finish_reason || finish;
      }
      if (error) return { shape: 'sse_error', code: error.code, wellFormed: typeof error.message === 'string' && !!error.type };
      return { shape: 'sse', wellFormed: done && finish === 'stop', problem: done ? undefined : 'stream ended without [DONE]' };
    }
    const j = JSON.parse(text);
    if (res.statusCode === 200) return { shape: 'json', wellFormed: j.object === 'chat.completion' && typeof j.choices?.[0]?.message?.content === 'string' };
    const e = j.error;
    return { shape: 'error', code: e?.code, type: e?.type, wellFormed: !!e && typeof e.message === 'string' && typeof e.type === 'string' };
  } catch (err) {
    return { shape: 'broken', wellFormed: false, problem: `unparseable answer: ${err.message}` };
  }
}

const count = (xs, f) => xs.reduce((m, x) => {
  const k = f(x);
  m[k] = (m[k] || 0) + 1;
  return m;
}, {});

// The gateway under load, either straight in workerd (direct) or under `wrangler dev`:
// {url, query(sqls) → rows per statement, log() → its output so far, stop(), pid, kind}.
async function startGateway(o, fake) {
  const vars = { GROK_BASE_URL: fake.url, GROK_ASSETS_URL: fake.assetsUrl, BUILD_SHA: 'load', G2A_DIAGNOSTICS: '1' };
  if (o.runtime === 'wrangler') {
    const state = await freshState('g2a-load-');
    await d1(state, seedSql());
    const dev = await startDev(state, vars);
    return {
      kind: 'wrangler dev', url: dev.url, state, pid: null,
      query: (sqls) => d1(state, sqls),
      log: () => fs.readFileSync(dev.logPath, 'utf8'),
      stop: () => dev.stop(),
    };
  }
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-load-'));
  const bundle = bundleGateway();
  let output = '';
  const onOutput = (text) => {
    if (output.length < 4 << 20) output += text;
  };
  // A soak keeps D1 in a workerd of its own (as in production), so that the gateway's memory is
  // the gateway's and not SQLite's growing page cache; a load run uses the in-process D1 binding.
  let d1rt = null;
  if (o.soak > 0) {
    d1rt = await startRuntime({ name: 'd1-server', scriptPath: path.join(root, 'bench/workers/d1-server.js'), d1: { DB_LOAD: 'load' }, persist: path.join(state, 'd1') });
    fs.copyFileSync(path.join(root, 'bench/workers/gateway-remote-d1.js'), path.join(bundle.dir, 'gateway-remote-d1.js'));
  }
  const rt = await startRuntime(d1rt
    ? { name: 'gateway', scriptPath: path.join(bundle.dir, 'gateway-remote-d1.js'), modulesRoot: bundle.dir, bindings: { ...vars, D1_URL: `${d1rt.url}/DB_LOAD` }, kv: { KV_CACHE: 'load' }, persist: path.join(state, 'direct'), onOutput }
    : { name: 'gateway', scriptPath: bundle.main, modulesRoot: bundle.dir, bindings: vars, d1: { DB: 'load' }, kv: { KV_CACHE: 'load' }, persist: path.join(state, 'direct'), onOutput });
  const db = d1rt ? await d1rt.mf.getD1Database('DB_LOAD') : await rt.mf.getD1Database('DB');
  await applyMigrations(db);
  for (const q of seedSql()) await db.prepare(q).run();
  return {
    kind: 'workerd (direct)', url: rt.url, state, pid: rt.pid,
    query: async (sqls) => (await db.batch(sqls.map((q) => db.prepare(q)))).map((r) => r.results),
    log: () => output,
    stop: async () => {
      await rt.close();
      if (d1rt) await d1rt.close();
      fs.rmSync(bundle.dir, { recursive: true, force: true });
    },
  };
}

function fetchJson(url) {
  return new Promise((resolve) => {
    http.get(url, { agent }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
        } catch {
          resolve(null);
        }
      });
    }).on('error', () => resolve(null));
  });
}

// One sample of the runtime and the fake upstream (soak runs).
async function sample(gw, fake, t0) {
  const health = await fetchJson(`${gw.url}/health`);
  let rssKiB = null;
  let sockets = null;
  if (gw.pid) {
    try {
      rssKiB = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${gw.pid}/status`, 'utf8'))[1]);
      sockets = fs.readdirSync(`/proc/${gw.pid}/fd`).filter((f) => {
        try {
          return fs.readlinkSync(`/proc/${gw.pid}/fd/${f}`).startsWith('socket:');
        } catch {
          return false;
        }
      }).length;
    } catch {
      /* gone */
    }
  }
  const fs0 = fake.stats();
  return { t_s: Math.round((performance.now() - t0) / 1000), rss_kib: rssKiB, sockets, wasm_bytes: health?.diag?.wasm_bytes ?? null, live_handles: health?.diag?.live_handles ?? null, instantiations: health?.diag?.instantiations ?? null, upstream_open: fs0.open };
}

async function main() {
  const o = options(process.argv.slice(2));
  if (o.soak > 0) agent = new http.Agent({ keepAlive: false, maxSockets: 512 });
  const rand = prng(o.seed);
  const total = o.soak > 0 ? Math.round(o.soak * o.rate) : o.requests;
  const plan = Array.from({ length: total }, (_, i) => {
    const stream = rand() < o.streamRatio;
    const fault = rand() < o.faultRate ? REQUEST_FAULTS[Math.floor(rand() * REQUEST_FAULTS.length)] : null;
    const words = Array.from({ length: 30 }, (_, k) => `word${(i * 7 + k) % 97}`).join(' ');
    return { i, stream, fault, body: { model: 'grok-4', stream, messages: [{ role: 'user', content: `load request ${i}: ${words}${fault ? ` [[scenario:${fault}]]` : ''}` }] } };
  });

  const fake = await startFakeGrok({});
  let gw = null;
  const stopAll = async () => {
    if (gw) await gw.stop();
    gw = null;
    await fake.close();
    agent.destroy();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      stopAll().finally(() => process.exit(130));
    });
  }
  let state = null;
  try {
    const what = o.soak > 0 ? `soak: ${o.rate} requests/s for ${o.soak} s (${total})` : `${total} requests at concurrency ${o.concurrency}`;
    console.log(`load: ${what}, ${Math.round(o.faultRate * 100)}% with an upstream fault, ${Math.round(o.streamRatio * 100)}% streamed`);
    gw = await startGateway(o, fake);
    state = gw.state;
    console.log(`load: gateway in ${gw.kind} at ${gw.url}, fake upstream at ${fake.url}`);

    // Warm-up outside the measurement (first request instantiates the core): not counted, but
    // logged, so the log check below excludes these ids explicitly.
    const warm = [];
    for (let i = 0; i < 3; i++) warm.push(await chat(gw.url, { model: 'grok-4', messages: [{ role: 'user', content: `warm-up ${i}` }] }));

    const results = new Array(plan.length);
    const samples = [];
    const t0 = performance.now();
    if (o.soak > 0) {
      // A steady rate: request i starts at t0 + i / rate, whatever the others are doing.
      samples.push(await sample(gw, fake, t0));
      let nextSample = 30000;
      const pending = [];
      for (const p of plan) {
        const at = (p.i * 1000) / o.rate;
        const wait = at - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending.push(chat(gw.url, p.body).then((r) => (results[p.i] = { ...p, ...r })));
        if (performance.now() - t0 >= nextSample) {
          nextSample += 30000;
          samples.push(await sample(gw, fake, t0));
          console.log(`load: ${JSON.stringify(samples.at(-1))}`);
        }
      }
      await Promise.all(pending);
    } else {
      let next = 0;
      await Promise.all(Array.from({ length: o.concurrency }, async () => {
        while (next < plan.length) {
          const p = plan[next++];
          results[p.i] = { ...p, ...(await chat(gw.url, p.body)) };
        }
      }));
    }
    const wallS = (performance.now() - t0) / 1000;
    console.log(`load: ${plan.length} requests done in ${wallS.toFixed(1)} s; reading D1`);

    // Log rows are written after each answer ends; wait until every one is there.
    const expected = plan.length + warm.length;
    let logged = 0;
    for (const until = Date.now() + 120000; Date.now() < until; ) {
      logged = (await gw.query(['SELECT COUNT(*) AS n FROM request_logs']))[0][0].n;
      if (logged >= expected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const idle = o.soak > 0 ? await sample(gw, fake, t0) : null;
    const fakeStats = fake.stats();
    const devLog = gw.log();
    const [logRows, tokens, buckets] = await gw.query([
      // Every row: a request whose core trapped is logged by a fresh instance without its key.
      'SELECT id, status, error_code, attempts, token_id, stream, key_id FROM request_logs',
      'SELECT id, sso, status, status_reason, consecutive_failures, failures, cooldown_until, requests, inflight FROM tokens ORDER BY id',
      'SELECT token_id, bucket, cooling_until, cooling_reason FROM token_buckets ORDER BY token_id',
    ]);
    await gw.stop();
    gw = null;
    // Invariants.
    const warmIds = new Set(warm.map((w) => w.rid));
    const rows = logRows.filter((r) => !warmIds.has(r.id));
    const byId = new Map();
    for (const r of rows) byId.set(r.id, (byId.get(r.id) || 0) + 1);
    // Each x-request-id a client received must have exactly one row; a gateway 500 carries none.
    const clientIds = new Set(results.map((r) => r.rid).filter(Boolean));
    const withoutId = results.filter((r) => !r.rid).length;
    const missingIds = [...clientIds].filter((id) => byId.get(id) !== 1).length;
    const strayRows = rows.filter((r) => !clientIds.has(r.id)).length;
    const crashes = (devLog.match(/request failed in the (core|shim)/g) || []).length;
    // Errors wrangler/workerd reported (core traps, shim failures, runtime restarts).
    const devErrors = devLog.split('\n').filter((l) => /ERROR|restarted|trapped|Uncaught/.test(l)).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()).slice(0, 20);
    const internal500 = results.filter((r) => r.status === 500).length;
    const logged500 = rows.filter((r) => r.status === 500).length;
    const healthyIds = new Set(ACCOUNTS.filter((a) => a.healthy).map((a) => a.id));
    const healthyInvalid = tokens.filter((t) => healthyIds.has(t.id) && t.status === 'invalid');
    const notWellFormed = results.filter((r) => !r.wellFormed);
    const invariants = {
      log_rows_equal_requests: rows.length === plan.length && missingIds === 0 && strayRows === 0 && withoutId === 0,
      no_gateway_500: internal500 === 0 && logged500 === 0 && crashes === 0,
      no_healthy_token_invalidated: healthyInvalid.length === 0,
      all_answers_well_formed: notWellFormed.length === 0,
      upstream_connections_closed: fakeStats.open.http === 0 && fakeStats.open.ws === 0,
      no_account_slot_held: tokens.every((t) => t.inflight === 0),
    };
    if (o.soak > 0) Object.assign(invariants, soakInvariants(samples, idle));

    const now = Date.now();
    const lat = stats(results.map((r) => r.ms));
    const out = {
      command: `npm run load -- ${process.argv.slice(2).join(' ')}`.trim(),
      runtime: o.runtime === 'wrangler' ? 'wrangler dev' : 'workerd (direct)',
      soak: o.soak > 0 ? { seconds: o.soak, rate: o.rate, samples, idle } : undefined,
      requests: plan.length,
      concurrency: o.concurrency,
      fault_rate: o.faultRate,
      stream_ratio: o.streamRatio,
      seed: o.seed,
      injected_faults: count(plan.filter((p) => p.fault), (p) => p.fault),
      wall_s: wallS,
      req_per_s: plan.length / wallS,
      latency_ms: { p50: lat.median, p99: lat.p99, max: lat.max, mean: lat.mean },
      latency_no_fault_ms: (() => { const s = stats(results.filter((r) => !r.fault).map((r) => r.ms)); return { p50: s.median, p99: s.p99 }; })(),
      client_status: count(results, (r) => r.status),
      client_outcome: count(results, (r) => (r.shape === 'sse_error' ? `200 stream ended with error ${r.code}` : r.shape === 'error' ? `${r.status} ${r.code}` : r.shape === 'broken' ? `broken: ${r.problem}` : `${r.status} ok`)),
      log_status: count(rows, (r) => r.status),
      log_error_code: count(rows, (r) => r.error_code || '(none)'),
      log_rows: rows.length,
      log_rows_missing_or_duplicated: missingIds,
      log_rows_stray: strayRows,
      answers_without_request_id: withoutId,
      // Requests wrangler dev's proxy lost (runtime restart, connection reset) before or while
      // the Worker ran them: the gateway could not answer or log these.
      dropped_by_wrangler_dev: o.runtime === 'wrangler' ? results.filter((r) => r.devProxy).length : undefined,
      connections_lost: results.filter((r) => r.devProxy).length,
      gateway_500: internal500,
      log_rows_500: logged500,
      core_or_shim_crashes: crashes,
      dev_log_errors: devErrors,
      not_well_formed: notWellFormed.slice(0, 10).map((r) => ({ i: r.i, status: r.status, shape: r.shape, problem: r.problem, fault: r.fault })),
      not_well_formed_count: notWellFormed.length,
      tokens: tokens.map((t) => ({
        id: t.id, healthy: healthyIds.has(t.id), status: t.status, requests: t.requests, failures: t.failures,
        consecutive_failures: t.consecutive_failures, cooling: t.cooldown_until > now || buckets.some((b) => b.token_id === t.id && b.cooling_until > now),
      })),
      healthy_tokens_invalidated: healthyInvalid.map((t) => t.id),
      upstream: { open: fakeStats.open, chats: Object.fromEntries(Object.entries(fakeStats.hits).filter(([k]) => /conversations|mgw/.test(k))) },
      invariants,
      ok: Object.values(invariants).every(Boolean),
      machine: `${process.platform} ${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores`,
      date: new Date().toISOString(),
    };
    fs.writeFileSync(o.out, JSON.stringify(out, null, 2) + '\n');
    report(out);
    console.log(`load: results in ${path.relative(process.cwd(), o.out) || o.out}`);
    if (!out.ok) {
      process.exitCode = 1;
      o.keepState = true; // keep the state (and wrangler-dev.log) for a look
      fs.writeFileSync(path.join(state, 'runtime.log'), devLog);
    }
  } finally {
    await stopAll();
    if (state && !o.keepState) fs.rmSync(state, { recursive: true, force: true });
    else if (state) console.log(`load: state kept in ${state}`);
  }
}

// Flat memory: wasm linear memory never grows after the first sample, and over the second half
// of the run RSS stays within 10 % of where it stood at its start (the runtime warms up for a
// few minutes — V8 heap and code, connection buffers — and then levels off; a leak keeps
// growing). When idle, no core handle is open and no upstream connection left.
function soakInvariants(samples, idle) {
  const half = samples.slice(Math.floor(samples.length / 2));
  const first = half[0];
  const wasmFlat = samples.length > 0 && samples[0].wasm_bytes !== null && samples.every((x) => x.wasm_bytes === samples[0].wasm_bytes);
  const rssFlat = !!first && first.rss_kib !== null && half.every((x) => x.rss_kib <= first.rss_kib * 1.1);
  return {
    soak_wasm_memory_flat: wasmFlat,
    soak_rss_flat: rssFlat,
    soak_idle_no_live_handles: !!idle && idle.live_handles === 0,
    soak_idle_no_upstream_open: !!idle && idle.upstream_open.http === 0 && idle.upstream_open.ws === 0,
    soak_one_instantiation: !!idle && idle.instantiations === 1,
  };
}

function report(r) {
  const row = (k, v) => console.log(`  ${k.padEnd(34)} ${v}`);
  const kv = (m) => Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log('\nload run');
  row('gateway runtime', r.runtime);
  row('requests / concurrency', r.soak ? `${r.requests} at ${r.soak.rate}/s for ${r.soak.seconds} s (${r.stream_ratio * 100}% streamed)` : `${r.requests} / ${r.concurrency} (${r.stream_ratio * 100}% streamed)`);
  row('injected request faults', `${Object.values(r.injected_faults).reduce((a, b) => a + b, 0)} (${kv(r.injected_faults)})`);
  row('throughput', `${r.req_per_s.toFixed(1)} req/s (${r.wall_s.toFixed(1)} s)`);
  row('latency p50 / p99 (all)', `${r.latency_ms.p50.toFixed(0)} / ${r.latency_ms.p99.toFixed(0)} ms`);
  row('latency p50 / p99 (no fault)', `${r.latency_no_fault_ms.p50.toFixed(0)} / ${r.latency_no_fault_ms.p99.toFixed(0)} ms`);
  row('client status', kv(r.client_status));
  row('client outcome', kv(r.client_outcome));
  row('log status', kv(r.log_status));
  row('log error_code', kv(r.log_error_code));
  row('log rows == requests', `${r.log_rows} == ${r.requests}: ${r.invariants.log_rows_equal_requests ? 'yes' : 'NO'}`);
  if (!r.invariants.log_rows_equal_requests) {
    row('  answers without x-request-id', `${r.answers_without_request_id} (${r.connections_lost} connections lost${r.dropped_by_wrangler_dev !== undefined ? ' by wrangler dev\'s proxy' : ''})`);
    row('  client ids without exactly one row', `${r.log_rows_missing_or_duplicated}`);
    row('  rows no client saw (e.g. trap logs)', `${r.log_rows_stray}`);
  }
  row('500s from the gateway itself', `${r.gateway_500} answered, ${r.log_rows_500} logged (core/shim crashes in the log: ${r.core_or_shim_crashes})`);
  row('healthy tokens invalidated', `${r.healthy_tokens_invalidated.length}`);
  row('answers not well-formed', `${r.not_well_formed_count}`);
  row('upstream left open', `http ${r.upstream.open.http}, ws ${r.upstream.open.ws}`);
  if (r.soak) {
    for (const x of r.soak.samples) row(`  t=${x.t_s}s`, `rss ${x.rss_kib} KiB, sockets ${x.sockets}, wasm ${x.wasm_bytes} B, live handles ${x.live_handles}, upstream open ${JSON.stringify(x.upstream_open)}`);
    if (r.soak.idle) row('  idle after the run', `rss ${r.soak.idle.rss_kib} KiB, sockets ${r.soak.idle.sockets}, wasm ${r.soak.idle.wasm_bytes} B, live handles ${r.soak.idle.live_handles}, instantiations ${r.soak.idle.instantiations}`);
  }
  for (const l of r.dev_log_errors) console.log(`  runtime log: ${l}`);
  console.log('  tokens:');
  for (const t of r.tokens) console.log(`    ${t.id.padEnd(16)} ${t.healthy ? 'healthy' : 'faulty '} ${t.status.padEnd(8)} requests ${String(t.requests).padStart(4)}  failures ${String(t.failures).padStart(3)}${t.cooling ? '  cooling' : ''}`);
  console.log(r.ok ? '\nload: every invariant holds' : `\nload: INVARIANT FAILED: ${Object.entries(r.invariants).filter(([, v]) => !v).map(([k]) => k).join(', ')}`);
}

main().catch((err) => {
  console.error(`load: ${err.stack || err}`);
  process.exitCode = 1;
});
