// Tool calling through the official clients (openai 7.60.0 chat + responses, @anthropic-ai/sdk
// 1.17.0), wrangler dev and the fake Grok upstream, which answers tool prompts with the
// recorded-shape outputs of tests/native/fixtures/tools/outputs.json chosen by [[tools:NAME]] in
// the prompt, and with a final answer once the prompt replays tool results (fake-grok/tools.mjs).
// Every test checks the exact call names and arguments those outputs encode, and the tool prompt
// the fake received (catalogue, replayed calls and results, the rules last).
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { baseUrl, client, createKey, setPool, resetFake, waitForLog, upstream, expectOneChat } from './helpers.js';

let key;
let openai;
let anthropic;

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
  additionalProperties: false,
};
const searchSchema = { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } }, required: ['query'] };
const chatTools = [
  { type: 'function', function: { name: 'get_weather', description: 'Current weather for a city.', parameters: weatherSchema } },
  { type: 'function', function: { name: 'search', description: 'Web search.', parameters: searchSchema } },
];
const RULES = '[Tool use] To call a tool, reply with one block per call';

beforeAll(async () => {
  key = await createKey({ name: 'tools-e2e' });
  openai = client(key);
  anthropic = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0, timeout: 30000 });
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-tools', tier: 'super' }]);
});

async function sentPrompt() {
  const chats = await upstream.chats();
  expect(chats).toHaveLength(1);
  return chats[0].chat.prompt;
}

function expectToolPrompt(prompt, { tools = ['get_weather', 'search'], question }) {
  expect(prompt).toContain('# Tools (g2a-tools/1)');
  for (const t of tools) expect(prompt).toContain(`## ${t}\n`);
  expect(prompt).toContain('Arguments: {city: string, unit?: "c"|"f"}\n- city: City name');
  if (question) expect(prompt).toContain(`\n\n${question}\n\n${RULES}`);
  expect(prompt.indexOf(RULES)).toBeGreaterThan(prompt.indexOf('# Tools'));
}

describe('chat completions with tools (openai)', () => {
  it('non-stream: one call with exact arguments, content null, finish_reason tool_calls', async () => {
    const question = '[[tools:well_formed]] What is the weather in Paris?';
    const res = await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: question }], tools: chatTools });
    const choice = res.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const [call] = choice.message.tool_calls;
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' } });
    expect(call.id).toMatch(/^call_[0-9a-f]{20}_0$/);
    expectToolPrompt(await sentPrompt(), { question });
    const row = await waitForLog(res._request_id ?? '');
    expect(row).toMatchObject({ status: 200, route: 'chat.completions' });
  });

  it('stream: parallel calls (one a sloppy integer) through chat.completions.stream().finalChatCompletion()', async () => {
    const question = '[[tools:several_calls]] Weather and events in Oslo?';
    const stream = openai.chat.completions.stream({ model: 'grok-4', messages: [{ role: 'user', content: question }], tools: chatTools, stream: true });
    const deltas = [];
    stream.on('chunk', (c) => deltas.push(c));
    const done = await stream.finalChatCompletion();
    const msg = done.choices[0].message;
    expect(done.choices[0].finish_reason).toBe('tool_calls');
    expect(msg.content).toBe("I'll look up both.\n");
    expect(msg.tool_calls.map((c) => [c.function.name, c.function.arguments])).toEqual([
      ['get_weather', '{"city":"Oslo"}'],
      ['search', '{"query":"Oslo events","limit":3}'],
    ]);
    const firstFragments = deltas.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).filter((t) => t.id);
    expect(firstFragments.map((t) => [t.index, t.type, t.function.name, t.function.arguments])).toEqual([
      [0, 'function', 'get_weather', ''],
      [1, 'function', 'search', ''],
    ]);
    expectToolPrompt(await sentPrompt(), { question });
  });

  it('a code-fenced call is recognised; parallel_tool_calls false keeps only the first call', async () => {
    let res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:code_fence]] Berlin?' }], tools: chatTools, stream: false,
    });
    expect(res.choices[0].message.content).toBe('Sure.\n');
    expect(res.choices[0].message.tool_calls[0].function).toEqual({ name: 'get_weather', arguments: '{"city":"Berlin"}' });
    await resetFake();
    res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:several_calls]] Oslo?' }], tools: chatTools, parallel_tool_calls: false,
    });
    expect(res.choices[0].message.tool_calls.map((c) => c.function.name)).toEqual(['get_weather']);
    expect(await sentPrompt()).toContain('Call at most one tool in this reply.');
  });

  it('a call naming an unknown tool comes back as text with finish_reason stop', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:unknown_tool]] go' }], tools: chatTools,
    });
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.choices[0].message.tool_calls).toBeUndefined();
    expect(res.choices[0].message.content).toBe('<tool_call name="launch_rocket">{"target": "moon"}</tool_call> done');
  });

  it('round trip: the tool result is replayed in the convention and the final answer is text', async () => {
    const question = '[[tools:well_formed]] What is the weather in Paris?';
    const first = await openai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: question }], tools: chatTools });
    const call = first.choices[0].message.tool_calls[0];
    await resetFake();
    const res = await openai.chat.completions.create({
      model: 'grok-4',
      tools: chatTools,
      messages: [
        { role: 'user', content: question },
        first.choices[0].message,
        { role: 'tool', tool_call_id: call.id, content: '21 C and sunny' },
      ],
    });
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.choices[0].message.content).toBe('Final answer from the tool results: 21 C and sunny');
    const prompt = await sentPrompt();
    expect(prompt).toContain(`user: ${question}\n\nassistant:\n<tool_call name="get_weather">{"city":"Paris","unit":"c"}</tool_call>\n\n` +
      `<tool_result name="get_weather" id="${call.id}">21 C and sunny</tool_result>\n\n${RULES}`);
  });

  it('tool_choice none offers no tools; a named tool that is not declared is a 400 naming tool_choice', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[tools:well_formed]] hi' }], tools: chatTools, tool_choice: 'none',
    });
    expect(res.choices[0].message.tool_calls).toBeUndefined();
    expect(await sentPrompt()).toBe('[[tools:well_formed]] hi');
    const err = await openai.chat.completions
      .create({ model: 'grok-4', messages: [{ role: 'user', content: 'hi' }], tools: chatTools, tool_choice: { type: 'function', function: { name: 'nope' } } })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ param: 'tool_choice.function.name', code: 'invalid_value' });
  });
});

