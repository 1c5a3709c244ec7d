// Chat completions inside workerd against the fake upstream: the pool's health rules with
// real D1 (invalid, cooling, half-open backoff, no penalty for anti-bot/challenges/overload),
// statsig retry and refresh, transport fallback, timeouts, daily key quotas and refunds.
import { env, createExecutionContext, waitOnExecutionContext, createScheduledController } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';

const KEY = 'sk-g2a-workers-chat-test';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function chat(body, { key = KEY, e = env } = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://gw.test/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-4', messages: [{ role: 'user', content: 'hello' }], ...body }),
    }),
    e,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* SSE */
  }
  return { res, text, json };
}

async function scenario(token, name, options = {}) {
  await fetch(`${env.FAKE_GROK_URL}/__fake/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, name, options }),
  });
}

async function requests(prefix) {
  return (await fetch(`${env.FAKE_GROK_URL}/__fake/requests?path=${encodeURIComponent(prefix)}`)).json();
}

async function setting(key, value) {
  await env.DB.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  )
    .bind(key, JSON.stringify(value))
    .run();
}

async function pool(tokens) {
  const stmts = [env.DB.prepare('DELETE FROM token_buckets'), env.DB.prepare('DELETE FROM tokens')];
  tokens.forEach((t, i) =>
    stmts.push(
      env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES (?1, ?2, 'super', 0, ?3)").bind(t.id, t.sso, i),
    ),
  );
  await env.DB.batch(stmts);
}

const token = (id) => env.DB.prepare('SELECT * FROM tokens WHERE id = ?1').bind(id).first();
const bucket = (id) => env.DB.prepare("SELECT * FROM token_buckets WHERE token_id = ?1 AND bucket = 'auto'").bind(id).first();

beforeEach(async () => {
  await fetch(`${env.FAKE_GROK_URL}/__fake/reset`, { method: 'POST' });
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare(
      "INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_w', 'workers', ?1, 'sk…', -1, 0)",
    ).bind(await sha256hex(KEY)),
  ]);
  await pool([{ id: 'tok_a', sso: 'tok-ok-a' }]);
});

describe('chat in workerd', () => {
  it('answers through the mgw socket by default and through REST when configured', async () => {
    const ws = await chat({});
    expect(ws.res.status).toBe(200);
    expect(ws.json.choices[0].message.content).toBe('You said: hello');
    expect(await requests('/ws/mgw/')).toHaveLength(1);
    await setting('chat_transport', 'rest');
    const rest = await chat({});
    expect(rest.json.choices[0].message.content).toBe('You said: hello');
    const posts = await requests('/rest/app-chat/conversations/new');
    expect(posts).toHaveLength(1);
    expect(posts[0].checks.statsig).toBe('ok');
    expect(posts[0].body.modeId).toBe('auto');
    expect(posts[0].body.temporary).toBe(true);
    expect(posts[0].body.disableMemory).toBe(true);
  });

  it('falls back to REST on the same account when the mgw handshake is refused', async () => {
    await scenario('tok-ok-a', 'ws_refuse', { path: '/ws/mgw' });
    const r = await chat({});
    expect(r.res.status).toBe(200);
    expect(await requests('/rest/app-chat/conversations/new')).toHaveLength(1);
    expect((await token('tok_a')).consecutive_failures).toBe(0);
  });

  it('retries once with a fresh statsig after an anti-bot 403, then succeeds', async () => {
    await setting('chat_transport', 'rest');
    await scenario('tok-ok-a', 'antibot', { times: 1, path: '/rest/app-chat' });
    const r = await chat({});
    expect(r.res.status).toBe(200);
    const posts = await requests('/rest/app-chat/conversations/new');
    expect(posts.map((p) => p.status)).toEqual([403, 200]);
    const t = await token('tok_a');
    expect(t).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('reports a persistent anti-bot block as 502 upstream_blocked without penalising the account', async () => {
    await setting('chat_transport', 'rest');
    await scenario('tok-ok-a', 'antibot', { path: '/rest/app-chat' });
    const r = await chat({});
    expect(r.res.status).toBe(502);
    expect(r.json.error.code).toBe('upstream_blocked');
    expect(r.json.error.message).toMatch(/statsig/);
    expect(await token('tok_a')).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('names cf_clearance when Cloudflare challenges the request', async () => {
    await setting('chat_transport', 'rest');
    await scenario('tok-ok-a', 'cf_challenge', { path: '/rest/app-chat' });
    const r = await chat({});
    expect(r.res.status).toBe(502);
    expect(r.json.error.code).toBe('upstream_blocked');
    expect(r.json.error.message).toMatch(/cf_clearance/);
  });

  it('re-derives the statsig material when Grok says the page is out of date', async () => {
    await setting('chat_transport', 'rest');
    await setting('statsig_key', 'deadbeef');
    const r = await chat({});
    expect(r.res.status).toBe(200);
    const key = await env.DB.prepare("SELECT value FROM settings WHERE key = 'statsig_key'").first();
    expect(JSON.parse(key.value)).not.toBe('deadbeef');
  });

  it('cools the bucket on a 429 and fails over to another account', async () => {
    await pool([
      { id: 'tok_limited', sso: 'tok-429-x' },
      { id: 'tok_ok', sso: 'tok-ok-y' },
    ]);
    const r = await chat({});
    expect(r.res.status).toBe(200);
    const b = await bucket('tok_limited');
    expect(b.cooling_until).toBeGreaterThan(Date.now());
    expect((await token('tok_limited')).status).toBe('active');
    const log = await env.DB.prepare('SELECT attempts, token_id FROM request_logs').first();
    expect(log).toEqual({ attempts: 2, token_id: 'tok_ok' });
  });

  it('does not penalise an account for an in-band overload and tries the next one', async () => {
    await pool([
      { id: 'tok_busy', sso: 'tok-ok-busy' },
      { id: 'tok_ok', sso: 'tok-ok-z' },
    ]);
    await scenario('tok-ok-busy', 'resource_exhausted');
    const r = await chat({});
    expect(r.res.status).toBe(200);
    expect(await token('tok_busy')).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('counts consecutive 5xx failures and cools the account past the threshold', async () => {
    await setting('chat_transport', 'rest');
    await setting('failure_threshold', 2);
    await setting('max_retries', 1);
    await scenario('tok-ok-a', '5xx', { path: '/rest/app-chat' });
    const first = await chat({});
    expect(first.res.status).toBe(502);
    expect(await token('tok_a')).toMatchObject({ consecutive_failures: 1, cooldown_until: 0 });
    await chat({});
    const t = await token('tok_a');
    expect(t.consecutive_failures).toBe(2);
    expect(t.cooldown_until).toBeGreaterThan(Date.now());
    const third = await chat({});
    expect(third.res.status).toBe(429); // the only account is cooling
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('times out a silent upstream with 504 before the first byte', async () => {
    await setting('chat_transport', 'rest');
    await setting('first_byte_timeout_s', 1);
    await setting('max_retries', 1);
    await scenario('tok-ok-a', 'stall_first');
    const r = await chat({});
    expect(r.res.status).toBe(504);
    expect(r.json.error.code).toBe('upstream_timeout');
  });

  it('enforces a daily chat limit atomically and refunds failed requests', async () => {
    await env.DB.prepare("UPDATE api_keys SET chat_limit = 2 WHERE id = 'key_w'").run();
    const results = await Promise.all([chat({}), chat({}), chat({})]);
    const statuses = results.map((r) => r.res.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const denied = results.find((r) => r.res.status === 429);
    expect(denied.json.error.code).toBe('insufficient_quota');
    expect(denied.res.headers.get('x-should-retry')).toBe('false');
    const usage = await env.DB.prepare("SELECT chat_used FROM api_key_usage WHERE key_id = 'key_w'").first();
    expect(usage.chat_used).toBe(2);
    // A failed request gives its charge back.
    await env.DB.prepare("UPDATE api_keys SET chat_limit = 3 WHERE id = 'key_w'").run();
    await setting('chat_transport', 'rest');
    await setting('max_retries', 1);
    await scenario('tok-ok-a', '5xx', { path: '/rest/app-chat' });
    expect((await chat({})).res.status).toBe(502);
    expect((await env.DB.prepare("SELECT chat_used FROM api_key_usage WHERE key_id = 'key_w'").first()).chat_used).toBe(2);
  });

  it('reaches the upstream after two D1 round trips (key, settings and pool; charge and reserve) and writes the release and the log row in one after it', async () => {
    await setting('chat_transport', 'rest');
    const order = [];
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'batch') return (stmts) => (order.push(`d1:${stmts.length}`), target.batch(stmts));
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input.url;
      if (url.includes('/rest/app-chat/conversations/new')) order.push('upstream');
      if (url.includes('/rest/rate-limits')) order.push('rate-limits');
      return realFetch(input, init);
    };
    try {
      const r = await chat({}, { e: { ...env, DB: db } });
      expect(r.res.status).toBe(200);
    } finally {
      globalThis.fetch = realFetch;
    }
    // key + settings + candidates + counts, then usage row + charge + reserve + key touch
    expect(order.slice(0, order.indexOf('upstream') + 1)).toEqual(['d1:4', 'd1:4', 'upstream']);
    // The account's quota is unknown, so it is refreshed (new body shape, then its row); then one
    // batch releases the account, records the outcome and writes the log row.
    const after = order.slice(order.indexOf('upstream') + 1);
    expect(after.slice(0, 2)).toEqual(['rate-limits', 'd1:1']);
    expect(after).toHaveLength(3);
    expect(Number(after[2].slice(3))).toBeGreaterThanOrEqual(3);
    const t = await token('tok_a');
    expect(t.requests).toBe(1);
    expect(t.inflight).toBe(0);
    expect((await env.DB.prepare('SELECT status, token_id FROM request_logs').all()).results).toEqual([{ status: 200, token_id: 'tok_a' }]);
  });

  it('remembers a failed quota refresh for the refresh interval: one upstream request per chat', async () => {
    await setting('chat_transport', 'rest');
    await scenario('tok-ok-a', '5xx', { path: '/rest/rate-limits' });
    expect((await chat({})).res.status).toBe(200);
    const tried = await requests('/rest/rate-limits');
    expect(tried.length).toBeGreaterThanOrEqual(1); // the fault fired: the refresh was refused
    expect(tried.every((r) => r.status >= 500)).toBe(true);
    expect((await bucket('tok_a')).refresh_failed_at).toBeGreaterThan(0);
    expect((await chat({})).res.status).toBe(200);
    expect((await chat({})).res.status).toBe(200);
    expect(await requests('/rest/rate-limits')).toHaveLength(tried.length);
    expect(await requests('/rest/app-chat/conversations/new')).toHaveLength(3);
    expect(await token('tok_a')).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('a refused quota charge reserves no account and calls no upstream', async () => {
    await setting('chat_transport', 'rest');
    await env.DB.prepare("UPDATE api_keys SET chat_limit = 0 WHERE id = 'key_w'").run();
    const before = await token('tok_a');
    const r = await chat({});
    expect(r.res.status).toBe(429);
    expect(r.json.error.code).toBe('insufficient_quota');
    expect(await token('tok_a')).toEqual(before);
    expect(await requests('/rest/app-chat')).toHaveLength(0);
  });

  it('writes exactly one log row per request with a stored key, refused ones included; a wrong key is counted instead', async () => {
    await env.DB.prepare('DELETE FROM refused_requests').run();
    await chat({}, { key: 'sk-wrong' });
    await chat({ model: 'nope' });
    await chat({});
    const rows = (await env.DB.prepare('SELECT status, error_code, key_id FROM request_logs ORDER BY ts').all()).results;
    expect(rows.map((r) => r.status).sort()).toEqual([200, 404]);
    expect(rows.every((r) => r.key_id === 'key_w')).toBe(true);
    // The shim's tally (when it has one) reaches D1 on the cron.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const refused = await env.DB.prepare("SELECT SUM(count) AS n FROM refused_requests WHERE status = 401 AND code = 'invalid_api_key'").first();
    expect(refused.n).toBe(1);
  });
});
