// The admin API (/api/admin/) in workerd with the real wasm core, the migrated D1, KV and
// WebCrypto: login and its throttle, cookie attributes, sessions, CSRF refusal, the forced
// password change, every endpoint's success and failure paths, masked secrets, audit rows,
// the token test and quota refresh against the fake Grok upstream, and the dashboard
// statistics over 100k log rows (timed, not asserted).
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach, vi } from 'vitest';
import worker from '../../shim/index.js';

const ORIGIN = 'http://gw.test';
const NEW_PASSWORD = 'correct horse battery staple';
const SEED_HASH = 'aNOnwR7tzUEz/hdwtUlhuVcsHzBfIuAIUOzd/bFcGGo=';
const SEED_SALT = '69+QCSzTzv/PbehqCuuviw==';
const SSO_A = 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiYWFhYWFhYWEifQ.SecretSignatureAAAAAAAAAAAA';
const SSO_B = 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiYmJiYmJiYmIifQ.SecretSignatureBBBBBBBBBBBB';
const SSO_C = 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiY2NjY2NjY2MifQ.SecretSignatureCCCCCCCCCCCC';

function safeJson(t) {
  try {
    return JSON.parse(t);
  } catch {
    return null;
  }
}

// One request through the Worker. `s` = {cookie, csrf} adds the session cookie and, for
// writes, the CSRF token and the same-origin Origin (unless overridden).
async function call(path, { method = 'GET', body, s, csrf, origin, ip = '198.51.100.7', headers = {}, envOverride } = {}) {
  const h = new Headers(headers);
  if (ip) h.set('cf-connecting-ip', ip);
  if (s && s.cookie) h.set('cookie', `g2a_session=${s.cookie}`);
  const write = method !== 'GET' && method !== 'HEAD';
  if (write) {
    const token = csrf !== undefined ? csrf : s ? s.csrf : undefined;
    if (token) h.set('x-csrf-token', token);
    const o = origin !== undefined ? origin : ORIGIN;
    if (o) h.set('origin', o);
  }
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h.set('content-type', 'application/json');
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { method, headers: h, body: payload }), envOverride || env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, status: res.status, text, json: text ? safeJson(text) : null, cookie: res.headers.get('set-cookie') };
}

const cookieToken = (setCookie) => (setCookie && /^g2a_session=([A-Za-z0-9_-]*);/.exec(setCookie)?.[1]) || null;

async function login(username = 'admin', password = 'admin', opts = {}) {
  const r = await call('/api/admin/login', { method: 'POST', body: { username, password }, ...opts });
  return { ...r, s: r.status === 200 ? { cookie: cookieToken(r.cookie), csrf: r.json.csrf_token } : null };
}

// A session whose password has been changed (the normal state of an admin).
async function admin() {
  const first = await login();
  expect(first.status).toBe(200);
  const ch = await call('/api/admin/password', { method: 'POST', s: first.s, body: { current_password: 'admin', new_password: NEW_PASSWORD } });
  expect(ch.status).toBe(200);
  return first.s;
}

async function sha256hex(text) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function rows(sql, ...params) {
  return (await env.DB.prepare(sql).bind(...params).all()).results;
}

async function auditActions() {
  return (await rows('SELECT action FROM audit_log ORDER BY id')).map((r) => r.action);
}

beforeEach(async () => {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM admin_sessions'),
    env.DB.prepare('DELETE FROM login_attempts'),
    env.DB.prepare('DELETE FROM audit_log'),
    env.DB.prepare('DELETE FROM admin_users'),
    env.DB.prepare(
      "INSERT INTO admin_users (username, password_hash, password_salt, password_iter, must_change_password, created_at) VALUES ('admin', ?1, ?2, 100000, 1, 0)",
    ).bind(SEED_HASH, SEED_SALT),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM settings'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM media_cache'),
  ]);
});

