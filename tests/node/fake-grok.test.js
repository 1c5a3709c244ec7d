// Tests of the fake Grok upstream (tests/fake-grok): every surface and scenario family
// exercised over real loopback HTTP and WebSocket connections.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startFakeGrok } from '../fake-grok/server.mjs';
import {
  DEFAULT_STATSIG_SEED_B64, DEFAULT_STATSIG_KEY, DEFAULT_STATSIG_INDICES, DEFAULT_CURVES_LABEL, DEFAULT_ASSET_SIZES,
} from '../fake-grok/defaults.mjs';
import { deriveAnimationKey, makeCurves } from '../fake-grok/animation-key.mjs';
import { verifyStatsig } from '../fake-grok/statsig.mjs';
import { uidFor } from '../fake-grok/util.mjs';
import { mediaBytes } from '../fake-grok/media-bytes.mjs';

const CLI = fileURLToPath(new URL('../fake-grok/cli.mjs', import.meta.url));

// x-statsig-id built straight from the published algorithm (reference §2.4).
function statsigId(method, path, { seedB64 = DEFAULT_STATSIG_SEED_B64, key = DEFAULT_STATSIG_KEY, t, r = 0x5a, trailer = 0x03, length = 70 } = {}) {
  const now = t ?? Math.floor(Date.now() / 1000 - 1682924400);
  const seed = Buffer.from(seedB64, 'base64');
  const digest = createHash('sha256').update(`${method}!${path}!${now}obfiowerehiring${key}`).digest().subarray(0, 16);
  const tb = Buffer.alloc(4);
  tb.writeUInt32LE(now >>> 0);
  let plain = Buffer.concat([Buffer.from([r]), seed, tb, digest, Buffer.from([trailer])]);
  plain = plain.subarray(0, length);
  for (let i = 1; i < plain.length; i++) plain[i] ^= r;
  return plain.toString('base64').replace(/=+$/, '');
}

const cookieFor = (tok, extra = '') => `sso=${tok}; sso-rw=${tok}${extra}`;

let fake;
const fetchJson = async (path, init) => {
  const r = await fetch(fake.url + path, init);
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, text, json };
};

function restHeaders(tok, method, path, extra = {}) {
  return {
    cookie: cookieFor(tok),
    'x-statsig-id': statsigId(method, path),
    'x-xai-request-id': randomUUID(),
    'content-type': 'application/json',
    origin: 'https://grok.com',
    ...extra,
  };
}

const post = (path, body, tok = 'tok-user-a', extra = {}) =>
  fetchJson(path, { method: 'POST', headers: restHeaders(tok, 'POST', path, extra), body: typeof body === 'string' ? body : JSON.stringify(body) });

// POST a conversation and read the NDJSON stream: parsed lines, raw text, chunk count.
async function chat(body, { tok = 'tok-user-a', path = '/rest/app-chat/conversations/new', headers = {} } = {}) {
  const r = await fetch(fake.url + path, { method: 'POST', headers: restHeaders(tok, 'POST', path, headers), body: JSON.stringify(body) });
  const parts = [];
  let error = null;
  try {
    for await (const c of r.body) parts.push(Buffer.from(c));
  } catch (err) {
    error = err;
  }
  const raw = Buffer.concat(parts);
  const text = raw.toString('utf8');
  const frames = text.split('\n').filter((l) => l.trim()).flatMap((l) => {
    try { return [JSON.parse(l.replace(/^data: /, ''))]; } catch { return []; }
  });
  return { status: r.status, headers: r.headers, raw, text, frames, chunks: parts.length, error };
}

// A frame's payload: `result.response`, or `result` itself on the follow-up endpoint.
const body = (f) => f.result?.response ?? f.result;
const tokens = (frames, thinking = false) =>
  frames.filter((f) => typeof body(f)?.token === 'string' && !!body(f).isThinking === thinking).map((f) => body(f).token).join('');
const find = (frames, key) => frames.map((f) => body(f)?.[key]).filter((x) => x !== undefined);
// The frame kinds in order, consecutive answer tokens as one "token*".
const KINDS = ['conversation', 'userResponse', 'uiLayout', 'llmInfo', 'token', 'finalMetadata', 'modelResponse', 'title'];
function kinds(frames) {
  const out = [];
  for (const f of frames) {
    const b = f.result?.title ? f.result : body(f);
    let k = KINDS.find((x) => b && x in b) ?? '?';
    if (k === 'token' && b.isSoftStop) k = 'softStop';
    if (k === 'uiLayout') k = `uiLayout ${b.uiLayout.reasoningUiLayout}`;
    if (k === 'token' && out.at(-1) === 'token*') continue;
    out.push(k === 'token' ? 'token*' : k);
  }
  return out;
}

const getAsset = (base, path, tok, headers = {}) =>
  fetch(`${base}/${path.replace(/^\/+/, '')}`, { headers: { ...(tok ? { cookie: cookieFor(tok) } : {}), ...headers } });

// WebSocket client that buffers frames; resolves {refused} when the handshake fails.
function connect(path, headers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(fake.url.replace('http', 'ws') + path, { headers });
    const frames = [];
    const errors = [];
    const waiters = new Set();
    const client = {
      ws,
      frames,
      errors,
      send: (obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)),
      waitFor(pred, timeoutMs = 5000) {
        const hit = frames.find(pred);
        if (hit) return Promise.resolve(hit);
        return new Promise((res, rej) => {
          const w = () => {
            const f = frames.find(pred);
            if (f) { clearTimeout(timer); waiters.delete(w); res(f); }
          };
          const timer = setTimeout(() => { waiters.delete(w); rej(new Error(`timeout; frames: ${JSON.stringify(frames).slice(0, 2000)}`)); }, timeoutMs);
          waiters.add(w);
        });
      },
      closed: new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() }))),
    };
    ws.on('message', (d) => {
      const s = d.toString('utf8');
      let j;
      try { j = JSON.parse(s); } catch { j = { raw: s }; }
      frames.push(j);
      for (const w of [...waiters]) w();
    });
    ws.on('unexpected-response', (req, res) => {
      const body = [];
      res.on('data', (c) => body.push(c));
      res.on('end', () => resolve({ refused: { status: res.statusCode, headers: res.headers, body: Buffer.concat(body).toString() } }));
    });
    ws.on('open', () => resolve(client));
    ws.on('error', (err) => {
      errors.push(err);
      if (ws.readyState === WebSocket.CONNECTING) reject(err);
    });
  });
}

const mgwHeaders = (tok, uid = uidFor(tok)) => ({ cookie: cookieFor(tok, `; x-userid=${uid}`), origin: 'https://grok.com' });

async function mgwSession(tok, { model = 'fast', xGrok = {}, sessionId } = {}) {
  const uid = uidFor(tok);
  const c = await connect(`/ws/mgw/?uid=${uid}`, mgwHeaders(tok));
  if (c.refused) return c;
  c.send({ ...(sessionId ? { session_id: sessionId } : {}), event: { type: 'session.create', event_id: 'evt_init_1', session: { model, x_grok: { protocol_capabilities: ['conversation_attached', 'custom_methods_v1'], use_chunk: true, ...xGrok } } } });
  const created = await c.waitFor((f) => f.event?.type === 'session.created' || f.event?.type === 'error');
  if (created.event.type === 'error') return { ...c, error: created.event };
  const attached = await c.waitFor((f) => f.event?.type === 'conversation.attached');
  c.sessionId = created.session_id;
  c.created = created;
  c.attached = attached;
  return c;
}

async function mgwTurn(c, text, { extraItem = {}, until = 'response.persisted' } = {}) {
  const start = c.frames.length;
  c.send({ session_id: c.sessionId, event: { type: 'conversation.item.create', event_id: 'evt_msg_1', item: { type: 'message', role: 'user', x_grok: { client_message_id: randomUUID(), input_chunks: [{ text: { text } }] }, ...extraItem } } });
  const added = await c.waitFor((f, i) => i >= start && f.event?.type === 'conversation.item.added');
  c.send({ session_id: c.sessionId, event: { type: 'response.create', event_id: `evt_resp_${Date.now()}` } });
  if (until) await c.waitFor((f, i) => i >= start && f.event?.type === until);
  const events = c.frames.slice(start).map((f) => f.event ?? f);
  return { added, events };
}

