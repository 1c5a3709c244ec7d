// Requests refused before a stored API key is known, inside workerd: no request_logs row (a
// count per day, status and code instead, which the dashboard's stats show), no body read
// without a key, and the rows that are written bounded however large the request.
import { env, createExecutionContext, waitOnExecutionContext, createScheduledController } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';

const KEY = 'sk-g2a-refused-test';
const SEED_HASH = 'aNOnwR7tzUEz/hdwtUlhuVcsHzBfIuAIUOzd/bFcGGo=';
const SEED_SALT = '69+QCSzTzv/PbehqCuuviw==';
const NEW_PASSWORD = 'refused requests test 4c2a';

async function send(path, { method = 'POST', body, key, headers = {}, init = {} } = {}) {
  const h = new Headers(headers);
  if (key) h.set('authorization', `Bearer ${key}`);
  if (body !== undefined && !h.has('content-type')) h.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gw.test${path}`, { method, headers: h, body, ...init }), env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, text };
}

const chatBody = (model = 'grok-4') => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
const logRows = async () => (await env.DB.prepare('SELECT * FROM request_logs').all()).results;

// The cron takes whatever this isolate's tally holds (with the shim's tally effect) and writes it.
async function cron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function adminSession() {
  const login = async (password) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://gw.test/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) }),
      env,
      ctx,
    );
    const json = await res.json();
    await waitOnExecutionContext(ctx);
    return { cookie: /^g2a_session=([A-Za-z0-9_-]+);/.exec(res.headers.get('set-cookie'))[1], csrf: json.csrf_token };
  };
  const s = await login('admin');
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://gw.test/api/admin/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `g2a_session=${s.cookie}`, 'x-csrf-token': s.csrf, origin: 'http://gw.test' },
      body: JSON.stringify({ current_password: 'admin', new_password: NEW_PASSWORD }),
    }),
    env,
    ctx,
  );
  await res.text();
  await waitOnExecutionContext(ctx);
  return s;
}

async function adminGet(s, path) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gw.test${path}`, { headers: { cookie: `g2a_session=${s.cookie}` } }), env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, text, json: JSON.parse(text) };
}

beforeEach(async () => {
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(KEY)))].map((b) => b.toString(16).padStart(2, '0')).join('');
  await env.DB.batch([
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM refused_requests'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare('DELETE FROM admin_sessions'),
    env.DB.prepare('DELETE FROM login_attempts'),
    env.DB.prepare('DELETE FROM admin_users'),
    env.DB.prepare(
      "INSERT INTO admin_users (username, password_hash, password_salt, password_iter, must_change_password, created_at) VALUES ('admin', ?1, ?2, 100000, 1, 0)",
    ).bind(SEED_HASH, SEED_SALT),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_r', 'refused', ?1, 'sk…', 0)").bind(hash),
  ]);
  await cron(); // start from an empty tally
  await env.DB.prepare('DELETE FROM refused_requests').run();
});