describe('login, cookie and session', () => {
  it('logs in with the default credentials, sets a strict cookie and stores only its hash', async () => {
    const r = await login();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ username: 'admin', must_change_password: true });
    expect(r.json.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.cookie).toMatch(/^g2a_session=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=43200$/);
    expect(r.res.headers.get('cache-control')).toBe('no-store');
    const token = cookieToken(r.cookie);
    const sessions = await rows('SELECT * FROM admin_sessions');
    expect(sessions).toHaveLength(1);
    expect(sessions[0].token_hash).toBe(await sha256hex(token));
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(sessions[0].expires_at - sessions[0].created_at).toBe(12 * 3600 * 1000);
    expect(sessions[0].ip).toBe('198.51.100.7');
    expect(await auditActions()).toEqual(['session.login']);
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const wrong = await login('admin', 'nope');
    const unknown = await login('root', 'nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual({ error: { message: 'Invalid username or password.', type: 'authentication_error', param: null, code: 'invalid_credentials' } });
    expect(unknown.json).toEqual(wrong.json);
    expect(wrong.cookie).toBeNull();
  });

  it('refuses malformed logins with 400 naming the field', async () => {
    let r = await call('/api/admin/login', { method: 'POST', body: { username: 'admin' } });
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('password');
    r = await call('/api/admin/login', { method: 'POST', body: { password: 'x' } });
    expect(r.json.error.param).toBe('username');
    r = await call('/api/admin/login', { method: 'POST', body: '[1,2]' });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_json');
    r = await call('/api/admin/login', { method: 'POST', body: { username: 'admin', password: 'admin' }, origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('csrf_failed');
  });

  it('GET session answers the csrf token; logout deletes the session and clears the cookie', async () => {
    const { s } = await login();
    const got = await call('/api/admin/session', { s });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ username: 'admin', csrf_token: s.csrf, must_change_password: true });
    expect(got.cookie).toBeNull(); // fresh session: no re-issue yet
    const out = await call('/api/admin/logout', { method: 'POST', s });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true });
    expect(out.cookie).toBe('g2a_session=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0');
    expect(await rows('SELECT * FROM admin_sessions')).toHaveLength(0);
    const after = await call('/api/admin/session', { s });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('not_logged_in');
    expect(after.cookie).toContain('Max-Age=0');
    // Logout without a session is harmless.
    const again = await call('/api/admin/logout', { method: 'POST' });
    expect(again.status).toBe(200);
    expect(again.cookie).toContain('Max-Age=0');
  });

  it('logout with a session needs the CSRF token', async () => {
    const { s } = await login();
    const r = await call('/api/admin/logout', { method: 'POST', s, csrf: '' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('csrf_failed');
    expect(await rows('SELECT * FROM admin_sessions')).toHaveLength(1);
  });

  it('slides the expiry and re-issues the cookie after 10 minutes, not before', async () => {
    const s = await admin();
    const before = (await rows('SELECT expires_at FROM admin_sessions'))[0].expires_at;
    let r = await call('/api/admin/session', { s });
    expect(r.cookie).toBeNull();
    const old = Date.now() - 11 * 60 * 1000;
    await env.DB.prepare('UPDATE admin_sessions SET reissued_at = ?1, expires_at = ?2').bind(old, old + 12 * 3600 * 1000).run();
    r = await call('/api/admin/tokens', { s });
    expect(r.status).toBe(200);
    expect(r.cookie).toBe(`g2a_session=${s.cookie}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=43200`);
    const after = (await rows('SELECT expires_at, reissued_at FROM admin_sessions'))[0];
    expect(after.expires_at).toBeGreaterThanOrEqual(before);
    expect(after.reissued_at).toBeGreaterThan(old);
  });

  it('treats an expired session as logged out', async () => {
    const s = await admin();
    await env.DB.prepare('UPDATE admin_sessions SET expires_at = ?1').bind(Date.now() - 1).run();
    const r = await call('/api/admin/tokens', { s });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('not_logged_in');
  });

  it('ends a session 7 days after the login however recently it was used', async () => {
    const s = await admin();
    const created = Date.now() - 7 * 24 * 3600 * 1000 + 60 * 60 * 1000; // one hour left
    const old = Date.now() - 11 * 60 * 1000;
    await env.DB.prepare('UPDATE admin_sessions SET created_at = ?1, reissued_at = ?2, expires_at = ?3').bind(created, old, Date.now() + 11 * 3600 * 1000).run();
    const r = await call('/api/admin/tokens', { s });
    expect(r.status).toBe(200);
    // The re-issue slides only up to the absolute end.
    const maxAge = Number(/Max-Age=(\d+)/.exec(r.cookie)[1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect((await rows('SELECT expires_at FROM admin_sessions'))[0].expires_at).toBeLessThanOrEqual(created + 7 * 24 * 3600 * 1000);
    await env.DB.prepare('UPDATE admin_sessions SET created_at = ?1, expires_at = ?2').bind(Date.now() - 7 * 24 * 3600 * 1000 - 1, Date.now() + 3600 * 1000).run();
    const after = await call('/api/admin/tokens', { s });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('not_logged_in');
  });

  it('refuses admin bodies over 64 KB before parsing them (413)', async () => {
    const nested = '['.repeat(70 * 1024) + ']'.repeat(70 * 1024);
    const r = await call('/api/admin/login', { method: 'POST', body: nested });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('request_too_large');
    const padded = await call('/api/admin/login', { method: 'POST', body: { username: 'admin', password: 'admin', pad: 'x'.repeat(65 * 1024) } });
    expect(padded.status).toBe(413);
    expect(await rows('SELECT * FROM login_attempts')).toHaveLength(0);
    // Under the cap the same login works.
    expect((await call('/api/admin/login', { method: 'POST', body: { username: 'admin', password: 'admin', pad: 'x'.repeat(60 * 1024) } })).status).toBe(200);
  });

  it('answers 401 on every endpoint without a session', async () => {
    const endpoints = [
      ['GET', '/api/admin/session'],
      ['POST', '/api/admin/password'],
      ['GET', '/api/admin/tokens'],
      ['POST', '/api/admin/tokens'],
      ['POST', '/api/admin/tokens/import'],
      ['GET', '/api/admin/tokens/export'],
      ['PATCH', '/api/admin/tokens/tok_x'],
      ['DELETE', '/api/admin/tokens/tok_x'],
      ['POST', '/api/admin/tokens/tok_x/test'],
      ['POST', '/api/admin/tokens/tok_x/refresh'],
      ['GET', '/api/admin/keys'],
      ['POST', '/api/admin/keys'],
      ['PATCH', '/api/admin/keys/key_x'],
      ['DELETE', '/api/admin/keys/key_x'],
      ['GET', '/api/admin/models'],
      ['GET', '/api/admin/settings'],
      ['PUT', '/api/admin/settings'],
      ['GET', '/api/admin/logs'],
      ['GET', '/api/admin/stats'],
      ['GET', '/api/admin/cache'],
      ['DELETE', '/api/admin/cache/media:x'],
      ['POST', '/api/admin/cache/clear'],
      ['GET', '/api/admin/audit'],
    ];
    for (const [method, path] of endpoints) {
      const r = await call(path, { method, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.json.error).toMatchObject({ type: 'authentication_error', code: 'not_logged_in' });
    }
  });

  it('answers unknown admin paths 404 and wrong methods 405', async () => {
    const s = await admin();
    let r = await call('/api/admin/nothing', { s });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('unknown_url');
    r = await call('/api/admin/tokens', { method: 'DELETE', s });
    expect(r.status).toBe(405);
    expect(r.res.headers.get('allow')).toBe('GET, POST');
  });
});

describe('login throttle', () => {
  it('locks after 5 failures in 15 minutes (429 + retry-after), even for the right password', async () => {
    for (let i = 1; i <= 4; i++) expect((await login('admin', `wrong${i}`)).status).toBe(401);
    const fifth = await login('admin', 'wrong5');
    expect(fifth.status).toBe(429);
    expect(fifth.json.error).toMatchObject({ type: 'rate_limit_error', code: 'too_many_attempts' });
    const ra = Number(fifth.res.headers.get('retry-after'));
    expect(ra).toBeGreaterThan(890);
    expect(ra).toBeLessThanOrEqual(900);
    const right = await login('admin', 'admin');
    expect(right.status).toBe(429);
    expect(Number(right.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await rows('SELECT * FROM admin_sessions')).toHaveLength(0);
    expect(await auditActions()).toContain('login.locked');
  });

  it('30 concurrent wrong passwords for one user and address: at most 5 are checked, the rest 429', async () => {
    // G2A_TRACE makes the shim print one line per effect: each PBKDF2 derivation is one
    // password check.
    const lines = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args) => lines.push(args.map(String).join(' ')));
    let all;
    try {
      const traced = { ...env, G2A_TRACE: '1' };
      all = await Promise.all(Array.from({ length: 30 }, (_, i) => login('admin', `wrong-${i}`, { envOverride: traced })));
    } finally {
      spy.mockRestore();
    }
    const checks = lines.filter((l) => l.includes('crypto:pbkdf2_sha256')).length;
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(5);
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    expect(all.every((r) => r.cookie === null)).toBe(true);
    const counted = await rows("SELECT failures, locked_until FROM login_attempts WHERE scope = 'user' AND subject = 'admin'");
    expect(counted[0].failures).toBe(30);
    expect(counted[0].locked_until).toBeGreaterThan(Date.now());
    expect((await login('admin', 'admin')).status).toBe(429);
  });

  it('locks a username across IPs and an IP across usernames', async () => {
    for (let i = 0; i < 5; i++) await login('admin', 'bad', { ip: `203.0.113.${i + 1}` });
    expect((await login('admin', 'admin', { ip: '203.0.113.99' })).status).toBe(429);
    await env.DB.prepare('DELETE FROM login_attempts').run();
    for (let i = 0; i < 5; i++) await login(`user${i}`, 'bad', { ip: '192.0.2.50' });
    expect((await login('admin', 'admin', { ip: '192.0.2.50' })).status).toBe(429);
    expect((await login('admin', 'admin', { ip: '192.0.2.51' })).status).toBe(200);
  });

  it('a successful login resets the counters', async () => {
    for (let i = 0; i < 4; i++) expect((await login('admin', 'bad')).status).toBe(401);
    expect((await login('admin', 'admin')).status).toBe(200);
    expect(await rows('SELECT * FROM login_attempts')).toHaveLength(0);
    for (let i = 0; i < 4; i++) expect((await login('admin', 'bad')).status).toBe(401);
    expect((await login('admin', 'admin')).status).toBe(200);
  });

  it('a lock ends after 15 minutes and the count starts again', async () => {
    for (let i = 0; i < 5; i++) await login('admin', 'bad');
    expect((await login('admin', 'admin')).status).toBe(429);
    const past = Date.now() - 16 * 60 * 1000;
    await env.DB.prepare('UPDATE login_attempts SET locked_until = ?1, first_at = ?1').bind(past).run();
    expect((await login('admin', 'bad')).status).toBe(401);
    expect((await login('admin', 'admin')).status).toBe(200);
  });
});

describe('ADMIN_PASSWORD secret', () => {
  const SECRET = 'deployer chose this one';
  const withSecret = { ...env, ADMIN_PASSWORD: SECRET };

  it('admin/admin never works; the secret is the initial password and becomes the stored one', async () => {
    const dflt = await login('admin', 'admin', { envOverride: withSecret });
    expect(dflt.status).toBe(401);
    expect(dflt.json.error.code).toBe('invalid_credentials');
    const r = await login('admin', SECRET, { envOverride: withSecret });
    expect(r.status).toBe(200);
    expect(r.json.must_change_password).toBe(false); // the deployer chose it: no forced change
    expect((await call('/api/admin/tokens', { s: r.s, envOverride: withSecret })).status).toBe(200);
    const user = (await rows('SELECT * FROM admin_users'))[0];
    expect(user.password_hash).not.toBe(SEED_HASH);
    expect(user.password_changed_at).toBeGreaterThan(0);
    expect(JSON.stringify(user)).not.toContain(SECRET);
    expect(await auditActions()).toEqual(['password.from_secret', 'session.login']);
    // Stored now: it works without the secret too, and admin/admin still does not.
    expect((await login('admin', SECRET)).status).toBe(200);
    expect((await login('admin', 'admin')).status).toBe(401);
  });

  it('does not replace a password the admin has already set', async () => {
    await admin(); // changes admin/admin to NEW_PASSWORD
    expect((await login('admin', SECRET, { envOverride: withSecret })).status).toBe(401);
    expect((await login('admin', NEW_PASSWORD, { envOverride: withSecret })).status).toBe(200);
  });

  it('a secret that breaks the password rules admits nobody (not even admin/admin)', async () => {
    const weak = { ...env, ADMIN_PASSWORD: 'admin' };
    expect((await login('admin', 'admin', { envOverride: weak })).status).toBe(401);
    expect((await rows('SELECT password_hash FROM admin_users'))[0].password_hash).toBe(SEED_HASH);
  });
});

describe('forced password change', () => {
  it('blocks everything but session, password and logout until the password is changed', async () => {
    const { s } = await login();
    for (const [method, path] of [
      ['GET', '/api/admin/tokens'],
      ['GET', '/api/admin/keys'],
      ['GET', '/api/admin/settings'],
      ['GET', '/api/admin/stats'],
      ['POST', '/api/admin/tokens'],
    ]) {
      const r = await call(path, { method, s, body: method === 'POST' ? {} : undefined });
      expect(r.status, path).toBe(403);
      expect(r.json.error).toMatchObject({ type: 'permission_error', code: 'password_change_required' });
    }
    expect((await call('/api/admin/session', { s })).status).toBe(200);
  });

  it('validates the new password and the current one', async () => {
    const { s } = await login();
    const cases = [
      ['short', 'weak_password'],
      ['admin', 'weak_password'],
      ['ADMIN', 'weak_password'],
    ];
    for (const [pw, code] of cases) {
      const r = await call('/api/admin/password', { method: 'POST', s, body: { current_password: 'admin', new_password: pw } });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code, param: 'new_password' });
    }
    const wrong = await call('/api/admin/password', { method: 'POST', s, body: { current_password: 'nope', new_password: NEW_PASSWORD } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ code: 'wrong_password', param: 'current_password' });
    const nocsrf = await call('/api/admin/password', { method: 'POST', s, csrf: '', body: { current_password: 'admin', new_password: NEW_PASSWORD } });
    expect(nocsrf.status).toBe(403);
  });

  it('re-hashes with PBKDF2 (100k iterations, 16-byte salt), clears the flag and revokes other sessions', async () => {
    const a = (await login()).s;
    const b = (await login()).s;
    const r = await call('/api/admin/password', { method: 'POST', s: a, body: { current_password: 'admin', new_password: NEW_PASSWORD } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, must_change_password: false, sessions_revoked: 1 });
    const user = (await rows('SELECT * FROM admin_users'))[0];
    expect(user.password_iter).toBe(100000);
    expect(user.must_change_password).toBe(0);
    expect(user.password_salt).not.toBe(SEED_SALT);
    expect(atob(user.password_salt)).toHaveLength(16);
    expect(atob(user.password_hash)).toHaveLength(32);
    expect(JSON.stringify(user)).not.toContain(NEW_PASSWORD);
    // The hash is what WebCrypto's PBKDF2 gives for that salt.
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(NEW_PASSWORD), 'PBKDF2', false, ['deriveBits']);
    const salt = Uint8Array.from(atob(user.password_salt), (c) => c.charCodeAt(0));
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, key, 256);
    expect(btoa(String.fromCharCode(...new Uint8Array(bits)))).toBe(user.password_hash);

    expect((await call('/api/admin/tokens', { s: a })).status).toBe(200);
    expect((await call('/api/admin/tokens', { s: b })).status).toBe(401);
    expect((await login('admin', 'admin')).status).toBe(401);
    const fresh = await login('admin', NEW_PASSWORD);
    expect(fresh.status).toBe(200);
    expect(fresh.json.must_change_password).toBe(false);
    expect(await auditActions()).toContain('password.change');
  });
});