const answerText = (events) => events.filter((e) => e.type === 'response.chunk' && e.chunk?.text?.channel === 'CHANNEL_ASSISTANT_RESPONSE').map((e) => e.chunk.text.text).join('');

beforeAll(async () => {
  fake = await startFakeGrok({ port: 0 });
});
afterAll(async () => {
  await fake?.close();
});

describe('defaults', () => {
  it('default seed is 48 bytes and the default key derives from it', () => {
    const seed = Buffer.from(DEFAULT_STATSIG_SEED_B64, 'base64');
    expect(seed.length).toBe(48);
    expect(deriveAnimationKey(seed, makeCurves(DEFAULT_CURVES_LABEL), DEFAULT_STATSIG_INDICES)).toBe(DEFAULT_STATSIG_KEY);
  });
});

describe('x-statsig-id', () => {
  const path = '/rest/rate-limits';
  const body = JSON.stringify({ modelName: 'fast' });
  const send = (id, tok = 'tok-user-a') => fetchJson(path, { method: 'POST', headers: { ...restHeaders(tok, 'POST', path), ...(id === undefined ? {} : { 'x-statsig-id': id }) }, body });
  const noStatsig = async () => {
    const h = restHeaders('tok-user-a', 'POST', path);
    delete h['x-statsig-id'];
    return fetchJson(path, { method: 'POST', headers: h, body });
  };

  it('accepts an id built from the published algorithm, and the helper agrees', async () => {
    fake.clearRequests();
    const r = await send(statsigId('POST', path));
    expect(r.status).toBe(200);
    expect(fake.requests(path)[0].checks.statsig).toBe('ok');
    const id = statsigId('POST', path, { r: 0x11 });
    await send(id);
    await send(id);
    expect(fake.requests(path).slice(-2).map((e) => e.checks.statsigReused)).toEqual([false, true]);
    const minted = fake.mintStatsigId('POST', path);
    expect(minted).toHaveLength(94);
    expect(verifyStatsig(minted, { method: 'POST', path, seedB64: DEFAULT_STATSIG_SEED_B64, key: DEFAULT_STATSIG_KEY }).result).toBe('ok');
  });

  it('rejects missing and garbled ids as anti-bot', async () => {
    const antibot = { error: { code: 7, message: 'Request rejected by anti-bot rules.', details: [] } };
    const missing = await noStatsig();
    expect(missing.status).toBe(403);
    expect(missing.json).toEqual(antibot);
    const cases = [
      statsigId('POST', path) + '==', // padded
      statsigId('POST', path, { length: 69 }), // wrong length
      statsigId('POST', path, { trailer: 0x04 }), // wrong trailer
      statsigId('POST', path, { t: Math.floor(Date.now() / 1000 - 1682924400) - 1000 }), // stale
      'e:TypeError: not base64!',
      Buffer.from('x1:TypeError: Cannot read properties of undefined').toString('base64'),
    ];
    fake.clearRequests();
    for (const id of cases) {
      const r = await send(id);
      expect(r.status).toBe(403);
      expect(r.json).toEqual(antibot);
    }
    expect(fake.requests(path).map((e) => e.checks.statsig)).toEqual(cases.map(() => 'bad'));
  });

  it('answers "out of date" for a wrong key, seed, path or method', async () => {
    const otherSeed = Buffer.alloc(48, 7).toString('base64');
    for (const id of [
      statsigId('POST', path, { key: 'deadbeef' }),
      statsigId('POST', path, { seedB64: otherSeed }),
      statsigId('POST', '/rest/other'),
      statsigId('GET', path),
    ]) {
      const r = await send(id);
      expect(r.status).toBe(403);
      expect(r.json.error).toMatchObject({ code: 7, message: 'This page is out of date. Reload to continue.' });
    }
  });

  it('accepts a configured manual value and a reconfigured pair', async () => {
    await fetchJson('/__fake/config', { method: 'POST', body: JSON.stringify({ manualStatsig: 'manual-value-1' }) });
    expect((await send('manual-value-1')).status).toBe(200);
    expect((await send('manual-value-2')).status).toBe(403);
    const seedB64 = Buffer.alloc(48, 9).toString('base64');
    fake.config({ statsigSeedB64: seedB64, statsigKey: 'k2' });
    expect((await send(statsigId('POST', path, { seedB64, key: 'k2' }))).status).toBe(200);
    expect((await send(statsigId('POST', path))).status).toBe(403);
    fake.config({ statsigSeedB64: DEFAULT_STATSIG_SEED_B64, statsigKey: DEFAULT_STATSIG_KEY, manualStatsig: null });
    expect((await send(statsigId('POST', path))).status).toBe(200);
  });
});

describe('cookie, request id and user agent checks', () => {
  const path = '/rest/rate-limits';
  it('requires sso and sso-rw with the same value and records other cookies', async () => {
    fake.clearRequests();
    const base = restHeaders('tok-user-a', 'POST', path);
    const body = JSON.stringify({ modelName: 'fast' });
    const missing = await fetchJson(path, { method: 'POST', headers: { ...base, cookie: '' }, body });
    expect(missing.status).toBe(401);
    const mismatch = await fetchJson(path, { method: 'POST', headers: { ...base, cookie: 'sso=a; sso-rw=b' }, body });
    expect(mismatch.status).toBe(401);
    const ok = await fetchJson(path, { method: 'POST', headers: { ...base, cookie: 'sso=a; sso-rw=a; cf_clearance=cf1; __cf_bm=bm1' }, body });
    expect(ok.status).toBe(200);
    const rec = fake.requests(path);
    expect(rec.map((e) => e.checks.cookie)).toEqual(['missing', 'mismatch', 'ok']);
    expect(rec[2].cookies).toMatchObject({ cf_clearance: 'cf1', __cf_bm: 'bm1' });
    expect(rec[2].token).toBe('a');
  });

  it('requires a UUID x-xai-request-id on REST', async () => {
    const r = await fetchJson(path, { method: 'POST', headers: { ...restHeaders('tok-user-a', 'POST', path), 'x-xai-request-id': 'nope' }, body: '{"modelName":"fast"}' });
    expect(r.status).toBe(400);
    expect(fake.requests(path).at(-1).checks.requestId).toBe('bad');
  });

  it('enforces the configured user agent with a Cloudflare challenge', async () => {
    const ua = 'Mozilla/5.0 FakeTest/1.0';
    const strict = await startFakeGrok({ userAgent: ua });
    try {
      const h = restHeaders('tok-user-a', 'POST', path);
      const bad = await fetch(strict.url + path, { method: 'POST', headers: { ...h, 'user-agent': 'curl/8' }, body: '{"modelName":"fast"}' });
      expect(bad.status).toBe(403);
      expect(bad.headers.get('cf-mitigated')).toBe('challenge');
      expect(await bad.text()).toContain('Just a moment');
      const good = await fetch(strict.url + path, { method: 'POST', headers: { ...h, 'user-agent': ua }, body: '{"modelName":"fast"}' });
      expect(good.status).toBe(200);
      expect(strict.requests().map((e) => e.checks.userAgent)).toEqual(['mismatch', 'ok']);
    } finally {
      await strict.close();
    }
  });
});

