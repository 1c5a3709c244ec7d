// The Responses API inside workerd with the real wasm core, real D1 and the fake upstream:
// stored responses (GET returns what POST answered; store:false keeps nothing), ownership (another
// key gets 404 for GET, input_items and DELETE, and 400 for previous_response_id), DELETE then
// GET → 404, input_items paging, previous_response_id continuing the Grok conversation (a
// follow-up with the new input only) and replaying the stored turns for a row without Grok ids
// (both checked in the request the fake received), streamed responses stored too, errors in OpenAI's shape, one log
// row per request carrying its route, and the retention job pruning old responses.
import { env, createExecutionContext, waitOnExecutionContext, createScheduledController } from 'cloudflare:test';
import { describe, it, expect, beforeEach } from 'vitest';
import worker from '../../shim/index.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const fake = fakeControl(env.FAKE_GROK_URL);
const KEY = 'sk-g2a-workers-responses-a';
const OTHER = 'sk-g2a-workers-responses-b';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function send(path, { body, method = body === undefined ? 'GET' : 'POST', key = KEY } = {}) {
  const headers = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://gw.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    env,
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

const create = (body, opts) => send('/v1/responses', { body: { model: 'grok-4', ...body }, ...opts });
const logs = async () => (await env.DB.prepare('SELECT route, status, error_code, key_id, path FROM request_logs ORDER BY ts, id').all()).results;
const stored = async () => (await env.DB.prepare('SELECT id, key_id, status, model FROM responses ORDER BY created_at').all()).results;
const prompts = async () => (await fake.chats()).map((c) => c.chat?.prompt);

// The events of an SSE body: [{event, data}].
function events(text) {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [ev, data] = block.split('\n');
      return { event: ev.replace(/^event: /, ''), data: JSON.parse(data.replace(/^data: /, '')) };
    });
}

beforeEach(async () => {
  await fake.reset();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare('DELETE FROM request_logs'),
    env.DB.prepare('DELETE FROM responses'),
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_a', 'a', ?1, 'sk…', -1, 0)").bind(
      await sha256hex(KEY),
    ),
    env.DB.prepare("INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_b', 'b', ?1, 'sk…', -1, 0)").bind(
      await sha256hex(OTHER),
    ),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_a', 'tok-ok-a', 'super', 0, 0)"),
  ]);
});

