// The images API and media links seen by the official openai client through wrangler dev and
// the fake upstream: generations (url, b64_json, n, streaming), edits (one and two files),
// moderation, the video model through chat, and /images links (cached, ranged, tamper-proof).
// Every image or video served is compared byte for byte with what the fake upstream holds, and
// every test checks what the fake was asked (its imagine request, uploads, edit inputs).
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { baseUrl, client, createKey, setPool, fakeRequests, resetFake, upstream } from './helpers.js';
import { adminSession, seed } from './fault-kit.js';

let openai;
let admin;
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  openai = client(await createKey({ name: 'images-e2e' }));
  await seed([]); // the admin user for the cache listing (and an empty pool, replaced below)
  admin = await adminSession();
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_img', sso: 'tok-ok-images', tier: 'super' }]);
});

async function stats() {
  return upstream.stats();
}

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const allUpstream = async () => (await upstream.upstream()).map((e) => `${e.listener} ${e.method} ${e.path}`);

// The one imagine request the fake got since the last reset, and the bytes of each image it
// delivered (what b64_json answers and /images links must carry).
async function imagineRequest() {
  const sockets = (await upstream.settled()).filter((e) => e.path === '/ws/imagine/listen');
  const reqs = sockets.flatMap((e) => e.ws.requests);
  expect(reqs).toHaveLength(1);
  const bytes = [];
  for (const p of reqs[0].images) bytes.push(b64(await upstream.asset(p)));
  return { ...reqs[0], bytes };
}

async function served(url) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return b64(await res.arrayBuffer());
}

describe('images.generate', () => {
  it('returns signed links for n = 1 and n = 4', async () => {
    const one = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a red fox', size: '1024x1024' });
    expect(one.data).toHaveLength(1);
    expect(one.data[0].url.startsWith(`${baseUrl}/images/`)).toBe(true);
    const first = await imagineRequest();
    expect(first).toMatchObject({ prompt: 'a red fox', n: 1, aspect: '1:1', scenario: 'normal' });
    expect(await served(one.data[0].url)).toBe(first.bytes[0]);
    await resetFake();
    const four = await openai.images.generate({ model: 'dall-e-3', prompt: 'four foxes', n: 4, size: '1792x1024' });
    expect(four.data).toHaveLength(4);
    expect(new Set(four.data.map((d) => d.url)).size).toBe(4);
    const req = await imagineRequest();
    expect(req).toMatchObject({ prompt: 'four foxes', n: 4, aspect: '16:9' });
    const got = [];
    for (const d of four.data) got.push(await served(d.url));
    expect(got.sort()).toEqual([...req.bytes].sort());
  });

  it('returns base64 images that are real JPEGs', async () => {
    const res = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a blue bird', response_format: 'b64_json', n: 2 });
    expect(res.data).toHaveLength(2);
    const req = await imagineRequest();
    expect(req).toMatchObject({ prompt: 'a blue bird', n: 2 });
    // Exactly the fake's two final images (real JPEGs).
    expect(res.data.map((d) => d.b64_json).sort()).toEqual([...req.bytes].sort());
    for (const d of res.data) expect([...Buffer.from(d.b64_json, 'base64').subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(res.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams partial and completed image events', async () => {
    const stream = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a green frog', stream: true, partial_images: 1, response_format: 'b64_json' });
    const types = [];
    let completed = null;
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'image_generation.completed') completed = ev.b64_json;
    }
    expect(types).toContain('image_generation.partial_image');
    expect(types.at(-1)).toBe('image_generation.completed');
    const req = await imagineRequest();
    expect(req).toMatchObject({ prompt: 'a green frog', n: 1 });
    expect(completed).toBe(req.bytes[0]);
  });

  it('falls back to the chat path when the imagine socket is refused', async () => {
    await upstream.setScenario({ token: 'tok-ok-images', name: 'imagine_refuse' });
    const res = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: '[[scenario:image]] a lighthouse' });
    // The imagine handshake was refused (the fault fired); the chat path drew the images.
    const all = await upstream.settled();
    expect(all.filter((e) => e.path === '/ws/imagine/listen').map((e) => `${e.status} ${e.scenario}`)).toEqual(['403 imagine_refuse']);
    const [chat] = await upstream.chats();
    expect(chat.chat).toMatchObject({ scenario: 'image' });
    expect(chat.chat.prompt).toContain('a lighthouse');
    expect(res.data).toHaveLength(chat.chat.images.length);
    const want = [];
    for (const p of chat.chat.images) want.push(b64(await upstream.asset(p)));
    const got = [];
    for (const d of res.data) got.push(await served(d.url));
    expect(got.sort()).toEqual(want.sort());
  });

  it('answers a moderated prompt with content_policy_violation', async () => {
    const err = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: '[[scenario:image_moderated]] something', n: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.code).toBe('content_policy_violation');
    const req = await imagineRequest();
    expect(req).toMatchObject({ scenario: 'image_moderated', n: 2, images: [] });
  });

  it('rejects bad parameters without touching Grok', async () => {
    const err = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'x', n: 11 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.param).toBe('n');
    expect(await allUpstream()).toEqual([]);
  });
});

