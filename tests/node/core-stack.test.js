// One wasm core instance serves thousands of requests: its stack pointer must come back to
// where it was after every call. clang 14 (Emscripten 3.1.6) leaks a coroutine's frame on each
// symmetric transfer (return_call without restoring __stack_pointer); before cpp/worker/abi.cpp
// restored it at every export, the 1,353rd streamed chat of an instance trapped ("memory access
// out of bounds") after the stack had grown into the static data, and in wrangler dev every
// request in flight on that instance then failed with a 500 (found by npm run load).
import { describe, it, expect } from 'vitest';
import { loadCore, ChatRun, NOW } from '../../bench/lib/wasm-driver.mjs';
import { restNdjson, chunk } from '../../bench/lib/inputs.mjs';

describe('wasm core stack', () => {
  it('serves 4,000 chats on one instance (complete, client gone, timed out) without trapping', async () => {
    const { core } = await loadCore();
    const chunks = chunk(restNdjson('a').bytes);
    for (let i = 0; i < 4000; i++) {
      const c = new ChatRun(core, { transport: 'rest' }).start();
      if (i % 3 === 0) {
        for (const ch of chunks) c.feed(ch);
        c.end();
        expect(c.status).toBe(200);
        continue;
      }
      c.feed(chunks[0]);
      const ev = i % 3 === 1 ? { type: 'client_gone', now: NOW } : { type: 'source_end', reason: 'timeout_idle', detail: '', now: NOW };
      c.settle(core.event(c.h, ev));
      expect(c.done).toBe(true);
      core.close(c.h);
    }
    expect(core.liveHandles()).toBe(0);
  });
});
