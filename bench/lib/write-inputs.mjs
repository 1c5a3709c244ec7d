// Writes the benchmark inputs for the native harness (bench/native/stream_bench.cpp):
// <dir>/{rest,mgw}-{a,b,c}.bin, each a sequence of [u32 little-endian length][chunk bytes],
// one record per upstream chunk (REST: the 1–4 KB reads; mgw: one WebSocket message).
//   node bench/lib/write-inputs.mjs DIR
import fs from 'node:fs';
import path from 'node:path';
import { restNdjson, mgwFrames, chunk } from './inputs.mjs';

export function writeInputs(dir, sizes = ['a', 'b', 'c']) {
  fs.mkdirSync(dir, { recursive: true });
  const put = (name, chunks) => {
    const n = chunks.reduce((s, c) => s + 4 + c.length, 0);
    const buf = Buffer.alloc(n);
    let at = 0;
    for (const c of chunks) {
      buf.writeUInt32LE(c.length, at);
      buf.set(c, at + 4);
      at += 4 + c.length;
    }
    fs.writeFileSync(path.join(dir, name), buf);
  };
  for (const s of sizes) {
    put(`rest-${s}.bin`, chunk(restNdjson(s).bytes));
    put(`mgw-${s}.bin`, mgwFrames(s).bytes);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) writeInputs(process.argv[2] || 'build/bench-inputs');
