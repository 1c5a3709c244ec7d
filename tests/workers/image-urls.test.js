// Images a client links to (chat vision), downloaded by the running Worker inside workerd from
// the fake's public host (test hooks on: loopback counts as public): the bytes Grok receives
// are exactly the bytes the link served; redirects are followed by the Worker itself, hop by
// hop (fetch with redirect: 'manual'), so a hop to a host the image_hosts setting does not
// allow is never requested and a fourth hop is refused; the max_image_bytes cap holds with and
// without a content-length; any answer but 200 is refused. Every refusal is the same 400 text
// (the detail is in the request log) and sends nothing to Grok.
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const PUB = env.FAKE_PUBLIC_URL;
const KEY = 'sk-g2a-workers-image-urls';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function vision(url, text = 'what is in this picture') {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://gw.test/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-4', messages: [{ role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url } }] }] }),
    }),
    env,
    ctx,
  );
  const json = await res.json();
  await waitOnExecutionContext(ctx);
  return { res, json };
}

async function setting(key, value) {
  await env.DB.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .bind(key, JSON.stringify(value))
    .run();
}

const logRow = async () => env.DB.prepare('SELECT status, error_code, error_message FROM request_logs').first();
// What the Worker asked the public host for, in order: "path?query status".
const fetched = async () => (await fake.upstream()).filter((e) => e.listener === 'public').map((e) => `${e.path}${Object.keys(e.query).length ? `?${new URLSearchParams(e.query)}` : ''} ${e.status}`);
const toGrok = async () => (await fake.upstream()).filter((e) => e.listener === 'grok');

// A refused image URL: the one 400 every image URL failure gets, the detail only in the log,
// nothing sent to Grok.
async function expectRefused(r, detail) {
  expect(r.res.status).toBe(400);
  expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'messages[0].content.image_url', code: 'invalid_image' });
  expect(r.json.error.message).toMatch(/^Could not load the image \(it must be a PNG, JPEG, WebP or GIF of at most \d+ bytes at a public http\(s\) URL\)\.$/);
  const row = await logRow();
  expect(row).toMatchObject({ status: 400, error_code: 'invalid_image' });
  expect(row.error_message).toContain(detail);
  expect(await toGrok()).toEqual([]);
}

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_img', 'image-urls', ?1, 'sk…', -1, 0)").bind(await sha256hex(KEY)),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_i', 'tok-ok-image-urls', 'super', 0, 0)"),
  ]);
  await setting('chat_transport', 'rest');
});

describe('client image URLs downloaded by the Worker', () => {
  it('downloads the link once and uploads exactly its bytes to Grok, then answers from the upload', async () => {
    const url = `${PUB}/client-images/cat.png?size=3000`;
    const r = await vision(url);
    expect(r.res.status).toBe(200);
    expect(await fetched()).toEqual(['/client-images/cat.png?size=3000 200']);
    const [get] = (await fake.upstream()).filter((e) => e.listener === 'public');
    expect(get.method).toBe('GET');
    expect(get.headers.accept).toBe('image/*');
    // The upload carried the linked bytes, and the chat attached that upload.
    const [upload] = await fake.requests('/http/upload-file-v2/direct');
    expect(upload.status).toBe(200);
    expect(upload.body.multipart.find((p) => p.name === 'file')).toMatchObject({ contentType: 'image/png', size: 3000 });
    const linked = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(await fake.asset(upload.upload.fileUri)).toEqual(linked);
    const [attempt] = await fake.chats();
    expect(attempt.chat.files).toHaveLength(1);
    expect(attempt.body.fileAttachments).toEqual(attempt.chat.files);
    expect(r.json.choices[0].message.content).toBe(attempt.chat.answer);
    expect(r.json.choices[0].message.content).toBe('You said: what is in this picture');
  });

  it('takes a link whose scheme is upper case, as the chat parser does (schemes are case-insensitive)', async () => {
    const url = `${PUB.replace(/^http:/, 'HTTP:')}/client-images/cat.png?size=1200`;
    expect(url.startsWith('HTTP://')).toBe(true);
    const r = await vision(url);
    expect(r.res.status).toBe(200);
    expect(await fetched()).toEqual(['/client-images/cat.png?size=1200 200']);
    const [upload] = await fake.requests('/http/upload-file-v2/direct');
    expect(upload.body.multipart.find((p) => p.name === 'file')).toMatchObject({ contentType: 'image/png', size: 1200 });
  });

  it('follows redirects itself, hop by hop, and uploads the final bytes', async () => {
    const target = `${PUB}/client-images/dog.jpg?size=2500`;
    const hop2 = `${PUB}/client-images/redirect?to=${encodeURIComponent(target)}&status=301`;
    const hop1 = `${PUB}/client-images/redirect?to=${encodeURIComponent(hop2)}&status=302`;
    const r = await vision(hop1);
    expect(r.res.status).toBe(200);
    expect(await fetched()).toEqual([
      `/client-images/redirect?to=${encodeURIComponent(hop2)}&status=302 302`,
      `/client-images/redirect?to=${encodeURIComponent(target)}&status=301 301`,
      '/client-images/dog.jpg?size=2500 200',
    ]);
    const [upload] = await fake.requests('/http/upload-file-v2/direct');
    expect(await fake.asset(upload.upload.fileUri)).toEqual(new Uint8Array(await (await fetch(target)).arrayBuffer()));
  });

  it('never requests a redirect target outside image_hosts (the runtime does not follow it)', async () => {
    await setting('image_hosts', '127.0.0.1');
    const port = new URL(PUB).port;
    const target = `http://localhost:${port}/client-images/elsewhere.png`;
    const r = await vision(`${PUB}/client-images/redirect?to=${encodeURIComponent(target)}`);
    await expectRefused(r, 'redirected to a host not in the image_hosts setting (not requested)');
    expect(await fetched()).toEqual([`/client-images/redirect?to=${encodeURIComponent(target)} 302`]);
  });

  it('refuses a fourth redirect without requesting it', async () => {
    let url = `${PUB}/client-images/never.png`;
    for (let i = 0; i < 4; i++) url = `${PUB}/client-images/redirect?to=${encodeURIComponent(url)}`;
    const r = await vision(url);
    await expectRefused(r, 'more than 3 redirects');
    const asked = await fetched();
    expect(asked).toHaveLength(4);
    expect(asked.every((x) => x.startsWith('/client-images/redirect?') && x.endsWith(' 302'))).toBe(true);
  });

  it('holds max_image_bytes: exactly the cap passes; one byte over is refused, with or without a content-length', async () => {
    await setting('max_image_bytes', 1024);
    const atCap = await vision(`${PUB}/client-images/small.png?size=1024`);
    expect(atCap.res.status).toBe(200);
    const [upload] = await fake.requests('/http/upload-file-v2/direct');
    expect(upload.body.multipart.find((p) => p.name === 'file').size).toBe(1024);
    for (const query of ['size=1025', 'size=1025&chunked=1', 'size=500000&chunked=1']) {
      await fake.clearRequests();
      await env.DB.prepare('DELETE FROM request_logs').run();
      const r = await vision(`${PUB}/client-images/big.png?${query}`);
      await expectRefused(r, 'larger than 1024 bytes');
      expect(await fetched()).toEqual([`/client-images/big.png?${query} 200`]);
    }
  });

  for (const code of [500, 403, 204]) {
    it(`refuses an answer with status ${code}`, async () => {
      const r = await vision(`${PUB}/client-images/status?code=${code}`);
      await expectRefused(r, `HTTP ${code}`);
      expect(await fetched()).toEqual([`/client-images/status?code=${code} ${code}`]);
    });
  }
});
