// The Videos API inside workerd with the real wasm core, real D1/KV, the VideoJob Durable
// Object (wrangler.toml binding) and the fake upstream: POST /v1/videos answers a queued job at
// once and charges the key's video quota once (a reference image waits in KV for the job, which
// uploads it and asks for image-to-video); the Durable Object runs the job (progress
// recorded, the account released, the result as media ids) with nobody attached; the content
// (video, thumbnail, Range) comes through the /images media path; a moderated video fails with
// an error and a refund (paid once); ownership (another key: 404 everywhere, absent from its
// list); list paging; delete; remix refused; restarts bounded; one log row per request.
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const KEY = 'sk-g2a-workers-videos-a';
const OTHER = 'sk-g2a-workers-videos-b';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function send(path, { body, form, method, key = KEY, headers = {} } = {}) {
  const h = { authorization: `Bearer ${key}`, ...headers };
  let payload;
  if (form) {
    payload = new FormData();
    for (const [k, v] of Object.entries(form)) payload.append(k, v);
  } else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://gw.test${path}`, { method: method || (payload === undefined ? 'GET' : 'POST'), headers: h, body: payload }),
    env,
    ctx,
  );
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  let json = null;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    /* binary */
  }
  return { res, bytes, json };
}

const create = (form, opts) => send('/v1/videos', { form: { prompt: 'a cat surfing', ...form }, ...opts });
const row = (id) => env.DB.prepare('SELECT * FROM videos WHERE id = ?1').bind(id).first();
const used = async (keyId = 'key_a') =>
  (await env.DB.prepare('SELECT video_used FROM api_key_usage WHERE key_id = ?1').bind(keyId).first())?.video_used ?? 0;
const logs = async () => (await env.DB.prepare('SELECT route, status, error_code, key_id FROM request_logs ORDER BY ts, id').all()).results;

