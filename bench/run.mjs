// `npm run bench` (scripts/bench.sh): runs every benchmark, prints one table, writes
// bench/results.json (machine, versions, every figure, the budgets and where each stands).
//
//   node bench/run.mjs [--quick] [--no-workerd] [--no-e2e] [--runs N] [--out bench/results.json]
// G2A_WASM_DIR=dir measures another build of core.mjs + core.wasm (default build/wasm).
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { measure } from '../scripts/bundle-check.mjs';
import { workerdTable } from './workerd.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const quick = args.includes('--quick');
const runs = opt('--runs', quick ? '7' : '9');
const outFile = path.resolve(root, opt('--out', 'bench/results.json'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bench-run-'));
const KiB = 1024;
const t0 = Date.now();

function node(script, nodeArgs, scriptArgs, label) {
  const json = path.join(tmp, `${label}.json`);
  console.log(`\n== ${label}`);
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(root, script), ...scriptArgs, '--json', json], { cwd: root, stdio: 'inherit', env: process.env, timeout: 600000 });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status})`);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

function tryRun(cmd, argv) {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const pkg = (p) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  return {
    date: new Date().toISOString(),
    host: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, mem_gib: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, load_avg_at_start: os.loadavg() },
    versions: {
      node: process.version, v8: process.versions.v8, wrangler: pkg('wrangler'), workerd: pkg('workerd'), miniflare: pkg('miniflare'),
      autocannon: pkg('autocannon'), emcc: (tryRun('emcc', ['--version']) || '').split('\n')[0] || null,
      git: tryRun('git', ['-C', root, 'rev-parse', '--short', 'HEAD']),
    },
    wasm_dir: process.env.G2A_WASM_DIR || 'build/wasm',
  };
}

// Bundle: what `wrangler deploy --dry-run` would upload, raw and gzip -9, per file.
function bundle() {
  console.log('\n== bundle (wrangler deploy --dry-run)');
  const outdir = path.join(tmp, 'bundle');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/bundle-check.mjs'), '--outdir', outdir], { cwd: root, encoding: 'utf8', timeout: 240000 });
  process.stdout.write(r.stdout || '');
  if (r.status !== 0 && !fs.existsSync(outdir)) return { error: (r.stderr || '').trim() };
  const m = measure(outdir);
  const files = fs.readdirSync(outdir).filter((f) => !f.endsWith('.map') && f !== 'README.md').map((f) => {
    const b = fs.readFileSync(path.join(outdir, f));
    return { file: f.replace(/^[0-9a-f]{40}-/, ''), raw: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length };
  });
  return { raw: m.raw, gzip: m.gzip, files };
}

// Native harness (if a native build has it): ns per chunk with no JS or wasm in the way.
function native() {
  // Only an optimised build says anything about speed: the test builds (build/native) are Debug.
  const optimised = (dir) => /CMAKE_BUILD_TYPE:STRING=(Release|RelWithDebInfo)/.test(fs.readFileSync(path.join(root, dir, 'CMakeCache.txt'), 'utf8'));
  const exe = ['build/perf-native', 'build/native']
    .filter((d) => fs.existsSync(path.join(root, d, 'stream_bench')) && optimised(d))
    .map((d) => path.join(root, d, 'stream_bench'))[0];
  if (!exe) return { skipped: 'no optimised native build with stream_bench (cmake -S . -B build/perf-native -DCMAKE_BUILD_TYPE=Release && cmake --build build/perf-native --target stream_bench render_bench)' };
  console.log(`\n== native (${path.relative(root, exe)})`);
  const dir = path.join(tmp, 'inputs');
  spawnSync(process.execPath, [path.join(root, 'bench/lib/write-inputs.mjs'), dir], { cwd: root });
  const rows = [];
  for (const name of ['rest-a', 'rest-b', 'mgw-b', ...(quick ? [] : ['rest-c'])]) {
    const reqs = name.endsWith('-a') ? 2000 : name.endsWith('-b') ? 200 : 3;
    const r = spawnSync(exe, [path.join(dir, `${name}.bin`), name.split('-')[0], String(reqs)], { encoding: 'utf8', timeout: 120000 });
    if (r.status === 0) {
      const j = JSON.parse(r.stdout.trim().split('\n').pop());
      rows.push({ input: name, ...j, input_file: undefined });
      console.log(`${name}: ${(j.ns_per_request / 1e6).toFixed(3)} ms/request, ${j.mb_s} MB/s`);
    }
  }
  // The same 2,000-token answer rendered as Chat Completions and as Anthropic Messages events.
  let render;
  const renderExe = path.join(path.dirname(exe), 'render_bench');
  if (fs.existsSync(renderExe)) {
    const r = spawnSync(renderExe, [path.join(dir, 'rest-b.bin'), quick ? '50' : '200'], { encoding: 'utf8', timeout: 120000 });
    if (r.status === 0) {
      render = JSON.parse(r.stdout.trim().split('\n').pop());
      render.input = 'rest-b';
      console.log(`renderers (rest-b): chat ${(render.ns_per_answer.chat / 1e3).toFixed(1)} µs, messages ${(render.ns_per_answer.messages / 1e3).toFixed(1)} µs (x${render.ratio_messages_chat.toFixed(2)}), responses ${(render.ns_per_answer.responses / 1e3).toFixed(1)} µs (x${render.ratio_responses_chat.toFixed(2)}) per answer`);
    }
  }
  return { exe: path.relative(root, exe), rows, render };
}

const f = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(d));

function budgets(r) {
  const b = [];
  const w = r.workerd;
  const row = (id) => w?.rows?.find((x) => x.id === id)?.cpu_ms.median;
  if (w?.rows) {
    const gs = row('gw-rest-b-stream');
    const pb = row('pass-b');
    if (gs !== undefined && pb !== undefined) b.push({ budget: '2,000-token streamed chat <= 2x the passthrough CPU, and < 10 ms (workerd)', value: `${f(gs)} ms vs passthrough ${f(pb)} ms (x${f(gs / pb, 1)})`, ok: gs <= 2 * pb && gs < 10 });
    const gj = row('gw-rest-b-json');
    if (gj !== undefined && gs !== undefined) b.push({ budget: 'Non-stream no more than stream (workerd)', value: `${f(gj)} ms vs ${f(gs)} ms`, ok: gj <= gs * 1.05 });
    const ga = row('gw-rest-a-stream');
    const pa = row('pass-a');
    if (ga !== undefined && pa !== undefined) b.push({ budget: '20-token streamed chat <= passthrough + 2 ms (workerd)', value: `${f(ga)} ms vs passthrough ${f(pa)} ms (+${f(ga - pa)} ms)`, ok: ga <= pa + 2 });
    const g401 = row('gw-401');
    if (g401 !== undefined && pa !== undefined) b.push({ budget: 'A 401 <= the passthrough short request, no D1 write (workerd)', value: `${f(g401)} ms vs ${f(pa)} ms; log rows written by 401s: ${w.log_rows_by_401 ?? '?'}`, ok: g401 <= pa && w.log_rows_by_401 === 0 });
    if (w.line10_mb_s !== undefined) b.push({ budget: 'A 10 MB upstream line >= 50 MB/s through the gateway', value: `${f(w.line10_mb_s, 1)} MB/s`, ok: w.line10_mb_s >= 50 });
    if (w.c_vs_b_per_byte !== undefined) b.push({ budget: '1 MB answer <= 3x the 2,000-token cost per byte', value: `x${f(w.c_vs_b_per_byte)} per byte`, ok: w.c_vs_b_per_byte <= 3 });
    if (w.upstream_calls_per_chat !== undefined) b.push({ budget: 'One upstream request per chat in steady state', value: `${f(w.upstream_calls_per_chat)} per chat, ${w.upstream_other_calls} other upstream calls`, ok: w.upstream_calls_per_chat === 1 && w.upstream_other_calls === 0 });
    if (w.start) b.push({ budget: 'Compile + instantiate <= 20 ms in workerd', value: `${f(w.start.gateway_extra_ms)} ms of CPU beyond the passthrough's start and first request`, ok: w.start.gateway_extra_ms <= 20 });
  }
  const rb = r.native?.render;
  if (rb) b.push({ budget: '2,000-token answer as Messages events <= 1.5x the Chat renderer CPU (native)', value: `${f(rb.ns_per_answer.messages / 1e3, 1)} µs vs ${f(rb.ns_per_answer.chat / 1e3, 1)} µs (x${f(rb.ratio_messages_chat)})`, ok: rb.ratio_messages_chat <= 1.5 });
  if (rb?.ns_per_answer?.responses !== undefined) b.push({ budget: '2,000-token answer as Responses events <= 1.5x the Chat renderer CPU (native)', value: `${f(rb.ns_per_answer.responses / 1e3, 1)} µs vs ${f(rb.ns_per_answer.chat / 1e3, 1)} µs (x${f(rb.ratio_responses_chat)})`, ok: rb.ratio_responses_chat <= 1.5 });
  const pr = r.transcode.per_request;
  if (pr) b.push({ budget: 'Core <= 1 ms per streamed 2,000-token chat (Node, same wasm)', value: `${f(pr.per_request_ms.median, 3)} ms median, p99 ${f(pr.per_request_ms.p99, 3)}`, ok: pr.per_request_ms.median <= 1 });
  if (r.bundle?.gzip) b.push({ budget: 'Bundle <= 1 MiB gzip', value: `${f(r.bundle.gzip / KiB, 1)} KiB gzip (${f(r.bundle.raw / KiB, 1)} KiB raw)`, ok: r.bundle.gzip <= 1024 * KiB });
  const writes = r.transcode.throughput.every((x) => x.extra_writes === 0);
  const fw = r.e2e?.forwarding;
  b.push({ budget: 'Each upstream chunk leaves as soon as transcoded', value: `${writes ? 'one write per chunk, none deferred' : 'MORE THAN ONE WRITE PER CHUNK'}${fw ? `; forward delay p50 ${f(fw.gateway_ms.median)} ms, p99 ${f(fw.gateway_ms.p99)} ms at 10 ms pacing` : ''}`, ok: writes && (!fw || fw.gateway_ms.median < fw.pace_ms / 2) });
  return b;
}

