// Every upstream scenario of the fake that chat completions can meet, played through the real
// Worker inside workerd, on the transport where it exists: answers carried differently (garbage
// lines, `data:` prefixes, the output_text.delta path, search with a citation) must arrive as
// exactly the text the fake sent; failures (in-band usage limit, moderation, model unavailable,
// an upstream 400, an mgw error event, a blocked account, an empty answer) must fail over to the
// next account or end in the right OpenAI error, with the right account state and one log row.
// Each test checks that the fault fired: the fake holds the switch, and its record shows the
// faulty attempt with that scenario.
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const KEY = 'sk-g2a-workers-scenarios';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// One chat completion; SSE bodies are parsed into {content, reasoning, error, done}.
async function chat(body) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://gw.test/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-4', ...body }),
    }),
    env,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  if (body.stream && (res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const out = { content: '', reasoning: '', error: null, done: false };
    for (const block of text.split('\n\n').filter(Boolean)) {
      expect(block.startsWith('data: '), block).toBe(true);
      const data = block.slice(6);
      if (data === '[DONE]') out.done = true;
      else {
        const ev = JSON.parse(data);
        if (ev.error) out.error = ev.error;
        for (const c of ev.choices ?? []) {
          out.content += c.delta?.content ?? '';
          out.reasoning += c.delta?.reasoning_content ?? '';
        }
      }
    }
    return { res, text, sse: out };
  }
  return { res, text, json: JSON.parse(text) };
}

async function setting(key, value) {
  await env.DB.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .bind(key, JSON.stringify(value))
    .run();
}

// The pool: `bad` ranks first, `good` second (least recently used first).
const BAD = { id: 'tok_bad', sso: 'tok-ok-bad' };
const GOOD = { id: 'tok_good', sso: 'tok-ok-good' };
async function pool(tokens) {
  const stmts = [env.DB.prepare('DELETE FROM token_buckets'), env.DB.prepare('DELETE FROM tokens')];
  tokens.forEach((t, i) => stmts.push(env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES (?1, ?2, 'super', 0, ?3)").bind(t.id, t.sso, i)));
  await env.DB.batch(stmts);
}

const health = async (id) => env.DB.prepare('SELECT status, failures, consecutive_failures, cooldown_until FROM tokens WHERE id = ?1').bind(id).first();
const cooling = async (id) => (await env.DB.prepare("SELECT cooling_until FROM token_buckets WHERE token_id = ?1 AND bucket = 'auto'").bind(id).first())?.cooling_until ?? 0;
const logRows = async () => (await env.DB.prepare('SELECT status, error_code, attempts, token_id FROM request_logs').all()).results;

// The chat attempts the fake recorded: "sso transport status scenario".
const attempts = async () => (await fake.chats()).map((e) => `${e.token} ${e.path.startsWith('/ws/') ? 'mgw' : 'rest'} ${e.status} ${e.scenario}`);
const lastAnswer = async () => {
  const last = (await fake.chats()).at(-1);
  expect(last.chat, 'the last attempt got an answer').toBeTruthy();
  return last.chat.answer;
};

const UNTOUCHED = { status: 'active', failures: 0, consecutive_failures: 0, cooldown_until: 0 };

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_s', 'scenarios', ?1, 'sk…', -1, 0)").bind(await sha256hex(KEY)),
  ]);
  await pool([BAD, GOOD]);
});

const TRANSPORT = { rest: 'rest', mgw: 'ws' };

