// Benchmark Worker: the JavaScript baseline as a whole Worker. It makes the same upstream request
// as the gateway's REST transport and converts NDJSON to Chat Completions SSE with
// bench/lib/js-transcoder.mjs, in one of two styles:
//   /per-frame/<size>  one frame per token and one enqueue per frame (what TypeScript gateways
//                      usually do: the "typical gateway" row);
//   /batched/<size>    all frames of one upstream chunk joined into one enqueue (the core's rule).
import { JsRestTranscoder } from '../lib/js-transcoder.mjs';

const enc = new TextEncoder();

export default {
  async fetch(request, env) {
    const [, style, size = 'b'] = new URL(request.url).pathname.split('/');
    const up = await fetch(`${env.UPSTREAM}/rest/app-chat/conversations/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: `Explain the benchmark. [[bench:${size}]]`, modeId: 'auto' }),
    });
    const perFrame = style === 'per-frame';
    let controller = null;
    const t = new JsRestTranscoder({
      id: `chatcmpl-${crypto.randomUUID()}`,
      created: Math.floor(Date.now() / 1000),
      model: 'grok-4',
      perToken: perFrame,
      frameSink: perFrame ? (frame) => controller.enqueue(enc.encode(frame)) : null,
    });
    const reader = up.body.getReader();
    const body = new ReadableStream({
      start(c) {
        controller = c;
      },
      // Reads until something was enqueued: a pull that enqueues nothing is not called again.
      async pull(c) {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            const tail = t.end();
            if (tail.length) c.enqueue(tail);
            c.close();
            return;
          }
          const before = c.desiredSize;
          const block = t.feed(value);
          if (block.length) c.enqueue(block);
          if (c.desiredSize !== before) return;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  },
};