describe('images.edit', () => {
  it('edits with one file and with two files', async () => {
    const one = await openai.images.edit({ model: 'grok-imagine-1.0-edit', image: await toFile(PNG_1x1, 'a.png', { type: 'image/png' }), prompt: 'make it blue' });
    expect(one.data.length).toBeGreaterThan(0);
    expect(one.data[0].url.startsWith(`${baseUrl}/images/`)).toBe(true);
    // The edit output served is the fake's edited image.
    const [firstEdit] = await upstream.chats();
    expect(firstEdit.chat).toMatchObject({ prompt: expect.stringContaining('make it blue') });
    expect(one.data).toHaveLength(firstEdit.chat.images.length);
    expect(await served(one.data[0].url)).toBe(b64(await upstream.asset(firstEdit.chat.images[0])));
    const two = await openai.images.edit({
      model: 'grok-imagine-1.0-edit',
      image: [await toFile(PNG_1x1, 'a.png', { type: 'image/png' }), await toFile(PNG_1x1, 'b.png', { type: 'image/png' })],
      prompt: 'merge them',
    });
    expect(two.data.length).toBeGreaterThan(0);
    const uploads = await fakeRequests('/http/upload-file-v2/direct');
    expect(uploads).toHaveLength(3);
    // Each upload carried the client's file, byte for byte.
    for (const u of uploads) expect(Buffer.from(await upstream.asset(u.upload.fileUri))).toEqual(PNG_1x1);
    const edits = (await fakeRequests('/rest/app-chat/conversations/new')).filter((r) => r.body && r.body.mediaGenInput);
    const inputs = edits.at(-1).body.mediaGenInput.imageToImage;
    expect(inputs.inputAssets).toHaveLength(2);
    expect(inputs.prompt).toContain('merge them');
  });

  it('names the bad part of an edit', async () => {
    const err = await openai.images
      .edit({ model: 'grok-imagine-1.0-edit', image: await toFile(Buffer.from('not an image'), 'x.png', { type: 'image/png' }), prompt: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.param).toMatch(/^image/);
    expect(await allUpstream()).toEqual([]);
  });
});

describe('video through chat', () => {
  it('streams progress as reasoning and ends with a link to the video', async () => {
    const stream = await openai.chat.completions.create({
      model: 'grok-imagine-1.0-video',
      stream: true,
      messages: [{ role: 'user', content: 'a cat surfing' }],
      video_config: { aspect_ratio: '16:9', video_length: 6, resolution: 'HD', preset: 'normal' },
    });
    let content = '';
    let reasoning = '';
    for await (const c of stream) {
      content += c.choices[0]?.delta?.content || '';
      reasoning += c.choices[0]?.delta?.reasoning_content || '';
    }
    expect(reasoning).toMatch(/\d+%/);
    const link = /\((http[^)]+\/images\/[^)]+)\)/.exec(content);
    expect(link).toBeTruthy();
    const res = await fetch(link[1]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const posts = (await fakeRequests('/rest/app-chat/conversations/new')).filter((r) => r.body && r.body.mediaGenInput);
    expect(posts.at(-1).body.mediaGenInput.textToVideo).toMatchObject({ aspectRatio: '16:9', prompt: expect.stringContaining('a cat surfing') });
    // The video served is the one the fake generated, byte for byte.
    const [made] = posts.at(-1).chat.videos;
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(await upstream.asset(made)));
  });
});

describe('/images links', () => {
  it('fetches once upstream, serves ranges, refuses tampered ids', async () => {
    const res = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a cached owl' });
    const url = res.data[0].url;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const body = Buffer.from(await first.arrayBuffer());
    expect(b64(body)).toBe((await imagineRequest()).bytes[0]);
    // The cache index row is written after the body: wait until the admin's cache page lists it.
    const path = new URL(url).pathname;
    const mediaId = path.split('/').pop();
    await expect.poll(async () => (await admin.get('cache?limit=200')).data.some((c) => c.media_id === mediaId), { timeout: 10000, interval: 100 }).toBe(true);
    const before = await stats();
    const second = await fetch(url);
    expect(Buffer.from(await second.arrayBuffer())).toEqual(body);
    const ranged = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(body.subarray(10, 20));
    const after = await stats();
    // No upstream request for the cached copy or the range; the first fetch made exactly one.
    expect(after.assetHits).toEqual(before.assetHits);
    expect(Object.values(after.assetHits).reduce((a, b) => a + b, 0)).toBe(1);
    const tampered = url.slice(0, -2) + (url.endsWith('AA') ? 'BB' : 'AA');
    expect((await fetch(tampered)).status).toBe(404);
    expect(path.startsWith('/images/')).toBe(true);
  });
});
