// The Videos API through the official openai client against wrangler dev (the VideoJob Durable
// Object running locally) and the fake upstream: videos.create answers a queued job, retrieve
// is polled to completed, downloadContent's bytes are the fake's video; a moderated generation
// ends failed with an error and its quota refunded; list and delete. Every test checks what the
// fake was asked.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import OpenAI from 'openai';
import { client, createKey, setPool, fakeRequests, resetFake, sql, upstream } from './helpers.js';

let openai;
let keyId;

beforeAll(async () => {
  keyId = `key_videos_${Math.random().toString(16).slice(2, 8)}`;
  openai = client(await createKey({ id: keyId, name: 'videos-e2e', limits: { video: 10 } }));
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_vid', sso: 'tok-ok-videos', tier: 'super' }]);
});

async function poll(id, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  const seen = [];
  for (;;) {
    const v = await openai.videos.retrieve(id);
    seen.push(`${v.status}:${v.progress}`);
    if (v.status === 'completed' || v.status === 'failed') return { v, seen };
    if (Date.now() > until) throw new Error(`video ${id} still ${v.status} (${seen.join(', ')})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const videoPosts = async () => (await fakeRequests('/rest/app-chat/conversations/new')).filter((r) => r.body && r.body.mediaGenInput);
const usedToday = async () => (await sql([`SELECT SUM(video_used) AS n FROM api_key_usage WHERE key_id = '${keyId}'`]))[0].n ?? 0;

describe('videos through the openai client', () => {
  it('create → poll retrieve to completed → downloadContent is the fake’s video', async () => {
    const before = await usedToday();
    const job = await openai.videos.create({ model: 'sora-2', prompt: 'a fox in the snow', seconds: '4', size: '720x1280' });
    expect(job).toMatchObject({ object: 'video', status: 'queued', progress: 0, model: 'grok-imagine-1.0-video', seconds: '6', size: '480x854' });
    const { v } = await poll(job.id);
    expect(v).toMatchObject({ id: job.id, status: 'completed', progress: 100, error: null });
    expect(await usedToday()).toBe(before + 1);

    const posts = await videoPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0].body.mediaGenInput.textToVideo).toMatchObject({ prompt: 'a fox in the snow', aspectRatio: '9:16', duration: 6, resolutionName: '480p' });
    const [made] = posts[0].chat.videos;

    const res = await openai.videos.downloadContent(job.id);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(await upstream.asset(made)));
    const thumb = await openai.videos.downloadContent(job.id, { variant: 'thumbnail' });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
  });

  it('a moderated generation ends failed with an error, and the quota is refunded', async () => {
    const before = await usedToday();
    const job = await openai.videos.create({ prompt: 'forbidden [[scenario:video_moderated]]' });
    expect(job.status).toBe('queued');
    const { v } = await poll(job.id);
    expect(v.status).toBe('failed');
    expect(v.error).toMatchObject({ code: 'video_moderated' });
    expect(v.error.message).toMatch(/moderated/);
    expect(await usedToday()).toBe(before);
    expect(await videoPosts()).toHaveLength(1);
    const err = await openai.videos.downloadContent(job.id).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.code).toBe('video_not_ready');
  });

  it('lists the key’s jobs and deletes one', async () => {
    const a = await openai.videos.create({ prompt: 'first clip' });
    await new Promise((r) => setTimeout(r, 20));
    const b = await openai.videos.create({ prompt: 'second clip' });
    await poll(a.id);
    await poll(b.id);
    const page = await openai.videos.list({ limit: 1 });
    expect(page.data.map((x) => x.id)).toEqual([b.id]);
    expect(page.has_more).toBe(true);
    const all = [];
    for await (const x of openai.videos.list({ limit: 1 })) all.push(x.id);
    expect(all.slice(0, 2)).toEqual([b.id, a.id]);
    const del = await openai.videos.delete(a.id);
    expect(del).toEqual({ id: a.id, object: 'video.deleted', deleted: true });
    const gone = await openai.videos.retrieve(a.id).catch((e) => e);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    const remix = await openai.videos.remix(b.id, { prompt: 'at night' }).catch((e) => e);
    expect(remix).toBeInstanceOf(OpenAI.BadRequestError);
    expect(remix.error.code).toBe('unsupported_operation');
    expect(await videoPosts()).toHaveLength(2);
  });
});
