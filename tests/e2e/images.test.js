// The images API and media links seen by the official openai client through wrangler dev and
// the fake upstream: generations (url, b64_json, n, streaming), edits (one and two files),
// moderation, the video model through chat, and /images links (cached, ranged, tamper-proof).
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { baseUrl, client, createKey, setPool, fakeRequests, resetFake, fake, waitForLog } from './helpers.js';

let openai;
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  openai = client(await createKey({ name: 'images-e2e' }));
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_img', sso: 'tok-ok-images', tier: 'super' }]);
});

async function stats() {
  return fake('stats');
}

describe('images.generate', () => {
  it('returns signed links for n = 1 and n = 4', async () => {
    const one = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a red fox', size: '1024x1024' });
    expect(one.data).toHaveLength(1);
    expect(one.data[0].url.startsWith(`${baseUrl}/images/`)).toBe(true);
    const four = await openai.images.generate({ model: 'dall-e-3', prompt: 'four foxes', n: 4, size: '1792x1024' });
    expect(four.data).toHaveLength(4);
    expect(new Set(four.data.map((d) => d.url)).size).toBe(4);
    const ws = await fakeRequests('/ws/imagine/listen');
    expect(ws.at(-1).ws.requests[0]).toMatchObject({ n: 4, aspect: '16:9' });
  });

  it('returns base64 images that are real JPEGs', async () => {
    const res = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a blue bird', response_format: 'b64_json', n: 2 });
    expect(res.data).toHaveLength(2);
    for (const d of res.data) {
      const bytes = Buffer.from(d.b64_json, 'base64');
      expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    }
    expect(res.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams partial and completed image events', async () => {
    const stream = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a green frog', stream: true, partial_images: 1, response_format: 'b64_json' });
    const types = [];
    for await (const ev of stream) types.push(ev.type);
    expect(types).toContain('image_generation.partial_image');
    expect(types.at(-1)).toBe('image_generation.completed');
  });

  it('falls back to the chat path when the imagine socket is refused', async () => {
    await fake('scenario', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'tok-ok-images', name: 'imagine_refuse' }) });
    const res = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: '[[scenario:image]] a lighthouse' });
    expect(res.data.length).toBeGreaterThan(0);
    expect(await fakeRequests('/ws/mgw/')).not.toHaveLength(0);
  });

  it('answers a moderated prompt with content_policy_violation', async () => {
    const err = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: '[[scenario:image_moderated]] something', n: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.code).toBe('content_policy_violation');
  });

  it('rejects bad parameters without touching Grok', async () => {
    const err = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'x', n: 11 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.param).toBe('n');
    expect(await fakeRequests('/ws/')).toHaveLength(0);
  });
});

describe('images.edit', () => {
  it('edits with one file and with two files', async () => {
    const one = await openai.images.edit({ model: 'grok-imagine-1.0-edit', image: await toFile(PNG_1x1, 'a.png', { type: 'image/png' }), prompt: 'make it blue' });
    expect(one.data.length).toBeGreaterThan(0);
    expect(one.data[0].url.startsWith(`${baseUrl}/images/`)).toBe(true);
    const two = await openai.images.edit({
      model: 'grok-imagine-1.0-edit',
      image: [await toFile(PNG_1x1, 'a.png', { type: 'image/png' }), await toFile(PNG_1x1, 'b.png', { type: 'image/png' })],
      prompt: 'merge them',
    });
    expect(two.data.length).toBeGreaterThan(0);
    const uploads = await fakeRequests('/http/upload-file-v2/direct');
    expect(uploads).toHaveLength(3);
    const edits = (await fakeRequests('/rest/app-chat/conversations/new')).filter((r) => r.body && r.body.mediaGenInput);
    expect(edits.at(-1).body.mediaGenInput.imageToImage.inputAssets).toHaveLength(2);
  });

  it('names the bad part of an edit', async () => {
    const err = await openai.images
      .edit({ model: 'grok-imagine-1.0-edit', image: await toFile(Buffer.from('not an image'), 'x.png', { type: 'image/png' }), prompt: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.param).toMatch(/^image/);
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
    expect(posts.at(-1).body.mediaGenInput.textToVideo).toMatchObject({ aspectRatio: '16:9' });
  });
});

describe('/images links', () => {
  it('fetches once upstream, serves ranges, refuses tampered ids', async () => {
    const res = await openai.images.generate({ model: 'grok-imagine-1.0', prompt: 'a cached owl' });
    const url = res.data[0].url;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const body = Buffer.from(await first.arrayBuffer());
    // The cache index row is written right after the body: give it a moment.
    await new Promise((r) => setTimeout(r, 500));
    const path = new URL(url).pathname;
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
