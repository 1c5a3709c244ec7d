// Stream transcoding in one Node process: the wasm core (driven through shim/core.js exactly as
// the Worker drives it) against the JavaScript reference transcoder, on the same inputs and the
// same chunks, byte-for-byte checked, interleaved, median of N. Also: the core's time per
// streamed request and per chunk (median, p99), instantiation time, and peak linear memory.
//
//   node --expose-gc bench/transcode.mjs [--runs N] [--quick] [--json out.json]
import { loadCore, ChatRun, CHAT, concat, wasmPath } from './lib/wasm-driver.mjs';
import { JsRestTranscoder, JsMgwTranscoder } from './lib/js-transcoder.mjs';
import { restNdjson, mgwFrames, chunk } from './lib/inputs.mjs';
import { stats } from './lib/stats.mjs';
import fs from 'node:fs';

const gc = globalThis.gc || (() => {});

function sameBlocks(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Buffer.compare(Buffer.from(a[i].buffer, a[i].byteOffset, a[i].length), Buffer.from(b[i].buffer, b[i].byteOffset, b[i].length)) !== 0) return false;
  return true;
}

export function inputsFor(sizes = ['a', 'b', 'c']) {
  const out = [];
  for (const size of sizes) {
    const r = restNdjson(size);
    out.push({ name: `rest-${size}`, transport: 'rest', size, chunks: chunk(r.bytes), bytes: r.bytes.length, units: r.tokenLines });
    const m = mgwFrames(size);
    out.push({ name: `mgw-${size}`, transport: 'mgw', size, chunks: m.bytes, bytes: m.total, units: m.tokenFrames });
  }
  return out;
}

// Process CPU time in ms (user + system, µs resolution). Unlike wall time it ignores the time
// this process waits for a core on a shared machine. Run node with --single-threaded-gc so V8
// has no GC helper threads: the CPU then is the main thread's, and garbage collection is
// charged to the method that caused it.
export const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * One request through the core. The request's setup (open, start, effects up to the pump) is
 * not timed; the stream is: every chunk through core_feed and the end of the flow.
 * Returns {ms (wall), cpu (process CPU ms), blocks, run}.
 */
export function wasmOnce(core, input, { timer } = {}) {
  const run = new ChatRun(core, { transport: input.transport, timer }).start();
  const c0 = cpuNow();
  const t0 = performance.now();
  const blocks = input.chunks.map((c) => run.feed(c));
  run.end();
  const ms = performance.now() - t0;
  return { ms, cpu: cpuNow() - c0, blocks, run };
}

export function jsOnce(input) {
  const c0 = cpuNow();
  const t0 = performance.now();
  const js = input.transport === 'mgw' ? new JsMgwTranscoder(CHAT) : new JsRestTranscoder(CHAT);
  const blocks = input.chunks.map((c) => js.feed(c));
  const tail = js.end();
  const ms = performance.now() - t0;
  const cpu = cpuNow() - c0;
  if (tail.length) blocks[blocks.length - 1] = concat([blocks[blocks.length - 1], tail]);
  return { ms, cpu, blocks };
}

/** Checks that both produce identical blocks; returns {ok, outBytes, blocks}. */
export function check(core, input) {
  const w = wasmOnce(core, input);
  const j = jsOnce(input);
  const ok = sameBlocks(w.blocks, j.blocks);
  return {
    ok,
    outBytes: w.blocks.reduce((n, b) => n + b.length, 0),
    blocksWithOutput: w.blocks.filter((b) => b.length).length,
    extraWrites: w.run.extraWrites || 0,
    status: w.run.status,
  };
}

export async function throughput({ runs = 7, warm = 2, sizes = ['a', 'b', 'c'], log = () => {} } = {}) {
  const { core } = await loadCore();
  const rows = [];
  for (const input of inputsFor(sizes)) {
    const c = check(core, input);
    if (!c.ok) throw new Error(`${input.name}: the wasm core and the JS baseline differ`);
    const n = input.size === 'c' ? Math.max(5, Math.min(runs, 5)) : runs;
    const w = input.size === 'c' ? 1 : warm;
    const t = { wasm: [], js: [] };
    const cpu = { wasm: [], js: [] };
    for (let i = 0; i < w + n; i++) {
      const order = i % 2 ? ['wasm', 'js'] : ['js', 'wasm'];
      for (const m of order) {
        gc();
        const r = m === 'wasm' ? wasmOnce(core, input) : jsOnce(input);
        if (i >= w) {
          t[m].push(r.ms);
          cpu[m].push(r.cpu);
        }
      }
    }
    const row = { input: input.name, transport: input.transport, size: input.size, in_bytes: input.bytes, chunks: input.chunks.length, token_units: input.units, out_bytes: c.outBytes, identical: c.ok, blocks_with_output: c.blocksWithOutput, extra_writes: c.extraWrites };
    for (const m of ['wasm', 'js']) {
      const s = stats(t[m]);
      const sc = stats(cpu[m]);
      row[m] = {
        wall_ms: s, cpu_ms: sc,
        mb_s: input.bytes / 1e6 / (s.median / 1000),
        mb_s_range: [input.bytes / 1e6 / (s.max / 1000), input.bytes / 1e6 / (s.min / 1000)],
        mb_s_cpu: input.bytes / 1e6 / (sc.median / 1000),
        us_per_token: (s.median * 1000) / input.units,
      };
    }
    row.ratio = row.js.wall_ms.median / row.wasm.wall_ms.median;
    row.ratio_cpu = row.js.cpu_ms.median / row.wasm.cpu_ms.median;
    rows.push(row);
    log(`${row.input.padEnd(7)} wasm ${row.wasm.wall_ms.median.toFixed(2)} ms (${row.wasm.mb_s.toFixed(1)} MB/s, cpu ${row.wasm.cpu_ms.median.toFixed(2)})  js ${row.js.wall_ms.median.toFixed(2)} ms (${row.js.mb_s.toFixed(1)} MB/s, cpu ${row.js.cpu_ms.median.toFixed(2)})  x${row.ratio.toFixed(2)} (cpu x${row.ratio_cpu.toFixed(2)})`);
  }
  return rows;
}

