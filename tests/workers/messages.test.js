// The Anthropic Messages API inside workerd with the real wasm core, D1 and the fake upstream:
// x-api-key auth, Anthropic's error shapes (400/401/404/405/413/429), the model mapping (checked
// in the request the fake received, default and stored setting), thinking blocks signed with a
// stored secret and verified when sent back, count_tokens (local, uncharged, the same number as
// usage.input_tokens), GET /v1/models in Anthropic's shape, and one log row per request.
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const KEY = 'sk-g2a-workers-messages-test';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// One request through the Worker with Anthropic's headers (x-api-key unless key is null).
async function send(path, { body, method = 'POST', key = KEY, e = env, headers = {} } = {}) {
  const h = { 'anthropic-version': '2023-06-01', ...headers };
  if (key !== null) h['x-api-key'] = key;
  if (body !== undefined) h['content-type'] = 'application/json';
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://gw.test${path}`, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) }),
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

const messages = (body, opts) => send('/v1/messages', { body: { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'hello' }], ...body }, ...opts });

// Named SSE events as {event, data}.
function events(text) {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [ev, data] = block.split('\n');
      expect(ev.startsWith('event: ')).toBe(true);
      expect(data.startsWith('data: ')).toBe(true);
      return { event: ev.slice(7), data: JSON.parse(data.slice(6)) };
    });
}

const logRows = async () => (await env.DB.prepare('SELECT * FROM request_logs ORDER BY ts').all()).results;
const chats = async () => fake.chats();

// Checks an Anthropic error answer and the one log row it left.
async function expectAnthropicError(r, status, type) {
  expect(r.res.status).toBe(status);
  expect(r.json).toMatchObject({ type: 'error', error: { type } });
  expect(typeof r.json.error.message).toBe('string');
  expect(r.json.request_id).toBe(r.res.headers.get('x-request-id'));
}

async function setting(key, value) {
  await env.DB.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .bind(key, JSON.stringify(value))
    .run();
}

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_m', 'messages', ?1, 'sk…', -1, 0)").bind(
      await sha256hex(KEY),
    ),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_a', 'tok-ok-messages', 'super', 0, 0)"),
  ]);
});