describe('REST conversations', () => {
  it('streams a normal answer frame by frame (newest modeId shape)', async () => {
    fake.clearRequests();
    const r = await chat({ modeId: 'fast', message: 'ping pong', temporary: true });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.chunks).toBeGreaterThan(3);
    const f = r.frames;
    expect(f[0].result.conversation.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(f[1].result.response.userResponse).toMatchObject({ message: 'ping pong', sender: 'human' });
    expect(tokens(f)).toBe('You said: ping pong');
    const mr = find(f, 'modelResponse')[0];
    expect(mr.message).toBe('You said: ping pong');
    expect(mr.parentResponseId).toBe(f[1].result.response.userResponse.responseId);
    expect(find(f, 'isSoftStop')).toContain(true);
    expect(f.at(-1).result.title.newTitle).toBe('ping pong');
    // The order of a real capture (2026-03), the token fields in its order, the soft stop as an
    // empty token, follow-up suggestions, and a modelResponse naming another model.
    expect(kinds(f)).toEqual(['conversation', 'userResponse', 'uiLayout SPLIT', 'llmInfo', 'uiLayout FUNCTION_CALL', 'token*', 'softStop', 'finalMetadata', 'modelResponse', 'title']);
    expect(Object.keys(find(f, 'token').length && f.find((x) => x.result?.response?.token)?.result.response)).toEqual(['token', 'isThinking', 'isSoftStop', 'messageTag', 'responseId']);
    expect(f.find((x) => x.result?.response?.token)?.result.response.messageTag).toBe('final');
    expect(f[1].result.response.userResponse).toMatchObject({ webpageUrls: [], citedWebSearchResults: [], toolResponses: [], streamErrors: [] });
    expect(find(f, 'finalMetadata')[0].followUpSuggestions.length).toBeGreaterThan(0);
    expect(mr.model).not.toBe(f[1].result.response.userResponse.model);
    const rec = fake.requests('/rest/app-chat/conversations/new')[0];
    expect(rec).toMatchObject({ scenario: 'normal', scenarioSource: 'default', status: 200, endedBy: 'server', closedByClient: false, aborted: false });
    expect(rec.body).toMatchObject({ modeId: 'fast', message: 'ping pong' });
    expect(rec.checks).toMatchObject({ statsig: 'ok', cookie: 'ok', requestId: 'ok' });
  });

  it('accepts the legacy modelName + modelMode shape and continues a conversation', async () => {
    const first = await chat({ modelName: 'grok-3', modelMode: 'MODEL_MODE_FAST', message: 'first turn', isReasoning: false });
    expect(first.status).toBe(200);
    const convId = first.frames[0].result.conversation.conversationId;
    const assistantId = find(first.frames, 'modelResponse')[0].responseId;
    const path = `/rest/app-chat/conversations/${convId}/responses`;
    const second = await chat({ modeId: 'auto', message: 'second turn', parentResponseId: assistantId }, { path });
    expect(second.status).toBe(200);
    expect(second.frames[0].result.conversation).toBeUndefined();
    // The follow-up endpoint's frames have no `response` wrapper.
    expect(second.frames.every((x) => x.result.response === undefined)).toBe(true);
    expect(second.frames[0].result.userResponse.parentResponseId).toBe(assistantId);
    expect(kinds(second.frames)).toEqual(['userResponse', 'uiLayout SPLIT', 'llmInfo', 'uiLayout FUNCTION_CALL', 'token*', 'softStop', 'finalMetadata', 'modelResponse']);
    expect(tokens(second.frames)).toBe('You said: second turn');
    const stored = await fetchJson(path, { headers: restHeaders('tok-user-a', 'GET', path) });
    expect(stored.json.responses.map((x) => x.sender)).toEqual(['human', 'assistant', 'human', 'assistant']);
    const other = await chat({ modeId: 'auto', message: 'x' }, { path: '/rest/app-chat/conversations/nope/responses' });
    expect(other.status).toBe(404);
    const foreign = await chat({ modeId: 'auto', message: 'x' }, { path, tok: 'tok-user-b' });
    expect(foreign.status).toBe(404);
  });

  it('rejects malformed payloads with 400', async () => {
    const path = '/rest/app-chat/conversations/new';
    expect((await post(path, '{not json')).status).toBe(400);
    expect((await post(path, { message: 'no selector' })).status).toBe(400);
    expect((await post(path, { modeId: 'turbo', message: 'x' })).status).toBe(400);
    expect((await post(path, { modeId: 'fast', message: 'x', fileAttachments: ['unknown-file'] })).status).toBe(400);
    expect((await post(path, { modelName: 'imagine-video-gen', message: 'no media input' })).status).toBe(400);
  });

  it('thinking: header and reasoning tokens before the answer', async () => {
    const r = await chat({ modeId: 'expert', message: 'why [[scenario:thinking]]' });
    const f = r.frames.map((x) => x.result?.response).filter((x) => typeof x?.token === 'string');
    expect(f[0]).toMatchObject({ token: 'Thinking about your request', isThinking: true, messageTag: 'header' });
    expect(tokens(r.frames, true)).toContain('The user wrote "why"');
    expect(f.findLastIndex((x) => x.isThinking)).toBeLessThan(f.findIndex((x) => !x.isThinking));
    expect(tokens(r.frames)).toBe('You said: why');
  });

  it('heavy: agents in reasoning, answer mentions heavy', async () => {
    const r = await chat({ modeId: 'heavy', message: 'big question' }, { tok: 'tok-heavy-1' });
    const rollouts = new Set(r.frames.map((x) => x.result?.response?.rolloutId).filter(Boolean));
    expect(rollouts.size).toBe(4);
    expect(tokens(r.frames)).toMatch(/^Heavy mode/);
  });

  it('search: tool card, web results, citation card and render placeholder', async () => {
    const r = await chat({ modeId: 'auto', message: 'rust book [[scenario:search]]' });
    const res = r.frames.map((x) => x.result?.response).filter(Boolean);
    expect(res.find((x) => x.messageTag === 'tool_usage_card').toolUsageCard.webSearch.args.query).toBe('rust book');
    const results = find(r.frames, 'webSearchResults')[0].results;
    expect(results[0].url).toBe('https://docs.example.test/rust-book');
    const card = JSON.parse(find(r.frames, 'cardAttachment')[0].jsonData);
    expect(card).toMatchObject({ type: 'render_inline_citation', url: results[0].url });
    expect(tokens(r.frames)).toContain(`<grok:render card_id="${card.id}"`);
    expect(find(r.frames, 'modelResponse')[0].message).toContain(`[[1]](${results[0].url})`);
  });

  it('image: progress 50 → 100 and generated URLs served by the assets host', async () => {
    const tok = 'tok-user-a';
    const r = await chat({ modeId: 'fast', message: 'a red fox [[scenario:image]]', imageGenerationCount: 2 }, { tok });
    const res = r.frames.map((x) => x.result?.response).filter(Boolean);
    expect(res.some((x) => x.imageAttachmentInfo)).toBe(true);
    const sigr = find(r.frames, 'streamingImageGenerationResponse');
    expect(sigr.map((x) => x.progress)).toEqual([50, 50, 100, 100]);
    const chunks = find(r.frames, 'cardAttachment').map((c) => JSON.parse(c.jsonData).image_chunk);
    expect(chunks.map((c) => c.progress)).toEqual([50, 50, 100, 100]);
    expect(chunks[0].imageUrl).toMatch(/-part-0\/image\.jpg$/);
    const urls = find(r.frames, 'modelResponse')[0].generatedImageUrls;
    expect(urls).toHaveLength(2);
    expect(urls[0]).toMatch(new RegExp(`^users/${uidFor(tok)}/generated/[0-9a-f-]+/image\\.jpg$`));
    const got = await getAsset(fake.assetsUrl, urls[0], tok);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(bytes.equals(mediaBytes(urls[0], DEFAULT_ASSET_SIZES.image))).toBe(true);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(fake.assetBytes(urls[0]).equals(bytes)).toBe(true);
  });

  it('image_moderated: moderated finals and no generated URLs', async () => {
    const r = await chat({ modeId: 'fast', message: 'x [[scenario:image_moderated]]' });
    const finals = find(r.frames, 'cardAttachment').map((c) => JSON.parse(c.jsonData).image_chunk).filter((c) => c.progress === 100);
    expect(finals.every((c) => c.moderated)).toBe(true);
    expect(find(r.frames, 'modelResponse')[0].generatedImageUrls).toEqual([]);
    expect((await getAsset(fake.assetsUrl, finals[0].imageUrl, 'tok-user-a')).status).toBe(404);
  });

  it('video: progress to 100 with videoUrl + thumbnail, a 300 KB MP4 with Range support', async () => {
    const tok = 'tok-user-a';
    const r = await chat({ modelName: 'imagine-video-gen', message: 'a cat surfing --mode=normal', mediaGenInput: { textToVideo: { prompt: 'a cat surfing', aspectRatio: '16:9', duration: 6, resolutionName: '720p' } } }, { tok });
    const v = find(r.frames, 'streamingVideoGenerationResponse');
    expect(v.map((x) => x.progress)).toEqual([1, 25, 50, 75, 100]);
    const last = v.at(-1);
    expect(last.videoUrl).toMatch(/generated_video\.mp4$/);
    expect(last.thumbnailImageUrl).toMatch(/preview_image\.jpg$/);
    expect(last.resolutionName).toBe('720p');
    expect(find(r.frames, 'modelResponse')[0].fileAttachments).toEqual([last.videoUrl]);
    const full = await getAsset(fake.assetsUrl, last.videoUrl, tok);
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes.length).toBe(300 * 1024);
    expect(bytes.subarray(4, 8).toString()).toBe('ftyp');
    expect(full.headers.get('content-type')).toBe('video/mp4');
    const part = await getAsset(fake.assetsUrl, last.videoUrl, tok, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const post = await fetchJson('/rest/media/post/get', { method: 'POST', headers: restHeaders(tok, 'POST', '/rest/media/post/get'), body: JSON.stringify({ id: last.videoPostId }) });
    expect(post.json.post.mediaUrl).toBe(last.videoUrl);
  });

  it('video_poll: no URL in the stream, post/get has it (legacy videoGenModelConfig)', async () => {
    const tok = 'tok-user-a';
    const created = await post('/rest/media/post/create', { mediaType: 'MEDIA_POST_TYPE_VIDEO', prompt: 'waves' }, tok);
    const postId = created.json.post.id;
    const r = await chat({ modelName: 'grok-3', message: 'waves --mode=custom [[scenario:video_poll]]', toolOverrides: { videoGen: true }, responseMetadata: { modelConfigOverride: { modelMap: { videoGenModelConfig: { parentPostId: postId, aspectRatio: '3:2', videoLength: 6, videoResolution: 'SD' } } } } }, { tok });
    const v = find(r.frames, 'streamingVideoGenerationResponse').at(-1);
    expect(v).toMatchObject({ progress: 100, videoPostId: postId });
    expect(v.videoUrl).toBeUndefined();
    const got = await post('/rest/media/post/get', { id: postId }, tok);
    expect(got.json.post.mediaUrl).toMatch(/generated_video\.mp4$/);
    expect((await getAsset(fake.assetsUrl, got.json.post.mediaUrl, tok)).status).toBe(200);
  });

  it('image_edit via mediaGenInput with an uploaded image', async () => {
    const tok = 'tok-user-a';
    const up = await post('/rest/app-chat/upload-file', { fileName: 'in.png', fileMimeType: 'image/png', content: Buffer.from('png-bytes').toString('base64') }, tok, { 'content-type': 'text/plain;charset=UTF-8' });
    const r = await chat({ modelName: 'imagine-image-edit', message: 'make it blue', mediaGenInput: { imageToImage: { prompt: 'make it blue', inputAssets: [up.json.fileMetadataId] } } }, { tok });
    const s = find(r.frames, 'streamingImageGenerationResponse');
    expect(s.map((x) => x.progress)).toEqual([50, 100]);
    expect(find(r.frames, 'modelResponse')[0].generatedImageUrls).toEqual([s[1].imageUrl]);
  });

  it('empty, resource_exhausted and usage_limit', async () => {
    const empty = await chat({ modeId: 'fast', message: 'x [[scenario:empty]]' });
    expect(tokens(empty.frames)).toBe('');
    expect(find(empty.frames, 'modelResponse')[0].message).toBe('');
    const rx = await chat({ modeId: 'fast', message: 'x [[scenario:resource_exhausted]]' });
    expect(find(rx.frames, 'error')[0].message).toContain('ResourceExhausted');
    expect(find(rx.frames, 'modelResponse')[0].message).toBe('');
    const ul = await chat({ modeId: 'fast', message: 'x [[scenario:usage_limit]]' });
    expect(find(ul.frames, 'error')[0].message).toContain('usage limit');
  });
});