describe('answers carried differently arrive whole', () => {
  for (const [name, transport] of [['malformed', 'rest'], ['data_prefix', 'rest'], ['malformed', 'mgw'], ['text_delta', 'mgw']]) {
    for (const stream of [false, true]) {
      it(`${name} over ${transport} (${stream ? 'stream' : 'json'}): exactly the fake's answer, one attempt`, async () => {
        await setting('chat_transport', TRANSPORT[transport]);
        await fake.setScenario({ token: BAD.sso, name });
        const r = await chat({ stream, messages: [{ role: 'user', content: 'tell me about the rivers of europe' }] });
        expect(r.res.status).toBe(200);
        expect(await attempts()).toEqual([`${BAD.sso} ${transport} ${transport === 'rest' ? 200 : 101} ${name}`]);
        const answer = await lastAnswer();
        expect(answer).toBe('You said: tell me about the rivers of europe');
        if (stream) {
          expect(r.sse).toMatchObject({ content: answer, error: null, done: true });
        } else {
          expect(r.json.choices[0].message.content).toBe(answer);
        }
        expect(await logRows()).toEqual([{ status: 200, error_code: null, attempts: 1, token_id: BAD.id }]);
        expect(await health(BAD.id)).toEqual(UNTOUCHED);
      });
    }
  }

  it('search over REST: the answer with its inline citation rendered, and the source as an annotation', async () => {
    await setting('chat_transport', 'rest');
    await fake.setScenario({ token: BAD.sso, name: 'search' });
    const r = await chat({ messages: [{ role: 'user', content: 'rust book' }] });
    expect(await attempts()).toEqual([`${BAD.sso} rest 200 search`]);
    // The fake's message: "You said: rust book [[1]](https://docs.example.test/rust-book)", the
    // placeholder <grok:render …> of the stream replaced by the citation card's URL.
    const msg = r.json.choices[0].message;
    expect(msg.content).toBe(await lastAnswer());
    expect(msg.content).toBe('You said: rust book [[1]](https://docs.example.test/rust-book)');
    expect(msg.annotations).toEqual([
      { type: 'url_citation', url_citation: { url: 'https://docs.example.test/rust-book', title: 'Fake docs: rust book', start_index: 20, end_index: 62 } },
    ]);
    expect(msg.reasoning_content).toBe('Thinking about your request\n');
  });

  it('search over mgw: the render_citation chunk becomes the citation at its place in the text', async () => {
    await setting('chat_transport', 'ws');
    await fake.setScenario({ token: BAD.sso, name: 'search' });
    const r = await chat({ messages: [{ role: 'user', content: 'rust book' }] });
    expect(await attempts()).toEqual([`${BAD.sso} mgw 101 search`]);
    // The fake sent "You said: rust book", a render_citation chunk, then ".".
    expect(await lastAnswer()).toBe('You said: rust book.');
    const msg = r.json.choices[0].message;
    expect(msg.content).toBe('You said: rust book[[1]](https://docs.example.test/rust-book).');
    expect(msg.annotations).toEqual([
      { type: 'url_citation', url_citation: { url: 'https://docs.example.test/rust-book', title: 'Fake docs: rust book', start_index: 19, end_index: 61 } },
    ]);
  });
});

