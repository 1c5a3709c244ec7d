// Helpers for end-to-end tests: SQL against the running Worker's local D1 (its SQLite file,
// tests/lib/local-d1.mjs), key and pool fixtures, the fake upstream's control API, and the
// official openai client pointed at the Worker.
import { createHash } from 'node:crypto';
import { inject } from 'vitest';
import OpenAI from 'openai';
import { expect } from 'vitest';
import { fakeControl } from '../fake-grok/control-client.mjs';
import { localSql } from '../lib/local-d1.mjs';

export const baseUrl = inject('baseUrl');
export const fakeUrl = inject('fakeUrl');
export const fakeAssetsUrl = inject('fakeAssetsUrl');
const statePath = inject('statePath');
// The fake's control API; every switch and call checks the fake's answer.
export const upstream = fakeControl(fakeUrl);

const q = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

// Runs SQL statements as one transaction; returns the rows of the last one.
export function sql(statements) {
  return localSql(statePath, statements);
}

export function keyHash(key) {
  return createHash('sha256').update(key).digest('hex');
}

// Creates an API key row and returns the plaintext key.
export async function createKey({ id = `key_${Math.random().toString(16).slice(2, 10)}`, name = 'e2e', limits = {}, allowed = [] } = {}) {
  const key = `sk-g2a-${id}-${Math.random().toString(36).slice(2)}`;
  await sql([
    `INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, heavy_limit, image_limit, video_limit, allowed_models, created_at)
     VALUES (${q(id)}, ${q(name)}, ${q(keyHash(key))}, 'sk-g2a-…', ${limits.chat ?? -1}, ${limits.heavy ?? -1}, ${limits.image ?? -1}, ${limits.video ?? -1}, ${q(JSON.stringify(allowed))}, 0)`,
  ]);
  return key;
}

// The chat buckets a token's quota is known for when a test gives none: known and fresh, so that
// no quota refresh (background upstream work after an answer) runs during the e2e suites; the
// refresh itself is tested in tests/workers/chat.test.js.
const FRESH_BUCKETS = ['auto', 'fast', 'expert', 'heavy'].map((bucket) => ({ bucket, remaining: 1000 }));

// Replaces the whole pool with these tokens: [{id, sso, tier, last_used_at, buckets:[{bucket, cooling_until, remaining}]}].
export async function setPool(tokens) {
  const stmts = ['DELETE FROM token_buckets', 'DELETE FROM tokens'];
  for (const t of tokens) {
    stmts.push(
      `INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES (${q(t.id)}, ${q(t.sso)}, ${q(t.tier || 'super')}, 0, ${t.last_used_at ?? 0})`,
    );
    const given = new Set((t.buckets || []).map((b) => b.bucket));
    for (const b of [...(t.buckets || []), ...FRESH_BUCKETS.filter((f) => !given.has(f.bucket))]) {
      stmts.push(
        `INSERT INTO token_buckets (token_id, bucket, remaining, refreshed_at, cooling_until) VALUES (${q(t.id)}, ${q(b.bucket)}, ${b.remaining ?? 'NULL'}, ${b.refreshed_at ?? Date.now()}, ${b.cooling_until ?? 0})`,
      );
    }
  }
  await sql(stmts);
}

export async function logRow(requestId) {
  const rows = await sql([`SELECT * FROM request_logs WHERE id = ${q(requestId)}`]);
  return rows[0];
}

// Polls until the request's log row exists (it is written after the response ends).
export async function waitForLog(requestId, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await logRow(requestId);
    if (row || Date.now() > until) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function fake(pathname, init) {
  const res = await fetch(`${fakeUrl}/__fake/${pathname}`, init);
  return res.json();
}

export async function fakeRequests(prefix = '') {
  return fake(`requests?path=${encodeURIComponent(prefix)}`);
}

// A fresh record for the next test: once every exchange of the previous one has ended (no
// response or socket open at the fake), the record and the overrides are cleared. No quota
// refresh runs after an answer (setPool's buckets are fresh), so nothing lands later.
export async function resetFake() {
  await upstream.settled(10000);
  await upstream.clearRequests();
  await upstream.clearScenarios();
}

// The one chat attempt the fake recorded since the last reset, checked against what the test
// sent (mode, prompt as flattened, attachments): returns the fake's record, whose `chat.answer`
// is the whole text it answered. An answer the gateway made up without asking Grok fails here.
export async function expectOneChat({ mode, prompt, files = 0, scenario = 'normal' }) {
  const chats = await upstream.chats();
  expect(chats.map((e) => `${e.path} ${e.status}`)).toHaveLength(1);
  const [e] = chats;
  expect(e.chat, `${e.path} got no answer`).toBeTruthy();
  expect(e.chat).toMatchObject({ mode, prompt, scenario });
  expect(e.chat.files).toHaveLength(files);
  return e;
}

// Grok's ids of an answer as the fake recorded them (a new REST chat or an mgw turn): the
// conversation and the assistant response a follow-up names as its parent.
export const grokIds = (e) => ({ c: e.response?.conversationId ?? e.chat.conversationId, r: e.response?.responseId ?? e.chat.responseId });

export function client(apiKey, opts = {}) {
  return new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 30000, ...opts });
}