describe('REST transports', () => {
  it('eof: the connection is cut mid-stream', async () => {
    fake.clearRequests();
    const r = await chat({ modeId: 'fast', message: 'x [[scenario:eof]]' });
    expect(r.error).toBeTruthy();
    expect(find(r.frames, 'modelResponse')).toHaveLength(0);
    expect(r.frames.length).toBeGreaterThan(2);
    const rec = fake.requests('/rest/app-chat')[0];
    expect(rec).toMatchObject({ endedBy: 'server_abort', aborted: true, closedByClient: false });
  });

  it('stall: frames then silence until the client gives up; recorded as closed by client', async () => {
    fake.clearRequests();
    const path = '/rest/app-chat/conversations/new';
    const ac = new AbortController();
    const r = await fetch(fake.url + path, { method: 'POST', headers: restHeaders('tok-user-a', 'POST', path), body: JSON.stringify({ modeId: 'fast', message: 'x [[scenario:stall]]' }), signal: ac.signal });
    const reader = r.body.getReader();
    let text = '';
    while (text.split('\n').length < 5) text += Buffer.from((await reader.read()).value).toString();
    expect(fake.stats().open.http).toBe(1);
    ac.abort();
    await expect(reader.read()).rejects.toThrow();
    await new Promise((res) => setTimeout(res, 50));
    expect(fake.stats().open.http).toBe(0);
    expect(fake.requests(path)[0]).toMatchObject({ closedByClient: true, aborted: true, endedBy: 'client' });
  });

  it('stall_first: headers then nothing', async () => {
    const path = '/rest/app-chat/conversations/new';
    const ac = new AbortController();
    const r = await fetch(fake.url + path, { method: 'POST', headers: restHeaders('tok-stall_first-1', 'POST', path), body: JSON.stringify({ modeId: 'fast', message: 'x' }), signal: ac.signal });
    expect(r.status).toBe(200);
    const read = r.body.getReader().read();
    const winner = await Promise.race([read.then(() => 'data'), new Promise((res) => setTimeout(() => res('silence'), 150))]);
    expect(winner).toBe('silence');
    ac.abort();
    await read.catch(() => {});
  });

  it('long_line: one ~10 MB line among normal frames', async () => {
    const r = await chat({ modeId: 'fast', message: 'x [[scenario:long_line]]' });
    const lines = r.text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(10 * 1024 * 1024);
    expect(lines.filter((l) => l.length > 1024 * 1024)).toHaveLength(1);
    expect(find(r.frames, 'modelResponse')).toHaveLength(1);
  });

  it('invalid_utf8: a line with invalid bytes, then the stream goes on', async () => {
    const r = await chat({ modeId: 'fast', message: 'x [[scenario:invalid_utf8]]' });
    expect(r.raw.includes(Buffer.from([0xff, 0xfe]))).toBe(true);
    expect(find(r.frames, 'modelResponse')[0].message).toBe('You said: x');
  });

  it('malformed: garbage lines between valid frames', async () => {
    const r = await chat({ modeId: 'fast', message: 'x [[scenario:malformed]]' });
    expect(r.text).toContain('this is not json\n');
    expect(tokens(r.frames)).toBe('You said: x');
  });

  it('data_prefix: every line data:-prefixed and a final [DONE]', async () => {
    const r = await chat({ modeId: 'fast', message: 'hello [[scenario:data_prefix]]' });
    const lines = r.text.split('\n').filter(Boolean);
    expect(lines.every((l) => l.startsWith('data: '))).toBe(true);
    expect(lines.at(-1)).toBe('data: [DONE]');
    expect(tokens(r.frames)).toBe('You said: hello');
  });

  it('slow: many small frames arriving separately', async () => {
    const r = await chat({ modeId: 'fast', message: 'one two three four five six seven eight nine ten [[scenario:slow]]' });
    expect(r.chunks).toBeGreaterThanOrEqual(12);
    expect(tokens(r.frames)).toBe('You said: one two three four five six seven eight nine ten');
  });
});