/** Core time per streamed request (all core calls: open, start, resumes, feeds, the end). */
export async function perRequest({ input = 'rest-b', requests = 200, log = () => {} } = {}) {
  const { core } = await loadCore();
  const inp = inputsFor([input.split('-')[1]]).find((x) => x.name === input);
  for (let i = 0; i < 20; i++) wasmOnce(core, inp); // warm-up (tier-up)
  const perReq = [];
  const setup = [];
  const perChunk = [];
  const reqCpu = [];
  for (let i = 0; i < requests; i++) {
    let total = 0;
    let before = 0;
    let streaming = false;
    const c0 = cpuNow();
    const { run } = wasmOnce(core, inp, {
      timer: (kind, ms) => {
        total += ms;
        if (kind === 'feed') {
          streaming = true;
          perChunk.push(ms);
        } else if (!streaming) before += ms;
      },
    });
    void run;
    perReq.push(total);
    setup.push(before);
    reqCpu.push(cpuNow() - c0);
  }
  const r = { input, requests, chunks_per_request: inp.chunks.length, per_request_ms: stats(perReq), per_request_process_cpu_ms: stats(reqCpu), setup_ms: stats(setup), per_chunk_ms: stats(perChunk) };
  log(`${input}: core ${r.per_request_ms.median.toFixed(3)} ms/request (p99 ${r.per_request_ms.p99.toFixed(3)}), setup ${r.setup_ms.median.toFixed(3)} ms, process CPU ${r.per_request_process_cpu_ms.median.toFixed(3)} ms, ${(r.per_chunk_ms.median * 1000).toFixed(1)} µs/chunk (p99 ${(r.per_chunk_ms.p99 * 1000).toFixed(1)})`);
  return r;
}

/** Compile + instantiate times (fresh each time) and peak linear memory after the 1 MB answer. */
export async function coldAndMemory({ times = 10 } = {}) {
  const compile = [];
  const inst = [];
  for (let i = 0; i < times; i++) {
    const { compileMs, instantiateMs } = await loadCore();
    compile.push(compileMs);
    inst.push(instantiateMs);
  }
  const mem = {};
  for (const name of ['rest-c', 'mgw-c']) {
    const { core } = await loadCore();
    const initial = core.M.HEAPU8.length;
    const inp = inputsFor(['c']).find((x) => x.name === name);
    wasmOnce(core, inp);
    mem[name] = { initial_bytes: initial, peak_bytes: core.M.HEAPU8.length };
  }
  const raw = fs.statSync(wasmPath()).size;
  return { compile_ms: stats(compile), instantiate_ms: stats(inst), memory: mem, wasm_raw: raw };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --part throughput,per_request,cold (default: all), --runs N, --quick (inputs a and b only)
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const parts = opt('--part', 'throughput,per_request,cold').split(',');
  const runs = Number(opt('--runs', 7));
  const quick = args.includes('--quick');
  const out = { node: process.version, v8: process.versions.v8, exec_argv: process.execArgv, cpu_source: 'process.cpuUsage' };
  if (parts.includes('throughput')) out.throughput = await throughput({ runs, sizes: quick ? ['a', 'b'] : ['a', 'b', 'c'], log: console.log });
  if (parts.includes('per_request')) out.per_request = await perRequest({ requests: quick ? 100 : 200, log: console.log });
  if (parts.includes('cold')) out.cold = await coldAndMemory({ times: quick ? 5 : 10 });
  const j = opt('--json', null);
  if (j) fs.writeFileSync(j, JSON.stringify(out, null, 2));
  else console.log(JSON.stringify(out, null, 2));
}
