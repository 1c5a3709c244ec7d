// The benchmark's upstream: a loopback HTTP server answering Grok's REST chat endpoint
// (POST /rest/app-chat/conversations/new) with a benchmark input (bench/lib/inputs.mjs),
// written in the same 1–4 KB pieces the transcoding bench feeds (one res.write each, no delay,
// or `paceMs` apart). The prompt picks the input: "[[bench:a]]" or "[[bench:b]]" (default b).
// It replays recorded shapes rather than tests/fake-grok's generated scenarios because the
// fake delays every frame (frameDelayMs) and splits answers into at most 48 pieces, while the
// budgets are about a 2,000-token answer arriving as fast as the socket allows. Every other
// path answers 404 and is counted, so a run can prove the gateway made no other upstream call.
import http from 'node:http';
import { restNdjson, chunk } from './inputs.mjs';

export async function startUpstream({ paceMs = 0 } = {}) {
  const inputs = {};
  for (const s of ['a', 'b']) inputs[s] = chunk(restNdjson(s).bytes);
  const stats = { chats: 0, other: {}, sends: [] };
  const server = http.createServer((req, res) => {
    const body = [];
    req.on('data', (d) => body.push(d));
    req.on('end', async () => {
      if (req.method !== 'POST' || !req.url.startsWith('/rest/app-chat/conversations/new')) {
        stats.other[req.url] = (stats.other[req.url] || 0) + 1;
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
        return;
      }
      stats.chats++;
      const text = Buffer.concat(body).toString();
      const size = /\[\[bench:a\]\]/.test(text) ? 'a' : 'b';
      const pace = /\[\[bench:paced\]\]/.test(text) ? paceMs || 10 : 0;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.flushHeaders();
      let gone = false;
      res.on('close', () => (gone = true));
      for (const c of inputs[size]) {
        if (gone) return;
        if (pace) {
          await new Promise((r) => setTimeout(r, pace));
          stats.sends.push(performance.now());
        }
        if (!res.write(c)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise((r) => {
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
}