function table(r) {
  const lines = [];
  lines.push('| input | in bytes | chunks | wasm ms (min–max) | wasm MB/s | JS ms (min–max) | JS MB/s | ratio wall | ratio CPU |');
  lines.push('| --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: |');
  for (const x of r.transcode.throughput) {
    lines.push(`| ${x.input} | ${x.in_bytes.toLocaleString('en')} | ${x.chunks.toLocaleString('en')} | ${f(x.wasm.wall_ms.median)} (${f(x.wasm.wall_ms.min)}–${f(x.wasm.wall_ms.max)}) | ${f(x.wasm.mb_s, 1)} | ${f(x.js.wall_ms.median)} (${f(x.js.wall_ms.min)}–${f(x.js.wall_ms.max)}) | ${f(x.js.mb_s, 1)} | ${f(x.ratio)} | ${f(x.ratio_cpu)} |`);
  }
  return lines.join('\n');
}

function latencyTable(e) {
  if (!e?.latency) return '';
  const lines = ['| input | conc. | TTFT gateway p50 / p99 | TTFT direct p50 / p99 | added TTFT p50 / p99 | total gateway p50 / p99 | total direct p50 / p99 | added total p50 / p99 |', '| --- | ---: | --- | --- | --- | --- | --- | --- |'];
  for (const [size, byC] of Object.entries(e.latency)) {
    for (const [c, x] of Object.entries(byC)) {
      lines.push(`| ${size} | ${c.slice(1)} | ${f(x.gateway.ttft_ms.median)} / ${f(x.gateway.ttft_ms.p99)} | ${f(x.direct.ttft_ms.median)} / ${f(x.direct.ttft_ms.p99)} | ${f(x.added_ttft_p50_ms)} / ${f(x.added_ttft_p99_ms)} | ${f(x.gateway.total_ms.median)} / ${f(x.gateway.total_ms.p99)} | ${f(x.direct.total_ms.median)} / ${f(x.direct.total_ms.p99)} | ${f(x.added_total_p50_ms)} / ${f(x.added_total_p99_ms)} |`);
    }
  }
  return lines.join('\n');
}

