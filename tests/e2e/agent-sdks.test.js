// Tool calling through the agent frameworks users point at the gateway: the Vercel AI SDK
// (ai 4.3.19 + @ai-sdk/openai 1.3.24, generateText with a tool and maxSteps) and LangChain
// (@langchain/openai 0.6.17 + @langchain/core 0.3.80, bindTools), each against wrangler dev and
// the fake upstream, which answers tool prompts with the recorded-shape outputs of
// tests/native/fixtures/tools/outputs.json chosen by [[tools:NAME]] and, once the prompt replays
// tool results, with "Final answer from the tool results: …" (fake-grok/tools.mjs). Each test
// checks the exact call name and arguments that output encodes.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { generateText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { baseUrl, createKey, setPool, resetFake, upstream } from './helpers.js';

let key;

beforeAll(async () => {
  key = await createKey({ name: 'agent-sdks-e2e' });
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-agents', tier: 'super' }]);
});

describe('Vercel AI SDK (generateText)', () => {
  it('a tool with maxSteps: the call, its execution and the tool result round trip to the final answer', async () => {
    const provider = createOpenAI({ baseURL: `${baseUrl}/v1`, apiKey: key, compatibility: 'strict' });
    const executed = [];
    const result = await generateText({
      model: provider.chat('grok-4'),
      maxRetries: 0,
      maxSteps: 3,
      prompt: '[[tools:well_formed]] What is the weather in Paris?',
      tools: {
        get_weather: tool({
          description: 'Current weather for a city.',
          parameters: z.object({ city: z.string().describe('City name'), unit: z.enum(['c', 'f']).optional() }),
          execute: async (args) => {
            executed.push(args);
            return `21 ${args.unit} and sunny in ${args.city}`;
          },
        }),
      },
    }).catch((e) => {
      throw new Error(`${e.message}: ${e.statusCode} ${e.responseBody}`);
    });
    expect(executed).toEqual([{ city: 'Paris', unit: 'c' }]);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].finishReason).toBe('tool-calls');
    expect(result.steps[0].toolCalls.map((c) => [c.toolName, c.args])).toEqual([['get_weather', { city: 'Paris', unit: 'c' }]]);
    expect(result.steps[0].toolResults.map((r) => r.result)).toEqual(['21 c and sunny in Paris']);
    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('Final answer from the tool results: "21 c and sunny in Paris"');
    const chats = await upstream.chats();
    expect(chats).toHaveLength(2);
    expect(chats[0].chat.prompt).toContain('## get_weather\nCurrent weather for a city.\nArguments: {city: string, unit?: "c"|"f"}');
    const callId = result.steps[0].toolCalls[0].toolCallId;
    expect(chats[1].chat.prompt).toContain(`<tool_call name="get_weather">{"city":"Paris","unit":"c"}</tool_call>\n\n` +
      `<tool_result name="get_weather" id="${callId}">"21 c and sunny in Paris"</tool_result>`);
  });
});

describe('LangChain (ChatOpenAI.bindTools)', () => {
  const tools = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
    {
      type: 'function',
      function: {
        name: 'search',
        description: 'Web search.',
        parameters: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } }, required: ['query'] },
      },
    },
  ];
  const model = () => new ChatOpenAI({ model: 'grok-4', apiKey: key, maxRetries: 0, configuration: { baseURL: `${baseUrl}/v1` } });

  it('invoke: two parallel calls with their exact arguments in tool_calls', async () => {
    const msg = await model().bindTools(tools).invoke('[[tools:several_calls]] Weather and events in Oslo?');
    expect(msg.tool_calls.map((c) => [c.name, c.args])).toEqual([
      ['get_weather', { city: 'Oslo' }],
      ['search', { query: 'Oslo events', limit: 3 }],
    ]);
    expect(msg.tool_calls.every((c) => /^call_/.test(c.id))).toBe(true);
    expect(msg.content).toBe("I'll look up both.\n");
    expect(msg.response_metadata.finish_reason).toBe('tool_calls');
  });

  it('stream: the chunks concatenate to the same call', async () => {
    let full;
    for await (const chunk of await model().bindTools(tools).stream('[[tools:code_fence]] Berlin?')) full = full ? full.concat(chunk) : chunk;
    expect(full.tool_calls.map((c) => [c.name, c.args])).toEqual([['get_weather', { city: 'Berlin' }]]);
    expect(full.content).toBe('Sure.\n');
  });
});
