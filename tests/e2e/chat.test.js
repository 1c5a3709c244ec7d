// Chat completions seen by the official openai client, through wrangler dev and the fake
// Grok upstream: text (stream and not), reasoning, usage, vision, images, errors, failover
// and client aborts, each leaving exactly one log row. Every answer is compared whole with the
// text the fake sent, and every test checks the request the fake received (mode, the flattened
// prompt with its system text and history, attachments): an answer not made by Grok fails.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import OpenAI from 'openai';
import { baseUrl, client, createKey, setPool, sql, fakeRequests, resetFake, waitForLog, upstream, expectOneChat, grokIds } from './helpers.js';
import { reasoningFor } from '../fake-grok/content.mjs';

let key;
let openai;

// A 1x1 PNG.
const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

// Every request that reached the upstream since the last reset, of any kind.
const allUpstream = async () => (await upstream.upstream()).map((e) => `${e.listener} ${e.method} ${e.path}`);

beforeAll(async () => {
  key = await createKey({ name: 'chat-e2e' });
  openai = client(key);
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-main', tier: 'super' }]);
});

describe('models', () => {
  it('lists the catalogue and 404s unknown ids', async () => {
    const list = await openai.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain('grok-4');
    expect(ids).toContain('grok-chat-fast');
    expect(ids).toHaveLength(new Set(ids).size);
    const one = await openai.models.retrieve('grok-4.1-fast');
    expect(one).toMatchObject({ id: 'grok-4.1-fast', object: 'model', owned_by: 'xai' });
    const err = await openai.models.retrieve('gpt-nope').catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.error.code).toBe('model_not_found');
  });
});

