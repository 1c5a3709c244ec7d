// Fixtures for the fault-injection tests (faults.test.js). D1 is written once (seed) and
// everything per test goes through the Worker's own admin API, as an operator would: a
// dedicated admin user (no forced password change), the pool switched per test by enabling
// that test's accounts, settings through PUT, token state and request logs read back through GET. Upstream faults are set on the fake's control API.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { uidFor } from '../fake-grok/util.mjs';
import { baseUrl, fake, fakeRequests, keyHash, sql, upstream } from './helpers.js';

const q = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

export const ADMIN_USER = 'faults-e2e';
const ADMIN_PASSWORD = 'fault-injection-e2e-password';
export const KEY_ID = 'key_faults_e2e';
export const KEY_NAME = 'faults-e2e';

// Settings every fault test runs under: short timeouts (total_timeout_s cannot go below 10),
// enough in-flight room for the storms, and the default failure threshold.
export const BASE_SETTINGS = {
  first_byte_timeout_s: 2,
  idle_timeout_s: 2,
  total_timeout_s: 10,
  token_max_inflight: 50,
  max_retries: 3,
  failure_threshold: 3,
  chat_transport: 'auto',
};

// One SQL batch: replaces the pool with `tokens` (all disabled; tests enable theirs), adds the
// admin user and the API key. tokens: [{id, sso, remaining}]. Returns the plaintext key.
export async function seed(tokens) {
  const salt = randomBytes(16).toString('base64');
  const iter = 1000;
  const hash = pbkdf2Sync(ADMIN_PASSWORD, Buffer.from(salt, 'base64'), iter, 32, 'sha256').toString('base64');
  const key = `sk-g2a-faults-${randomBytes(9).toString('hex')}`;
  const now = Date.now();
  const stmts = [
    'DELETE FROM token_buckets',
    'DELETE FROM tokens',
    `DELETE FROM admin_users WHERE username = ${q(ADMIN_USER)}`,
    `INSERT INTO admin_users (username, password_hash, password_salt, password_iter, must_change_password, created_at) VALUES (${q(ADMIN_USER)}, ${q(hash)}, ${q(salt)}, ${iter}, 0, 0)`,
    `DELETE FROM api_keys WHERE id = ${q(KEY_ID)}`,
    `INSERT INTO api_keys (id, name, key_hash, key_hint, created_at) VALUES (${q(KEY_ID)}, ${q(KEY_NAME)}, ${q(keyHash(key))}, 'sk-g2a-…', 0)`,
  ];
  for (const t of tokens) {
    stmts.push(
      `INSERT INTO tokens (id, sso, tier, enabled, user_id, created_at) VALUES (${q(t.id)}, ${q(t.sso)}, 'super', 0, ${q(uidFor(t.sso))}, 0)`,
      // Known quota, refreshed now: the pool ranks by it (faulty accounts first) and no
      // background quota refresh runs while the file does.
      `INSERT INTO token_buckets (token_id, bucket, remaining, total, window_s, refreshed_at) VALUES (${q(t.id)}, 'auto', ${t.remaining}, 1000, 7200, ${now})`,
    );
  }
  // The previous test file's last log rows may still be being written: sql() waits for them.
  await sql(stmts);
  return key;
}

// A logged-in admin session (cookie + CSRF token) for the admin API.
export async function adminSession() {
  const res = await fetch(`${baseUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`admin login: ${res.status} ${await res.text()}`);
  const { csrf_token: csrf } = await res.json();
  const cookie = /g2a_session=[^;]+/.exec(res.headers.get('set-cookie'))[0];
  const call = async (method, path, body) => {
    const r = await fetch(`${baseUrl}/api/admin/${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, origin: baseUrl, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const j = await r.json();
    if (r.status >= 400) throw new Error(`admin ${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  return {
    get: (p) => call('GET', p),
    put: (p, b) => call('PUT', p, b),
    patch: (p, b) => call('PATCH', p, b),
  };
}

// Every token as the admin API shows it, by id.
export async function tokenStates(admin) {
  const { data } = await admin.get('tokens');
  return Object.fromEntries(data.map((t) => [t.id, t]));
}

// The part of a token's state that only failures change (what "untouched" means for an account
// that served or was not asked).
export function health(t) {
  return {
    status: t.status,
    status_reason: t.status_reason,
    failures: t.failures,
    consecutive_failures: t.consecutive_failures,
    cooldown_until: t.cooldown_until,
    inflight: t.inflight,
    buckets: t.buckets.map((b) => ({ bucket: b.bucket, cooling_until: b.cooling_until, cooling_reason: b.cooling_reason })),
  };
}

// This file's request log rows since `since` (ms), newest first.
export async function logsSince(admin, since) {
  const out = [];
  let before = '';
  for (;;) {
    const page = await admin.get(`logs?key=${KEY_ID}&limit=200${before}`);
    for (const r of page.data) if (r.ts >= since) out.push(r);
    if (!page.next_before || page.data.length === 0 || page.data.at(-1).ts < since) return out;
    before = `&before=${page.next_before}`;
  }
}

// Polls until a log row exists for every id (rows are written after the response ends), then
// checks that these are the only rows since `since`: exactly one row per request.
export async function expectOneLogRowEach(admin, since, ids, timeoutMs = 15000) {
  const until = Date.now() + timeoutMs;
  let rows;
  for (;;) {
    rows = await logsSince(admin, since);
    const have = new Set(rows.map((r) => r.id));
    if (ids.every((id) => have.has(id)) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

// Waits until the fake has no HTTP response or WebSocket open, then returns what it recorded
// (optionally only paths starting with `prefix`). Every recorded upstream exchange must have
// ended (endedBy set): nothing is left dangling.
export async function upstreamClosed(prefix = '', timeoutMs = 8000) {
  const until = Date.now() + timeoutMs;
  let stats;
  for (;;) {
    stats = await fake('stats');
    if ((stats.open.http === 0 && stats.open.ws === 0) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(stats.open).toEqual({ http: 0, ws: 0 });
  const all = await fakeRequests();
  for (const e of all) expect(e.endedBy, `${e.method} ${e.path} still open`).not.toBeNull();
  return prefix ? all.filter((e) => e.path.startsWith(prefix)) : all;
}

// Sets a fault on one account; throws unless the fake reports holding exactly that switch (an
// unknown scenario, option or an unreachable path is refused by the fake).
export async function injectFault(sso, name, options = {}) {
  const held = await upstream.setScenario({ token: sso, name, options });
  expect(held).toMatchObject({ name, options });
}