describe('responses in workerd', () => {
  it('answers, stores the response for its key, and GET returns exactly what POST answered', async () => {
    const r = await create({ input: 'hello', metadata: { topic: 'greeting' } });
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get('content-type')).toBe('application/json');
    expect(r.json).toMatchObject({ object: 'response', status: 'completed', model: 'grok-4', store: true, metadata: { topic: 'greeting' } });
    expect(r.json.id).toMatch(/^resp_[0-9a-f]{24}$/);
    const answer = (await fake.chats())[0].chat.answer;
    expect(r.json.output).toHaveLength(1);
    expect(r.json.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(r.json.output[0].content[0]).toEqual({ type: 'output_text', text: answer, annotations: [], logprobs: [] });
    for (const k of ['input_tokens', 'output_tokens', 'total_tokens']) expect(Number.isInteger(r.json.usage[k])).toBe(true);
    expect(r.json.usage.total_tokens).toBe(r.json.usage.input_tokens + r.json.usage.output_tokens);
    expect(await stored()).toEqual([{ id: r.json.id, key_id: 'key_a', status: 'completed', model: 'grok-4' }]);

    const got = await send(`/v1/responses/${r.json.id}`);
    expect(got.res.status).toBe(200);
    expect(got.json).toEqual(r.json);
    expect((await logs()).map((l) => `${l.route} ${l.status} ${l.key_id}`)).toEqual(['responses.create 200 key_a', 'responses.get 200 key_a']);
  });

  it('another key gets 404 for GET, input_items and DELETE, and 400 for previous_response_id; the row stays', async () => {
    const r = await create({ input: 'secret' });
    const id = r.json.id;
    const notFound = { error: { message: `Response with id '${id}' not found.`, type: 'invalid_request_error', param: null, code: 'not_found' } };
    for (const [path, method] of [
      [`/v1/responses/${id}`, 'GET'],
      [`/v1/responses/${id}/input_items`, 'GET'],
      [`/v1/responses/${id}`, 'DELETE'],
    ]) {
      const x = await send(path, { method, key: OTHER });
      expect(x.res.status, `${method} ${path}`).toBe(404);
      expect(x.json).toEqual(notFound);
    }
    const cont = await create({ input: 'more', previous_response_id: id }, { key: OTHER });
    expect(cont.res.status).toBe(400);
    expect(cont.json.error).toEqual({
      message: `Previous response with id '${id}' not found.`,
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
    expect(await stored()).toHaveLength(1);
    expect((await fake.chats()).length).toBe(1); // the refused continuation reached no upstream
    expect((await logs()).map((l) => `${l.route} ${l.status} ${l.key_id}`)).toEqual([
      'responses.create 200 key_a',
      'responses.get 404 key_b',
      'responses.input_items 404 key_b',
      'responses.delete 404 key_b',
      'responses.create 400 key_b',
    ]);
  });

  it('DELETE removes the response: deleted:true, then GET and a second DELETE are 404', async () => {
    const r = await create({ input: 'bye' });
    const del = await send(`/v1/responses/${r.json.id}`, { method: 'DELETE' });
    expect(del.res.status).toBe(200);
    expect(del.json).toEqual({ id: r.json.id, object: 'response', deleted: true });
    expect(await stored()).toEqual([]);
    expect((await send(`/v1/responses/${r.json.id}`)).res.status).toBe(404);
    expect((await send(`/v1/responses/${r.json.id}`, { method: 'DELETE' })).res.status).toBe(404);
  });

  it('lists input items newest first by default, pages with after/limit, and orders asc', async () => {
    const input = [
      { role: 'developer', content: 'Be terse.' },
      { role: 'user', content: [{ type: 'input_text', text: 'first' }] },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"q":1}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'found' },
      { role: 'user', content: 'second' },
    ];
    const r = await create({ input });
    expect(r.res.status).toBe(200);
    const all = await send(`/v1/responses/${r.json.id}/input_items?order=asc`);
    expect(all.res.status).toBe(200);
    expect(all.json.object).toBe('list');
    expect(all.json.has_more).toBe(false);
    expect(all.json.data.map((i) => i.type)).toEqual(['message', 'message', 'function_call', 'function_call_output', 'message']);
    expect(all.json.data[2]).toMatchObject({ call_id: 'call_1', name: 'lookup', arguments: '{"q":1}' });
    expect(all.json.data[1].content).toEqual([{ type: 'input_text', text: 'first' }]);
    const desc = await send(`/v1/responses/${r.json.id}/input_items?limit=2`);
    expect(desc.json.data.map((i) => i.id)).toEqual([all.json.data[4].id, all.json.data[3].id]);
    expect(desc.json.has_more).toBe(true);
    expect(desc.json.last_id).toBe(all.json.data[3].id);
    const next = await send(`/v1/responses/${r.json.id}/input_items?limit=2&after=${desc.json.last_id}`);
    expect(next.json.data.map((i) => i.id)).toEqual([all.json.data[2].id, all.json.data[1].id]);
    const bad = await send(`/v1/responses/${r.json.id}/input_items?limit=0`);
    expect(bad.res.status).toBe(400);
    expect(bad.json.error.param).toBe('limit');
  });

  it('previous_response_id continues the Grok conversation with the new input only (instructions not inherited); a row without Grok ids replays', async () => {
    const first = await create({ input: 'first question', instructions: 'Answer briefly.' });
    const firstAnswer = (await fake.chats())[0].chat.answer;
    const second = await create({ input: 'second question', previous_response_id: first.json.id });
    expect(second.res.status).toBe(200);
    expect(second.json.previous_response_id).toBe(first.json.id);
    expect(second.json.instructions).toBeNull();
    const [p1, p2] = await prompts();
    expect(p1).toBe('system: Answer briefly.\n\nfirst question');
    expect(p2).toBe('second question');
    const chats = await fake.chats();
    const conv = chats[0].response?.conversationId ?? chats[0].chat.conversationId;
    expect(chats[1].path).toBe(`/rest/app-chat/conversations/${conv}/responses`);
    expect(chats[1].body.parentResponseId).toBe(chats[0].response?.responseId ?? chats[0].chat.responseId);
    // A row stored before migration 0012 (no Grok ids): the third replays both exchanges.
    const secondAnswer = chats[1].chat.answer;
    await env.DB.prepare('UPDATE responses SET grok_conversation_id = NULL, grok_response_id = NULL, grok_token_id = NULL WHERE id = ?1')
      .bind(second.json.id)
      .run();
    const third = await create({ input: 'third', previous_response_id: second.json.id });
    expect(third.res.status).toBe(200);
    expect((await prompts())[2]).toBe(
      `user: first question\n\nassistant: ${firstAnswer}\n\nuser: second question\n\nassistant: ${secondAnswer}\n\nthird`,
    );
    expect((await fake.chats())[2].path).not.toMatch(/\/responses$/);
  });

  it('waits for a stored row that lands just after the request (a client chaining at once), for POST and GET', async () => {
    const first = await create({ input: 'first question' });
    // Take the row away and put it back 200 ms into the next requests: the write of a response
    // that has just reached its client, racing the client's follow-up.
    const row = await env.DB.prepare('SELECT * FROM responses WHERE id = ?1').bind(first.json.id).first();
    expect(row).not.toBeNull();
    const landLater = async () => {
      await env.DB.prepare('DELETE FROM responses WHERE id = ?1').bind(first.json.id).run();
      return new Promise((resolve) =>
        setTimeout(async () => {
          const cols = Object.keys(row);
          await env.DB.prepare(`INSERT INTO responses (${cols.join(', ')}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(', ')})`)
            .bind(...cols.map((c) => row[c]))
            .run();
          resolve();
        }, 200),
      );
    };
    let landed = landLater();
    const second = await create({ input: 'second question', previous_response_id: first.json.id });
    await landed;
    expect(second.res.status).toBe(200);
    expect((await prompts())[1]).toBe('second question'); // found: continued upstream
    expect((await fake.chats())[1].path).toMatch(/^\/rest\/app-chat\/conversations\/[^/]+\/responses$/);
    expect(second.json.output[0].content[0].text).toBe((await fake.chats())[1].chat.answer);
    landed = landLater();
    const got = await send(`/v1/responses/${first.json.id}`);
    await landed;
    expect(got.res.status).toBe(200);
    expect(got.json).toEqual(first.json);
  });

  it('an unknown previous_response_id is a 400 before any upstream call, logged once', async () => {
    const r = await create({ input: 'x', previous_response_id: 'resp_000000000000000000000000' });
    expect(r.res.status).toBe(400);
    expect(r.json.error.code).toBe('previous_response_not_found');
    expect(await fake.chats()).toHaveLength(0);
    expect((await logs()).map((l) => `${l.route} ${l.status} ${l.error_code}`)).toEqual(['responses.create 400 previous_response_not_found']);
  });

  it('store:false keeps nothing: GET is 404 and it cannot be continued', async () => {
    const r = await create({ input: 'ephemeral', store: false });
    expect(r.res.status).toBe(200);
    expect(r.json.store).toBe(false);
    expect(await stored()).toEqual([]);
    expect((await send(`/v1/responses/${r.json.id}`)).res.status).toBe(404);
    const cont = await create({ input: 'again', previous_response_id: r.json.id });
    expect(cont.json.error.code).toBe('previous_response_not_found');
  });

  it('a streamed response is stored as its response.completed carried it', async () => {
    const r = await create({ input: 'stream me', stream: true });
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const evs = events(r.text);
    expect(evs.map((e) => e.data.sequence_number)).toEqual(evs.map((_, i) => i));
    expect(evs.every((e) => e.event === e.data.type)).toBe(true);
    const types = evs.map((e) => e.event);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    const done = evs.at(-1).data.response;
    const text = evs.filter((e) => e.event === 'response.output_text.delta').map((e) => e.data.delta).join('');
    expect(text).toBe((await fake.chats())[0].chat.answer);
    const got = await send(`/v1/responses/${done.id}`);
    expect(got.json).toEqual(done);
    expect((await logs())[0]).toMatchObject({ route: 'responses.create', status: 200 });
  });

  it('a failure after the first byte ends the stream with response.failed and stores the failed response', async () => {
    await fake.setScenario({ token: 'tok-ok-a', name: 'eof', options: {} });
    const r = await create({ input: 'fail midway', stream: true, reasoning: { summary: 'auto' } });
    expect(r.res.status).toBe(200);
    const evs = events(r.text);
    expect(evs.at(-1).event).toBe('response.failed');
    expect(evs.filter((e) => /^response\.(completed|failed|incomplete)$/.test(e.event))).toHaveLength(1);
    const failed = evs.at(-1).data.response;
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toMatch(/^upstream_/);
    expect((await fake.chats())[0].scenario).toBe('eof');
    expect(await stored()).toEqual([{ id: failed.id, key_id: 'key_a', status: 'failed', model: 'grok-4' }]);
    expect((await logs()).map((l) => l.route)).toEqual(['responses.create']);
  });

  it('refuses bad requests in OpenAI shape with one log row each and no upstream call', async () => {
    const cases = [
      [{ input: 42 }, 400, 'input', 'invalid_type'],
      [{ input: 'x', text: { format: { type: 'json_schema', name: 'n', schema: [] } } }, 400, 'text.format.schema', 'invalid_type'],
      [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 400, 'input[0].content[0].type', 'unsupported_parameter'],
      [{ input: 'x', model: 'no-such-model' }, 404, 'model', 'model_not_found'],
    ];
    for (const [body, status, param, code] of cases) {
      const r = await create(body);
      expect(r.res.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error).toMatchObject({ param, code });
      expect(typeof r.json.error.message).toBe('string');
    }
    expect(await fake.chats()).toHaveLength(0);
    expect((await logs()).map((l) => `${l.route} ${l.status}`)).toEqual(cases.map(([, s]) => `responses.create ${s}`));
    const unknownSub = await send('/v1/responses/resp_1/cancel_me');
    expect(unknownSub.res.status).toBe(404);
    const put = await send('/v1/responses/resp_1', { method: 'PUT' });
    expect(put.res.status).toBe(405);
  });

  it('the retention job prunes stored responses with the request logs', async () => {
    const r = await create({ input: 'old' });
    await env.DB.prepare('UPDATE responses SET created_at = 1 WHERE id = ?1').bind(r.json.id).run();
    const fresh = await create({ input: 'new' });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await stored()).map((s) => s.id)).toEqual([fresh.json.id]);
  });
});
