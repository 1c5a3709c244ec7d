// The statsig fallback chain inside workerd against the fake upstream: a home page without the
// curves table costs one page fetch per refresh interval (the failure is remembered in D1), not
// one per request; the local failure is an honest 503 statsig_unavailable that never reaches
// Grok; chat succeeds through statsig_fallback when the fake accepts that value; each request's
// step is in its log row (the dashboard's count of them: admin.test.js, stats).
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach, vi } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const KEY = 'sk-g2a-workers-statsig-test';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function chat(content = 'hello') {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://gw.test/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-4', messages: [{ role: 'user', content }] }),
    }),
    env,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, json: JSON.parse(text) };
}

async function setting(key, value) {
  await env.DB.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  )
    .bind(key, JSON.stringify(value))
    .run();
}

const row = (key) => env.DB.prepare('SELECT value FROM settings WHERE key = ?1').bind(key).first();
const logs = async () =>
  (await env.DB.prepare('SELECT status, error_code, statsig_source FROM request_logs ORDER BY ts, rowid').all()).results;

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    // No statsig material stored: every test starts as a fresh deployment.
    env.DB.prepare('DELETE FROM settings'),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare(
      "INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_s', 'statsig', ?1, 'sk…', -1, 0)",
    ).bind(await sha256hex(KEY)),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_a', 'tok-ok-a', 'super', 0, 0)"),
    env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('chat_transport', '\"rest\"', 0)"),
  ]);
});

describe('statsig fallback chain in workerd', () => {
  it('a home page without curves costs one page fetch per interval, and an honest 503 that never reaches Grok', async () => {
    await fake.config({ homeCurves: false });
    const answers = [await chat(), await chat(), await chat()];
    for (const a of answers) {
      expect(a.res.status).toBe(503);
      expect(a.json.error.code).toBe('statsig_unavailable');
      expect(a.json.error.message).toMatch(/^could not create x-statsig-id: the Grok home page had no curves table/);
      expect(a.json.error.message).toMatch(/statsig_fallback/);
      expect(a.json.error.message).not.toMatch(/rejected the request as automated/);
    }
    // One GET / for three requests (the failure remembered), and nothing sent to Grok's chat.
    const sent = (await fake.requests('')).filter((e) => !e.path.startsWith('/rest/rate-limits'));
    expect(sent.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET / 200']);
    const failure = JSON.parse((await row('statsig_scrape_failure')).value);
    expect(failure.why).toBe('the Grok home page had no curves table');
    expect(failure.at).toBeGreaterThan(0);
    // The account was not blamed for a local failure.
    const tok = await env.DB.prepare("SELECT status, consecutive_failures FROM tokens WHERE id = 'tok_a'").first();
    expect(tok).toEqual({ status: 'active', consecutive_failures: 0 });
    expect(await logs()).toEqual(Array(3).fill({ status: 503, error_code: 'statsig_unavailable', statsig_source: 'failed' }));

    // Once the interval has passed (the remembered failure is older), the page is fetched again.
    await setting('statsig_scrape_failure', { ...failure, at: Date.now() - 601_000 });
    await fake.config({ homeCurves: true });
    await fake.clearRequests();
    const ok = await chat();
    expect(ok.res.status).toBe(200);
    const again = (await fake.requests('')).filter((e) => !e.path.startsWith('/rest/rate-limits'));
    expect(again.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET / 200', 'POST /rest/app-chat/conversations/new 200']);
    expect(again[1].checks.statsig).toBe('ok');
    expect(await row('statsig_scrape_failure')).toBeNull();
    expect((await logs()).at(-1)).toMatchObject({ status: 200, statsig_source: 'rescrape' });
    // The material that worked is remembered as the last good one.
    const lastGood = JSON.parse((await row('statsig_last_good')).value);
    expect(lastGood.seed).toBe(JSON.parse((await row('statsig_seed')).value));
  });

  it('chat succeeds through statsig_fallback when Grok accepts that value', async () => {
    const FIXED = btoa('a fixed value a browser sent, accepted by the fake as its manual id!!!!');
    await fake.config({ homeCurves: false, manualStatsig: FIXED });
    await setting('statsig_fallback', FIXED);
    const r = await chat();
    expect(r.res.status).toBe(200);
    expect(r.json.choices[0].message.content).toBe('You said: hello');
    const posts = await fake.requests('/rest/app-chat/conversations/new');
    expect(posts).toHaveLength(1);
    expect(posts[0].headers['x-statsig-id']).toBe(FIXED);
    expect(posts[0].checks.statsig).toBe('ok');
    expect(await logs()).toEqual([{ status: 200, error_code: null, statsig_source: 'fallback' }]);
    // A second request uses the fallback without fetching the page again.
    await chat();
    expect((await fake.requests('/')).filter((e) => e.path === '/')).toHaveLength(1);
    expect((await logs()).at(-1).statsig_source).toBe('fallback');
  });

  it('the retry after an anti-bot 403 sends another value even when the random byte repeats', async () => {
    // A generated value differs from the refused one only in its random byte within a second;
    // with the runtime's random bytes pinned, both draws give the same byte.
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation((a) => a.fill(7));
    let pinned = 0;
    try {
      await fake.setScenario({ token: 'tok-ok-a', name: 'antibot', options: {} });
      const r = await chat();
      expect(r.res.status).toBe(502);
      expect(r.json.error.code).toBe('upstream_blocked');
    } finally {
      pinned = spy.mock.calls.length;
      spy.mockRestore();
    }
    expect(pinned).toBeGreaterThan(0);
    const posts = await fake.requests('/rest/app-chat/conversations/new');
    expect(posts.map((e) => e.status)).toEqual([403, 403]);
    const [first, retry] = posts.map((e) => e.headers['x-statsig-id']);
    expect(first).toMatch(/^[A-Za-z0-9+/]{94}$/);
    expect(retry).toMatch(/^[A-Za-z0-9+/]{94}$/);
    expect(retry).not.toBe(first);
    // The value leads with its random byte, then the seed and the second (XORed with the byte).
    // The first is the pinned 7; in the same second the retry's is redrawn, in the next it may stay.
    const plain = (v) => Uint8Array.from(atob(v), (c) => c.charCodeAt(0));
    const second = (b) => [49, 50, 51, 52].map((i) => b[i] ^ b[0]).join(',');
    const [a, b] = [plain(first), plain(retry)];
    expect(a[0]).toBe(7);
    expect(b[0]).toBe(second(a) === second(b) ? 8 : 7);
  });
});
