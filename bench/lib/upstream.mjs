// The benchmark's upstream: a loopback HTTP + WebSocket server that replays benchmark inputs
// (bench/lib/inputs.mjs) in Grok's shapes:
//   - REST: POST /rest/app-chat/conversations/new answers the input's NDJSON in the same 1–4 KB
//     pieces the transcoding bench feeds (one res.write each, no delay, or `paceMs` apart);
//   - mgw: the chat WebSocket /ws/mgw/ does the handshake (session.create → session.created +
//     conversation.attached) and answers response.create with the input's frames, one message each;
//   - GET /raw/<size> answers the same NDJSON as REST, for a passthrough Worker.
// The prompt picks the input: "[[bench:a]]", "[[bench:b]]" (default), "[[bench:c]]" (1 MB answer)
// or "[[bench:line10]]" (one 10 MB token line; REST only).
// It replays recorded shapes rather than tests/fake-grok's generated scenarios because the
// fake delays every frame (frameDelayMs) and splits answers into at most 48 pieces, while the
// budgets are about answers arriving as fast as the socket allows. Every other path answers 404
// and is counted, so a run can prove the gateway made no other upstream call.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { restNdjson, mgwFrames, hugeLineNdjson, chunk, MGW_SESSION } from './inputs.mjs';

const SIZES = ['a', 'b', 'c', 'line10'];

export async function startUpstream({ paceMs = 0, sizes = ['a', 'b'] } = {}) {
  const rest = {};
  const mgw = {};
  const want = new Set(sizes);
  for (const s of SIZES) {
    if (!want.has(s)) continue;
    rest[s] = chunk(s === 'line10' ? hugeLineNdjson().bytes : restNdjson(s).bytes);
    if (s !== 'line10') mgw[s] = mgwFrames(s).frames;
  }
  const pick = (text, table) => {
    const m = /\[\[bench:(a|b|c|line10)\]\]/.exec(text);
    const size = m ? m[1] : 'b';
    if (!table[size]) throw new Error(`bench upstream: input ${size} not loaded (startUpstream sizes)`);
    return size;
  };
  const stats = { chats: 0, mgw: 0, raw: 0, other: {}, sends: [] };

  const writeAll = async (res, pieces, pace) => {
    let gone = false;
    res.on('close', () => (gone = true));
    for (const c of pieces) {
      if (gone) return;
      if (pace) {
        await new Promise((r) => setTimeout(r, pace));
        stats.sends.push(performance.now());
      }
      if (!res.write(c)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  };

  const server = http.createServer((req, res) => {
    const body = [];
    req.on('data', (d) => body.push(d));
    req.on('end', async () => {
      const raw = /^\/raw\/(a|b|c|line10)$/.exec(req.url);
      if (req.method === 'GET' && raw && rest[raw[1]]) {
        stats.raw++;
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.flushHeaders();
        await writeAll(res, rest[raw[1]], 0);
        return;
      }
      if (req.method !== 'POST' || !req.url.startsWith('/rest/app-chat/conversations/new')) {
        stats.other[req.url] = (stats.other[req.url] || 0) + 1;
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
        return;
      }
      stats.chats++;
      const text = Buffer.concat(body).toString();
      const size = pick(text, rest);
      const pace = /\[\[bench:paced\]\]/.test(text) ? paceMs || 10 : 0;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.flushHeaders();
      await writeAll(res, rest[size], pace);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!/^\/ws\/mgw\/?(\?|$)/.test(req.url)) {
      stats.other[req.url] = (stats.other[req.url] || 0) + 1;
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      stats.mgw++;
      let prompt = '';
      ws.on('message', (data) => {
        let msg;
        try {
          msg = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        const ev = msg && msg.event;
        if (!ev) return;
        if (ev.type === 'session.create') {
          ws.send(JSON.stringify({ session_id: MGW_SESSION, event: { type: 'session.created', client_event_id: ev.event_id, session: { id: MGW_SESSION, model: ev.session?.model } } }));
          ws.send(JSON.stringify({ session_id: MGW_SESSION, event: { type: 'conversation.attached', conversation: { id: MGW_SESSION } } }));
        } else if (ev.type === 'conversation.item.create') {
          prompt = (ev.item?.x_grok?.input_chunks || []).map((c) => c?.text?.text || '').join('\n');
        } else if (ev.type === 'response.create') {
          for (const f of mgw[pick(prompt, mgw)]) ws.send(f);
        }
      });
    });
  });

  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    bytes: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.reduce((n, c) => n + c.length, 0)])),
    close: () => new Promise((r) => {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
}
