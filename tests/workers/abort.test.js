// Clients that leave: a streamed chat the client cancels — before the answer, in the middle of
// it, or right after its last byte — on both transports, again and again. Each must free the
// account's in-flight slot, leave exactly one log row, and charge the key for what was delivered
// (a refund only when nothing of the answer reached the client).
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';

const KEY = 'sk-g2a-workers-abort-test';
const dec = new TextDecoder();

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function fake(path, body) {
  const r = await fetch(`${env.FAKE_GROK_URL}/__fake/${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  return r.json();
}

async function setting(key, value) {
  await env.DB.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .bind(key, JSON.stringify(value))
    .run();
}

// A streamed chat the client cancels once `leave(text so far)` says so (or never). Resolves
// after the Worker finished everything it does for the request.
async function streamAndLeave(leave) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://gw.test/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-4', stream: true, messages: [{ role: 'user', content: `count: ${'n '.repeat(200)}` }] }),
    }),
    env,
    ctx,
  );
  let text = '';
  let left = false;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      if (leave(text)) {
        await reader.cancel();
        left = true;
        break;
      }
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value);
    }
  }
  await waitOnExecutionContext(ctx);
  return { res, text, left };
}

const usage = async () => (await env.DB.prepare("SELECT chat_used FROM api_key_usage WHERE key_id = 'key_a'").first())?.chat_used ?? 0;
const inflight = async () => (await env.DB.prepare("SELECT inflight FROM tokens WHERE id = 'tok_s'").first()).inflight;
const rows = async () => (await env.DB.prepare('SELECT status, error_code FROM request_logs ORDER BY ts').all()).results;

beforeEach(async () => {
  await fake('reset', {});
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_a', 'abort', ?1, 'sk…', -1, 0)").bind(await sha256hex(KEY)),
    // One account: a slot it never gets back shows at once.
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_s', 'tok-slow-s', 'super', 0, 0)"),
    env.DB.prepare("INSERT INTO token_buckets (token_id, bucket, remaining, refreshed_at) VALUES ('tok_s', 'auto', 1000, ?1)").bind(Date.now()),
  ]);
});

for (const transport of ['rest', 'ws']) {
  describe(`a client that leaves (${transport})`, () => {
    beforeEach(async () => {
      await setting('chat_transport', transport);
      // ~200 words, one per frame 20 ms apart: about 4 s of answer.
      const set = await fake('scenario', { token: 'tok-slow-s', name: 'slow', options: { frames: 200, gapMs: 20 } });
      expect(set).toMatchObject({ ok: true, overrides: { tokens: { 'tok-slow-s': { name: 'slow' } } } });
    });

    it('mid-stream, five times in a row: each frees the slot, leaves one 499 row and is charged', async () => {
      for (let i = 1; i <= 5; i++) {
        const r = await streamAndLeave((t) => (t.match(/"content":"[^"]/g) || []).length >= 3);
        expect(r.res.status).toBe(200);
        expect(r.left).toBe(true); // the fault fired: the client went away with the answer unfinished
        expect(r.text).not.toContain('[DONE]');
        expect(await inflight()).toBe(0);
        expect(await rows()).toHaveLength(i);
        expect((await rows()).at(-1)).toEqual({ status: 499, error_code: 'client_closed_request' });
        expect(await usage()).toBe(i); // what was delivered is charged
      }
      const seen = await fake(`requests?path=${encodeURIComponent(transport === 'ws' ? '/ws/mgw/' : '/rest/app-chat/conversations/new')}`);
      expect(seen).toHaveLength(5);
      for (const e of seen) expect(e.scenario).toBe('slow'); // each met the slow answer it left
    });

    it('after the last byte: the answer is complete, charged once, slot free', async () => {
      const r = await streamAndLeave((t) => t.includes('data: [DONE]'));
      expect(r.left).toBe(true);
      expect(await inflight()).toBe(0);
      expect(await rows()).toEqual([{ status: 200, error_code: null }]);
      expect(await usage()).toBe(1);
    });

    it('a key with a daily limit of 1 cannot get a second answer by leaving after the text', async () => {
      await env.DB.prepare("UPDATE api_keys SET chat_limit = 1 WHERE id = 'key_a'").run();
      const first = await streamAndLeave((t) => (t.match(/"content":"[^"]/g) || []).length >= 3);
      expect(first.left).toBe(true);
      const second = await streamAndLeave(() => false);
      expect(second.res.status).toBe(429);
      expect(JSON.parse(second.text).error.code).toBe('insufficient_quota');
      expect(await inflight()).toBe(0);
    });
  });
}