describe('CSRF', () => {
  it('refuses writes without the token, with a wrong token, and without or with a foreign Origin', async () => {
    const s = await admin();
    const body = { token: SSO_A };
    const refusals = [
      { csrf: '' },
      { csrf: 'x'.repeat(43) },
      { origin: '' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://gw.test:8080' },
    ];
    for (const opt of refusals) {
      const r = await call('/api/admin/tokens', { method: 'POST', s, body, ...opt });
      expect(r.status, JSON.stringify(opt)).toBe(403);
      expect(r.json.error).toMatchObject({ type: 'permission_error', code: 'csrf_failed' });
    }
    expect(await rows('SELECT id FROM tokens')).toHaveLength(0);
    // Another session's token does not work either.
    const other = (await login('admin', NEW_PASSWORD)).s;
    expect((await call('/api/admin/tokens', { method: 'POST', s, csrf: other.csrf, body })).status).toBe(403);
    const ok = await call('/api/admin/tokens', { method: 'POST', s, body });
    expect(ok.status).toBe(201);
    // Reads need no CSRF token.
    expect((await call('/api/admin/tokens', { s })).status).toBe(200);
  });
});

describe('tokens', () => {
  it('adds one token (masked in the answer), refuses duplicates and garbage', async () => {
    const s = await admin();
    const r = await call('/api/admin/tokens', { method: 'POST', s, body: { token: `sso=${SSO_A}`, tier: 'super', note: 'main' } });
    expect(r.status).toBe(201);
    expect(r.json.data).toMatchObject({ tier: 'super', note: 'main', status: 'active', enabled: true, state: 'active', masked: 'eyJh…AAAA' });
    expect(r.json.data.id).toMatch(/^tok_[0-9a-f]{16}$/);
    expect(r.text).not.toContain(SSO_A);
    const dup = await call('/api/admin/tokens', { method: 'POST', s, body: { token: `a=b; sso=${SSO_A}; c=d` } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('token_exists');
    const bad = await call('/api/admin/tokens', { method: 'POST', s, body: { token: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('token');
    const tier = await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_B, tier: 'gold' } });
    expect(tier.status).toBe(400);
    expect(tier.json.error.param).toBe('tier');
    const unknown = await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_B, status: 'active' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'unknown_field', param: 'status' });
  });

  it('imports pasted text: sso= prefixes, cookie strings, duplicates and rejects', async () => {
    const s = await admin();
    await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_A } });
    const text = [`sso=${SSO_A}`, SSO_B, `foo=1; sso=${SSO_C}; cf_clearance=zz`, SSO_B, '', '# comment', 'bad token with spaces', 'tiny'].join('\r\n');
    const r = await call('/api/admin/tokens/import', { method: 'POST', s, body: { text, tier: 'heavy' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ added: 2, duplicates: 2, rejected: 2 });
    const list = await call('/api/admin/tokens', { s });
    expect(list.json.counts).toEqual({ total: 3, active: 3, invalid: 0, disabled: 0, cooling: 0 });
    expect(list.json.data.map((t) => t.tier).sort()).toEqual(['basic', 'heavy', 'heavy']);
    const bad = await call('/api/admin/tokens/import', { method: 'POST', s, body: { text: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('text');
  });

  it('imports thousands of tokens at once (ids stay unique across randomness refills)', async () => {
    const s = await admin();
    const many = Array.from({ length: 9000 }, (_, i) => `bulk-token-${String(i).padStart(5, '0')}-abcdefgh`);
    const r = await call('/api/admin/tokens/import', { method: 'POST', s, body: { text: many.join('\n') } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ added: 9000, duplicates: 0, rejected: 0 });
    const n = await rows('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM tokens');
    expect(n[0]).toEqual({ n: 9000, ids: 9000 });
    const again = await call('/api/admin/tokens/import', { method: 'POST', s, body: { text: many.slice(0, 10).join('\n') } });
    expect(again.json).toEqual({ added: 0, duplicates: 10, rejected: 0 });
    const tooMany = Array.from({ length: 10001 }, (_, i) => `over-limit-token-${i}-abcdefgh`).join('\n');
    const big = await call('/api/admin/tokens/import', { method: 'POST', s, body: { text: tooMany } });
    expect(big.status).toBe(400);
    expect(big.json.error.param).toBe('text');
  }, 60000);

  it('lists tokens with buckets and states, never with the secret', async () => {
    const s = await admin();
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at) VALUES ('tok_a', ?1, 'basic', 1)").bind(SSO_A),
      env.DB.prepare("INSERT INTO tokens (id, sso, tier, status, status_reason, created_at) VALUES ('tok_b', ?1, 'super', 'invalid', 'auth_invalid: HTTP 401', 2)").bind(SSO_B),
      env.DB.prepare("INSERT INTO tokens (id, sso, tier, enabled, created_at) VALUES ('tok_c', ?1, 'heavy', 0, 3)").bind(SSO_C),
      env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at) VALUES ('tok_d', 'dddddddddddddddddddddddd', 'basic', 4)"),
      env.DB.prepare("INSERT INTO token_buckets (token_id, bucket, remaining, total, window_s, refreshed_at, cooling_until, cooling_reason) VALUES ('tok_a', 'fast', 12, 30, 7200, ?1, 0, NULL)").bind(now),
      env.DB.prepare("INSERT INTO token_buckets (token_id, bucket, remaining, refreshed_at, cooling_until, cooling_reason) VALUES ('tok_d', 'auto', 0, ?1, ?2, 'rate_limited')").bind(now, now + 60000),
    ]);
    const r = await call('/api/admin/tokens', { s });
    expect(r.status).toBe(200);
    for (const sso of [SSO_A, SSO_B, SSO_C, 'dddddddddddddddddddddddd']) expect(r.text).not.toContain(sso);
    expect(r.json.counts).toEqual({ total: 4, active: 1, invalid: 1, disabled: 1, cooling: 1 });
    const byId = Object.fromEntries(r.json.data.map((t) => [t.id, t]));
    expect(byId.tok_a.buckets).toEqual([{ bucket: 'fast', remaining: 12, total: 30, window_s: 7200, refreshed_at: now, cooling_until: 0, cooling_reason: null }]);
    expect(byId.tok_b).toMatchObject({ status: 'invalid', status_reason: 'auth_invalid: HTTP 401', state: 'invalid' });
    expect(byId.tok_c).toMatchObject({ enabled: false, state: 'disabled' });
    expect(byId.tok_d).toMatchObject({ state: 'cooling' });
    for (const k of ['id', 'tier', 'status', 'status_reason', 'enabled', 'note', 'masked', 'created_at', 'last_used_at', 'last_success_at', 'failures', 'consecutive_failures', 'cooldown_until', 'inflight', 'buckets']) {
      expect(byId.tok_a).toHaveProperty(k);
    }
  });

  it('edits tier, note and enabled; 404 for an unknown id; deletes', async () => {
    const s = await admin();
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_A } })).json.data.id;
    const note = '<img src=x onerror=alert(1)>';
    let r = await call(`/api/admin/tokens/${id}`, { method: 'PATCH', s, body: { tier: 'heavy', note, enabled: false } });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ id, tier: 'heavy', note, enabled: false, state: 'disabled' });
    r = await call(`/api/admin/tokens/${id}`, { method: 'PATCH', s, body: { enabled: 'yes' } });
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('enabled');
    r = await call(`/api/admin/tokens/${id}`, { method: 'PATCH', s, body: {} });
    expect(r.json.error.code).toBe('nothing_to_update');
    r = await call('/api/admin/tokens/tok_missing', { method: 'PATCH', s, body: { note: 'x' } });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('token_not_found');
    await env.DB.prepare("INSERT INTO token_buckets (token_id, bucket, refreshed_at) VALUES (?1, 'fast', 1)").bind(id).run();
    r = await call(`/api/admin/tokens/${id}`, { method: 'DELETE', s });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ deleted: true, id });
    expect(await rows('SELECT * FROM token_buckets')).toHaveLength(0);
    r = await call(`/api/admin/tokens/${id}`, { method: 'DELETE', s });
    expect(r.status).toBe(404);
    expect(await auditActions()).toEqual(expect.arrayContaining(['tokens.add', 'tokens.update', 'tokens.delete']));
  });

  it('exports the secrets only as a no-store attachment', async () => {
    const s = await admin();
    await call('/api/admin/tokens/import', { method: 'POST', s, body: { text: `${SSO_A}\n${SSO_B}` } });
    const r = await call('/api/admin/tokens/export', { s });
    expect(r.status).toBe(200);
    expect(r.res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r.res.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    expect(r.res.headers.get('cache-control')).toBe('no-store');
    expect(r.text.trim().split('\n').sort()).toEqual([SSO_A, SSO_B].sort());
    expect(await auditActions()).toContain('tokens.export');
  });
});