describe('refused requests', () => {
  it('no key, a wrong key and an unknown URL leave no log row; the dashboard stats count them', async () => {
    expect((await send('/v1/chat/completions', { body: chatBody() })).res.status).toBe(401);
    expect((await send('/v1/chat/completions', { body: chatBody(), key: 'sk-wrong-1' })).res.status).toBe(401);
    expect((await send('/v1/chat/completions', { body: chatBody(), key: 'sk-wrong-2' })).res.status).toBe(401);
    expect((await send('/v1/nothing-here', { method: 'GET' })).res.status).toBe(404);
    expect((await send('/v1/models', { method: 'DELETE', key: 'sk-wrong-3' })).res.status).toBe(405);
    expect(await logRows()).toEqual([]);
    await cron();
    const s = await adminSession();
    const stats = await adminGet(s, '/api/admin/stats');
    expect(stats.status).toBe(200);
    expect(stats.json.refused.today).toBe(5);
    expect(stats.json.refused.days_14).toBe(5);
    expect(stats.json.refused.by_code).toEqual([
      { status: 401, code: 'invalid_api_key', count: 3 },
      { status: 404, code: 'unknown_url', count: 1 },
      { status: 405, code: 'method_not_allowed', count: 1 },
    ]);
    expect(stats.json.daily.at(-1).refused).toBe(5);
  });

  it('a stored key keeps its one log row, also when refused before the key check', async () => {
    const bad = await send('/v1/chat/completions', { body: '{"model":', key: KEY });
    expect(bad.res.status).toBe(400);
    const unknownModel = await send('/v1/chat/completions', { body: chatBody('no-such-model'), key: KEY });
    expect(unknownModel.res.status).toBe(404);
    const wrongRoute = await send('/v1/nothing-here', { method: 'GET', key: KEY });
    expect(wrongRoute.res.status).toBe(404);
    const rows = await logRows();
    expect(rows.map((r) => [r.status, r.error_code, r.key_id]).sort()).toEqual([
      [400, 'invalid_json', 'key_r'],
      [404, 'model_not_found', 'key_r'],
      [404, 'unknown_url', 'key_r'],
    ]);
    await cron();
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM refused_requests').first()).n).toBe(0);
  });

  it('without a key the answer comes before the body is read (a body that never ends)', async () => {
    const never = new ReadableStream({ pull() { return new Promise(() => {}); } }); // never sends a byte
    const answer = send('/v1/chat/completions', { body: never, init: { duplex: 'half' } });
    const outcome = await Promise.race([answer.then((r) => r.res.status), new Promise((r) => setTimeout(() => r('still reading'), 5000))]);
    expect(outcome).toBe(401);
  });

  it('a 1.9 MB model name: no row without a key; with a key one bounded row, and small logs and stats answers', async () => {
    const huge = 'm'.repeat(1_900_000);
    expect((await send('/v1/chat/completions', { body: chatBody(huge), key: 'sk-wrong' })).res.status).toBe(404);
    expect(await logRows()).toEqual([]);
    expect((await send('/v1/chat/completions', { body: chatBody(huge), key: KEY })).res.status).toBe(404);
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0].model.length).toBeLessThanOrEqual(55);
    expect(rows[0].model.endsWith('…')).toBe(true);
    expect(rows[0].error_message.length).toBeLessThanOrEqual(500);
    expect(JSON.stringify(rows[0]).length).toBeLessThan(2000);
    const s = await adminSession();
    const logs = await adminGet(s, '/api/admin/logs');
    expect(logs.status).toBe(200);
    expect(logs.text.length).toBeLessThan(4000);
    const stats = await adminGet(s, '/api/admin/stats');
    expect(stats.text.length).toBeLessThan(8000);
  });

  it('a refused request costs no D1 call at all: the isolate tallies it and the cron writes the counts', async () => {
    let calls = 0;
    const db = new Proxy(env.DB, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (typeof v !== 'function') return v;
        return (...args) => {
          calls++;
          return v.apply(target, args);
        };
      },
    });
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request('http://gw.test/v1/chat/completions', { method: 'POST', body: chatBody() }), { ...env, DB: db }, ctx);
      expect(res.status).toBe(401);
      await res.text();
      await waitOnExecutionContext(ctx);
    }
    expect(calls).toBe(0);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM refused_requests').first()).n).toBe(0);
    await cron();
    expect((await env.DB.prepare('SELECT status, code, count FROM refused_requests').all()).results).toEqual([{ status: 401, code: 'invalid_api_key', count: 3 }]);
  });

  it('takes the tally at 100 counts without the cron', async () => {
    for (let i = 0; i < 99; i++) expect((await send('/v1/models', { method: 'GET' })).res.status).toBe(401);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM refused_requests').first()).n).toBe(0);
    expect((await send('/v1/models', { method: 'GET' })).res.status).toBe(401);
    expect((await env.DB.prepare('SELECT SUM(count) AS n FROM refused_requests').first()).n).toBe(100);
  });
});

describe('body-read deadline', () => {
  it('an admin body dripped slower than the deadline is answered 408 and the read abandoned', async () => {
    let sent = 0;
    const drip = new ReadableStream({
      async pull(c) {
        await new Promise((r) => setTimeout(r, 1000));
        sent++;
        c.enqueue(new TextEncoder().encode(sent === 1 ? '{"username":"admin",' : ' '));
      },
    });
    const t0 = Date.now();
    const r = await send('/api/admin/login', { body: drip, init: { duplex: 'half' } });
    expect(r.res.status).toBe(408);
    expect(JSON.parse(r.text).error.code).toBe('request_timeout');
    expect(sent).toBeGreaterThanOrEqual(2); // the body really was dripping when it was cut
    expect(Date.now() - t0).toBeLessThan(20000);
  }, 30000);
});