describe('HTTP-level scenarios and scenario precedence', () => {
  const path = '/rest/app-chat/conversations/new';
  it.each([
    ['401', 401, 'invalid-credentials'],
    ['blocked', 403, 'blocked-user'],
    ['429', 429, 'Too many requests'],
    ['antibot', 403, 'anti-bot'],
    ['outdated', 403, 'out of date'],
    ['cf_challenge', 403, 'Just a moment'],
    ['5xx', 502, 'Bad Gateway'],
  ])('token prefix tok-%s-… → %i', async (name, status, text) => {
    const r = await post(path, { modeId: 'fast', message: 'x' }, `tok-${name}-a`);
    expect(r.status).toBe(status);
    expect(r.text).toContain(text);
    if (name === 'cf_challenge') expect(r.headers.get('cf-mitigated')).toBe('challenge');
  });

  it('override beats marker beats token prefix; times and path limit an override', async () => {
    const tok = 'tok-thinking-p';
    expect(tokens((await chat({ modeId: 'fast', message: 'x' }, { tok })).frames, true)).not.toBe('');
    expect(find((await chat({ modeId: 'fast', message: 'x [[scenario:empty]]' }, { tok })).frames, 'modelResponse')[0].message).toBe('');
    const set = await fetchJson('/__fake/scenario', { method: 'POST', body: JSON.stringify({ token: tok, name: '429', options: { times: 1, path: '/rest/app-chat/' } }) });
    expect(set.status).toBe(200);
    expect((await post('/rest/rate-limits', { modelName: 'fast' }, tok)).status).toBe(200); // path filter
    expect((await post(path, { modeId: 'fast', message: 'x [[scenario:empty]]' }, tok)).status).toBe(429);
    expect((await chat({ modeId: 'fast', message: 'x' }, { tok })).status).toBe(200); // used up
    fake.setScenario({ global: true, name: '5xx' });
    expect((await post(path, { modeId: 'fast', message: 'x' }, 'tok-user-z')).status).toBe(502);
    await fetchJson('/__fake/scenario', { method: 'DELETE' });
    expect((await post('/__fake/scenario', { name: 'nonsense', global: true })).status).toBe(400);
    expect((await chat({ modeId: 'fast', message: 'x' }, { tok: 'tok-user-z' })).status).toBe(200);
  });

  it('a switch that could do nothing is an error: unknown name, option or unreachable path; an unknown marker fails the request', async () => {
    const refused = async (body) => {
      const r = await post('/__fake/scenario', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      return r.json.error;
    };
    expect(await refused({ token: 'tok-user-s', name: 'eoff' })).toContain('unknown scenario "eoff"');
    expect(await refused({ token: 'tok-user-s', name: 'eof', options: { afterFrame: 2 } })).toContain('unknown option(s) afterFrame');
    expect(await refused({ token: 'tok-user-s', name: 'eof', options: { times: 0 } })).toContain('"times"');
    // antibot never reaches the mgw socket; a path that matches no route fires nowhere.
    expect(await refused({ token: 'tok-user-s', name: 'antibot', options: { path: '/ws/mgw' } })).toContain('can never fire');
    expect(await refused({ token: 'tok-user-s', name: '429', options: { path: '/rest/appchat' } })).toContain('can never fire');
    expect(await refused({ token: 'tok-user-s', name: '429', options: { path: 'rest/app-chat' } })).toContain('must start with /');
    expect(await refused({ name: '429' })).toContain('"token" or "global"');
    expect(() => fake.setScenario({ token: 'tok-user-s', name: 'stal' })).toThrow(/unknown scenario/);
    expect((await fetchJson('/__fake/scenario')).json).toEqual({ global: null, tokens: {} }); // nothing was set
    // A well-formed switch answers with what it set.
    const ok = await post('/__fake/scenario', { token: 'tok-user-s', name: '429', options: { times: 1, path: '/rest/app-chat/' } });
    expect(ok.json).toMatchObject({ ok: true, overrides: { tokens: { 'tok-user-s': { name: '429', times: 1, path: '/rest/app-chat/' } } } });
    await fetchJson('/__fake/scenario', { method: 'DELETE' });
    // A marker naming no scenario: REST answers 400 and records why.
    const r = await post(path, { modeId: 'fast', message: 'x [[scenario:stal]]' }, 'tok-user-s');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error.message).toBe('fake-grok: unknown scenario marker "stal"');
    const rec = fake.requests(path).at(-1);
    expect(rec).toMatchObject({ scenario: 'unknown_marker', scenarioSource: 'marker', status: 400 });
  });

  it('moderated, model_unavailable (in-band) and 400 (HTTP) over REST', async () => {
    const mod = await chat({ modeId: 'fast', message: 'x [[scenario:moderated]]' });
    expect(mod.frames.at(-1)).toEqual({ error: { code: 3, message: 'Content moderated [WKE=grok:content-moderated]', details: [] } });
    const mu = await chat({ modeId: 'heavy', message: 'x [[scenario:model_unavailable]]' });
    expect(find(mu.frames, 'error')).toEqual([{ message: 'Model not available for this account', modelNotAvailable: { modelId: 'grok-4-heavy' }, severity: 'STREAM_ERROR_SEVERITY_NORMAL' }]);
    const bad = await post(path, { modeId: 'fast', message: 'x' }, 'tok-400-a');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: { code: 3, message: 'Invalid request', details: [] } });
  });

  it('records what it received and what it answered (entry.chat)', async () => {
    const r = await chat({ modeId: 'expert', message: 'system: be brief\n\nuser: hi there' }, { tok: 'tok-user-rec' });
    expect(r.status).toBe(200);
    const rec = fake.requests(path).at(-1);
    expect(rec.chat).toEqual({
      transport: 'rest', scenario: 'normal', source: 'default', mode: 'expert', prompt: 'system: be brief\n\nuser: hi there', files: [],
      answer: 'You said: system: be brief\n\nuser: hi there', images: [], videos: [],
    });
    expect(tokens(r.frames)).toBe(rec.chat.answer);
  });
});

