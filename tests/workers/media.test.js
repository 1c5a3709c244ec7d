// /images/<id> inside workerd: only ids stored in media_links resolve (anything else is 404
// before any upstream call), ids are opaque (neither the account nor the upstream URL can be
// read from them), allowed hosts, KV cache with a D1 index (a hit makes no upstream call),
// Range from the cache (and ignored when it is not one byte range), 304, HEAD, and the hourly
// cron's daily cleanup (batches, resumption, nothing before the next local midnight).
import { env, createExecutionContext, waitOnExecutionContext, createScheduledController } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';

// Stores a link the way the gateway mints one (a random 22-character id naming a row).
async function mint(tokenId, url) {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  await env.DB.prepare('INSERT INTO media_links (id, token_id, url, created_at) VALUES (?1, ?2, ?3, ?4)').bind(id, tokenId, url, Date.now()).run();
  return id;
}

async function get(path, init = {}, e = env) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gw.test${path}`, init), e, ctx);
  const body = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { res, body };
}

async function fake(path, init) {
  return (await fetch(`${env.FAKE_GROK_URL}/__fake/${path}`, init)).json();
}

async function assetBytes(path) {
  const r = await fetch(`${env.FAKE_GROK_URL}/__fake/asset?path=${encodeURIComponent(path)}`);
  expect(r.status).toBe(200);
  return new Uint8Array(await r.arrayBuffer());
}

async function assetHits(path) {
  const stats = await fake('stats');
  return (stats.assetHits && stats.assetHits[path]) || 0;
}

let uid;
let imagePath;
let videoPath;

beforeEach(async () => {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM media_cache'),
    env.DB.prepare('DELETE FROM media_links'),
    env.DB.prepare('DELETE FROM cron_state'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at) VALUES ('tok_m', 'tok-ok-media', 'super', 0)"),
  ]);
  await fetch(`${env.FAKE_GROK_URL}/__fake/reset`, { method: 'POST' });
  uid = (await fake('uid?token=tok-ok-media')).uid;
  const n = Math.random().toString(16).slice(2, 10);
  imagePath = `/users/${uid}/generated/img-${n}/image.jpg`;
  videoPath = `/users/${uid}/generated/vid-${n}/generated_video.mp4`;
  for (const [path, kind] of [[imagePath, 'image'], [videoPath, 'video']])
    await fake('assets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'tok-ok-media', path, kind }) });
});

describe('/images/<id>', () => {
  it('fetches once, then serves from the cache with no upstream call', async () => {
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}${imagePath}`);
    const first = await get(`/images/${id}`);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('image/jpeg');
    expect(first.res.headers.get('etag')).toBeTruthy();
    expect(first.res.headers.get('cache-control')).toContain('max-age');
    // Exactly the bytes the fake's assets host holds for that path.
    expect(first.body).toEqual(await assetBytes(imagePath));
    const second = await get(`/images/${id}`);
    expect(second.res.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await assetHits(imagePath)).toBe(1);
    const row = await env.DB.prepare('SELECT size, token_id, expires_at, hits FROM media_cache').first();
    expect(row).toMatchObject({ size: first.body.length, token_id: 'tok_m', hits: 1 });
    expect(row.expires_at).toBeGreaterThan(Date.now());
  });

  it('serves ranges from the cache as 206, and 416 for unsatisfiable ones', async () => {
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}${videoPath}`);
    const ranged = await get(`/images/${id}`, { headers: { range: 'bytes=100-199' } });
    expect(ranged.res.status).toBe(206);
    expect(ranged.body.length).toBe(100);
    const whole = await get(`/images/${id}`);
    expect(whole.res.status).toBe(200);
    expect(whole.body).toEqual(await assetBytes(videoPath));
    expect(ranged.body).toEqual(whole.body.slice(100, 200));
    expect(ranged.res.headers.get('content-range')).toBe(`bytes 100-199/${whole.body.length}`);
    expect(await assetHits(videoPath)).toBe(1);
    const bad = await get(`/images/${id}`, { headers: { range: `bytes=${whole.body.length}-` } });
    expect(bad.res.status).toBe(416);
    const tail = await get(`/images/${id}`, { headers: { range: 'bytes=-10' } });
    expect(tail.body).toEqual(whole.body.slice(-10));
  });

  it('ignores several ranges, another unit and absurd numbers: 200 with the whole body (RFC 9110)', async () => {
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}${imagePath}`);
    const whole = await get(`/images/${id}`);
    expect(whole.res.status).toBe(200);
    for (const range of ['bytes=0-1,5-9', 'items=0-9', 'bytes=99999999999999999999-', 'bytes=0-99999999999999999999', 'bytes=9-2', 'bytes=x-y']) {
      const r = await get(`/images/${id}`, { headers: { range } });
      expect(r.res.status, range).toBe(200);
      expect(r.res.headers.get('content-range'), range).toBeNull();
      expect(r.body, range).toEqual(whole.body);
    }
    expect(await assetHits(imagePath)).toBe(1);
  });

  it('answers HEAD and If-None-Match without a body', async () => {
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}${imagePath}`);
    const first = await get(`/images/${id}`);
    const head = await get(`/images/${id}`, { method: 'HEAD' });
    expect(head.res.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.res.headers.get('content-length')).toBe(String(first.body.length));
    const cond = await get(`/images/${id}`, { headers: { 'if-none-match': first.res.headers.get('etag') } });
    expect(cond.res.status).toBe(304);
  });

  it('refuses an id that names no stored link with 404 and no upstream request', async () => {
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}${imagePath}`);
    const altered = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
    // An old signed id ("<base64 of account and URL>.<signature>") no longer resolves either.
    const payload = btoa(`1\ntok_m\n${env.FAKE_ASSETS_URL}${imagePath}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const bad of [altered, `${payload}.${'A'.repeat(27)}`, 'not-an-id', `${id}x`, id.slice(1), '../../etc/passwd']) {
      const r = await get(`/images/${bad}`);
      expect(r.res.status, bad).toBe(404);
    }
    expect(await assetHits(imagePath)).toBe(0);
    expect((await get(`/images/${id}`)).res.status).toBe(200);
  });

  it('refuses hosts other than the assets and imagine hosts even for a stored link', async () => {
    const id = await mint('tok_m', 'https://evil.example.com/steal.jpg');
    const r = await get(`/images/${id}`);
    expect(r.res.status).toBe(403);
    const meta = await mint('tok_m', 'http://169.254.169.254/latest/meta-data');
    expect((await get(`/images/${meta}`)).res.status).toBe(403);
  });

  it('generated image links are opaque: the id reveals neither the account nor the upstream URL', async () => {
    const KEY = 'sk-g2a-media-links-test';
    const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(KEY)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    await env.DB.batch([
      env.DB.prepare('DELETE FROM api_keys'),
      env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_media', 'media', ?1, 'sk…', 0)").bind(hash),
    ]);
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://gw.test/v1/images/generations', {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'grok-imagine-1.0', prompt: 'a red fox', n: 2 }),
      }),
      env,
      ctx,
    );
    const body = await res.json();
    await waitOnExecutionContext(ctx);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.data.length).toBeGreaterThan(0);
    for (const { url } of body.data) {
      const id = /^http:\/\/gw\.test\/images\/([A-Za-z0-9_-]+)$/.exec(url)?.[1];
      expect(id, url).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const row = await env.DB.prepare('SELECT token_id, url FROM media_links WHERE id = ?1').bind(id).first();
      expect(row.url).toMatch(/^https?:\/\//);
      // Nothing of the row can be read from the id, in any encoding.
      const decoded = atob(id.replace(/-/g, '+').replace(/_/g, '/') + '==');
      for (const secret of [row.token_id, row.url, new URL(row.url).pathname].filter(Boolean)) {
        expect(url).not.toContain(secret);
        expect(decoded).not.toContain(secret);
      }
      const img = await get(`/images/${id}`);
      expect(img.res.status).toBe(200);
      expect(img.res.headers.get('content-type')).toMatch(/^image\//);
    }
  });

  it('turns an upstream 404 into 404 without penalising the account', async () => {
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}/users/${uid}/generated/missing/nothing.bin`);
    const r = await get(`/images/${id}`);
    expect(r.res.status).toBe(404);
    const tok = await env.DB.prepare("SELECT status, consecutive_failures, failures FROM tokens WHERE id = 'tok_m'").first();
    expect(tok).toEqual({ status: 'active', consecutive_failures: 0, failures: 0 });
  });

  it('passes a range of an object too large for KV through from the upstream', async () => {
    const small = { ...env, KV_CACHE_MAX_BYTES: '1000' };
    const id = await mint('tok_m', `${env.FAKE_ASSETS_URL}${videoPath}`);
    const r = await get(`/images/${id}`, { headers: { range: 'bytes=0-9' } }, small);
    expect(r.res.status).toBe(206);
    expect(r.body.length).toBe(10);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM media_cache').first()).toEqual({ n: 0 });
  });
});

