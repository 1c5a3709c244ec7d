// Egress through a Worker binding inside workerd (cpp/app/egress.h, shim/effects.js): with
// grok_base_url = binding:GROK_RELAY the gateway's requests to Grok go through the service
// binding to a small relay Worker (tests/workers/relay-worker.js, which marks them) instead of the
// public fetch, with the same paths and headers; a name the Worker has no fetch binding for is an
// honest 503 egress_unavailable that reaches nobody and blames no account. The admin "test token"
// side (which egress answered): admin.test.js.
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const KEY = 'sk-g2a-workers-egress-test';
const SSO = 'tok-ok-egress-0123456789';

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

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    env.DB.prepare('DELETE FROM settings'),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare(
      "INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_e', 'egress', ?1, 'sk…', -1, 0)",
    ).bind(await sha256hex(KEY)),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_e', ?1, 'super', 0, 0)").bind(SSO),
    env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('chat_transport', '\"rest\"', 0)"),
  ]);
});

describe('egress through a Worker binding', () => {
  it('sends every request to Grok through the service binding, with the same path and headers', async () => {
    await setting('grok_base_url', 'binding:GROK_RELAY');
    const a = await chat('through the relay');
    expect(a.res.status).toBe(200);
    const sent = await fake.requests('');
    // The home page (statsig material) and the chat went out, each through the relay Worker.
    const conv = sent.find((q) => q.path === '/rest/app-chat/conversations/new');
    expect(conv).toBeDefined();
    expect(a.json.choices[0].message.content).toBe(conv.chat.answer);
    for (const q of sent) expect(q.headers['x-g2a-relay'], `${q.method} ${q.path}`).toBe('grok-relay');
    expect(sent.map((q) => `${q.method} ${q.path}`)).toContain('GET /');
    // The request is the gateway's own: its cookie, statsig value, request id and User-Agent.
    expect(conv.token).toBe(SSO);
    expect(conv.headers['x-statsig-id']).toMatch(/^[A-Za-z0-9+/]{94}$/);
    expect(conv.headers['x-xai-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(conv.headers['user-agent']).toMatch(/Mozilla/);
    expect(conv.headers['content-type']).toMatch(/application\/json/);
    expect(conv.body.message).toContain('through the relay');
  });

  it('without the binding set, the same chat goes out by public fetch (no relay mark)', async () => {
    const a = await chat();
    expect(a.res.status).toBe(200);
    const sent = await fake.requests('');
    expect(sent.length).toBeGreaterThan(0);
    for (const q of sent) expect(q.headers['x-g2a-relay']).toBeUndefined();
  });

  it('a name the Worker has no fetch binding for is a clear 503 that reaches nobody', async () => {
    // Not bound at all; a D1 binding (no fetch); a [vars] string.
    for (const name of ['NO_SUCH_RELAY', 'DB', 'GROK_BASE_URL']) {
      await setting('grok_base_url', `binding:${name}`);
      const a = await chat();
      expect(a.res.status, name).toBe(503);
      expect(a.json.error.code).toBe('egress_unavailable');
      expect(a.json.error.type).toBe('service_unavailable_error');
      expect(a.json.error.message).toContain(`the upstream binding '${name}' is not bound to this Worker`);
      expect(a.json.error.message).toContain('[[services]]');
      expect(a.res.headers.get('x-should-retry')).toBe('false');
    }
    // Nothing reached the fake (no public-fetch fallback), and no account was blamed.
    expect(await fake.requests('')).toEqual([]);
    const tok = await env.DB.prepare('SELECT status, failures, consecutive_failures FROM tokens WHERE id = ?1').bind('tok_e').first();
    expect(tok).toEqual({ status: 'active', failures: 0, consecutive_failures: 0 });
    const logs = (await env.DB.prepare('SELECT status, error_code FROM request_logs ORDER BY ts, rowid').all()).results;
    expect(logs).toEqual(Array(3).fill({ status: 503, error_code: 'egress_unavailable' }));
  });
});