describe('failures: the next account answers, or the right OpenAI error when none is left', () => {
  // [scenario, transport, what the faulty account looks like after, the error with no other account]
  const cases = [
    ['usage_limit', 'rest', 'cooled', [429, 'rate_limit_exceeded']],
    ['usage_limit', 'mgw', 'cooled', [429, 'rate_limit_exceeded']],
    ['model_unavailable', 'rest', 'cooled', [503, 'model_unavailable']],
    ['model_unavailable', 'mgw', 'cooled', [503, 'model_unavailable']],
    ['400', 'rest', 'penalized', [502, 'upstream_error']],
    ['ws_error', 'mgw', 'penalized', [502, 'upstream_error']],
    ['5xx', 'rest', 'penalized', [502, 'upstream_error']],
    ['blocked', 'rest', 'invalid', [503, 'no_available_token']],
    ['empty', 'rest', 'untouched', [502, 'upstream_overloaded']],
    ['empty', 'mgw', 'untouched', [502, 'upstream_overloaded']],
  ];
  const after = {
    cooled: (t, bucketCooling) => {
      expect(t).toEqual({ ...UNTOUCHED, failures: 1 }); // a quota signal, not a health failure
      expect(bucketCooling).toBeGreaterThan(Date.now());
    },
    penalized: (t) => expect(t).toEqual({ ...UNTOUCHED, failures: 1, consecutive_failures: 1 }),
    invalid: (t) => expect(t).toMatchObject({ status: 'invalid', failures: 1 }),
    untouched: (t, bucketCooling) => {
      expect(t).toEqual(UNTOUCHED);
      expect(bucketCooling).toBe(0);
    },
  };
  for (const [name, transport, state, [status, code]] of cases) {
    it(`${name} over ${transport}: fails over (${state}), and alone answers ${status} ${code}`, async () => {
      await setting('chat_transport', TRANSPORT[transport]);
      await setting('max_retries', 3);
      await fake.setScenario({ token: BAD.sso, name });
      const ok = await chat({ messages: [{ role: 'user', content: 'still there?' }] });
      expect(ok.res.status).toBe(200);
      const tried = await attempts();
      // The faulty account's attempt (a blocked one is known dead from its session lookup or
      // its refused request), then the good account's answer, passed on exactly.
      expect(tried.at(-1)).toBe(`${GOOD.sso} ${transport} ${transport === 'rest' ? 200 : 101} normal`);
      const faulty = (await fake.upstream()).filter((e) => e.token === BAD.sso);
      expect(faulty.map((e) => e.scenario)).toContain(name);
      expect(ok.json.choices[0].message.content).toBe(await lastAnswer());
      expect(ok.json.choices[0].message.content).toBe('You said: still there?');
      expect(await logRows()).toEqual([{ status: 200, error_code: null, attempts: 2, token_id: GOOD.id }]);
      after[state](await health(BAD.id), await cooling(BAD.id));
      expect(await health(GOOD.id)).toEqual(UNTOUCHED);

      // Alone (the good account disabled): the failure itself reaches the client.
      await env.DB.prepare('UPDATE tokens SET enabled = 0 WHERE id = ?1').bind(GOOD.id).run();
      await env.DB.prepare('DELETE FROM token_buckets').run();
      await env.DB.prepare("UPDATE tokens SET status = 'active', failures = 0, consecutive_failures = 0, cooldown_until = 0 WHERE id = ?1").bind(BAD.id).run();
      await env.DB.prepare('DELETE FROM request_logs').run();
      await fake.clearRequests();
      const err = await chat({ messages: [{ role: 'user', content: 'still there?' }] });
      expect(err.res.status).toBe(status);
      expect(err.json.error.code).toBe(code);
      expect((await fake.upstream()).filter((e) => e.token === BAD.sso).map((e) => e.scenario)).toContain(name);
      expect((await fake.upstream()).filter((e) => e.token === GOOD.sso)).toEqual([]);
      expect(await logRows()).toEqual([{ status, error_code: code, attempts: 1, token_id: BAD.id }]);
    });
  }

  for (const transport of ['rest', 'mgw']) {
    it(`moderated over ${transport}: 400 content_policy_violation at once, no other account asked, nobody penalised`, async () => {
      await setting('chat_transport', TRANSPORT[transport]);
      await fake.setScenario({ token: BAD.sso, name: 'moderated' });
      const r = await chat({ messages: [{ role: 'user', content: 'something forbidden' }] });
      expect(r.res.status).toBe(400);
      expect(r.json).toEqual({ error: { message: 'Grok refused this request under its content policy.', type: 'invalid_request_error', param: null, code: 'content_policy_violation' } });
      expect(await attempts()).toEqual([`${BAD.sso} ${transport} ${transport === 'rest' ? 200 : 101} moderated`]);
      expect(await logRows()).toEqual([{ status: 400, error_code: 'content_policy_violation', attempts: 1, token_id: BAD.id }]);
      expect(await health(BAD.id)).toEqual(UNTOUCHED);
      expect(await cooling(BAD.id)).toBe(0);
      // The prompt's fault is charged like an answer: the key's daily count keeps it.
      expect((await env.DB.prepare("SELECT chat_used FROM api_key_usage WHERE key_id = 'key_s'").first()).chat_used).toBe(1);
    });
  }

  it('an in-band usage limit before any answer byte is a plain 429 with retry-after, also for a stream request', async () => {
    await setting('chat_transport', 'rest');
    await pool([BAD]);
    await fake.setScenario({ token: BAD.sso, name: 'usage_limit' });
    const r = await chat({ stream: true, messages: [{ role: 'user', content: 'x' }] });
    expect(r.res.status).toBe(429);
    expect(JSON.parse(r.text).error.code).toBe('rate_limit_exceeded');
    expect(Number(r.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await attempts()).toEqual([`${BAD.sso} rest 200 usage_limit`]);
  });
});

describe('media through chat', () => {
  it('image_edit frames over REST (streamingImageGenerationResponse): one link per final image, bytes from the fake', async () => {
    await setting('chat_transport', 'rest');
    await fake.setScenario({ token: BAD.sso, name: 'image_edit' });
    const r = await chat({ messages: [{ role: 'user', content: 'a fox' }] });
    expect(r.res.status).toBe(200);
    const [attempt] = await fake.chats();
    expect(attempt.chat.scenario).toBe('image_edit');
    const links = [...r.json.choices[0].message.content.matchAll(/!\[image\]\((http:\/\/gw\.test\/images\/[A-Za-z0-9_-]+)\)/g)].map((m) => m[1]);
    expect(links).toHaveLength(2);
    // Each link serves the bytes of one of the fake's final images, in order.
    const served = [];
    for (const link of links) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(link), env, ctx);
      served.push(new Uint8Array(await res.arrayBuffer()));
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(200);
    }
    const fetched = (await fake.upstream()).filter((e) => e.listener === 'assets').map((e) => e.path);
    expect(fetched).toHaveLength(2);
    for (const [i, p] of fetched.entries()) {
      expect(p).toMatch(/^\/users\/[0-9a-f-]+\/generated\/[0-9a-f-]+\/image\.jpg$/);
      expect(served[i]).toEqual(await fake.asset(p));
    }
  });
});