describe('account endpoints', () => {
  it('rate-limits: both body shapes, tiers and configured numbers', async () => {
    const legacy = await post('/rest/rate-limits', { requestKind: 'DEFAULT', modelName: 'grok-3' }, 'tok-user-q');
    expect(legacy.json).toMatchObject({ windowSizeSeconds: expect.any(Number), remainingQueries: expect.any(Number), totalQueries: 140, totalTokens: 280 });
    expect(legacy.json.lowEffortRateLimits).toMatchObject({ cost: 1 });
    const fast = await post('/rest/rate-limits', { modelName: 'fast' }, 'tok-user-q');
    expect(fast.json.totalQueries).toBe(140);
    expect(fast.json.remainingTokens).toBeUndefined();
    expect((await post('/rest/rate-limits', { modelName: 'heavy' }, 'tok-heavy-q')).json.totalQueries).toBe(20);
    expect((await post('/rest/rate-limits', { modelName: 'heavy' }, 'tok-user-q')).json.totalQueries).toBe(0);
    fake.config({ quotas: { 'tok-user-q': { auto: { remainingQueries: 3, totalQueries: 7, windowSizeSeconds: 60 } } } });
    const auto = await post('/rest/rate-limits', { modelName: 'auto' }, 'tok-user-q');
    expect(auto.json).toMatchObject({ remainingQueries: 3, totalQueries: 7, windowSizeSeconds: 60 });
    await chat({ modeId: 'auto', message: 'spend one' }, { tok: 'tok-user-q' });
    expect((await post('/rest/rate-limits', { modelName: 'auto' }, 'tok-user-q')).json.remainingQueries).toBe(2);
    expect((await post('/rest/rate-limits', {}, 'tok-user-q')).status).toBe(400);
    expect((await post('/rest/rate-limits', { modelName: 'fast' }, 'tok-401-q')).status).toBe(401);
  });

  it('imagine quota_info shape', async () => {
    const r = await post('/rest/media/imagine/quota_info', {}, 'tok-user-a');
    expect(Object.keys(r.json).sort()).toEqual(['image', 'imageEdit', 'imagePro', 'video', 'video720p']);
    expect(r.json.image).toMatchObject({ available: true, remainingQueries: expect.any(Number), windowSizeSeconds: expect.any(Number), nextAvailableAt: null });
    expect((await post('/rest/media/imagine/quota_info', {}, 'tok-basic-a')).json.video720p).toBeNull();
  });

  it('auth session: deterministic user id; dead tokens', async () => {
    const get = (cookie) => fetchJson('/api/auth/session', { headers: { cookie } });
    const ok = await get(cookieFor('tok-user-a'));
    expect(ok.json).toEqual({ session: { userId: uidFor('tok-user-a') }, status: 'authenticated' });
    expect((await get(cookieFor('tok-user-a'))).json.session.userId).toBe(ok.json.session.userId);
    expect((await get(cookieFor('tok-401-a'))).json.status).toBe('unauthenticated');
    expect((await get(cookieFor('tok-blocked-a'))).json.status).toBe('blocked');
    expect((await get('')).json.status).toBe('unauthenticated');
  });

  it('media post create/get', async () => {
    const tok = 'tok-user-a';
    const c = await post('/rest/media/post/create', { mediaType: 'MEDIA_POST_TYPE_IMAGE', mediaUrl: 'https://assets.grok.com/users/x/y/content' }, tok);
    expect(c.json.post.id).toMatch(/^[0-9a-f-]{36}$/);
    const g = await post('/rest/media/post/get', { id: c.json.post.id }, tok);
    expect(g.json.post.mediaUrl).toBe('https://assets.grok.com/users/x/y/content');
    expect((await post('/rest/media/post/get', { id: c.json.post.id }, 'tok-user-b')).status).toBe(404);
    expect((await post('/rest/media/post/create', { mediaType: 'MEDIA_POST_TYPE_IMAGE' }, tok)).status).toBe(400);
  });

  it('ToS then NSFW over gRPC-web', async () => {
    const tok = 'tok-user-grpc';
    const call = (p) => fetch(fake.url + p, { method: 'POST', headers: { cookie: cookieFor(tok), 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' }, body: Buffer.alloc(5) });
    const before = Buffer.from(await (await call('/auth_mgmt.AuthManagement/UpdateUserFeatureControls')).arrayBuffer()).toString();
    expect(before).toContain('grpc-status:7');
    await call('/auth_mgmt.AuthManagement/SetTosAcceptedVersion');
    const after = Buffer.from(await (await call('/auth_mgmt.AuthManagement/UpdateUserFeatureControls')).arrayBuffer()).toString();
    expect(after).toContain('grpc-status:0');
  });
});

describe('uploads and the assets host', () => {
  const tok = 'tok-user-up';
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff));

  it('legacy upload-file round trip with Range, 416, ETag and cookie checks', async () => {
    const up = await post('/rest/app-chat/upload-file', { fileName: 'a.bin', fileMimeType: 'application/octet-stream', content: bytes.toString('base64') }, tok, { 'content-type': 'text/plain;charset=UTF-8' });
    expect(up.status).toBe(200);
    expect(up.json.fileUri).toBe(`users/${uidFor(tok)}/${up.json.fileMetadataId}/content`);
    const full = await getAsset(fake.assetsUrl, up.json.fileUri, tok);
    expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).toBe(true);
    const etag = full.headers.get('etag');
    expect((await getAsset(fake.assetsUrl, up.json.fileUri, tok, { 'if-none-match': etag })).status).toBe(304);
    const tail = await getAsset(fake.assetsUrl, up.json.fileUri, tok, { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(-10))).toBe(true);
    const bad = await getAsset(fake.assetsUrl, up.json.fileUri, tok, { range: 'bytes=9000-' });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */5000');
    expect((await getAsset(fake.assetsUrl, up.json.fileUri, null)).status).toBe(401);
    expect((await getAsset(fake.assetsUrl, up.json.fileUri, 'tok-user-other')).status).toBe(403);
    expect((await getAsset(fake.assetsUrl, `users/${uidFor(tok)}/nope/content`, tok)).status).toBe(404);
    expect(fake.stats().assetHits[`/${up.json.fileUri}`]).toBe(6);
  });

  it('legacy upload rejects garbage', async () => {
    const bad = (content) => post('/rest/app-chat/upload-file', { fileName: 'a.png', fileMimeType: 'image/png', content }, tok);
    expect((await bad('not base64!!')).status).toBe(400);
    expect((await bad('data:image/png;base64,AAAA')).status).toBe(400);
    expect((await bad('')).status).toBe(400);
    expect((await post('/rest/app-chat/upload-file', 'nope', tok)).status).toBe(400);
  });

  it('upload-file-v2 multipart round trip and garbage', async () => {
    const path = '/http/upload-file-v2/direct';
    const h = restHeaders(tok, 'POST', path);
    delete h['content-type'];
    delete h['x-xai-request-id'];
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'pic.png');
    form.append('file_source', 'IMAGINE_SELF_UPLOAD_FILE_SOURCE');
    const r = await fetchJson(path, { method: 'POST', headers: h, body: form });
    expect(r.status).toBe(200);
    const md = r.json.fileMetadata;
    expect(md.fileUri).toBe(`users/${uidFor(tok)}/${md.fileId}/content`);
    expect(md.fileMetadataId).not.toBe(md.fileId);
    const got = await getAsset(fake.assetsUrl, md.fileUri, tok);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(fake.requests(path).at(-1).body.multipart.map((p) => p.name)).toEqual(['file', 'file_source']);
    const garbage = await fetchJson(path, { method: 'POST', headers: { ...h, 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nbroken' });
    expect(garbage.status).toBe(400);
    const noFile = new FormData();
    noFile.append('other', 'x');
    expect((await fetchJson(path, { method: 'POST', headers: h, body: noFile })).status).toBe(400);
    // the uploaded file can be attached to a chat (REST by metadata id) …
    const c = await chat({ modeId: 'fast', message: 'describe', fileAttachments: [md.fileMetadataId] }, { tok });
    expect(c.status).toBe(200);
  });
});

describe('pages for statsig refresh', () => {
  it('GET / carries the seed meta and a curves table; /index is a branded 404', async () => {
    const home = await fetchJson('/');
    expect(home.text).toContain(`<meta name="grok-site-verification" content="${DEFAULT_STATSIG_SEED_B64}"/>`);
    const m = /self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)/.exec(home.text);
    const payload = JSON.parse(m[1]);
    const curves = JSON.parse(payload.slice(payload.indexOf('{'))).curves;
    expect(curves).toHaveLength(4);
    expect(curves[0]).toHaveLength(16);
    expect(curves).toEqual(makeCurves(DEFAULT_CURVES_LABEL));
    const chunkUrl = /<script src="([^"]+)"/.exec(home.text)[1];
    expect((await fetchJson(chunkUrl)).text).toContain(JSON.stringify(DEFAULT_STATSIG_INDICES));
    const index = await fetchJson('/index');
    expect(index.status).toBe(404);
    expect(index.text).toContain('Grok');
    expect(index.text).not.toContain('grok-site-verification');
  });
});