describe('responses with tools (openai)', () => {
  const tools = [
    { type: 'function', name: 'get_weather', description: 'Current weather for a city.', parameters: weatherSchema, strict: true },
    { type: 'custom', name: 'apply_patch', description: 'Apply a patch.', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
  ];

  it('responses.create: a function_call item, then function_call_output with previous_response_id gives the final answer', async () => {
    const question = '[[tools:well_formed]] What is the weather in Paris?';
    const res = await openai.responses.create({ model: 'grok-4', input: question, tools });
    expect(res.status).toBe('completed');
    expect(res.output.map((o) => o.type)).toEqual(['function_call']);
    const [fc] = res.output;
    expect(fc).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}', status: 'completed' });
    expect(fc.id).toMatch(/^fc_/);
    expect(fc.call_id).toMatch(/^call_/);
    expect(res.tools.map((t) => t.name)).toEqual(['get_weather', 'apply_patch']);
    const prompt = await sentPrompt();
    expectToolPrompt(prompt, { tools: ['get_weather', 'apply_patch'], question });
    expect(prompt).toContain('## apply_patch\nApply a patch.\nInput: raw text (not JSON)');
    await waitForLog(res._request_id ?? '');
    await resetFake();
    let next;
    for (let i = 0; i < 20; ++i) { // the stored row lands with the log row
      next = await openai.responses
        .create({ model: 'grok-4', previous_response_id: res.id, tools, input: [{ type: 'function_call_output', call_id: fc.call_id, output: '21 C' }] })
        .catch((e) => e);
      if (!(next instanceof Error)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(next.output_text).toBe('Final answer from the tool results: 21 C');
    // A follow-up in the Grok conversation that made the call: only the result is sent, named
    // after the call it answers (the call itself is already in that conversation).
    const [follow] = await upstream.chats();
    expect(follow.path).toMatch(/^\/rest\/app-chat\/conversations\/[^/]+\/responses$/);
    const prompt2 = await sentPrompt();
    expect(prompt2).toContain(`<tool_result name="get_weather" id="${fc.call_id}">21 C</tool_result>`);
    expect(prompt2).not.toContain('<tool_call name="get_weather">');
    expectToolPrompt(prompt2, { tools: ['get_weather', 'apply_patch'], question: null });
  });

  it('responses.stream().finalResponse(): function_call events pass the strict helper', async () => {
    const stream = openai.responses.stream({ model: 'grok-4', input: '[[tools:prose_before]] weather?', tools });
    const types = [];
    stream.on('event', (e) => types.push(e.type));
    const final = await stream.finalResponse();
    expect(final.output.map((o) => o.type)).toEqual(['message', 'function_call']);
    expect(final.output[0].content[0].text).toBe('Let me check the weather in Paris for you.\n\n');
    expect(final.output[1]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(types).toContain('response.function_call_arguments.delta');
    expect(types.indexOf('response.function_call_arguments.done')).toBeLessThan(types.lastIndexOf('response.output_item.done'));
  });

  it('a custom tool (Codex apply_patch) is answered with a custom_tool_call item holding the raw input', async () => {
    const res = await openai.responses.create({ model: 'grok-4', input: '[[tools:freeform_patch]] add hello.txt', tools, stream: false });
    expect(res.output.map((o) => o.type)).toEqual(['custom_tool_call']);
    expect(res.output[0]).toMatchObject({
      name: 'apply_patch',
      input: '*** Begin Patch\n*** Add File: hello.txt\n+hello <world>\n*** End Patch',
    });
  });
});

describe('messages with tools (@anthropic-ai/sdk)', () => {
  const tools = [
    { name: 'get_weather', description: 'Current weather for a city.', input_schema: weatherSchema },
    { name: 'search', description: 'Web search.', input_schema: searchSchema },
  ];

  it('messages.create: a tool_use block with parsed input and stop_reason tool_use', async () => {
    const question = '[[tools:trailing_comma]] Rome?';
    const msg = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: question }], tools });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toHaveLength(1);
    expect(msg.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Rome', unit: 'f' } });
    expect(msg.content[0].id).toMatch(/^toolu_/);
    expectToolPrompt(await sentPrompt(), { question });
  });

  it('messages.stream().finalMessage(): text then two tool_use blocks built from input_json_delta', async () => {
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: '[[tools:several_calls]] Oslo?' }], tools,
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    expect(final.content[0].text).toBe("I'll look up both.\n");
    expect(final.content[1]).toMatchObject({ name: 'get_weather', input: { city: 'Oslo' } });
    expect(final.content[2]).toMatchObject({ name: 'search', input: { query: 'Oslo events', limit: 3 } });
  });

  it('round trip: tool_result (with is_error) is replayed and answered with text', async () => {
    const question = '[[tools:well_formed]] Paris?';
    const first = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: question }], tools });
    const use = first.content.find((b) => b.type === 'tool_use');
    await resetFake();
    const msg = await anthropic.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      tools,
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'station offline', is_error: true }] },
      ],
    });
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.content[0].text).toBe('Final answer from the tool results: [error] station offline');
    expect(await sentPrompt()).toContain(`<tool_result name="get_weather" id="${use.id}">[error] station offline</tool_result>`);
  });
});