// The fake Grok upstream (tests/fake-grok, started by the global setup as GROK_BASE_URL).
async function fake(path, body) {
  const r = await fetch(`${env.FAKE_GROK_URL}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return r.json();
}

describe('token test and refresh', () => {
  beforeEach(async () => {
    await fake('/__fake/reset', {});
  });

  it('a failing test marks the account invalid; a passing one reactivates it and resets its counters', async () => {
    const s = await admin();
    const sso = 'tok-ok-admin-test-0123456789';
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: sso } })).json.data.id;
    expect(await fake('/__fake/scenario', { token: sso, name: '401', options: {} })).toMatchObject({ ok: true, overrides: { tokens: { [sso]: { name: '401' } } } });
    let r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: {} });
    // The fault fired: the account's requests met the 401.
    const refused = (await fake('/__fake/requests')).filter((q) => q.token === sso);
    expect(refused.map((q) => `${q.method} ${q.path} ${q.status} ${q.scenario}`)).toEqual(['GET /api/auth/session 401 401']);
    expect(r.status).toBe(200);
    expect(r.res.headers.get('content-type')).toBe('application/json');
    expect(r.json).toMatchObject({ ok: false, model: 'grok-chat-fast', failure: 'auth_invalid', reactivated: false });
    expect(r.text).not.toContain(sso);
    let tok = (await rows('SELECT * FROM tokens WHERE id = ?1', id))[0];
    expect(tok.status).toBe('invalid');
    expect(tok.failures).toBe(1);

    await fetch(`${env.FAKE_GROK_URL}/__fake/scenario?token=${encodeURIComponent(sso)}`, { method: 'DELETE' });
    await fetch(`${env.FAKE_GROK_URL}/__fake/requests`, { method: 'DELETE' });
    await env.DB.prepare('UPDATE tokens SET consecutive_failures = 4, cooldown_until = ?2 WHERE id = ?1').bind(id, Date.now() + 60000).run();
    r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: { model: 'grok-chat-fast' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, model: 'grok-chat-fast', reactivated: true });
    expect(r.json.completion_tokens).toBeGreaterThan(0);
    expect(r.text).not.toContain('chat.completion'); // the admin's answer, not the chat body
    tok = (await rows('SELECT * FROM tokens WHERE id = ?1', id))[0];
    expect(tok).toMatchObject({ status: 'active', status_reason: null, failures: 0, consecutive_failures: 0, cooldown_until: 0 });
    expect(tok.last_success_at).toBeGreaterThan(0);
    // It really went upstream as a chat on that account (the mgw socket by default), and the
    // reply shown is exactly what the fake answered.
    const sent = (await fake('/__fake/requests')).filter((q) => q.chat);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ token: sso, path: '/ws/mgw/', chat: { scenario: 'normal', mode: 'fast' } });
    expect(r.json.reply).toBe(sent[0].chat.answer);
    // The egress it used: the mgw socket on the Grok base URL (no relay set).
    expect(r.json.egress).toEqual({ transport: 'ws', url: env.GROK_BASE_URL.replace(/^http/, 'ws') });
    const audit = await rows("SELECT detail FROM audit_log WHERE action = 'tokens.test' ORDER BY id");
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[1].detail)).toMatchObject({ ok: true, reactivated: true });
    expect(audit.map((a) => a.detail).join()).not.toContain(sso);
  });

  it('reports the egress it used: the WebSocket relay of grok_ws_url, else REST on the base URL', async () => {
    const s = await admin();
    const sso = 'tok-ok-admin-egress-0123456789';
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: sso } })).json.data.id;
    // A relay that is the fake under another host name: the socket goes there.
    const relay = env.FAKE_GROK_URL.replace('127.0.0.1', 'localhost');
    expect((await call('/api/admin/settings', { method: 'PUT', s, body: { values: { grok_ws_url: relay } } })).status).toBe(200);
    let r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: {} });
    expect(r.json).toMatchObject({ ok: true, egress: { transport: 'ws', url: relay.replace(/^http/, 'ws') } });
    // A relay that refuses: auto falls back to REST on the Grok base URL, and says so.
    const dead = 'http://127.0.0.1:9';
    expect((await call('/api/admin/settings', { method: 'PUT', s, body: { values: { grok_ws_url: dead } } })).status).toBe(200);
    r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: {} });
    expect(r.json).toMatchObject({ ok: true, egress: { transport: 'rest', url: env.GROK_BASE_URL } });
    const chats = (await fake('/__fake/requests')).filter((q) => q.chat).map((q) => q.path);
    expect(chats).toEqual(['/ws/mgw/', '/rest/app-chat/conversations/new']);
  });

  it('reports the Worker binding it went through (grok_*_url = binding:NAME), and a missing one', async () => {
    const s = await admin();
    const sso = 'tok-ok-admin-binding-0123456789';
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: sso } })).json.data.id;
    const put = (values) => call('/api/admin/settings', { method: 'PUT', s, body: { values } });
    const sent = async () => (await fake('/__fake/requests')).filter((q) => q.token === sso);
    await fetch(`${env.FAKE_GROK_URL}/__fake/requests`, { method: 'DELETE' });
    // REST and (following it) the sockets through the service binding to the relay Worker.
    expect((await put({ grok_base_url: 'binding:GROK_RELAY' })).status).toBe(200);
    let r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: {} });
    expect(r.json).toMatchObject({ ok: true });
    expect(r.json.egress).toEqual({ transport: 'ws', url: env.GROK_BASE_URL.replace(/^http/, 'ws'), binding: 'GROK_RELAY' });
    let got = await sent();
    expect(got.map((q) => q.path)).toEqual(['/api/auth/session', '/ws/mgw/']);
    for (const q of got) expect(q.headers['x-g2a-relay'], q.path).toBe('grok-relay');
    expect(r.json.reply).toBe(got[1].chat.answer);
    // REST only: the chat request itself through the binding.
    await fetch(`${env.FAKE_GROK_URL}/__fake/requests`, { method: 'DELETE' });
    expect((await put({ chat_transport: 'rest' })).status).toBe(200);
    r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: {} });
    expect(r.json.egress).toEqual({ transport: 'rest', url: env.GROK_BASE_URL, binding: 'GROK_RELAY' });
    got = await sent();
    expect(got.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /rest/app-chat/conversations/new']);
    expect(got[0].headers['x-g2a-relay']).toBe('grok-relay');
    // A name the Worker does not have: the test fails saying so, and nothing reached Grok.
    await fetch(`${env.FAKE_GROK_URL}/__fake/requests`, { method: 'DELETE' });
    expect((await put({ grok_base_url: 'binding:NO_SUCH_RELAY' })).status).toBe(200);
    r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: {} });
    expect(r.json).toMatchObject({ ok: false, failure: 'egress_unavailable' });
    expect(r.json.detail).toContain("the upstream binding 'NO_SUCH_RELAY' is not bound to this Worker");
    expect(r.json.egress).toBeUndefined();
    expect(await sent()).toEqual([]);
    // The setting is checked: a binding name must be one wrangler could declare.
    r = await put({ grok_ws_url: 'binding:no-such relay' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('binding:NAME');
  });

  it('validates the model and the id', async () => {
    const s = await admin();
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_A } })).json.data.id;
    let r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: { model: 'gpt-4o' } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    r = await call(`/api/admin/tokens/${id}/test`, { method: 'POST', s, body: { model: 'grok-imagine-1.0-video' } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('model_not_supported');
    r = await call('/api/admin/tokens/tok_nope/test', { method: 'POST', s, body: {} });
    expect(r.status).toBe(404);
    r = await call('/api/admin/tokens/tok_nope/refresh', { method: 'POST', s, body: {} });
    expect(r.status).toBe(404);
  });

  it('refreshes the quota of the main buckets the tier can use', async () => {
    const s = await admin();
    const sso = 'tok-super-admin-refresh-0123';
    await fake('/__fake/config', {
      quotas: { [sso]: { fast: { remainingQueries: 25, totalQueries: 30, windowSizeSeconds: 7200 }, auto: { remainingQueries: 40, totalQueries: 50 } } },
    });
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: sso, tier: 'super' } })).json.data.id;
    const r = await call(`/api/admin/tokens/${id}/refresh`, { method: 'POST', s, body: {} });
    expect(r.status).toBe(200);
    expect(r.json.results).toEqual([
      { bucket: 'fast', ok: true },
      { bucket: 'auto', ok: true },
      { bucket: 'expert', ok: true },
    ]);
    const asked = (await fake('/__fake/requests?path=/rest/rate-limits')).map((q) => q.body.modelName);
    expect(asked).toEqual(['fast', 'auto', 'expert']);
    const byBucket = Object.fromEntries(r.json.buckets.map((b) => [b.bucket, b]));
    expect(byBucket.fast).toMatchObject({ remaining: 25, total: 30, window_s: 7200 });
    expect(byBucket.auto).toMatchObject({ remaining: 40, total: 50 });
    expect(byBucket.expert.refreshed_at).toBeGreaterThan(0);
    expect(byBucket.heavy).toBeUndefined();
    expect(r.text).not.toContain(sso);
    // An admin-set tier stays whatever the numbers say (fast 30 is a Basic shape, auto 50 a
    // Super one: the last confident evidence is reported).
    expect(r.json.tier).toEqual({ tier: 'super', source: 'admin', plan: null, detected: { tier: 'super', by: 'quota', plan: null } });
  });

  it("detects an 'auto' account's tier: a paid plan with zero numbers is paid, the numbers otherwise, shown in the tokens list", async () => {
    const s = await admin();
    const plus = 'tok-basic-admin-plan-plus-0123';
    const heavy = 'tok-heavy-admin-plan-none-0123';
    const fixed = 'tok-basic-admin-plan-fixed-0123';
    // SuperGrokPlus on weekly credits: the rate-limits answer names the plan and shows no queries.
    await fake('/__fake/config', {
      plans: { [plus]: 'SuperGrokPlus', [fixed]: [{ tier: 'SUBSCRIPTION_TIER_SUPER_GROK_PRO', status: 'SUBSCRIPTION_STATUS_ACTIVE' }] },
      quotas: { [plus]: { fast: { remainingQueries: 0, totalQueries: 0, windowSizeSeconds: 604800 } } },
    });
    const add = async (token, tier) => (await call('/api/admin/tokens', { method: 'POST', s, body: { token, tier } })).json.data;
    const a = await add(plus, 'auto');
    expect(a).toMatchObject({ tier: 'basic', tier_source: 'auto', plan: null });
    const b = await add(heavy, 'auto');
    const c = await add(fixed, 'basic');

    let r = await call(`/api/admin/tokens/${a.id}/refresh`, { method: 'POST', s, body: {} });
    expect(r.status).toBe(200);
    expect(r.json.tier).toEqual({ tier: 'super', source: 'auto', plan: 'SuperGrokPlus', detected: { tier: 'super', by: 'plan', plan: 'SuperGrokPlus' } });
    // It asked the fast bucket (a Basic account's only main bucket) and the answer named the plan.
    const asked = (await fake('/__fake/requests?path=/rest/rate-limits')).filter((q) => q.token === plus).map((q) => q.body.modelName);
    expect(asked).toEqual(['fast']);
    expect(r.json.buckets.find((x) => x.bucket === 'fast')).toMatchObject({ remaining: 0, total: 0, window_s: 604800 });

    // No plan: the fast total 400 is the Heavy shape.
    r = await call(`/api/admin/tokens/${b.id}/refresh`, { method: 'POST', s, body: {} });
    expect(r.json.tier).toEqual({ tier: 'heavy', source: 'auto', plan: null, detected: { tier: 'heavy', by: 'quota', plan: null } });
    // An admin-set tier keeps its tier; the plan (the /rest/subscriptions list shape) is recorded.
    r = await call(`/api/admin/tokens/${c.id}/refresh`, { method: 'POST', s, body: {} });
    expect(r.json.tier).toMatchObject({ tier: 'basic', source: 'admin', plan: 'SuperGrokPro', detected: { tier: 'heavy', by: 'plan' } });

    const list = (await call('/api/admin/tokens', { s })).json.data;
    const byId = Object.fromEntries(list.map((t) => [t.id, t]));
    expect(byId[a.id]).toMatchObject({ tier: 'super', tier_source: 'auto', plan: 'SuperGrokPlus' });
    expect(byId[b.id]).toMatchObject({ tier: 'heavy', tier_source: 'auto', plan: null });
    expect(byId[c.id]).toMatchObject({ tier: 'basic', tier_source: 'admin', plan: 'SuperGrokPro' });

    // PATCH back to 'auto' keeps the tier until the next refresh detects it.
    r = await call(`/api/admin/tokens/${c.id}`, { method: 'PATCH', s, body: { tier: 'auto' } });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ tier: 'basic', tier_source: 'auto' });
    r = await call(`/api/admin/tokens/${c.id}/refresh`, { method: 'POST', s, body: {} });
    expect(r.json.tier).toMatchObject({ tier: 'heavy', source: 'auto', plan: 'SuperGrokPro' });
    r = await call(`/api/admin/tokens/${c.id}`, { method: 'PATCH', s, body: { tier: 'gold' } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe('tier must be one of: basic, super, heavy, auto.');
    expect(JSON.stringify(list)).not.toContain(plus);
  });

  it("a /v1 answer on an 'auto' account sets its tier from the quota refresh after it; the missing-tier error names what the pool can serve", async () => {
    const s = await admin();
    const key = 'sk-g2a-admin-auto-tier-test';
    await env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_t', 'tier', ?1, 'sk…', 0)").bind(await sha256hex(key)).run();
    const v1 = (model) => call('/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: { model, messages: [{ role: 'user', content: 'hi' }] } });
    const sso = 'tok-ok-admin-auto-chat-0123';
    const id = (await call('/api/admin/tokens', { method: 'POST', s, body: { token: sso, tier: 'auto' } })).json.data.id;
    // Basic until detected: a Super model is refused, naming the tier it needs and what can be used.
    let r = await v1('grok-chat-expert');
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('no_available_token');
    expect(r.json.error.message).toContain("tier 'super' or above");
    expect(r.json.error.message).toContain("'basic' at best");
    expect(r.json.error.message).toContain('grok-chat-fast');
    expect(r.json.error.message).not.toContain('grok-chat-expert,');
    // A Basic model answers; the quota refresh after it reads fast 140 (the fake's Super shape).
    r = await v1('grok-chat-fast');
    expect(r.status).toBe(200);
    const asked = (await fake('/__fake/requests?path=/rest/rate-limits')).filter((q) => q.token === sso).map((q) => q.body.modelName);
    expect(asked).toEqual(['fast']);
    const tok = (await call('/api/admin/tokens', { s })).json.data.find((t) => t.id === id);
    expect(tok).toMatchObject({ tier: 'super', tier_source: 'auto', plan: null });
    // Now the Super model is served by it.
    r = await v1('grok-chat-expert');
    expect(r.status).toBe(200);
  });
});

describe('API keys', () => {
  it('creates a key shown once, stored as its SHA-256, usable on /v1', async () => {
    const s = await admin();
    const r = await call('/api/admin/keys', {
      method: 'POST',
      s,
      body: { name: 'team a', limits: { chat: 100, image: 5 }, allowed_models: ['grok-chat-fast', 'grok-4'] },
    });
    expect(r.status).toBe(201);
    const key = r.json.key;
    expect(key).toMatch(/^sk-g2a-[A-Za-z0-9_-]{32}$/);
    expect(r.json.data).toMatchObject({
      name: 'team a',
      enabled: true,
      limits: { chat: 100, heavy: -1, image: 5, video: -1 },
      allowed_models: ['grok-chat-fast', 'grok-4'],
      expires_at: null,
      usage_today: { chat: 0, heavy: 0, image: 0, video: 0 },
    });
    expect(r.json.data.hint).toBe(`sk-g2a-${key.slice(7, 11)}…${key.slice(-4)}`);
    const stored = (await rows('SELECT * FROM api_keys'))[0];
    expect(stored.key_hash).toBe(await sha256hex(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    // The key works on /v1 and nowhere is it shown again.
    const models = await call('/v1/models', { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    const list = await call('/api/admin/keys', { s });
    expect(list.text).not.toContain(key);
    expect(list.json.data).toHaveLength(1);
    for (const k of ['id', 'name', 'hint', 'enabled', 'limits', 'allowed_models', 'expires_at', 'created_at', 'last_used_at', 'usage_today']) {
      expect(list.json.data[0]).toHaveProperty(k);
    }
    const audit = await rows('SELECT detail FROM audit_log');
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('validates name, limits, models and expiry', async () => {
    const s = await admin();
    const bad = [
      [{ limits: { chat: 1 } }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'k', limits: { chat: -2 } }, 'limits.chat'],
      [{ name: 'k', limits: { heavy: 1.5 } }, 'limits.heavy'],
      [{ name: 'k', limits: { audio: 1 } }, 'limits.audio'],
      [{ name: 'k', allowed_models: ['gpt-4o'] }, 'allowed_models'],
      [{ name: 'k', allowed_models: 'grok-4' }, 'allowed_models'],
      [{ name: 'k', expires_at: Date.now() - 1000 }, 'expires_at'],
      [{ name: 'k', expires_at: '2030-01-01' }, 'expires_at'],
      [{ name: 'k', key: 'sk-mine' }, 'key'],
    ];
    for (const [body, param] of bad) {
      const r = await call('/api/admin/keys', { method: 'POST', s, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.param).toBe(param);
      expect(r.json.error.message).toContain(param.split('.')[0]);
    }
    expect(await rows('SELECT id FROM api_keys')).toHaveLength(0);
  });

  it('edits, disables (401 on /v1) and deletes a key; shows usage today', async () => {
    const s = await admin();
    const created = await call('/api/admin/keys', { method: 'POST', s, body: { name: 'k1', expires_at: Date.now() + 86400000 } });
    const { id } = created.json.data;
    const key = created.json.key;
    expect(created.json.data.expires_at).toBeGreaterThan(Date.now());
    const day = new Date(Date.now() + 480 * 60000).toISOString().slice(0, 10);
    await env.DB.prepare('INSERT INTO api_key_usage (key_id, day, chat_used, image_used) VALUES (?1, ?2, 7, 2)').bind(id, day).run();
    let r = await call(`/api/admin/keys/${id}`, { method: 'PATCH', s, body: { name: 'renamed', limits: { video: 3 }, allowed_models: [], expires_at: null } });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ name: 'renamed', limits: { chat: -1, video: 3 }, allowed_models: [], expires_at: null, usage_today: { chat: 7, image: 2 } });
    r = await call(`/api/admin/keys/${id}`, { method: 'PATCH', s, body: { enabled: false } });
    expect(r.json.data.enabled).toBe(false);
    expect((await call('/v1/models', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    r = await call(`/api/admin/keys/${id}`, { method: 'PATCH', s, body: { limits: { chat: -5 } } });
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('limits.chat');
    r = await call('/api/admin/keys/key_nope', { method: 'PATCH', s, body: { name: 'x' } });
    expect(r.status).toBe(404);
    r = await call(`/api/admin/keys/${id}`, { method: 'DELETE', s });
    expect(r.json).toEqual({ deleted: true, id });
    expect(await rows('SELECT * FROM api_key_usage')).toHaveLength(0);
    r = await call(`/api/admin/keys/${id}`, { method: 'DELETE', s });
    expect(r.status).toBe(404);
    expect(await auditActions()).toEqual(expect.arrayContaining(['keys.create', 'keys.update', 'keys.delete']));
  });

  it('lists the model ids a key can be limited to', async () => {
    const s = await admin();
    const r = await call('/api/admin/models', { s });
    expect(r.status).toBe(200);
    const ids = r.json.data.map((m) => m.id);
    expect(ids).toContain('grok-chat-fast');
    expect(r.json.data.find((m) => m.id === 'grok-4-heavy')).toMatchObject({ kind: 'chat', tier: 'heavy' });
  });
});

describe('settings', () => {
  it('lists the catalogue with secrets write-only and masked', async () => {
    const s = await admin();
    const secret = 'cf-clearance-secret-value-9876';
    let r = await call('/api/admin/settings', { method: 'PUT', s, body: { values: { cf_clearance: secret, max_retries: 5 } } });
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(secret);
    r = await call('/api/admin/settings', { s });
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(secret);
    const byKey = Object.fromEntries(r.json.data.map((x) => [x.key, x]));
    expect(byKey.cf_clearance).toMatchObject({ type: 'string', value: null, set: true, masked: '••••9876', secret: true, default: null });
    expect(byKey.max_retries).toMatchObject({ type: 'int', value: 5, set: true, default: 3, min: 1, max: 10, secret: false, masked: null });
    expect(byKey.chat_transport).toMatchObject({ type: 'enum', value: 'auto', set: false, choices: ['auto', 'ws', 'rest'] });
    expect(byKey.statsig_manual).toMatchObject({ set: false, masked: '' });
    for (const x of r.json.data) for (const k of ['key', 'type', 'value', 'set', 'masked', 'default', 'description', 'choices', 'min', 'max', 'secret']) expect(x).toHaveProperty(k);
    const stored = (await rows("SELECT value FROM settings WHERE key = 'cf_clearance'"))[0];
    expect(JSON.parse(stored.value)).toBe(secret);
    const audit = await rows("SELECT detail FROM audit_log WHERE action = 'settings.update'");
    expect(audit[0].detail).not.toContain(secret);
    expect(JSON.parse(audit[0].detail).keys).toEqual(['cf_clearance', 'max_retries']);
  });

  it('validates every field (400 naming it) and writes nothing unless all are valid', async () => {
    const s = await admin();
    let r = await call('/api/admin/settings', { method: 'PUT', s, body: { values: { max_retries: 4, first_byte_timeout_s: 0 } } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ param: 'first_byte_timeout_s', code: 'invalid_setting' });
    expect(r.json.error.message).toContain('first_byte_timeout_s');
    expect(await rows('SELECT * FROM settings')).toHaveLength(0);
    r = await call('/api/admin/settings', { method: 'PUT', s, body: { values: { admin_password: 'x' } } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ param: 'admin_password', code: 'unknown_setting' });
    r = await call('/api/admin/settings', { method: 'PUT', s, body: { values: { grok_base_url: 'ftp://x' } } });
    expect(r.json.error.param).toBe('grok_base_url');
    r = await call('/api/admin/settings', { method: 'PUT', s, body: { values: {} } });
    expect(r.status).toBe(400);
    r = await call('/api/admin/settings', { method: 'PUT', s, body: { max_retries: 4 } });
    expect(r.status).toBe(400);
  });

  it('clears a secret with "" and resets any key with null', async () => {
    const s = await admin();
    await call('/api/admin/settings', { method: 'PUT', s, body: { values: { cf_clearance: 'abcdefghijklmnop', user_agent: 'UA/1' } } });
    const r = await call('/api/admin/settings', { method: 'PUT', s, body: { values: { cf_clearance: '', user_agent: null } } });
    expect(r.status).toBe(200);
    const byKey = Object.fromEntries(r.json.data.map((x) => [x.key, x]));
    expect(byKey.cf_clearance).toMatchObject({ set: false, masked: '' });
    expect(byKey.user_agent).toMatchObject({ set: false, value: '' });
    expect(await rows('SELECT * FROM settings')).toHaveLength(0);
  });
});

async function insertLogs(list) {
  const stmt = env.DB.prepare(
    'INSERT INTO request_logs (id, ts, method, path, model, key_id, key_name, status, error_code, duration_ms, ttfb_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)',
  );
  await env.DB.batch(
    list.map((l) => stmt.bind(l.id, l.ts, 'POST', '/v1/chat/completions', l.model ?? 'grok-4', l.key_id ?? null, l.key_name ?? null, l.status ?? 200, l.error_code ?? null, 100, l.ttfb ?? 50)),
  );
}

describe('logs', () => {
  it('filters by client API through the route each row carries', async () => {
    const s = await admin();
    const now = Date.now();
    const stmt = env.DB.prepare('INSERT INTO request_logs (id, ts, method, path, status, duration_ms, route) VALUES (?1, ?2, ?3, ?4, 200, 1, ?5)');
    await env.DB.batch([
      stmt.bind('a1', now - 5000, 'POST', '/v1/chat/completions', 'chat.completions'),
      stmt.bind('a2', now - 4000, 'POST', '/v1/responses', 'responses.create'),
      stmt.bind('a3', now - 3000, 'GET', '/v1/responses/resp_1/input_items', 'responses.input_items'),
      stmt.bind('a4', now - 2000, 'POST', '/v1/messages', 'messages'),
      stmt.bind('a5', now - 1000, 'POST', '/v1/images/generations', 'images.generations'),
      stmt.bind('a6', now - 500, 'GET', '/v1/nope', null),
    ]);
    const ids = async (q) => {
      const r = await call(`/api/admin/logs${q}`, { s });
      expect(r.status, q).toBe(200);
      return r.json.data.map((x) => x.id);
    };
    expect(await ids('?api=chat')).toEqual(['a1']);
    expect(await ids('?api=responses')).toEqual(['a3', 'a2']);
    expect(await ids('?api=messages')).toEqual(['a4']);
    expect(await ids('?api=images')).toEqual(['a5']);
    expect(await ids('')).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1']);
    expect((await call('/api/admin/logs?api=responses', { s })).json.data[0].route).toBe('responses.input_items');
    const bad = await call('/api/admin/logs?api=sql%27--', { s });
    expect(bad.status).toBe(400);
  });

  it('filters by status, model and key, pages with a before cursor', async () => {
    const s = await admin();
    await env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES ('key_a', 'team a', 'h', 'sk-g2a-…', 0)").run();
    const now = Date.now();
    await insertLogs([
      { id: 'r1', ts: now - 5000, status: 200, key_id: 'key_a', key_name: 'team a' },
      { id: 'r2', ts: now - 4000, status: 429, error_code: 'rate_limit_exceeded', model: 'grok-3' },
      { id: 'r3', ts: now - 3000, status: 502, key_id: 'key_gone', key_name: 'old' },
      { id: 'r4', ts: now - 2000, status: 404, model: 'grok-3' },
      { id: 'r5', ts: now - 2000, status: 200, key_id: 'key_a', key_name: 'team a' },
      { id: 'r6', ts: now - 1000, status: 200 },
    ]);
    const ids = async (q) => {
      const r = await call(`/api/admin/logs${q}`, { s });
      expect(r.status, q).toBe(200);
      return r.json.data.map((x) => x.id);
    };
    expect(await ids('')).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    expect(await ids('?status=4xx')).toEqual(['r4', 'r2']);
    expect(await ids('?status=error')).toEqual(['r4', 'r3', 'r2']);
    expect(await ids('?status=429')).toEqual(['r2']);
    expect(await ids('?status=2xx')).toEqual(['r6', 'r5', 'r1']);
    expect(await ids('?model=grok-3')).toEqual(['r4', 'r2']);
    expect(await ids('?key=key_a')).toEqual(['r5', 'r1']);
    expect(await ids('?key=team%20a')).toEqual(['r5', 'r1']);
    expect(await ids('?key=key_gone')).toEqual(['r3']);
    expect(await ids('?status=4xx&model=grok-3&before=' + (now - 3000))).toEqual(['r2']);
    // Paging: two rows share ts now-2000; they are never split across pages.
    const seen = [];
    let before = '';
    for (let i = 0; i < 10; i++) {
      const r = await call(`/api/admin/logs?limit=2${before}`, { s });
      seen.push(...r.json.data.map((x) => x.id));
      if (r.json.next_before === null) break;
      before = `&before=${r.json.next_before}`;
    }
    expect(seen).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    const row = (await call('/api/admin/logs?status=429', { s })).json.data[0];
    for (const k of ['id', 'ts', 'method', 'path', 'model', 'key_id', 'key_name', 'status', 'error_code', 'error_message', 'duration_ms', 'ttfb_ms', 'stream', 'token_id', 'token_suffix', 'attempts', 'ip', 'prompt_tokens', 'completion_tokens']) {
      expect(row).toHaveProperty(k);
    }
    for (const bad of ['?status=abc', '?status=6xx', '?before=x', '?limit=many']) {
      const r = await call(`/api/admin/logs${bad}`, { s });
      expect(r.status, bad).toBe(400);
    }
    const clamp = await call('/api/admin/logs?limit=100000', { s });
    expect(clamp.status).toBe(200);
  });
});

describe('stats', () => {
  it('answers 24 hours, 14 days, rates, percentiles, models, pool and key counts', async () => {
    const s = await admin();
    const now = Date.now();
    await insertLogs([
      { id: 'a', ts: now - 1000, status: 200, ttfb: 100, model: 'grok-4' },
      { id: 'b', ts: now - 2000, status: 200, ttfb: 300, model: 'grok-4' },
      { id: 'c', ts: now - 3 * 3600000, status: 500, ttfb: 900, model: 'grok-3' },
      { id: 'd', ts: now - 3 * 86400000, status: 200, model: 'grok-3' },
    ]);
    await env.DB.batch([
      env.DB.prepare("INSERT INTO tokens (id, sso, created_at) VALUES ('t1', 'ssoaaaaaaaaaaaaaa', 0)"),
      env.DB.prepare("INSERT INTO tokens (id, sso, status, created_at) VALUES ('t2', 'ssobbbbbbbbbbbbbb', 'invalid', 0)"),
      env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, enabled, created_at) VALUES ('k1', 'a', 'h1', 'x', 1, 0), ('k2', 'b', 'h2', 'x', 0, 0)"),
      env.DB.prepare('DELETE FROM videos'),
      env.DB.prepare(
        "INSERT INTO videos (id, key_id, status, model, seconds, size, prompt, settings, charge_day, created_at, updated_at) VALUES ('video_1', 'k1', 'failed', 'm', '6', '480x854', 'p', '{}', 'd', 0, 0), ('video_2', 'k1', 'queued', 'm', '6', '480x854', 'p', '{}', 'd', 0, 0), ('video_3', 'k1', 'completed', 'm', '6', '480x854', 'p', '{}', 'd', 0, 0)",
      ),
    ]);
    const r = await call('/api/admin/stats', { s });
    expect(r.status).toBe(200);
    const j = r.json;
    expect(j.hourly).toHaveLength(24);
    expect(j.daily).toHaveLength(14);
    expect(j.hourly.reduce((n, h) => n + h.total, 0)).toBe(3);
    expect(j.hourly[23].success).toBeGreaterThanOrEqual(1);
    expect(j.daily.reduce((n, d) => n + d.total, 0)).toBe(4);
    expect(j.daily[13].day).toBe(new Date(now + 480 * 60000).toISOString().slice(0, 10));
    expect(j.success_rate).toBeCloseTo(2 / 3);
    expect(j.videos).toEqual({ total: 3, queued: 1, in_progress: 0, completed: 1, failed: 1 });
    expect(j.ttfb_ms).toEqual({ p50: 100, p95: 100 });
    expect(j.models).toEqual([
      { model: 'grok-4', count: 2 },
      { model: 'grok-3', count: 1 },
    ]);
    expect(j.tokens).toEqual({ total: 2, active: 1, invalid: 1, disabled: 0, cooling: 0 });
    expect(j.keys).toEqual({ total: 2, enabled: 1 });
  });

  it('counts the statsig chain steps per day and over 14 days', async () => {
    const s = await admin();
    const now = Date.now();
    const stmt = env.DB.prepare('INSERT INTO request_logs (id, ts, method, path, status, duration_ms, statsig_source) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)');
    await env.DB.batch([
      stmt.bind('s1', now - 1000, 'POST', '/v1/chat/completions', 200, 'local'),
      stmt.bind('s2', now - 2000, 'POST', '/v1/chat/completions', 200, 'local'),
      stmt.bind('s3', now - 3000, 'POST', '/v1/chat/completions', 503, 'failed'),
      stmt.bind('s4', now - 2 * 86400000, 'POST', '/v1/chat/completions', 200, 'fallback'),
      stmt.bind('s5', now - 4000, 'POST', '/v1/chat/completions', 200, null),
    ]);
    const r = await call('/api/admin/stats', { s });
    expect(r.status).toBe(200);
    expect(r.json.daily[13].statsig).toEqual({ local: 2, failed: 1 });
    expect(r.json.daily[11].statsig).toEqual({ fallback: 1 });
    expect(r.json.daily[12].statsig).toEqual({});
    expect(r.json.statsig).toEqual({ local: 2, failed: 1, fallback: 1 });
  });

  it('counts the quality guard findings per day and over 14 days', async () => {
    const s = await admin();
    const now = Date.now();
    const stmt = env.DB.prepare('INSERT INTO request_logs (id, ts, method, path, status, duration_ms, quality) VALUES (?1, ?2, ?3, ?4, 200, 1, ?5)');
    await env.DB.batch([
      stmt.bind('q1', now - 1000, 'POST', '/v1/chat/completions', 'loop:retried'),
      stmt.bind('q2', now - 2000, 'POST', '/v1/chat/completions', 'loop:cut'),
      stmt.bind('q3', now - 3000, 'POST', '/v1/chat/completions', 'loop:retried'),
      stmt.bind('q4', now - 86400000, 'POST', '/v1/chat/completions', 'empty:retried'),
      stmt.bind('q5', now - 4000, 'POST', '/v1/chat/completions', null),
    ]);
    const r = await call('/api/admin/stats', { s });
    expect(r.status).toBe(200);
    expect(r.json.daily[13].quality).toEqual({ 'loop:retried': 2, 'loop:cut': 1 });
    expect(r.json.daily[12].quality).toEqual({ 'empty:retried': 1 });
    expect(r.json.quality).toEqual({ 'loop:retried': 2, 'loop:cut': 1, 'empty:retried': 1 });
  });

  it('stays fast with 100k log rows (measured, not asserted)', async () => {
    const s = await admin();
    const now = Date.now();
    const t0 = Date.now();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
       INSERT INTO request_logs (id, ts, method, path, model, key_id, status, duration_ms, ttfb_ms)
       SELECT 'p' || i, ?1 - i * 12096, 'POST', '/v1/chat/completions',
              CASE i % 4 WHEN 0 THEN 'grok-4' WHEN 1 THEN 'grok-3' ELSE 'grok-chat-fast' END,
              CASE i % 7 WHEN 0 THEN 'key_a' ELSE NULL END,
              CASE WHEN i % 10 = 0 THEN 429 ELSE 200 END, 500, i % 1000 FROM n`,
    )
      .bind(now)
      .run();
    const inserted = Date.now() - t0;
    expect((await rows('SELECT COUNT(*) AS n FROM request_logs'))[0].n).toBe(100000);
    const timings = [];
    let last;
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      last = await call('/api/admin/stats', { s });
      timings.push(Date.now() - t);
      expect(last.status).toBe(200);
    }
    expect(last.json.daily.reduce((n, d) => n + d.total, 0)).toBeGreaterThan(90000);
    expect(last.json.hourly.reduce((n, h) => n + h.total, 0)).toBeGreaterThan(6000);
    expect(last.json.ttfb_ms.p50).not.toBeNull();
    const lt = Date.now();
    const logs = await call('/api/admin/logs?key=key_a&status=2xx&limit=200', { s });
    const logsMs = Date.now() - lt;
    expect(logs.json.data).toHaveLength(200);
    console.log(`[admin stats] 100k request_logs rows: insert ${inserted} ms; GET /api/admin/stats ${timings.join(' / ')} ms; filtered GET /api/admin/logs ${logsMs} ms`);
  }, 120000);
});