describe('messages in workerd', () => {
  it('answers with x-api-key in the message shape, the Claude name mapped to a Grok mode', async () => {
    const r = await messages({ model: 'claude-haiku-4-5', system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] });
    expect(r.res.status).toBe(200);
    const [sent] = await chats();
    expect(sent.chat).toMatchObject({ mode: 'fast', prompt: 'system: Be brief.\n\nhello' });
    expect(r.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: sent.chat.answer }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(r.json.id).toMatch(/^msg_[0-9a-f]{24}$/);
    expect(r.json.usage.input_tokens).toBeGreaterThan(0);
    expect(r.json.usage.output_tokens).toBeGreaterThan(0);
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 200, path: '/v1/messages', model: 'grok-chat-fast', key_id: 'key_m', attempts: 1, token_id: 'tok_a' });
  });

  it('maps opus and sonnet by default, and follows a stored mapping', async () => {
    await messages({ model: 'claude-opus-4-8' });
    // Claude Code appends ?beta=true.
    const beta = await send('/v1/messages?beta=true', { body: { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] } });
    expect(beta.res.status).toBe(200);
    await setting('claude_model_map', 'sonnet=grok-4.1-fast');
    await messages({ model: 'claude-sonnet-4-6' });
    expect((await chats()).map((c) => c.chat.mode)).toEqual(['expert', 'auto', 'fast']);
    expect((await logRows()).map((r) => r.model)).toEqual(['grok-chat-expert', 'grok-chat-auto', 'grok-4.1-fast']);
    // No rule for the id (the stored map has no *): 404 in Anthropic's shape, nothing upstream.
    const miss = await messages({ model: 'gpt-4o' });
    await expectAnthropicError(miss, 404, 'not_found_error');
    expect(await chats()).toHaveLength(3);
  });

  it('streams named events and signs thinking, verifies it when sent back, refuses a forged one', async () => {
    const r = await messages({
      model: 'claude-sonnet-4-6',
      stream: true,
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: '[[scenario:thinking]] why is the sky blue' }],
    });
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get('content-type')).toContain('text/event-stream');
    const evs = events(r.text);
    expect(evs[0].event).toBe('message_start');
    expect(evs[1].event).toBe('ping');
    expect(evs.at(-2).event).toBe('message_delta');
    expect(evs.at(-1).event).toBe('message_stop');
    const starts = evs.filter((e) => e.event === 'content_block_start').map((e) => [e.data.index, e.data.content_block.type]);
    expect(starts).toEqual([
      [0, 'thinking'],
      [1, 'text'],
    ]);
    const thinking = evs.filter((e) => e.data.delta?.type === 'thinking_delta').map((e) => e.data.delta.thinking).join('');
    const signature = evs.find((e) => e.data.delta?.type === 'signature_delta').data.delta.signature;
    const text = evs.filter((e) => e.data.delta?.type === 'text_delta').map((e) => e.data.delta.text).join('');
    const [sent] = await chats();
    expect(sent.chat.scenario).toBe('thinking');
    expect(text).toBe(sent.chat.answer);
    expect(thinking).toContain('Considering the request');
    expect(signature).toMatch(/^g2a1\./);
    // The secret was stored on first use and is never shown.
    const stored = await env.DB.prepare("SELECT value FROM settings WHERE key = 'thinking_signing_key'").first();
    expect(JSON.parse(stored.value).length).toBeGreaterThanOrEqual(32);
    expect(r.text).not.toContain(JSON.parse(stored.value));

    const history = (sig) => ({
      model: 'claude-sonnet-4-6',
      messages: [
        { role: 'user', content: 'why is the sky blue' },
        { role: 'assistant', content: [{ type: 'thinking', thinking, signature: sig }, { type: 'text', text }] },
        { role: 'user', content: 'and at sunset?' },
      ],
    });
    const back = await messages(history(signature));
    expect(back.res.status).toBe(200);
    const forged = await messages(history(signature.slice(0, -2) + 'AA'));
    await expectAnthropicError(forged, 400, 'invalid_request_error');
    expect(forged.json.error.message).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
    expect(await chats()).toHaveLength(2);
    expect((await logRows()).map((x) => x.status)).toEqual([200, 200, 400]);
  });

  it('counts tokens locally with the estimate usage reports, uncharged, one log row', async () => {
    await env.DB.prepare("UPDATE api_keys SET chat_limit = 1 WHERE id = 'key_m'").run();
    const body = { model: 'claude-sonnet-4-6', system: 'You are terse.', messages: [{ role: 'user', content: 'Count these words, please: one two three.' }] };
    const counted = await send('/v1/messages/count_tokens', { body });
    expect(counted.res.status).toBe(200);
    expect(Object.keys(counted.json)).toEqual(['input_tokens']);
    expect(await chats()).toHaveLength(0);
    expect(await env.DB.prepare('SELECT * FROM api_key_usage').all().then((x) => x.results.filter((u) => u.chat > 0))).toEqual([]);
    const answered = await messages(body);
    expect(answered.json.usage.input_tokens).toBe(counted.json.input_tokens);
    // The one allowed chat went to the answer, not to the count: the next answer is refused.
    const over = await messages(body);
    await expectAnthropicError(over, 429, 'rate_limit_error');
    const rows = await logRows();
    expect(rows.map((x) => [x.path, x.status])).toEqual([
      ['/v1/messages/count_tokens', 200],
      ['/v1/messages', 200],
      ['/v1/messages', 429],
    ]);
    expect(rows[0].prompt_tokens).toBe(counted.json.input_tokens);
  });

  it('writes every refusal in Anthropic shape: 400, 401, 404, 405, 413', async () => {
    const noMax = await send('/v1/messages', { body: { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] } });
    await expectAnthropicError(noMax, 400, 'invalid_request_error');
    expect(noMax.json.error.message).toBe('max_tokens: Field required');
    const badJson = await send('/v1/messages', { body: '{"model":' });
    await expectAnthropicError(badJson, 400, 'invalid_request_error');
    const noKey = await messages({}, { key: null });
    await expectAnthropicError(noKey, 401, 'authentication_error');
    const wrongKey = await messages({}, { key: 'sk-nope' });
    await expectAnthropicError(wrongKey, 401, 'authentication_error');
    const unknownPath = await send('/v1/messages/batches', { body: {} });
    await expectAnthropicError(unknownPath, 404, 'not_found_error');
    const get = await send('/v1/messages', { method: 'GET' });
    await expectAnthropicError(get, 405, 'invalid_request_error');
    const big = await send('/v1/messages', { body: { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x'.repeat(4096) }] }, e: { ...env, MAX_REQUEST_BYTES: '2048' } });
    await expectAnthropicError(big, 413, 'request_too_large');
    expect(await chats()).toHaveLength(0);
    // One row per request made with the stored key; none for the missing or unknown key (counted).
    const rows = await logRows();
    expect(rows.map((x) => x.status).sort()).toEqual([400, 400, 404, 405, 413]);
    expect(rows.every((x) => x.key_id === 'key_m')).toBe(true);
  });

  it('ends a stream that fails after its first byte with an error event', async () => {
    await fake.setScenario({ token: 'tok-ok-messages', name: 'eof' });
    const r = await messages({ stream: true, messages: [{ role: 'user', content: 'a long answer please' }] });
    expect(r.res.status).toBe(200);
    const evs = events(r.text);
    expect(evs[0].event).toBe('message_start');
    expect(evs.at(-1).event).toBe('error');
    expect(evs.at(-1).data).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
    expect(evs.some((e) => e.event === 'message_stop')).toBe(false);
    const rows = await logRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 200, error_code: 'upstream_error', attempts: 1 });
    // The text before the cut reached the client as text deltas of block 0.
    const text = evs.filter((e) => e.data.delta?.type === 'text_delta').map((e) => e.data.delta.text).join('');
    expect(text.length).toBeGreaterThan(0);
    expect((await chats())[0].chat.answer.startsWith(text)).toBe(true);
  });

  it('lists models in Anthropic shape when asked with anthropic-version', async () => {
    const r = await send('/v1/models', { method: 'GET' });
    expect(r.res.status).toBe(200);
    expect(r.json.has_more).toBe(false);
    expect(r.json.data[0]).toEqual({ type: 'model', id: r.json.first_id, display_name: expect.any(String), created_at: '2026-01-01T00:00:00Z' });
    expect(r.json.data.at(-1).id).toBe(r.json.last_id);
    const one = await send('/v1/models/grok-4', { method: 'GET' });
    expect(one.json).toEqual({ type: 'model', id: 'grok-4', display_name: 'Grok 4', created_at: '2026-01-01T00:00:00Z' });
    const missing = await send('/v1/models/claude-nope', { method: 'GET' });
    await expectAnthropicError(missing, 404, 'not_found_error');
  });
});