describe('chat completions', () => {
  it('answers without streaming, with usage and the requested model id', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'hello there' },
      ],
      temperature: 0.2,
      some_vendor_field: { x: 1 },
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('grok-4');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.choices[0].message.role).toBe('assistant');
    // Grok got the system text and the history flattened into one message, in auto mode, and the
    // answer is the whole of what it said.
    const sent = await expectOneChat({ mode: 'auto', prompt: 'system: Be brief.\n\nuser: hi\n\nassistant: Hello!\n\nhello there' });
    expect(res.choices[0].message.content).toBe(sent.chat.answer);
    expect(res.choices[0].message.content).toBe('You said: system: Be brief.\n\nuser: hi\n\nassistant: Hello!\n\nhello there');
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens + res.usage.completion_tokens);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    const row = await waitForLog(res._request_id);
    expect(row).toMatchObject({ status: 200, model: 'grok-4', stream: 0, attempts: 1, token_id: 'tok_ok', key_name: 'chat-e2e' });
  });

  it('streams with reasoning in reasoning_content and a usage chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'grok-4',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '[[scenario:thinking]] why is the sky blue' }],
    });
    let content = '';
    let reasoning = '';
    let usage = null;
    const ids = new Set();
    let finish = null;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      expect(chunk.model).toBe('grok-4');
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        content += c.delta.content || '';
        reasoning += c.delta.reasoning_content || '';
        if (c.finish_reason) finish = c.finish_reason;
      }
    }
    expect(ids.size).toBe(1);
    const sent = await expectOneChat({ mode: 'auto', prompt: '[[scenario:thinking]] why is the sky blue', scenario: 'thinking' });
    expect(content).toBe(sent.chat.answer);
    expect(content).toBe('You said: why is the sky blue');
    // The reasoning the fake streamed (mgw): its header lines and its analysis, in order.
    expect(reasoning).toContain('Considering the request');
    expect(reasoning).toContain(reasoningFor('why is the sky blue'));
    expect(reasoning.indexOf('Considering the request')).toBeLessThan(reasoning.indexOf(reasoningFor('why is the sky blue')));
    expect(content).not.toContain('<think>');
    expect(finish).toBe('stop');
    expect(usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it('works through the SDK stream helper (role, finish_reason, final message)', async () => {
    const runner = openai.chat.completions.stream({ model: 'grok-chat-fast', messages: [{ role: 'user', content: 'ping' }] });
    const final = await runner.finalChatCompletion();
    const sent = await expectOneChat({ mode: 'fast', prompt: 'ping' });
    expect(final.choices[0].message.content).toBe(sent.chat.answer);
    expect(final.choices[0].message.content).toBe('You said: ping');
    expect(final.choices[0].finish_reason).toBe('stop');
  });

  it('accepts a vision request and uploads the image to Grok', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in this picture' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1x1}` } },
          ],
        },
      ],
    });
    const uploads = await fakeRequests('/http/upload-file-v2/direct');
    expect(uploads).toHaveLength(1);
    expect(uploads[0].status).toBe(200);
    // Grok received exactly the image's bytes, and the message mentions that upload.
    expect(Buffer.from(await upstream.asset(uploads[0].upload.fileUri))).toEqual(Buffer.from(PNG_1x1, 'base64'));
    const sent = await expectOneChat({ mode: 'auto', prompt: 'what is in this picture', files: 1 });
    const item = sent.ws.clientFrames.find((f) => f.event && f.event.type === 'conversation.item.create');
    const mentioned = item.event.item.x_grok.input_chunks.filter((c) => c.mention).map((c) => c.mention.target.file_mention.file_id);
    expect(mentioned).toEqual(sent.chat.files);
    expect(res.choices[0].message.content).toBe(sent.chat.answer);
    expect(res.choices[0].message.content).toBe('You said: what is in this picture');
  });

  it('rejects a bad image with 400 naming the parameter', async () => {
    const err = await openai.chat.completions
      .create({ model: 'grok-4', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@@' } }] }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.param).toMatch(/^messages\[0\]/);
    expect(await allUpstream()).toEqual([]);
  });

  it('renders a generated image as a markdown link to a signed /images URL', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-imagine-1.0',
      messages: [{ role: 'user', content: '[[scenario:image]] a red fox' }],
    });
    const content = res.choices[0].message.content;
    // Image requests through chat are asked as a drawing.
    const sent = await expectOneChat({ mode: 'fast', prompt: 'Drawing: [[scenario:image]] a red fox', scenario: 'image' });
    const links = [...content.matchAll(/!\[image\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(links).toHaveLength(sent.chat.images.length);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.startsWith(`${baseUrl}/images/`)).toBe(true);
    expect(content).not.toContain('assets');
    // The text the fake said, and behind each link exactly one of the images it generated.
    expect(content.startsWith(sent.chat.answer)).toBe(true);
    const served = [];
    for (const l of links) served.push(Buffer.from(await (await fetch(l)).arrayBuffer()).toString('base64'));
    const generated = [];
    for (const p of sent.chat.images) generated.push(Buffer.from(await upstream.asset(p)).toString('base64'));
    expect(served.sort()).toEqual(generated.sort());
  });

  it('answers a bad key with AuthenticationError and counts it (no log row)', async () => {
    const counted = async () => (await sql(["SELECT COALESCE(SUM(count), 0) AS n FROM refused_requests WHERE status = 401 AND code = 'invalid_api_key'"]))[0].n;
    const before = await counted();
    const bad = client('sk-g2a-not-a-real-key');
    const err = await bad.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.error.code).toBe('invalid_api_key');
    expect(err.message).not.toContain('not-a-real-key');
    // The cron writes what the isolate's tally still holds (with the shim's tally effect).
    await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent('0 * * * *')}`);
    await expect.poll(counted, { timeout: 10000, interval: 300 }).toBe(before + 1);
    expect(await waitForLog(err.requestID, 1000)).toBeUndefined();
    expect((await fakeRequests()).filter((r) => !r.path.startsWith('/__fake'))).toHaveLength(0);
  });

  it('rejects n > 1 and unknown models without touching Grok', async () => {
    const n = await openai.chat.completions.create({ model: 'grok-4', n: 2, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(n).toBeInstanceOf(OpenAI.BadRequestError);
    expect(n.error.param).toBe('n');
    const m = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(m).toBeInstanceOf(OpenAI.NotFoundError);
    expect(m.error.code).toBe('model_not_found');
    expect(await allUpstream()).toEqual([]);
  });

  it('answers RateLimitError with retry-after when every account is cooling', async () => {
    const until = Date.now() + 90_000;
    await setPool([
      { id: 'tok_c1', sso: 'tok-ok-c1', buckets: [{ bucket: 'auto', cooling_until: until }] },
      { id: 'tok_c2', sso: 'tok-ok-c2', buckets: [{ bucket: 'auto', cooling_until: until + 30_000 }] },
    ]);
    const err = await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.error.code).toBe('rate_limit_exceeded');
    const after = Number(err.headers.get('retry-after'));
    // The pool was written a few seconds before the request (wrangler d1 execute is slow).
    expect(after).toBeGreaterThanOrEqual(30);
    expect(after).toBeLessThanOrEqual(91);
    expect(await allUpstream()).toEqual([]);
  });

  it('answers 503 not retryable when no account is configured', async () => {
    await setPool([]);
    const err = await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(503);
    expect(err.headers.get('x-should-retry')).toBe('false');
    expect(await allUpstream()).toEqual([]);
  });

  it('fails over from a 401 account to a healthy one and marks the first invalid', async () => {
    await setPool([
      { id: 'tok_dead', sso: 'tok-401-dead', last_used_at: 1 },
      { id: 'tok_live', sso: 'tok-ok-live', last_used_at: 2 },
    ]);
    const res = await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'still there?' }] });
    // The dead account was refused (the fault fired) and never got to chat; the live one answered.
    const refused = (await upstream.upstream()).filter((e) => e.token === 'tok-401-dead');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.status === 401 && e.scenario === '401')).toBe(true);
    const sent = await expectOneChat({ mode: 'auto', prompt: 'still there?' });
    expect(sent.token).toBe('tok-ok-live');
    expect(res.choices[0].message.content).toBe(sent.chat.answer);
    const [dead] = await sql(["SELECT status, status_reason FROM tokens WHERE id = 'tok_dead'"]);
    expect(dead.status).toBe('invalid');
    expect(dead.status_reason).toMatch(/auth_invalid/);
    const [live] = await sql(["SELECT status, consecutive_failures FROM tokens WHERE id = 'tok_live'"]);
    expect(live).toMatchObject({ status: 'active', consecutive_failures: 0 });
    const row = await waitForLog(res._request_id);
    expect(row).toMatchObject({ status: 200, attempts: 2, token_id: 'tok_live' });
  });

  it('surfaces a mid-stream upstream failure as an APIError and logs it', async () => {
    await upstream.setScenario({ token: 'tok-ok-main', name: 'eof', options: { afterFrames: 6 } });
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'grok-4', stream: true, messages: [{ role: 'user', content: 'tell me a long story about rivers' }] })
      .withResponse();
    let got = '';
    const err = await (async () => {
      for await (const chunk of stream) got += chunk.choices[0]?.delta?.content || '';
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.error.type).toBe('upstream_error');
    // The fake cut the socket after part of its answer; the client got a prefix of that answer.
    const [cut] = (await upstream.settled()).filter((e) => e.path === '/ws/mgw/');
    expect(cut).toMatchObject({ scenario: 'eof', endedBy: 'server_abort', chat: { prompt: 'tell me a long story about rivers' } });
    expect(got.length).toBeGreaterThan(0);
    expect(cut.chat.answer.startsWith(got)).toBe(true);
    expect(got.length).toBeLessThan(cut.chat.answer.length);
    const row = await waitForLog(response.headers.get('x-request-id'));
    expect(row.status).toBe(200);
    expect(row.error_code).toBe('upstream_error');
  });

  it('records an aborted stream as 499 and closes the upstream', async () => {
    // The fake echoes the prompt one word per frame: ~1,000 words 50 ms apart stream for ~50 s.
    await upstream.setScenario({ token: 'tok-ok-main', name: 'slow', options: { frames: 2000, gapMs: 50 } });
    const controller = new AbortController();
    const prompt = `count slowly: ${'n '.repeat(990)}`;
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'grok-4', stream: true, messages: [{ role: 'user', content: prompt }] }, { signal: controller.signal })
      .withResponse();
    const rid = response.headers.get('x-request-id');
    let chunks = 0;
    let got = '';
    await (async () => {
      for await (const chunk of stream) {
        got += chunk.choices[0]?.delta?.content || '';
        if (++chunks === 3) controller.abort();
      }
    })().catch(() => {});
    // The stream would run 50 s; a row well before that means the abort was seen. (Each poll
    // spawns `wrangler d1 execute`, seconds apiece on a loaded machine, hence 30 s.)
    const row = await waitForLog(rid, 30000);
    expect(row).toBeTruthy();
    expect(row.status).toBe(499);
    const ws = (await upstream.settled()).filter((e) => e.path === '/ws/mgw/').at(-1);
    expect(ws).toMatchObject({ scenario: 'slow', endedBy: 'client' });
    expect(ws.chat.answer.startsWith(got)).toBe(true);
    expect(got.length).toBeLessThan(ws.chat.answer.length);
    const [tok] = await sql(["SELECT inflight, consecutive_failures FROM tokens WHERE id = 'tok_ok'"]);
    expect(tok).toMatchObject({ inflight: 0, consecutive_failures: 0 });
  }, 60000);
});

describe('chat continuation (opt-in)', () => {
  const continuing = () => client(key, { defaultHeaders: { 'x-grok-continue': '1' } });
  const chatLines = async () => (await upstream.chats()).map((e) => `${e.method} ${e.path} ${e.status}`);

  it('continues the Grok conversation a history was answered in, sending only the new messages (JSON, then streamed)', async () => {
    const oc = continuing();
    const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'my name is Ada' }];
    const first = await oc.chat.completions.create({ model: 'grok-4', messages });
    const firstSent = await expectOneChat({ mode: 'auto', prompt: 'system: Be brief.\n\nmy name is Ada' });
    expect(first.choices[0].message.content).toBe(firstSent.chat.answer);
    await waitForLog(first._request_id); // the thread row lands with the log row
    const ids = grokIds(firstSent);
    const [thread] = await sql(["SELECT grok_conversation_id AS c, grok_response_id AS r, grok_token_id AS t FROM responses WHERE id LIKE 'chatc_%'"]);
    expect(thread).toEqual({ ...ids, t: 'tok_ok' });

    await resetFake();
    messages.push(first.choices[0].message, { role: 'user', content: 'what is my name' });
    const { data: stream, request_id } = await oc.chat.completions.create({ model: 'grok-4', messages, stream: true }).withResponse();
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(await chatLines()).toEqual([`POST /rest/app-chat/conversations/${ids.c}/responses 200`]);
    const [follow] = await upstream.chats();
    expect(follow.body.parentResponseId).toBe(ids.r);
    expect(follow.chat.prompt).toBe('what is my name');
    expect(follow.token).toBe('tok-ok-main');
    expect(text).toBe(follow.chat.answer);
    await waitForLog(request_id);

    // The streamed answer, sent back as the client assembled it, continues in turn.
    await resetFake();
    messages.push({ role: 'assistant', content: text }, { role: 'user', content: 'spell it backwards' });
    const third = await oc.chat.completions.create({ model: 'grok-4', messages });
    expect(await chatLines()).toEqual([`POST /rest/app-chat/conversations/${ids.c}/responses 200`]);
    const [again] = await upstream.chats();
    expect(again.body.parentResponseId).toBe(follow.response.responseId);
    expect(again.chat.prompt).toBe('spell it backwards');
    expect(third.choices[0].message.content).toBe(again.chat.answer);

    // Threads are not responses: /v1/responses does not serve them.
    const [{ id: threadId }] = await sql(["SELECT id FROM responses WHERE id LIKE 'chatc_%' LIMIT 1"]);
    expect(await openai.responses.retrieve(threadId).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await openai.responses.delete(threadId).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await sql([`SELECT count(*) AS n FROM responses WHERE id = '${threadId}'`]))[0].n).toBe(1);
  });

  it('replays the history as a new chat without the opt-in, and after an edited answer', async () => {
    const oc = continuing();
    const first = await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'my name is Bo' }] });
    await expectOneChat({ mode: 'auto', prompt: 'my name is Bo' });
    await waitForLog(first._request_id);
    await resetFake();
    const answer = first.choices[0].message.content;
    const plain = await openai.chat.completions.create({
      model: 'grok-4',
      messages: [{ role: 'user', content: 'my name is Bo' }, { role: 'assistant', content: answer }, { role: 'user', content: 'what is my name' }],
    });
    const replay = await expectOneChat({ mode: 'auto', prompt: `user: my name is Bo\n\nassistant: ${answer}\n\nwhat is my name` });
    expect(plain.choices[0].message.content).toBe(replay.chat.answer);

    // Opted in, but the history's answer is not the one Grok gave: nothing to continue.
    const mine = await oc.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'my name is Cy' }] });
    await waitForLog(mine._request_id);
    await resetFake();
    const edited = await oc.chat.completions.create({
      model: 'grok-4',
      messages: [{ role: 'user', content: 'my name is Cy' }, { role: 'assistant', content: 'Hello, Cyrus!' }, { role: 'user', content: 'what is my name' }],
    });
    const sent = await expectOneChat({ mode: 'auto', prompt: 'user: my name is Cy\n\nassistant: Hello, Cyrus!\n\nwhat is my name' });
    expect(edited.choices[0].message.content).toBe(sent.chat.answer);
  });
});