describe('media cache', () => {
  async function seedCache(n) {
    const now = Date.now();
    const stmt = env.DB.prepare(
      'INSERT INTO media_cache (key, media_id, upstream_url, content_type, size, etag, created_at, expires_at, last_access_at, hits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9)',
    );
    const list = [];
    for (let i = 0; i < n; i++) {
      const key = `media:${String(i).padStart(4, '0')}`;
      list.push(stmt.bind(key, `m${i}`, `https://assets.grok.com/${i}.png`, 'image/png', 100 + i, `"e${i}"`, now - i * 1000, now + 86400000, i));
      await env.KV_CACHE.put(key, `body-${i}`);
    }
    await env.DB.batch(list);
  }

  it('lists with totals and a cursor, deletes one entry from D1 and KV', async () => {
    const s = await admin();
    await seedCache(5);
    let r = await call('/api/admin/cache?limit=2', { s });
    expect(r.status).toBe(200);
    expect(r.json.count).toBe(5);
    expect(r.json.bytes).toBe(100 + 101 + 102 + 103 + 104);
    expect(r.json.data.map((x) => x.key)).toEqual(['media:0000', 'media:0001']);
    expect(r.json.data[0]).toMatchObject({ media_id: 'm0', content_type: 'image/png', size: 100, hits: 0 });
    const seen = [...r.json.data.map((x) => x.key)];
    while (r.json.next_cursor) {
      r = await call(`/api/admin/cache?limit=2&cursor=${encodeURIComponent(r.json.next_cursor)}`, { s });
      seen.push(...r.json.data.map((x) => x.key));
    }
    expect(seen).toEqual(['media:0000', 'media:0001', 'media:0002', 'media:0003', 'media:0004']);
    expect((await call('/api/admin/cache?cursor=garbage', { s })).status).toBe(400);

    r = await call(`/api/admin/cache/${encodeURIComponent('media:0002')}`, { method: 'DELETE', s });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ deleted: true, key: 'media:0002' });
    expect(await env.KV_CACHE.get('media:0002')).toBeNull();
    expect(await env.KV_CACHE.get('media:0001')).toBe('body-1');
    r = await call(`/api/admin/cache/${encodeURIComponent('media:0002')}`, { method: 'DELETE', s });
    expect(r.status).toBe(404);
  });

  it('clears everything in KV_CLEANUP_BATCH batches, reporting what is left', async () => {
    const s = await admin();
    await seedCache(7);
    const small = { ...env, KV_CLEANUP_BATCH: '2' };
    let total = 0;
    let r;
    for (let i = 0; i < 10; i++) {
      r = await call('/api/admin/cache/clear', { method: 'POST', s, body: {}, envOverride: small });
      expect(r.status).toBe(200);
      total += r.json.deleted;
      if (r.json.done) break;
    }
    expect(total).toBe(7);
    expect(r.json).toMatchObject({ remaining: 0, done: true });
    expect(await rows('SELECT * FROM media_cache')).toHaveLength(0);
    for (let i = 0; i < 7; i++) expect(await env.KV_CACHE.get(`media:${String(i).padStart(4, '0')}`)).toBeNull();
    expect(await auditActions()).toContain('cache.clear');
  });
});

