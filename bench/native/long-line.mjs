// The long-line inputs (issue 12: "a 10 MB upstream line ≥ 50 MB/s"): the short answer (a)
// with one token of N bytes inserted after its first token — REST: one NDJSON line cut into
// the usual 1–4 KB reads; mgw: one WebSocket message. The token text is the fake upstream's
// filler ('lorem ipsum dolor sit amet ', tests/fake-grok/content.mjs long_line).
//   node bench/native/long-line.mjs [DIR] [BYTES]   writes DIR/{rest,mgw}-long.bin for
//   stream_bench (default build/bench-inputs, 10 MiB); also times the wasm core on them:
//   node --single-threaded-gc --no-liftoff bench/native/long-line.mjs --wasm [BYTES] [RUNS]
import fs from 'node:fs';
import path from 'node:path';
import { restNdjson, mgwFrames, chunk } from '../lib/inputs.mjs';

const enc = new TextEncoder();
const FILLER = 'lorem ipsum dolor sit amet ';
const longText = (n) => FILLER.repeat(Math.ceil(n / FILLER.length)).slice(0, n);

/** {name, transport, chunks, bytes} for rest-long and mgw-long. */
export function longInputs(bytes = 10 * 1024 * 1024) {
  const big = longText(bytes);
  const r = restNdjson('a');
  const lines = r.text.split('\n');
  const at = lines.findIndex((l) => l.includes('"token"'));
  const first = JSON.parse(lines[at]);
  first.result.response.token = big;
  lines.splice(at + 1, 0, JSON.stringify(first));
  const rest = enc.encode(lines.join('\n'));
  const m = mgwFrames('a');
  const fi = m.frames.findIndex((f) => f.includes('"text":{"text"'));
  const frame = JSON.parse(m.frames[fi]);
  frame.event.chunk.text.text = big;
  const frames = [...m.frames];
  frames.splice(fi + 1, 0, JSON.stringify(frame));
  const mgw = frames.map((f) => enc.encode(f));
  return [
    { name: 'rest-long', transport: 'rest', chunks: chunk(rest), bytes: rest.length },
    { name: 'mgw-long', transport: 'mgw', chunks: mgw, bytes: mgw.reduce((n, b) => n + b.length, 0) },
  ];
}

function write(dir, bytes) {
  fs.mkdirSync(dir, { recursive: true });
  for (const input of longInputs(bytes)) {
    const n = input.chunks.reduce((s, c) => s + 4 + c.length, 0);
    const buf = Buffer.alloc(n);
    let at = 0;
    for (const c of input.chunks) {
      buf.writeUInt32LE(c.length, at);
      buf.set(c, at + 4);
      at += 4 + c.length;
    }
    fs.writeFileSync(path.join(dir, `${input.name}.bin`), buf);
  }
}

async function timeWasm(bytes, runs) {
  const { loadCore } = await import('../lib/wasm-driver.mjs');
  const { wasmOnce } = await import('../transcode.mjs');
  const { core } = await loadCore();
  for (const input of longInputs(bytes)) {
    const ms = [];
    let out = 0;
    for (let i = 0; i < runs; i++) {
      const r = wasmOnce(core, input);
      ms.push(r.ms);
      out = r.blocks.reduce((n, b) => n + b.length, 0);
    }
    ms.sort((a, b) => a - b);
    const med = ms[Math.floor(ms.length / 2)];
    console.log(`${input.name}: ${input.bytes} bytes in ${input.chunks.length} chunks → ${out} bytes out; ` +
      `median ${med.toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms.at(-1).toFixed(1)}), ${(input.bytes / 1e6 / (med / 1000)).toFixed(1)} MB/s`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--wasm') await timeWasm(Number(args[1] || 10 * 1024 * 1024), Number(args[2] || 5));
  else write(args[0] || 'build/bench-inputs', Number(args[1] || 10 * 1024 * 1024));
}
