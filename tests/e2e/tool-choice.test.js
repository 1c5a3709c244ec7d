// tool_choice that requires a call (Chat `required` / a named function, Responses `required`,
// Messages `any`) through the official clients, wrangler dev and the fake upstream: an answer
// without a call is asked for once more with the stronger reminder before any byte reaches the
// client. The fake's [[tools:call_when_pressed]] answers the first prompt without a call and the
// stronger one with get_weather {"city":"Paris","unit":"c"}; [[tools:no_call]] never calls, so
// the second answer is given as it is (text, a normal finish). Each test checks the exact call,
// that the fake got exactly two chats (the second with the stronger reminder, the first
// without), and the log row's note.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { baseUrl, client, createKey, setPool, resetFake, waitForLog, upstream } from './helpers.js';

const PRESSED = 'Your previous reply made no tool call.';
const NO_CALL_TEXT = 'The weather in Paris is usually mild in spring.';
const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
};
const chatTools = [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city.', parameters: weatherSchema } }];

let key;
let openai;
let anthropic;

beforeAll(async () => {
  key = await createKey({ name: 'tool-choice-e2e' });
  openai = client(key);
  anthropic = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0, timeout: 30000 });
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-choice', tier: 'super' }]);
});

// The fake got two chats: the first without the stronger reminder, the second with it (and
// `second` in it, e.g. "call the tool get_weather").
async function expectRetried(second = 'MUST be tool calls only') {
  const chats = await upstream.chats();
  expect(chats).toHaveLength(2);
  expect(chats[0].chat.prompt).not.toContain(PRESSED);
  expect(chats[1].chat.prompt).toContain(`${PRESSED} This reply ${second}`);
  expect(chats[0].chat.prompt).toContain('You MUST');
}

async function expectRetryLogged(requestId, status = 200) {
  const row = await waitForLog(requestId);
  expect(row).toMatchObject({ status, quality: 'no_tool_call:retried', token_id: 'tok_ok', attempts: 1, error_code: null });
}

describe('chat completions (openai)', () => {
  it('required, not streamed: the retry\'s call is the answer', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:call_when_pressed]] Paris?' }], tools: chatTools, tool_choice: 'required',
    });
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(res.choices[0].message.content).toBeNull();
    expect(res.choices[0].message.tool_calls.map((c) => c.function)).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }]);
    await expectRetried();
    await expectRetryLogged(res._request_id);
  });

  it('a named function, streamed: no byte of the first answer reaches the client', async () => {
    const stream = openai.chat.completions.stream({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:call_when_pressed]] Paris?' }], tools: chatTools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } }, stream: true,
    });
    const chunks = [];
    stream.on('chunk', (c) => chunks.push(c));
    const done = await stream.finalChatCompletion();
    expect(done.choices[0].finish_reason).toBe('tool_calls');
    expect(done.choices[0].message.tool_calls.map((c) => c.function)).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }]);
    expect(JSON.stringify(chunks)).not.toContain('mild');
    expect(chunks.every((c) => !c.choices[0]?.delta?.content)).toBe(true);
    await expectRetried('MUST be only a call of the tool get_weather in this reply.');
  });

  it('required, streamed, and the retry makes no call either: the honest text answer, finish_reason stop', async () => {
    const stream = openai.chat.completions.stream({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:no_call]] Paris?' }], tools: chatTools, tool_choice: 'required', stream: true,
    });
    const done = await stream.finalChatCompletion();
    expect(done.choices[0].finish_reason).toBe('stop');
    expect(done.choices[0].message.content).toContain(NO_CALL_TEXT);
    expect(done.choices[0].message.tool_calls).toBeUndefined();
    await expectRetried();
  });

  it('required, not streamed, no call twice: text with finish_reason stop, logged once as retried', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:no_call]] Paris?' }], tools: chatTools, tool_choice: 'required',
    });
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.choices[0].message.content).toContain(NO_CALL_TEXT);
    await expectRetried();
    await expectRetryLogged(res._request_id);
  });

  it('auto: an answer without a call is not retried', async () => {
    await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: '[[tools:call_when_pressed]] Paris?' }], tools: chatTools });
    expect(await upstream.chats()).toHaveLength(1);
  });
});

describe('responses (openai)', () => {
  const tools = [{ type: 'function', name: 'get_weather', description: 'Current weather for a city.', parameters: weatherSchema, strict: false }];

  it('required: one function_call item from the retry', async () => {
    const res = await openai.responses.create({ model: 'grok-4', input: '[[tools:call_when_pressed]] Paris?', tools, tool_choice: 'required' });
    expect(res.status).toBe('completed');
    expect(res.output.map((o) => o.type)).toEqual(['function_call']);
    expect(res.output[0]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' });
    await expectRetried();
    await expectRetryLogged(res._request_id);
  });

  it('required, in a continued Grok conversation: the retry is a follow-up from the same parent', async () => {
    const first = await openai.responses.create({ model: 'grok-4', input: 'I am in Paris.' });
    await waitForLog(first._request_id); // the stored row lands with the log row
    const [opening] = await upstream.chats();
    const parent = opening.chat.responseId ?? opening.response?.responseId;
    const conv = opening.chat.conversationId ?? opening.response?.conversationId;
    await resetFake();
    const res = await openai.responses.create({
      model: 'grok-4', previous_response_id: first.id, input: '[[tools:call_when_pressed]] Weather here?', tools, tool_choice: 'required',
    });
    expect(res.output.map((o) => o.type)).toEqual(['function_call']);
    expect(res.output[0]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' });
    await expectRetried();
    const chats = await upstream.chats();
    expect(chats.map((e) => `${e.method} ${e.path} ${e.body.parentResponseId}`)).toEqual([
      `POST /rest/app-chat/conversations/${conv}/responses ${parent}`,
      `POST /rest/app-chat/conversations/${conv}/responses ${parent}`,
    ]);
    expect(chats[0].chat.prompt).not.toContain('I am in Paris.'); // only the new input is sent
    await expectRetryLogged(res._request_id);
  });

  it('required, streamed, no call twice: one message item with the text', async () => {
    const final = await openai.responses.stream({ model: 'grok-4', input: '[[tools:no_call]] Paris?', tools, tool_choice: 'required' }).finalResponse();
    expect(final.status).toBe('completed');
    expect(final.output.map((o) => o.type)).toEqual(['message']);
    expect(final.output_text).toContain(NO_CALL_TEXT);
    await expectRetried();
  });
});

describe('messages (@anthropic-ai/sdk)', () => {
  const tools = [{ name: 'get_weather', description: 'Current weather for a city.', input_schema: weatherSchema }];

  it('any, not streamed: a tool_use block from the retry', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: '[[tools:call_when_pressed]] Paris?' }], tools, tool_choice: { type: 'any' },
    });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris', unit: 'c' } });
    await expectRetried();
    await expectRetryLogged(msg._request_id);
  });

  it('a named tool, streamed, no call twice: text and end_turn', async () => {
    const final = await anthropic.messages.stream({
      model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: '[[tools:no_call]] Paris?' }], tools, tool_choice: { type: 'tool', name: 'get_weather' },
    }).finalMessage();
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content.map((b) => b.type)).toEqual(['text']);
    expect(final.content[0].text).toContain(NO_CALL_TEXT);
    await expectRetried('MUST be only a call of the tool get_weather in this reply.');
  });
});