describe('mgw WebSocket', () => {
  it('full handshake, answer, done and persisted; frames recorded', async () => {
    fake.clearRequests();
    const tok = 'tok-user-ws';
    const c = await mgwSession(tok, { xGrok: { is_temporary: true, disable_memory: true, keep_context: false } });
    expect(c.created.event.client_event_id).toBe('evt_init_1');
    expect(c.attached.event.conversation.id).toBe(c.sessionId);
    c.send({ event: { type: 'ping', event_id: 'evt_hb_1' } });
    expect((await c.waitFor((f) => f.event?.type === 'pong')).event.client_event_id).toBe('evt_hb_1');
    const { added, events } = await mgwTurn(c, 'hello socket');
    expect(added.event.item.id).toMatch(/^[0-9a-f-]{36}$/);
    const types = events.map((e) => e.type);
    expect(types.indexOf('response.created')).toBeLessThan(types.indexOf('response.chunk'));
    expect(types.slice(-3)).toEqual(['response.done', 'conversation.title.updated', 'response.persisted']);
    expect(answerText(events)).toBe('You said: hello socket');
    const done = events.find((e) => e.type === 'response.done');
    expect(done.response.status).toBe('completed');
    // second turn on the same socket
    const t2 = await mgwTurn(c, 'again', { extraItem: { parent_response_id: done.response.id } });
    expect(answerText(t2.events)).toBe('You said: again');
    c.ws.close();
    await c.closed;
    await new Promise((res) => setTimeout(res, 20));
    const rec = fake.requests('/ws/mgw')[0];
    expect(rec.status).toBe(101);
    expect(rec.ws.clientFrames.map((f) => f.event.type)).toEqual(['session.create', 'ping', 'conversation.item.create', 'response.create', 'conversation.item.create', 'response.create']);
    expect(rec).toMatchObject({ closedByClient: false, aborted: false, endedBy: 'client_idle' });
    expect(rec.checks.userId).toBe('ok');
    expect(fake.stats().open.ws).toBe(0);

    // continue the conversation on a new socket
    const again = await mgwSession(tok, { sessionId: c.sessionId, xGrok: { conversation_id: c.sessionId, load_existing: true, needs_history: false } });
    expect(again.sessionId).toBe(c.sessionId);
    const t3 = await mgwTurn(again, 'third');
    expect(t3.events.some((e) => e.type === 'conversation.title.updated')).toBe(false);
    again.ws.close();
    await again.closed;
  });

  it('refuses handshakes: missing/mismatched uid, dead tokens, ws_refuse (REST still fine)', async () => {
    const tok = 'tok-user-ws2';
    const noCookie = await connect(`/ws/mgw/?uid=${uidFor(tok)}`, { cookie: cookieFor(tok) });
    expect(noCookie.refused.status).toBe(401);
    const wrong = await connect(`/ws/mgw/?uid=${uidFor('someone')}`, mgwHeaders(tok, uidFor('someone')));
    expect(wrong.refused.status).toBe(403);
    expect((await connect(`/ws/mgw/?uid=${uidFor('tok-401-w')}`, mgwHeaders('tok-401-w'))).refused.status).toBe(401);
    const cf = await connect(`/ws/mgw/?uid=${uidFor('tok-cf_challenge-w')}`, mgwHeaders('tok-cf_challenge-w'));
    expect(cf.refused.status).toBe(403);
    expect(cf.refused.body).toContain('Just a moment');
    const refused = await mgwSession('tok-ws_refuse-w');
    expect(refused.refused.status).toBe(403);
    expect(JSON.parse(refused.refused.body).error.code).toBe(7);
    expect((await chat({ modeId: 'fast', message: 'x' }, { tok: 'tok-ws_refuse-w' })).status).toBe(200);
    const html = await (fake.setScenario({ token: tok, name: 'ws_refuse', options: { html: true } }), connect(`/ws/mgw/?uid=${uidFor(tok)}`, mgwHeaders(tok)));
    expect(html.refused.headers['content-type']).toContain('text/html');
    fake.clearScenarios(tok);
  });

  it('thinking, search and image events', async () => {
    const c = await mgwSession('tok-user-ws3', { model: 'expert', xGrok: { enable_image_generation: true, image_generation_count: 2 } });
    const th = await mgwTurn(c, 'q [[scenario:thinking]]');
    const channels = th.events.filter((e) => e.type === 'response.chunk').map((e) => e.chunk.text.channel);
    expect(channels[0]).toBe('CHANNEL_ASSISTANT_NOTETAKER_HEADER');
    expect(channels).toContain('CHANNEL_ASSISTANT_ANALYSIS');
    expect(answerText(th.events)).toBe('You said: q');
    const se = await mgwTurn(c, 'rust book [[scenario:search]]');
    const chunkKinds = se.events.filter((e) => e.type === 'response.chunk').map((e) => Object.keys(e.chunk)[0]);
    expect(chunkKinds).toEqual(expect.arrayContaining(['tool_usage_card', 'tool_result', 'render_citation', 'text']));
    expect(se.events.find((e) => e.chunk?.render_citation).chunk.render_citation.url).toBe('https://docs.example.test/rust-book');
    const im = await mgwTurn(c, 'fox [[scenario:image]]');
    const cards = im.events.filter((e) => e.type === 'response.grok.output').map((e) => JSON.parse(e.output.card_attachment.jsonData).image_chunk);
    expect(cards.map((x) => x.progress)).toEqual([50, 50, 100, 100]);
    expect((await getAsset(fake.assetsUrl, cards[3].imageUrl, 'tok-user-ws3')).status).toBe(200);
    c.ws.close();
    await c.closed;
  });

  it('stream_error, session.ended, error event, eof and protocol errors', async () => {
    const tok = 'tok-user-ws4';
    let c = await mgwSession(tok);
    const ul = await mgwTurn(c, 'x [[scenario:usage_limit]]');
    const se = ul.events.find((e) => e.type === 'response.grok.output').output.stream_error;
    expect(se.usageLimitReached).toEqual({});
    expect(ul.events.find((e) => e.type === 'response.done').response.status).toBe('failed');
    const ended = await mgwTurn(c, 'x [[scenario:session_ended]]', { until: 'session.ended' });
    expect(ended.events.some((e) => e.type === 'response.done')).toBe(false);
    expect((await c.closed).code).toBe(1000);

    c = await mgwSession(tok);
    await mgwTurn(c, 'x [[scenario:ws_error]]', { until: 'error' });
    expect((await c.closed).code).toBe(1011);

    c = await mgwSession(tok);
    const mod = await mgwTurn(c, 'x [[scenario:moderated]]');
    expect(mod.events.find((e) => e.type === 'response.grok.output').output.stream_error.message).toBe('Content moderated [WKE=grok:content-moderated]');
    const mu = await mgwTurn(c, 'x [[scenario:model_unavailable]]');
    expect(mu.events.find((e) => e.type === 'response.done').response).toMatchObject({ status: 'failed', status_details: { reason: 'model_not_available' } });
    c.ws.close();
    await c.closed;

    // A marker naming no scenario is an error event, not a normal answer.
    c = await mgwSession(tok);
    const typo = await mgwTurn(c, 'x [[scenario:ws_eror]]', { until: 'error' });
    expect(typo.events.find((e) => e.type === 'error').error).toEqual({ code: 'invalid_request', message: 'fake-grok: unknown scenario marker "ws_eror"' });
    expect(answerText(typo.events)).toBe('');
    expect((await c.closed).code).toBe(1008);
    expect(fake.requests('/ws/mgw/').at(-1).chat).toMatchObject({ transport: 'mgw', scenario: 'unknown_marker', mode: 'fast', prompt: 'x [[scenario:ws_eror]]', answer: '' });

    fake.clearRequests();
    c = await mgwSession(tok);
    await mgwTurn(c, 'x [[scenario:eof]]', { until: null });
    expect((await c.closed).code).toBe(1006);
    await new Promise((res) => setTimeout(res, 20));
    expect(fake.requests('/ws/mgw')[0]).toMatchObject({ endedBy: 'server_abort', aborted: true });

    c = await connect(`/ws/mgw/?uid=${uidFor(tok)}`, mgwHeaders(tok));
    c.send({ event: { type: 'response.create', event_id: 'e1' } });
    expect((await c.waitFor((f) => f.event?.type === 'error')).event.error.message).toContain('session.create');
    c.send('not json');
    await c.waitFor((f) => f.event?.error?.code === 'invalid_request' && f !== c.frames[0]);
    c.send({ event: { type: 'session.create', event_id: 'e2', session: { model: 'turbo' } } });
    expect((await c.waitFor((f) => f.event?.error?.code === 'invalid_model')).event.client_event_id).toBe('e2');
    c.ws.close();
    await c.closed;
  });

  it('malformed frames, output_text deltas, invalid UTF-8', async () => {
    const tok = 'tok-user-ws6';
    let c = await mgwSession(tok);
    const bad = await mgwTurn(c, 'x [[scenario:malformed]]');
    expect(bad.events.filter((e) => e.raw).map((e) => e.raw)).toContain('this is not json');
    expect(answerText(bad.events)).toBe('You said: x');
    const delta = await mgwTurn(c, 'y [[scenario:text_delta]]');
    expect(delta.events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('')).toBe('You said: y');
    expect(delta.events.find((e) => e.type === 'response.output_text.done').text).toBe('You said: y');
    await mgwTurn(c, 'z [[scenario:invalid_utf8]]', { until: null });
    await c.closed;
    expect(c.errors.map((e) => e.code)).toContain('WS_ERR_INVALID_UTF8'); // the ws client refuses the bad text frame
  });

  it('stall: the client gives up and the fake records it', async () => {
    fake.clearRequests();
    const c = await mgwSession('tok-user-ws5');
    await mgwTurn(c, 'x [[scenario:stall]]', { until: 'response.created' });
    await c.waitFor((f) => f.event?.type === 'response.chunk');
    expect(fake.stats().open.ws).toBe(1);
    c.ws.close();
    await c.closed;
    await new Promise((res) => setTimeout(res, 20));
    expect(fake.requests('/ws/mgw')[0]).toMatchObject({ closedByClient: true, endedBy: 'client' });
    expect(fake.stats().open.ws).toBe(0);
  });
});