// Waits (D1 only: no request to the gateway) until the job is final.
async function settled(id, ms = 20000) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await row(id);
    if (r && (r.status === 'completed' || r.status === 'failed')) return r;
    if (Date.now() > until) throw new Error(`job ${id} still ${r && r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM videos'),
    env.DB.prepare('DELETE FROM media_links'),
    env.DB.prepare('DELETE FROM media_cache'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, video_limit, created_at) VALUES ('key_a', 'a', ?1, 'sk…', 5, 0)").bind(
      await sha256hex(KEY),
    ),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, video_limit, created_at) VALUES ('key_b', 'b', ?1, 'sk…', -1, 0)").bind(
      await sha256hex(OTHER),
    ),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_v', 'tok-ok-video', 'super', 0, 0)"),
  ]);
});

describe('video jobs in workerd', () => {
  it('answers a queued job at once, runs it in its Durable Object, and serves the video', async () => {
    const made = await create({ model: 'sora-2', seconds: '8', size: '1280x720' });
    expect(made.res.status).toBe(200);
    const job = made.json;
    expect(job).toMatchObject({
      object: 'video',
      status: 'queued',
      progress: 0,
      model: 'grok-imagine-1.0-video',
      prompt: 'a cat surfing',
      seconds: '10',
      size: '854x480',
      completed_at: null,
      error: null,
      remixed_from_video_id: null,
    });
    expect(job.id).toMatch(/^video_[0-9a-f]{24}$/);
    expect(await used()).toBe(1);

    // Nobody polls: the job completes on its own, and the account is released.
    const done = await settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.progress).toBe(100);
    expect(done.runs).toBe(1);
    expect(done.video_media).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(done.thumb_media).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await env.DB.prepare("SELECT inflight FROM tokens WHERE id = 'tok_v'").first()).inflight).toBe(0);
    expect(await used()).toBe(1); // charged once

    // What the fake was asked: one text-to-video request with the planned settings.
    const posts = (await fake.requests('/rest/app-chat/conversations/new')).filter((r) => r.body && r.body.mediaGenInput);
    expect(posts).toHaveLength(1);
    expect(posts[0].body.mediaGenInput.textToVideo).toMatchObject({ prompt: 'a cat surfing', aspectRatio: '16:9', duration: 10, resolutionName: '480p' });

    const got = await send(`/v1/videos/${job.id}`);
    expect(got.json).toMatchObject({ id: job.id, status: 'completed', progress: 100, error: null });
    expect(got.json.completed_at).toBeGreaterThanOrEqual(job.created_at);

    // The content is the fake's video, byte for byte; the thumbnail its preview; Range works.
    const [videoPath] = posts[0].chat.videos;
    const content = await send(`/v1/videos/${job.id}/content`);
    expect(content.res.status).toBe(200);
    expect(content.res.headers.get('content-type')).toBe('video/mp4');
    expect(content.bytes).toEqual(await fake.asset(videoPath));
    const part = await send(`/v1/videos/${job.id}/content?variant=video`, { headers: { range: 'bytes=10-19' } });
    expect(part.res.status).toBe(206);
    expect(part.bytes).toEqual(content.bytes.slice(10, 20));
    const thumb = await send(`/v1/videos/${job.id}/content?variant=thumbnail`);
    expect(thumb.res.status).toBe(200);
    expect(thumb.res.headers.get('content-type')).toBe('image/jpeg');
    expect(thumb.bytes).toEqual(await fake.asset(videoPath.replace('generated_video.mp4', 'preview_image.jpg')));
    const sprite = await send(`/v1/videos/${job.id}/content?variant=spritesheet`);
    expect(sprite.res.status).toBe(400);
    expect(sprite.json.error).toMatchObject({ param: 'variant', code: 'invalid_value' });

    // One log row per request, each with its route.
    expect((await logs()).map((l) => `${l.route} ${l.status}`)).toEqual([
      'videos.create 200',
      'videos.get 200',
      'videos.content 200',
      'videos.content 206',
      'videos.content 200',
      'videos.content 400',
    ]);
  });

  it('an input_reference image is kept in KV for the job, uploaded for the account and animated', async () => {
    const png = Uint8Array.from(
      atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
      (c) => c.charCodeAt(0),
    );
    const made = await create({ input_reference: new File([png], 'ref.png', { type: 'image/png' }) });
    expect(made.res.status).toBe(200);
    const queued = await row(made.json.id);
    expect(JSON.parse(queued.settings)).toMatchObject({ ref_key: `video_ref:${made.json.id}`, ref_mime: 'image/png' });
    const done = await settled(made.json.id);
    expect(done.status).toBe('completed');
    const uploads = (await fake.requests()).filter((r) => r.upload);
    expect(uploads).toHaveLength(1);
    expect(uploads[0].upload.size).toBe(png.length);
    const posts = (await fake.requests('/rest/app-chat/conversations/new')).filter((r) => r.body && r.body.mediaGenInput);
    expect(posts).toHaveLength(1);
    expect(posts[0].body.mediaGenInput.imageToVideo.inputAssets).toHaveLength(1);
    // The reference is gone from KV once the job ended.
    expect(await env.KV_CACHE.get(`video_ref:${made.json.id}`)).toBeNull();
    // A reference that is not an image is refused before anything is charged.
    const bad = await create({ input_reference: new File([new Uint8Array([1, 2, 3])], 'x.bin') });
    expect(bad.res.status).toBe(400);
    expect(bad.json.error).toMatchObject({ param: 'input_reference', code: 'invalid_image' });
    expect(await used()).toBe(1);
  });

  it('records progress while the job runs, and finishes though its client is gone', async () => {
    await fake.setScenario({ token: 'tok-ok-video', name: 'video', options: { gapMs: 300 } });
    const made = await create({});
    expect(made.res.status).toBe(200);
    let seen = null;
    const until = Date.now() + 15000;
    while (Date.now() < until) {
      const r = await row(made.json.id);
      if (r.status === 'in_progress' && r.progress > 0 && r.progress < 100) {
        seen = r;
        break;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(seen).not.toBeNull();
    // The API shows it too, mid-way.
    const mid = await send(`/v1/videos/${made.json.id}`);
    expect(mid.json.status).toBe('in_progress');
    expect(mid.json.progress).toBeGreaterThan(0);
    expect(mid.json.progress).toBeLessThan(100);
    const done = await settled(made.json.id);
    expect(done.status).toBe('completed');
  });

  it('a moderated video fails with an error, is refunded once and not retried elsewhere', async () => {
    await env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_w', 'tok-ok-video2', 'super', 0, 0)").run();
    const made = await create({ prompt: 'forbidden [[scenario:video_moderated]]' });
    expect(made.res.status).toBe(200);
    expect(await used()).toBe(1);
    const done = await settled(made.json.id);
    expect(done).toMatchObject({ status: 'failed', error_code: 'video_moderated', refunded: 1 });
    expect(await used()).toBe(0);
    expect((await fake.chats()).length).toBe(1);
    const got = await send(`/v1/videos/${made.json.id}`);
    expect(got.json).toMatchObject({ status: 'failed', error: { code: 'video_moderated' } });
    expect(got.json.error.message).toMatch(/moderated/);
    const content = await send(`/v1/videos/${made.json.id}/content`);
    expect(content.res.status).toBe(400);
    expect(content.json.error.code).toBe('video_not_ready');
    expect(await used()).toBe(0);
  });

  it('charges the daily video limit once per job and stores nothing past it', async () => {
    await env.DB.prepare("UPDATE api_keys SET video_limit = 1 WHERE id = 'key_a'").run();
    const first = await create({});
    expect(first.res.status).toBe(200);
    const second = await create({});
    expect(second.res.status).toBe(429);
    expect(second.json.error.code).toBe('insufficient_quota');
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM videos').first()).n).toBe(1);
    await settled(first.json.id);
  });

  it('another key gets 404 for every job route, and its list does not show the job', async () => {
    const made = await create({});
    const id = made.json.id;
    await settled(id);
    for (const [path, method] of [
      [`/v1/videos/${id}`, 'GET'],
      [`/v1/videos/${id}/content`, 'GET'],
      [`/v1/videos/${id}`, 'DELETE'],
    ]) {
      const r = await send(path, { method, key: OTHER });
      expect(r.res.status, `${method} ${path}`).toBe(404);
      expect(r.json.error).toMatchObject({ code: 'video_not_found', type: 'invalid_request_error' });
    }
    const remix = await send(`/v1/videos/${id}/remix`, { body: { prompt: 'at night' }, key: OTHER });
    expect(remix.res.status).toBe(404);
    const list = await send('/v1/videos', { key: OTHER });
    expect(list.json).toMatchObject({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
    expect((await row(id)).status).toBe('completed');
  });

  it('lists the key’s jobs in pages, both orders', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await create({ prompt: `clip ${i}` })).json.id);
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const id of ids) await settled(id);
    const p1 = await send('/v1/videos?limit=2');
    expect(p1.json.data.map((v) => v.id)).toEqual([ids[2], ids[1]]);
    expect(p1.json).toMatchObject({ has_more: true, first_id: ids[2], last_id: ids[1] });
    const p2 = await send(`/v1/videos?limit=2&after=${p1.json.last_id}`);
    expect(p2.json.data.map((v) => v.id)).toEqual([ids[0]]);
    expect(p2.json.has_more).toBe(false);
    const asc = await send('/v1/videos?order=asc');
    expect(asc.json.data.map((v) => v.id)).toEqual(ids);
    const bad = await send('/v1/videos?limit=0');
    expect(bad.res.status).toBe(400);
    expect(bad.json.error.param).toBe('limit');
  });

  it('deletes a finished job and its media links; a running one is refused', async () => {
    await fake.setScenario({ token: 'tok-ok-video', name: 'video', options: { gapMs: 400 } });
    const made = await create({});
    const early = await send(`/v1/videos/${made.json.id}`, { method: 'DELETE' });
    expect(early.res.status).toBe(400);
    expect(early.json.error.code).toBe('video_not_finished');
    const done = await settled(made.json.id);
    const del = await send(`/v1/videos/${made.json.id}`, { method: 'DELETE' });
    expect(del.json).toEqual({ id: made.json.id, object: 'video.deleted', deleted: true });
    expect(await row(made.json.id)).toBeNull();
    const links = await env.DB.prepare('SELECT COUNT(*) AS n FROM media_links WHERE id IN (?1, ?2)').bind(done.video_media, done.thumb_media).first();
    expect(links.n).toBe(0);
    expect((await send(`/v1/videos/${made.json.id}`)).res.status).toBe(404);
  });

  it('refuses remix with a clear 400 and bad requests before charging anything', async () => {
    const made = await create({});
    await settled(made.json.id);
    const remix = await send(`/v1/videos/${made.json.id}/remix`, { body: { prompt: 'at night' } });
    expect(remix.res.status).toBe(400);
    expect(remix.json.error).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_operation', param: null });
    for (const [form, param] of [
      [{ seconds: '30' }, 'seconds'],
      [{ size: 'huge' }, 'size'],
      [{ model: 'grok-4' }, 'model'],
      [{ prompt: ' ' }, 'prompt'],
    ]) {
      const r = await create(form);
      expect(r.res.status, param).toBe(400);
      expect(r.json.error.param).toBe(param);
    }
    expect(await used()).toBe(1);
    expect((await logs()).filter((l) => l.route === 'videos.create').map((l) => l.status)).toEqual([200, 400, 400, 400, 400]);
  });

  it('a job started more often than allowed fails and is refunded; a final job is left alone', async () => {
    const now = Date.now();
    const day = (await env.DB.prepare("SELECT strftime('%Y-%m-%d', ?1 / 1000 + 8 * 3600, 'unixepoch') AS d").bind(now).first()).d;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO api_key_usage (key_id, day, video_used) VALUES ('key_a', ?1, 1)").bind(day),
      env.DB.prepare(
        "INSERT INTO videos (id, key_id, status, progress, model, seconds, size, prompt, settings, charge_day, runs, created_at, updated_at) VALUES ('video_restarts', 'key_a', 'in_progress', 40, 'grok-imagine-1.0-video', '6', '480x854', 'p', '{}', ?1, 3, ?2, ?2)",
      ).bind(day, now),
      env.DB.prepare(
        "INSERT INTO videos (id, key_id, status, progress, model, seconds, size, prompt, settings, charge_day, runs, created_at, updated_at, completed_at) VALUES ('video_final', 'key_a', 'completed', 100, 'grok-imagine-1.0-video', '6', '480x854', 'p', '{}', ?1, 1, ?2, ?2, ?2)",
      ).bind(day, now),
    ]);
    for (const id of ['video_restarts', 'video_final']) {
      const res = await env.VIDEO_JOBS.get(env.VIDEO_JOBS.idFromName(id)).fetch('https://job.internal/start', { method: 'POST', body: JSON.stringify({ job: id }) });
      expect(res.status).toBe(202);
    }
    const failed = await settled('video_restarts');
    expect(failed).toMatchObject({ status: 'failed', error_code: 'video_job_interrupted', refunded: 1 });
    expect(await used()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await row('video_final')).toMatchObject({ status: 'completed', refunded: 0 });
    expect(await fake.chats()).toEqual([]);
  });
});
