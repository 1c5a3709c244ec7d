// Foundation behaviour of the real Worker inside workerd: the wasm loads, /health probes D1
// and KV, /v1 errors are OpenAI-shaped and logged once when the key is a stored one (counted,
// not logged, otherwise), a core trap does not poison later requests, and the scheduled
// handler runs.
import { env, createExecutionContext, waitOnExecutionContext, createScheduledController } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import wasmModule from '../../build/wasm/core.wasm';

async function call(path, init = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gw.test${path}`, init), env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, text, json: text ? safeJson(text) : null };
}

function safeJson(t) {
  try {
    return JSON.parse(t);
  } catch {
    return null;
  }
}

async function logRows() {
  const { results } = await env.DB.prepare('SELECT * FROM request_logs ORDER BY ts').all();
  return results;
}

async function refusedCount(status, code) {
  const row = await env.DB.prepare('SELECT SUM(count) AS n FROM refused_requests WHERE status = ?1 AND code = ?2').bind(status, code).first();
  return row.n || 0;
}

const KEY = 'sk-g2a-foundation-test';
const withKey = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

beforeEach(async () => {
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(KEY)))].map((b) => b.toString(16).padStart(2, '0')).join('');
  await env.DB.batch([
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM refused_requests'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_found', 'foundation', ?1, 'sk…', 0) ON CONFLICT (id) DO NOTHING").bind(hash),
  ]);
});

describe('wasm module', () => {
  it('is imported as a compiled WebAssembly.Module', () => {
    expect(wasmModule).toBeInstanceOf(WebAssembly.Module);
  });
});

describe('/health', () => {
  it('reports ok with both bindings after real probes', async () => {
    const { res, json } = await call('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(json.status).toBe('ok');
    expect(json.build).toBe('dev');
    expect(json.core).toMatch(/^\d+\.\d+\.\d+$/);
    expect(json.bindings).toEqual({ db: true, kv: true });
  });

  it('reports degraded and 503 when D1 is unusable', async () => {
    const broken = { ...env, DB: { prepare: () => ({ bind: () => ({}) }), batch: async () => { throw new Error('D1 down'); } } };
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('http://gw.test/health'), broken, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('degraded');
    expect(body.bindings).toEqual({ db: false, kv: true });
  });
});

describe('/v1 errors', () => {
  it('answers unknown paths with 404 in OpenAI shape: one log row with a stored key, a count without', async () => {
    const { res, json } = await call('/v1/does-not-exist', { headers: withKey });
    expect(res.status).toBe(404);
    expect(json).toEqual({
      error: { message: 'Invalid URL (GET /v1/does-not-exist)', type: 'invalid_request_error', param: null, code: 'unknown_url' },
    });
    const rid = res.headers.get('x-request-id');
    expect(rid).toMatch(/^req_[0-9a-f]{24}$/);
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: rid, status: 404, path: '/v1/does-not-exist', error_code: 'unknown_url', key_id: 'key_found' });
    const anon = await call('/v1/does-not-exist');
    expect(anon.res.status).toBe(404);
    expect(await logRows()).toHaveLength(1);
    expect(await refusedCount(404, 'unknown_url')).toBe(0); // held in the isolate's tally …
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '7 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await refusedCount(404, 'unknown_url')).toBe(1); // … and written by the cron
  });

  it('answers CORS preflight without a log row', async () => {
    const { res } = await call('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(await logRows()).toHaveLength(0);
  });

  it('rejects malformed JSON with 400 invalid_request_error', async () => {
    const { res, json } = await call('/v1/chat/completions', { method: 'POST', headers: withKey, body: '{"model":' });
    expect(res.status).toBe(400);
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.code).toBe('invalid_json');
    expect((await logRows())[0]).toMatchObject({ status: 400, error_code: 'invalid_json' });
  });

  it('rejects bodies over MAX_REQUEST_BYTES with 413', async () => {
    const small = { ...env, MAX_REQUEST_BYTES: '1024' };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://gw.test/v1/chat/completions', { method: 'POST', headers: withKey, body: JSON.stringify({ pad: 'x'.repeat(5000) }) }),
      small,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('request_too_large');
  });

  it('keeps serving after a trap in the core and logs the trapped request', async () => {
    const trapped = await call('/v1/anything', { headers: { 'x-g2a-test-trap': '1' } });
    expect(trapped.res.status).toBe(500);
    expect(trapped.json.error).toMatchObject({ type: 'server_error', code: 'internal_error' });
    expect(trapped.text).not.toMatch(/ at |wasm|RuntimeError|unreachable/); // no stack trace leaks
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 500, error_code: 'internal_error', path: '/v1/anything' });
    const after = await call('/health');
    expect(after.res.status).toBe(200);
    expect(after.json.status).toBe('ok');
  });

  it('ignores the trap hook when test hooks are off', async () => {
    const off = { ...env, G2A_TEST_HOOKS: '' };
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('http://gw.test/v1/anything', { headers: { 'x-g2a-test-trap': '1' } }), off, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
  });
});

describe('scheduled', () => {
  it('prunes request logs past the retention', async () => {
    const now = Date.now();
    const insert = env.DB.prepare(
      "INSERT INTO request_logs (id, ts, method, path, status, duration_ms) VALUES (?1, ?2, 'GET', '/v1/x', 200, 1)",
    );
    await env.DB.batch([insert.bind('old', now - 40 * 86400000), insert.bind('new', now - 1000)]);
    const ctrl = createScheduledController({ scheduledTime: now, cron: '7 * * * *' });
    const ctx = createExecutionContext();
    await worker.scheduled(ctrl, env, ctx);
    await waitOnExecutionContext(ctx);
    const ids = (await logRows()).map((r) => r.id);
    expect(ids).toEqual(['new']);
  });

  it('prunes usage rows past 90 days, expired admin sessions, stale login throttles and audit entries past the retention', async () => {
    const now = Date.now();
    const day = 86400000;
    // Local days as the Worker counts them (CACHE_RESET_TZ_OFFSET_MINUTES, 480 in wrangler.toml).
    const tz = Number(env.CACHE_RESET_TZ_OFFSET_MINUTES ?? 480);
    const localDay = (ms) => new Date(ms + tz * 60000).toISOString().slice(0, 10);
    await env.DB.batch([
      env.DB.prepare('DELETE FROM api_key_usage'),
      env.DB.prepare('DELETE FROM admin_sessions'),
      env.DB.prepare('DELETE FROM login_attempts'),
      env.DB.prepare('DELETE FROM audit_log'),
      env.DB.prepare("INSERT OR IGNORE INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_prune', 'prune', 'h-prune', 'sk…', 0)"),
      ...[['old', now - 92 * day], ['kept', now - 88 * day], ['today', now]].map(([, ms]) =>
        env.DB.prepare("INSERT INTO api_key_usage (key_id, day, chat_used) VALUES ('key_prune', ?1, 1)").bind(localDay(ms))),
      ...[['expired', now - 1000], ['live', now + 3600000]].map(([h, exp]) =>
        env.DB.prepare("INSERT INTO admin_sessions (token_hash, username, csrf_token, created_at, expires_at, reissued_at) VALUES (?1, 'admin', 'c', 0, ?2, 0)").bind(h, exp)),
      // [subject, first failure, locked until]: only a row both unlocked and older than a day goes.
      ...[['stale', now - 2 * day, 0], ['recent', now - 3600000, 0], ['locked', now - 2 * day, now + 600000], ['lock-over', now - 2 * day, now - 1000]].map(([sub, first, locked]) =>
        env.DB.prepare("INSERT INTO login_attempts (scope, subject, failures, first_at, locked_until) VALUES ('ip', ?1, 5, ?2, ?3)").bind(sub, first, locked)),
      ...[['old', now - 31 * day], ['kept', now - 29 * day]].map(([what, ts]) =>
        env.DB.prepare("INSERT INTO audit_log (ts, username, action, target) VALUES (?1, 'admin', 'keys.update', ?2)").bind(ts, what)),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '7 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const col = async (sql) => (await env.DB.prepare(sql).all()).results.map((r) => Object.values(r)[0]);
    expect(await col("SELECT day FROM api_key_usage WHERE key_id = 'key_prune' ORDER BY day")).toEqual([localDay(now - 88 * day), localDay(now)]);
    expect(await col('SELECT token_hash FROM admin_sessions')).toEqual(['live']);
    expect(await col('SELECT subject FROM login_attempts ORDER BY subject')).toEqual(['locked', 'recent']);
    expect(await col('SELECT target FROM audit_log')).toEqual(['kept']);
  });
});