describe('daily cleanup', () => {
  const DAY = 86400000;
  async function seed(n, createdAt) {
    const stmts = [];
    for (let i = 0; i < n; i++) {
      const key = `media:test-${createdAt}-${i}`;
      await env.KV_CACHE.put(key, `body-${i}`);
      stmts.push(
        env.DB.prepare(
          "INSERT INTO media_cache (key, media_id, upstream_url, content_type, size, etag, created_at, expires_at, last_access_at) VALUES (?1, 'x', 'u', 'image/jpeg', 6, 'e', ?2, ?3, ?2)",
        ).bind(key, createdAt, createdAt + DAY),
      );
    }
    await env.DB.batch(stmts);
  }
  async function cron(e = env, when = Date.now()) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: when, cron: '7 * * * *' }), e, ctx);
    await waitOnExecutionContext(ctx);
  }
  const count = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM media_cache').first()).n;

  it('deletes yesterday’s entries in batches and resumes an interrupted run', async () => {
    const small = { ...env, KV_CLEANUP_BATCH: '2' };
    await seed(11, Date.now() - DAY - 3600000);
    await cron(small); // 4 batches of 2 per run: 8 deleted, 3 left
    expect(await count()).toBe(3);
    await cron(small);
    expect(await count()).toBe(0);
    const keys = await env.KV_CACHE.list({ prefix: 'media:test-' });
    expect(keys.keys).toHaveLength(0);
    const state = await env.DB.prepare("SELECT midnight FROM cron_state WHERE name = 'media_daily'").first();
    expect(state.midnight).toBeGreaterThan(Date.now() - DAY);
  });

  it('deletes nothing created today until the next local midnight', async () => {
    await seed(2, Date.now() - DAY - 3600000);
    await cron();
    await seed(3, Date.now() - 1000);
    await cron();
    expect(await count()).toBe(3);
    // An hour later, still the same local day: nothing to do.
    await cron(env, Date.now() + 3600000);
    expect(await count()).toBe(3);
  });

  it('is idempotent when two runs overlap', async () => {
    await seed(5, Date.now() - DAY - 3600000);
    await Promise.all([cron(), cron()]);
    expect(await count()).toBe(0);
  });
});