describe('structured output', () => {
  const schema = {
    type: 'object',
    properties: { answer: { type: 'integer' }, words: { type: 'integer' } },
    required: ['answer', 'words'],
    additionalProperties: false,
  };
  const RULES_JSON = '[Output format] Reply with exactly one JSON object and nothing else';

  it('chat.completions.parse with a json_schema: prose, fence and a trailing comma cut away, "42" coerced', async () => {
    const res = await openai.chat.completions.parse({
      model: 'grok-4',
      messages: [{ role: 'user', content: 'Give me the answer' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    expect(res.choices[0].message.content).toBe('{"answer":42,"words":4}');
    expect(res.choices[0].message.parsed).toEqual({ answer: 42, words: 4 });
    const prompt = await sentPrompt();
    expect(prompt).toBe(`Give me the answer\n\n${RULES_JSON}: no prose before or after it, no code fences. It must match this JSON Schema:\n${JSON.stringify(schema)}`);
  });

  it('responses.parse with text.format json_schema gives output_parsed; json_object streams one JSON text', async () => {
    const res = await openai.responses.parse({
      model: 'grok-4', input: 'Give me the answer', text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } },
    });
    expect(res.output_parsed).toEqual({ answer: 42, words: 4 });
    expect(res.text.format).toMatchObject({ type: 'json_schema', name: 'answer' });
    await resetFake();
    const stream = openai.responses.stream({ model: 'grok-4', input: 'One two', text: { format: { type: 'json_object' } } });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('{"answer":"42","words":2}');
    expect(await sentPrompt()).toBe(`One two\n\n${RULES_JSON}: no prose before or after it, no code fences.`);
  });
});