describe('audit', () => {
  it('records every write with who, what and when, lists newest first with a cursor', async () => {
    const s = await admin();
    await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_A } });
    await call('/api/admin/tokens/import', { method: 'POST', s, body: { text: SSO_B } });
    await call('/api/admin/keys', { method: 'POST', s, body: { name: 'audit me' } });
    const r = await call('/api/admin/audit', { s });
    expect(r.status).toBe(200);
    const actions = r.json.data.map((a) => a.action);
    expect(actions).toEqual(['keys.create', 'tokens.import', 'tokens.add', 'password.change', 'session.login']);
    const first = r.json.data[0];
    expect(first).toMatchObject({ username: 'admin', action: 'keys.create', ip: '198.51.100.7' });
    expect(first.ts).toBeGreaterThan(Date.now() - 60000);
    expect(first.detail).toMatchObject({ name: 'audit me' });
    expect(r.json.data[1].detail).toMatchObject({ added: 1, duplicates: 0, rejected: 0 });
    expect(r.text).not.toContain(SSO_A);
    expect(r.text).not.toContain(SSO_B);
    expect(r.text).not.toContain(NEW_PASSWORD);
    const page = await call('/api/admin/audit?limit=2', { s });
    expect(page.json.data).toHaveLength(2);
    expect(page.json.next_before === null || typeof page.json.next_before === 'number').toBe(true);
    // Nothing is recorded for refused writes.
    const before = (await rows('SELECT COUNT(*) AS n FROM audit_log'))[0].n;
    await call('/api/admin/keys', { method: 'POST', s, body: { name: '' } });
    await call('/api/admin/tokens', { method: 'POST', s, body: { token: SSO_A }, csrf: '' });
    expect((await rows('SELECT COUNT(*) AS n FROM audit_log'))[0].n).toBe(before);
  });
});