describe('imagine WebSocket', () => {
  const tok = 'tok-user-img';
  const open = (t = tok) => connect('/ws/imagine/listen', { cookie: cookieFor(t), origin: 'https://grok.com' });
  const request = (c, text, props = {}) => {
    c.send({ type: 'conversation.item.create', timestamp: Date.now(), item: { type: 'message', content: [{ type: 'reset' }] } });
    const requestId = randomUUID();
    c.send({ type: 'conversation.item.create', timestamp: Date.now(), item: { type: 'message', content: [{ requestId, text, type: 'input_text', properties: { section_count: 0, is_kids_mode: false, enable_nsfw: false, skip_upsampler: false, enable_side_by_side: true, is_initial: false, aspect_ratio: '2:3', enable_pro: false, ...props } }] } });
    return requestId;
  };

  it('json/image/completed frames per image; final blob equals the public URL bytes', async () => {
    const c = await open();
    const rid = request(c, 'a lighthouse', { num_generations: 3 });
    for (let i = 0; i < 3; i++) await c.waitFor((f) => f.type === 'json' && f.current_status === 'completed' && f.order === i);
    const starts = c.frames.filter((f) => f.current_status === 'start_stage');
    expect(starts).toHaveLength(3);
    expect(starts[0]).toMatchObject({ width: 832, height: 1248, request_id: rid });
    const finals = c.frames.filter((f) => f.type === 'image' && f.percentage_complete === 100);
    expect(finals).toHaveLength(3);
    expect(c.frames.filter((f) => f.type === 'image' && f.percentage_complete === 40)).toHaveLength(3);
    const url = new URL(finals[0].url);
    expect(url.origin).toBe(fake.publicUrl);
    expect(url.pathname).toMatch(/^\/imagine-public\/images\/[0-9a-f-]+\.jpg$/);
    const got = Buffer.from(await (await fetch(finals[0].url)).arrayBuffer());
    expect(got.equals(Buffer.from(finals[0].blob, 'base64'))).toBe(true);
    expect(got.length).toBe(DEFAULT_ASSET_SIZES.imaginePublic);
    c.ws.close();
    await c.closed;
  });

  it('default count, rate limit and moderation error frames, bad requests', async () => {
    let c = await open();
    request(c, 'two please');
    await c.waitFor((f) => f.type === 'json' && f.current_status === 'completed' && f.order === 1);
    expect(c.frames.filter((f) => f.current_status === 'start_stage')).toHaveLength(2);
    request(c, 'x [[scenario:image_moderated]]', { num_generations: 1 });
    const mod = await c.waitFor((f) => f.type === 'error');
    expect(mod.err_code).toBe('content_moderated');
    expect(c.frames.some((f) => f.current_status === 'completed' && f.moderated === true)).toBe(true);
    c.ws.close();
    await c.closed;

    c = await open();
    request(c, 'x [[scenario:image_moderatd]]', { num_generations: 1 });
    expect(await c.waitFor((f) => f.type === 'error')).toMatchObject({ err_code: 'invalid_request', err_msg: 'fake-grok: unknown scenario marker "image_moderatd"' });
    expect(c.frames.some((f) => f.type === 'image')).toBe(false);
    c.ws.close();
    await c.closed;

    c = await open('tok-429-img');
    request(c, 'anything');
    expect((await c.waitFor((f) => f.type === 'error'))).toMatchObject({ err_code: 'rate_limit_exceeded', err_msg: 'Image rate limit exceeded' });
    c.send({ type: 'conversation.item.create', timestamp: 1, item: { type: 'message', content: [{ type: 'input_text', text: 'no id' }] } });
    await c.waitFor((f) => f.err_code === 'invalid_request');
    c.ws.close();
    await c.closed;

    expect((await open('tok-401-img')).refused.status).toBe(401);
    expect((await connect('/ws/imagine/listen', {})).refused.status).toBe(401);
  });
});

describe('control API and recording', () => {
  it('lists, filters, clears, reports stats, config and reset', async () => {
    await fetchJson('/__fake/reset', { method: 'POST' });
    await chat({ modeId: 'fast', message: 'one' });
    await post('/rest/rate-limits', { modelName: 'fast' });
    const all = await fetchJson('/__fake/requests');
    expect(all.json.map((e) => e.path)).toEqual(['/rest/app-chat/conversations/new', '/rest/rate-limits']);
    const only = await fetchJson('/__fake/requests?path=/rest/rate');
    expect(only.json).toHaveLength(1);
    expect(only.json[0]).toMatchObject({ method: 'POST', token: 'tok-user-a', body: { modelName: 'fast' }, ws: null });
    expect(only.json[0].headers['x-statsig-id']).toBeTruthy();
    const stats = await fetchJson('/__fake/stats');
    expect(stats.json).toMatchObject({ open: { http: 0, ws: 0 }, hits: { '/rest/app-chat/conversations/new': 1, '/rest/rate-limits': 1 } });
    await fetchJson('/__fake/config', { method: 'POST', body: JSON.stringify({ frameDelayMs: 0 }) });
    expect((await fetchJson('/__fake/config')).json.frameDelayMs).toBe(0);
    expect(tokens((await chat({ modeId: 'fast', message: 'fast frames' })).frames)).toBe('You said: fast frames');
    const minted = await fetchJson('/__fake/statsig?method=POST&path=/rest/rate-limits');
    expect((await fetchJson('/rest/rate-limits', { method: 'POST', headers: { ...restHeaders('tok-user-a', 'POST', '/rest/rate-limits'), 'x-statsig-id': minted.json.value }, body: '{"modelName":"fast"}' })).status).toBe(200);
    await fetchJson('/__fake/requests', { method: 'DELETE' });
    expect((await fetchJson('/__fake/requests')).json).toEqual([]);
    await fetchJson('/__fake/reset', { method: 'POST' });
    expect((await fetchJson('/__fake/config')).json.frameDelayMs).toBe(2);
  });
});

describe('CLI', () => {
  it('prints its URLs, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--assets-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const info = JSON.parse(line);
    expect(Object.keys(info)).toEqual(['url', 'assetsUrl', 'publicUrl']);
    const page = await fetch(info.url + '/');
    expect(await page.text()).toContain('grok-site-verification');
    const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
  });
});
