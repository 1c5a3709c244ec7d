// Chat completions inside workerd against the fake upstream: the pool's health rules with
// real D1 (invalid, cooling, half-open backoff, no penalty for anti-bot/challenges/overload),
// statsig retry and refresh, transport fallback, timeouts, daily key quotas and refunds.
import { env, createExecutionContext, waitOnExecutionContext, createScheduledController } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';
import { DEFAULT_STATSIG_KEY } from '../fake-grok/defaults.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);

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

// Sets a fault on the fake; throws when the fake refuses the switch (a typo fails the test).
const scenario = (token, name, options = {}) => fake.setScenario({ token, name, options });
const requests = (prefix) => fake.requests(prefix);

// The chat attempts the fake recorded, as "token transport status scenario" lines.
async function attempts() {
  return (await fake.chats()).map((e) => `${e.token} ${e.path.startsWith('/ws/') ? 'mgw' : 'rest'} ${e.status} ${e.scenario}`);
}

// The whole answer the fake sent in the last chat attempt (what the gateway must pass on).
async function lastAnswer() {
  const last = (await fake.chats()).at(-1);
  expect(last.chat, 'the last attempt got an answer').toBeTruthy();
  return last.chat.answer;
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
  await fake.reset();
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
    expect((await fake.chats())[0].chat).toMatchObject({ transport: 'mgw', mode: 'auto', prompt: 'hello', answer: 'You said: hello' });
    await setting('chat_transport', 'rest');
    const rest = await chat({});
    expect(rest.json.choices[0].message.content).toBe('You said: hello');
    expect((await fake.chats())[1].chat).toMatchObject({ transport: 'rest', mode: 'auto', prompt: 'hello', answer: 'You said: hello' });
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
    // The handshake was refused (the fault fired), then REST on the same account answered.
    const all = (await requests('')).map((e) => `${e.method} ${e.path} ${e.status} ${e.scenario ?? '-'}`);
    expect(all.filter((x) => !x.includes('/rest/rate-limits'))).toEqual([
      'GET /api/auth/session 200 normal', // the account's user id, which the socket URL needs
      'GET /ws/mgw/ 403 ws_refuse',
      'POST /rest/app-chat/conversations/new 200 normal',
    ]);
    expect(r.json.choices[0].message.content).toBe(await lastAnswer());
    expect((await token('tok_a')).consecutive_failures).toBe(0);
  });

  it('retries once with a fresh statsig after an anti-bot 403, then succeeds', async () => {
    await setting('chat_transport', 'rest');
    await scenario('tok-ok-a', 'antibot', { times: 1, path: '/rest/app-chat' });
    const r = await chat({});
    expect(r.res.status).toBe(200);
    const posts = await requests('/rest/app-chat/conversations/new');
    expect(posts.map((p) => `${p.status} ${p.scenario} ${p.checks.statsig}`)).toEqual(['403 antibot ok', '200 normal ok']);
    // The retry carried a new x-statsig-id, and the answer is the second attempt's.
    expect(posts[1].headers['x-statsig-id']).not.toBe(posts[0].headers['x-statsig-id']);
    expect(r.json.choices[0].message.content).toBe(await lastAnswer());
    expect((await fake.overrides()).tokens).toEqual({}); // the one-time fault was used
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
    // Refused twice (the attempt and its one retry with a fresh id), nothing else tried.
    expect(await attempts()).toEqual(['tok-ok-a rest 403 antibot', 'tok-ok-a rest 403 antibot']);
    expect(await token('tok_a')).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('names cf_clearance when Cloudflare challenges the request', async () => {
    await setting('chat_transport', 'rest');
    await scenario('tok-ok-a', 'cf_challenge', { path: '/rest/app-chat' });
    const r = await chat({});
    expect(r.res.status).toBe(502);
    expect(r.json.error.code).toBe('upstream_blocked');
    expect(r.json.error.message).toMatch(/cf_clearance/);
    expect(await attempts()).toEqual(['tok-ok-a rest 403 cf_challenge']);
  });

  it('re-derives the statsig material when Grok says the page is out of date', async () => {
    await setting('chat_transport', 'rest');
    await setting('statsig_key', 'deadbeef');
    const r = await chat({});
    expect(r.res.status).toBe(200);
    // The first attempt was refused as outdated (its id was built with the stale key), the
    // material was re-derived from the home page, and the retry carried a new, valid id.
    const sent = (await requests('')).filter((e) => !e.path.startsWith('/rest/rate-limits'));
    expect(sent.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /rest/app-chat/conversations/new 403',
      ...sent.slice(1, -1).map((e) => `GET ${e.path} 200`),
      'POST /rest/app-chat/conversations/new 200',
    ]);
    expect(sent.slice(1, -1).length).toBeGreaterThanOrEqual(1); // the page (and its chunk) fetched
    const [first, retry] = [sent[0], sent.at(-1)];
    expect(first.checks).toMatchObject({ statsig: 'outdated', statsigReason: expect.stringContaining('digest') });
    expect(retry.checks.statsig).toBe('ok');
    expect(retry.headers['x-statsig-id']).not.toBe(first.headers['x-statsig-id']);
    expect(r.json.choices[0].message.content).toBe(retry.chat.answer);
    const key = await env.DB.prepare("SELECT value FROM settings WHERE key = 'statsig_key'").first();
    expect(JSON.parse(key.value)).toBe(DEFAULT_STATSIG_KEY);
  });

  it('cools the bucket on a 429 and fails over to another account', async () => {
    await pool([
      { id: 'tok_limited', sso: 'tok-429-x' },
      { id: 'tok_ok', sso: 'tok-ok-y' },
    ]);
    const r = await chat({});
    expect(r.res.status).toBe(200);
    // The limited account's session lookup (which the socket needs) met the 429, so it was asked
    // over REST, which met it too; then the next account answered over the socket.
    expect((await requests('/api/auth/session')).map((e) => `${e.token} ${e.status}`)).toEqual(['tok-429-x 429', 'tok-ok-y 200']);
    expect(await attempts()).toEqual(['tok-429-x rest 429 429', 'tok-ok-y mgw 101 normal']);
    expect(r.json.choices[0].message.content).toBe(await lastAnswer());
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
    // Two attempts: the overload (in-band stream_error) on the first account, the answer on the next.
    expect(await attempts()).toEqual(['tok-ok-busy mgw 101 resource_exhausted', 'tok-ok-z mgw 101 normal']);
    expect(r.json.choices[0].message.content).toBe('You said: hello');
    expect(r.json.choices[0].message.content).toBe(await lastAnswer());
    const log = await env.DB.prepare('SELECT attempts, token_id, status FROM request_logs').first();
    expect(log).toEqual({ attempts: 2, token_id: 'tok_ok', status: 200 });
    expect(await token('tok_busy')).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('counts consecutive 5xx failures and cools the account past the threshold', async () => {
    await setting('chat_transport', 'rest');
    await setting('failure_threshold', 2);
    await setting('max_retries', 1);
    await scenario('tok-ok-a', '5xx', { path: '/rest/app-chat' });
    const first = await chat({});
    expect(first.res.status).toBe(502);
    expect(await attempts()).toEqual(['tok-ok-a rest 502 5xx']);
    expect(await token('tok_a')).toMatchObject({ consecutive_failures: 1, cooldown_until: 0 });
    await chat({});
    expect(await attempts()).toEqual(['tok-ok-a rest 502 5xx', 'tok-ok-a rest 502 5xx']);
    const t = await token('tok_a');
    expect(t.consecutive_failures).toBe(2);
    expect(t.cooldown_until).toBeGreaterThan(Date.now());
    const third = await chat({});
    expect(third.res.status).toBe(429); // the only account is cooling
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await attempts()).toHaveLength(2); // not asked again
  });

  it('times out a silent upstream with 504 before the first byte', async () => {
    await setting('chat_transport', 'rest');
    await setting('first_byte_timeout_s', 1);
    await setting('max_retries', 1);
    await scenario('tok-ok-a', 'stall_first');
    const r = await chat({});
    expect(r.res.status).toBe(504);
    expect(r.json.error.code).toBe('upstream_timeout');
    // The fake stalled: headers sent, then not one frame. (That the gateway then closes the
    // exchange is checked end to end, tests/e2e/faults.test.js: inside this test pool the
    // cancelled upstream body is not closed before the test ends.)
    expect(await attempts()).toEqual(['tok-ok-a rest 200 stall_first']);
    expect((await requests('/rest/app-chat/conversations/new'))[0].chat.answer).toBe('You said: hello');
    const log = await env.DB.prepare('SELECT status, error_code, error_message FROM request_logs').first();
    expect(log).toMatchObject({ status: 504, error_code: 'upstream_timeout' });
    expect(log.error_message).toContain('first');
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
    expect((await attempts()).at(-1)).toBe('tok-ok-a rest 502 5xx');
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

  it('refreshes an unknown quota after an answered chat and stores what /rest/rate-limits said; not again while fresh, not after a failed chat', async () => {
    await setting('chat_transport', 'rest');
    // The numbers the fake will report for this account's auto bucket (each chat uses one).
    await fake.config({ quotas: { 'tok-ok-a': { auto: { remainingQueries: 37, totalQueries: 50, windowSizeSeconds: 3600 } } } });
    expect(await bucket('tok_a')).toBeNull(); // nothing known yet
    const t0 = Date.now();
    expect((await chat({})).res.status).toBe(200);
    const sent = (await requests('')).map((e) => `${e.method} ${e.path} ${e.status}`);
    expect(sent).toEqual(['POST /rest/app-chat/conversations/new 200', 'POST /rest/rate-limits 200']); // after the answer
    const [asked] = await requests('/rest/rate-limits');
    expect(asked.body).toEqual({ modelName: 'auto' });
    expect(asked.checks).toMatchObject({ statsig: 'ok', cookie: 'ok' });
    // The fake's total and window are stored as it said them. (The remaining count: see the
    // exact check in the test "a refreshed quota is the count Grok reported".)
    const b = await bucket('tok_a');
    expect(b).toMatchObject({ total: 50, window_s: 3600, refresh_failed_at: 0 });
    expect(b.remaining).toBeGreaterThan(0);
    expect(b.refreshed_at).toBeGreaterThanOrEqual(t0);
    expect(b.refreshed_at).toBeLessThanOrEqual(Date.now());
    // Fresh: the next chat does not ask again.
    expect((await chat({})).res.status).toBe(200);
    expect(await requests('/rest/rate-limits')).toHaveLength(1);
    // Stale again (older than quota_refresh_s): asked again after the answer, with the new count.
    await env.DB.prepare("UPDATE token_buckets SET refreshed_at = ?1 WHERE token_id = 'tok_a'").bind(Date.now() - 601_000).run();
    expect((await chat({})).res.status).toBe(200);
    expect(await requests('/rest/rate-limits')).toHaveLength(2);
    expect(await bucket('tok_a')).toMatchObject({ total: 50, window_s: 3600 });
    // A chat that failed refreshes nothing, however stale the quota.
    await env.DB.prepare("UPDATE token_buckets SET refreshed_at = 1 WHERE token_id = 'tok_a'").run();
    await scenario('tok-ok-a', '5xx', { path: '/rest/app-chat', times: 3 });
    await setting('max_retries', 1);
    expect((await chat({})).res.status).toBe(502);
    expect(await requests('/rest/rate-limits')).toHaveLength(2);
    expect((await bucket('tok_a')).refreshed_at).toBe(1);
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
    expect(await requests('')).toEqual([]); // nothing at all reached the upstream
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