const results = { machine: machine() };
try {
  results.transcode = node('bench/transcode.mjs', ['--single-threaded-gc', '--no-liftoff'], ['--part', 'throughput,per_request', '--runs', runs, ...(quick ? ['--quick'] : [])], 'transcoding (Node, wasm vs JS)');
  results.cold = node('bench/transcode.mjs', [], ['--part', 'cold', ...(quick ? ['--quick'] : [])], 'cold start and memory').cold;
  results.bundle = bundle();
  results.native = native();
  if (!args.includes('--no-workerd')) results.workerd = node('bench/workerd.mjs', [], quick ? ['--quick'] : [], 'CPU per request inside workerd (the headline)');
  if (!args.includes('--no-e2e')) results.e2e = node('bench/e2e.mjs', [], quick ? ['--quick'] : [], 'end to end (wrangler dev)');
  results.budgets = budgets(results);
  results.seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(outFile, JSON.stringify(results, null, 2));

  if (results.workerd) {
    console.log('\n## CPU per request inside workerd (inspector off, same run, interleaved; the headline)\n');
    console.log(workerdTable(results.workerd));
  }
  console.log('\n## Transcoding (same process, interleaved, median of runs; MB/s of input NDJSON)\n');
  console.log(table(results));
  const pr = results.transcode.per_request;
  console.log(`\nCore time per streamed 2,000-token chat (Node, all core calls): ${f(pr.per_request_ms.median, 3)} ms median, p99 ${f(pr.per_request_ms.p99, 3)}; setup ${f(pr.setup_ms.median, 3)} ms; per chunk ${f(pr.per_chunk_ms.median * 1000, 1)} µs median, p99 ${f(pr.per_chunk_ms.p99 * 1000, 1)} µs`);
  if (results.e2e) {
    console.log('\n## End to end (wrangler dev + replay upstream; ms)\n');
    console.log(latencyTable(results.e2e));
    const w = results.e2e.workerd_cpu;
    if (w?.b) console.log(`\nworkerd process CPU per request: 2,000-token ${f(w.b.cpu_ms_per_request)} ms, short ${f(w.a.cpu_ms_per_request)} ms; shim timing (workerd clock) core ${f(results.e2e.shim_timing.core_ms_2000_token.median)} ms median`);
  }
  console.log(`\nCold: compile ${f(results.cold.compile_ms.median)} ms, instantiate ${f(results.cold.instantiate_ms.median)} ms (Node); peak linear memory after the 1 MB answer: REST ${f(results.cold.memory['rest-c'].peak_bytes / 2 ** 20, 1)} MiB, mgw ${f(results.cold.memory['mgw-c'].peak_bytes / 2 ** 20, 1)} MiB`);
  console.log('\n## Budgets\n');
  console.log('| budget | measured | status |\n| --- | --- | --- |');
  for (const b of results.budgets) console.log(`| ${b.budget} | ${b.value} | ${b.ok ? 'met' : 'MISSED'} |`);
  console.log(`\nwrote ${path.relative(root, outFile)} in ${f(results.seconds, 0)} s`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
