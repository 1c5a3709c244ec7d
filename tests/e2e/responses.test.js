// The Responses API seen by the official openai client (7.60.0), through wrangler dev and the
// fake Grok upstream: responses.create plain, with a reasoning summary, with web-search
// citations, previous_response_id (continuing Grok's own conversation with a follow-up on the
// account that holds it; replaying the stored turns on another account when that one is gone or
// Grok refuses the follow-up), and responses.stream() to finalResponse() (whose helper rejects
// unknown events, out-of-order indices and items left open). Every answer
// is compared with the text the fake sent, and every test checks the prompt the fake received.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import OpenAI from 'openai';
import { client, createKey, setPool, resetFake, waitForLog, upstream, expectOneChat, sql, grokIds } from './helpers.js';
import { reasoningFor, searchResultsFor } from '../fake-grok/content.mjs';

let key;
let openai;

beforeAll(async () => {
  key = await createKey({ name: 'responses-e2e' });
  openai = client(key);
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-main', tier: 'super' }]);
});

// The stored row is written in the batch of the request's log row, after the answer has reached
// the client (no extra D1 round trip); a test that chains or fetches at once waits for it here.
async function waitForStored(id, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await sql([`SELECT status FROM responses WHERE id = '${id.replace(/'/g, "''")}'`]);
    if (rows.length || Date.now() > until) return rows[0];
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The stored row's record of Grok's conversation, answer and account (migration 0012).
async function storedGrokIds(id) {
  const [row] = await sql([`SELECT grok_conversation_id AS c, grok_response_id AS r, grok_token_id AS t FROM responses WHERE id = '${id.replace(/'/g, "''")}'`]);
  return row;
}

// The one request since the last reset: a follow-up in conversation `ids.c` answering Grok's
// response `ids.r`, sent with `prompt` only (the new input), a statsig id made for its own path,
// and the account `sso` that holds the conversation.
async function expectFollowUp(ids, prompt, sso = 'tok-ok-main') {
  const chats = await upstream.chats();
  expect(chats.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([`POST /rest/app-chat/conversations/${ids.c}/responses 200`]);
  const [e] = chats;
  expect(e.body.parentResponseId).toBe(ids.r);
  expect(e.body.message).toBe(prompt);
  expect(e.chat).toMatchObject({ transport: 'rest', mode: 'auto', prompt });
  expect(e.checks.statsig).toBe('ok');
  expect(e.token).toBe(sso);
  expect(e.response.conversationId).toBe(ids.c);
  return e;
}

const usageIsWhole = (u) => {
  for (const k of ['input_tokens', 'output_tokens', 'total_tokens']) expect(Number.isInteger(u[k]), k).toBe(true);
  expect(Number.isInteger(u.output_tokens_details.reasoning_tokens)).toBe(true);
  expect(u.input_tokens_details.cached_tokens).toBe(0);
  expect(u.total_tokens).toBe(u.input_tokens + u.output_tokens);
};

describe('responses', () => {
  it('responses.create answers plain text with whole usage, logged as responses.create', async () => {
    const res = await openai.responses.create({ model: 'grok-4', input: 'hello there', instructions: 'Be brief.' });
    expect(res.id).toMatch(/^resp_/);
    expect(res.object).toBe('response');
    expect(res.status).toBe('completed');
    expect(res.model).toBe('grok-4');
    const sent = await expectOneChat({ mode: 'auto', prompt: 'system: Be brief.\n\nhello there' });
    expect(res.output_text).toBe(sent.chat.answer);
    expect(res.output.map((o) => o.type)).toEqual(['message']);
    expect(res.output[0].id).toMatch(/^msg_/);
    usageIsWhole(res.usage);
    expect(res.usage.input_tokens).toBeGreaterThan(0);
    const row = await waitForLog(res._request_id);
    expect(row).toMatchObject({ status: 200, model: 'grok-4', stream: 0, attempts: 1, route: 'responses.create', key_name: 'responses-e2e' });
  });

  it('returns the reasoning as a summary item before the message when asked', async () => {
    const prompt = '[[scenario:thinking]] why is the sky blue';
    const res = await openai.responses.create({ model: 'grok-4', input: prompt, reasoning: { effort: 'high', summary: 'auto' } });
    const sent = await expectOneChat({ mode: 'auto', prompt, scenario: 'thinking' });
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(res.output[0].id).toMatch(/^rs_/);
    const summary = res.output[0].summary.map((s) => s.text).join('');
    expect(summary).toContain(reasoningFor('why is the sky blue'));
    expect(res.output_text).toBe(sent.chat.answer);
    expect(res.usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(res.reasoning).toEqual({ effort: 'high', summary: 'auto' });
  });

  it('turns web-search results into a web_search_call item and url_citation annotations', async () => {
    const prompt = '[[scenario:search]] rust ownership rules';
    const res = await openai.responses.create({ model: 'grok-4', input: prompt, tools: [{ type: 'web_search' }] });
    const sent = await expectOneChat({ mode: 'auto', prompt, scenario: 'search' });
    const results = searchResultsFor('rust ownership rules'); // the fake searches the prompt without its marker
    expect(res.output.map((o) => o.type)).toEqual(['web_search_call', 'message']);
    expect(res.output[0].action.sources.map((s) => s.url)).toEqual(results.map((r) => r.url));
    const part = res.output[1].content[0];
    expect(part.annotations).toHaveLength(1);
    const [a] = part.annotations;
    expect(a).toMatchObject({ type: 'url_citation', url: results[0].url });
    // The cited span is the citation the gateway inserted; without it the text is the fake's.
    const chars = [...part.text];
    expect(chars.slice(0, a.start_index).join('') + chars.slice(a.end_index).join('')).toBe(sent.chat.answer);
    expect(chars.slice(a.start_index, a.end_index).join('')).toContain(results[0].url);
  });

  it('continues the Grok conversation with previous_response_id: a follow-up with the new input only, on the same account', async () => {
    const first = await openai.responses.create({ model: 'grok-4', input: 'my name is Ada' });
    const firstSent = await expectOneChat({ mode: 'auto', prompt: 'my name is Ada' });
    expect(first.output_text).toBe(firstSent.chat.answer);
    expect(await waitForStored(first.id)).toEqual({ status: 'completed' });
    const ids = grokIds(firstSent);
    expect(ids.c).toBeTruthy();
    expect(await storedGrokIds(first.id)).toEqual({ ...ids, t: 'tok_ok' });
    await resetFake();
    const second = await openai.responses.create({ model: 'grok-4', input: 'what is my name', previous_response_id: first.id });
    const sent = await expectFollowUp(ids, 'what is my name');
    expect(second.output_text).toBe(sent.chat.answer);
    expect(second.previous_response_id).toBe(first.id);
    expect(await waitForStored(second.id)).toEqual({ status: 'completed' });
    // The follow-up's answer is recorded in turn: same conversation, its own response id.
    expect(await storedGrokIds(second.id)).toEqual({ c: ids.c, r: sent.response.responseId, t: 'tok_ok' });
    const fetched = await openai.responses.retrieve(second.id);
    expect(fetched.output_text).toBe(second.output_text);
    const items = await openai.responses.inputItems.list(second.id);
    expect(items.data.map((i) => i.content[0].text)).toEqual(['what is my name']);
    // A third turn, streamed, continues from the second's answer (frames without the wrapper).
    await resetFake();
    const third = await openai.responses.stream({ model: 'grok-4', input: 'and backwards?', previous_response_id: second.id }).finalResponse();
    const sent3 = await expectFollowUp({ c: ids.c, r: sent.response.responseId }, 'and backwards?');
    expect(third.output_text).toBe(sent3.chat.answer);
    await openai.responses.delete(first.id);
    const gone = await openai.responses.retrieve(first.id).catch((e) => e);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    const broken = await openai.responses.create({ model: 'grok-4', input: 'again', previous_response_id: first.id }).catch((e) => e);
    expect(broken).toBeInstanceOf(OpenAI.BadRequestError);
    expect(broken.error.code).toBe('previous_response_not_found');
  });

  it('replays the stored turns on another account when the one holding the conversation is gone', async () => {
    const first = await openai.responses.create({ model: 'grok-4', input: 'my name is Lin' });
    await expectOneChat({ mode: 'auto', prompt: 'my name is Lin' });
    expect(await waitForStored(first.id)).toEqual({ status: 'completed' });
    await resetFake();
    await setPool([{ id: 'tok_two', sso: 'tok-ok-two', tier: 'super' }]);
    const second = await openai.responses.create({ model: 'grok-4', input: 'what is my name', previous_response_id: first.id });
    const sent = await expectOneChat({ mode: 'auto', prompt: `user: my name is Lin\n\nassistant: ${first.output_text}\n\nwhat is my name` });
    expect(sent.token).toBe('tok-ok-two');
    expect(second.output_text).toBe(sent.chat.answer);
    expect(await waitForStored(second.id)).toEqual({ status: 'completed' });
    expect((await storedGrokIds(second.id)).t).toBe('tok_two');
  });

  it('prefers the account holding the conversation over a better-ranked one', async () => {
    const first = await openai.responses.create({ model: 'grok-4', input: 'remember 7' });
    const firstSent = await expectOneChat({ mode: 'auto', prompt: 'remember 7' });
    expect(await waitForStored(first.id)).toEqual({ status: 'completed' });
    await resetFake();
    // tok_fresh was never used (ranked first by least recent use); tok_ok holds the conversation.
    const pool = () =>
      setPool([
        { id: 'tok_fresh', sso: 'tok-ok-fresh', tier: 'super', last_used_at: 0 },
        { id: 'tok_ok', sso: 'tok-ok-main', tier: 'super', last_used_at: Date.now() },
      ]);
    // Control: without a conversation to continue, this pool serves tok_fresh.
    await pool();
    await openai.responses.create({ model: 'grok-4', input: 'unrelated', store: false });
    expect((await upstream.chats()).map((e) => e.token)).toEqual(['tok-ok-fresh']);
    await resetFake();
    await pool();
    const second = await openai.responses.create({ model: 'grok-4', input: 'which number?', previous_response_id: first.id });
    const sent = await expectFollowUp(grokIds(firstSent), 'which number?');
    expect(second.output_text).toBe(sent.chat.answer);
  });

  it('falls back to a new chat on the same account when Grok refuses the follow-up', async () => {
    const first = await openai.responses.create({ model: 'grok-4', input: 'my name is Bo' });
    await expectOneChat({ mode: 'auto', prompt: 'my name is Bo' });
    expect(await waitForStored(first.id)).toEqual({ status: 'completed' });
    // A conversation Grok no longer has (deleted in the app): the fake answers 404.
    await sql([`UPDATE responses SET grok_conversation_id = 'conv-deleted' WHERE id = '${first.id}'`]);
    await resetFake();
    const second = await openai.responses.create({ model: 'grok-4', input: 'what is my name', previous_response_id: first.id });
    const chats = await upstream.chats();
    expect(chats.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /rest/app-chat/conversations/conv-deleted/responses 404',
      expect.stringMatching(/^(POST \/rest\/app-chat\/conversations\/new|GET \/ws\/mgw\/\S*) (200|101)$/),
    ]);
    const replay = chats[1];
    expect(replay.token).toBe('tok-ok-main');
    expect(replay.chat.prompt).toBe(`user: my name is Bo\n\nassistant: ${first.output_text}\n\nwhat is my name`);
    expect(second.output_text).toBe(replay.chat.answer);
    const row = await waitForLog(second._request_id);
    expect(row).toMatchObject({ status: 200, attempts: 1 });
  });

  it('responses.stream() resolves finalResponse() with the streamed text and a reasoning summary', async () => {
    const prompt = '[[scenario:thinking]] stream a reply';
    const stream = openai.responses.stream({ model: 'grok-4', input: prompt, reasoning: { summary: 'auto' } });
    const types = [];
    let deltas = '';
    stream.on('event', (e) => types.push(e.type));
    stream.on('response.output_text.delta', (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    const sent = await expectOneChat({ mode: 'auto', prompt, scenario: 'thinking' });
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe(sent.chat.answer);
    expect(deltas).toBe(sent.chat.answer);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    usageIsWhole(final.usage);
    expect(await waitForStored(final.id)).toEqual({ status: 'completed' });
    const stored = await openai.responses.retrieve(final.id);
    expect(stored.output_text).toBe(final.output_text);
  });

  it('chains and retrieves at once after a streamed answer, as the Agents SDK does', async () => {
    const first = await openai.responses.stream({ model: 'grok-4', input: 'my name is Grace' }).finalResponse();
    const firstSent = await expectOneChat({ mode: 'auto', prompt: 'my name is Grace' });
    expect(first.output_text).toBe(firstSent.chat.answer);
    await resetFake();
    // Immediately, with no wait for the stored row (tests/workers/responses.test.js makes the row
    // land late on purpose; here it is the real timing).
    const [second, fetched] = await Promise.all([
      openai.responses.create({ model: 'grok-4', input: 'and my name?', previous_response_id: first.id }),
      openai.responses.retrieve(first.id),
    ]);
    const sent = await expectFollowUp(grokIds(firstSent), 'and my name?');
    expect(second.output_text).toBe(sent.chat.answer);
    expect(fetched.output_text).toBe(first.output_text);
  });

  it('an upstream failure after the first byte ends the stream with response.failed', async () => {
    await upstream.setScenario({ token: 'tok-ok-main', name: 'eof', options: {} });
    const stream = openai.responses.stream({ model: 'grok-4', input: 'tell me a long story about rivers' });
    const types = [];
    stream.on('event', (e) => types.push(e.type));
    const final = await stream.finalResponse();
    expect(types.at(-1)).toBe('response.failed');
    expect(final.status).toBe('failed');
    expect(final.error.code).toBe('upstream_error');
    const [cut] = await upstream.chats();
    expect(cut).toMatchObject({ scenario: 'eof', endedBy: 'server_abort' });
  });
});
