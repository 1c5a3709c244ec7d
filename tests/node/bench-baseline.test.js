// Keeps the benchmark honest: the JavaScript reference transcoder (bench/lib/js-transcoder.mjs)
// and the wasm core, driven as the Worker drives it (bench/lib/wasm-driver.mjs), must write the
// same bytes, block for block (one block per upstream chunk), for the short and the 2,000-token
// inputs over both upstream protocols. No timing is asserted here; `npm run bench` measures.
import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import { loadCore, wasmPath, ChatRun, CHAT } from '../../bench/lib/wasm-driver.mjs';
import { JsRestTranscoder, JsMgwTranscoder } from '../../bench/lib/js-transcoder.mjs';
import { restNdjson, mgwFrames, chunk } from '../../bench/lib/inputs.mjs';

const dec = new TextDecoder();
let core;

beforeAll(async () => {
  if (!fs.existsSync(wasmPath())) throw new Error('build/wasm/core.wasm is missing: run `npm run build` first');
  ({ core } = await loadCore());
});

function both(transport, chunks) {
  const run = new ChatRun(core, { transport }).start();
  const wasm = chunks.map((c) => dec.decode(run.feed(c)));
  run.end();
  const js = transport === 'mgw' ? new JsMgwTranscoder(CHAT) : new JsRestTranscoder(CHAT);
  const base = chunks.map((c) => dec.decode(js.feed(c)));
  base[base.length - 1] += dec.decode(js.end());
  return { wasm, base, run };
}

const inputs = [
  ['REST NDJSON', 'rest', (s) => chunk(restNdjson(s).bytes)],
  ['mgw frames', 'mgw', (s) => mgwFrames(s).bytes],
];

describe('bench: the JS baseline writes exactly what the wasm core writes', () => {
  for (const [label, transport, make] of inputs) {
    for (const [size, name] of [['a', 'short answer'], ['b', '2,000-token answer with reasoning and search']]) {
      it(`${label}, ${name}: identical bytes per upstream chunk`, () => {
        const chunks = make(size);
        const { wasm, base, run } = both(transport, chunks);
        expect(run.status).toBe(200);
        expect(run.extraWrites || 0).toBe(0); // never more than one client write per chunk
        expect(wasm.length).toBe(chunks.length);
        expect(base).toEqual(wasm);
        const all = wasm.join('');
        expect(all.startsWith('data: {"id":"chatcmpl-')).toBe(true);
        expect(all.endsWith('"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')).toBe(true);
        if (size === 'b') {
          expect(all).toContain('"reasoning_content":"Thinking about your request\\n');
          expect(all).toContain('"annotations":[{"type":"url_citation"');
        }
      });
    }
  }

  it('the answer text survives the trip: concatenated deltas equal the upstream message', () => {
    const inp = restNdjson('b');
    const { wasm } = both('rest', chunk(inp.bytes));
    let content = '';
    for (const line of wasm.join('').split('\n')) {
      if (!line.startsWith('data: {')) continue;
      const d = JSON.parse(line.slice(6)).choices[0]?.delta;
      if (d && typeof d.content === 'string') content += d.content;
    }
    expect(content).toBe(inp.message);
  });
});
