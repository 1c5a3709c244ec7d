// The Anthropic Messages API seen by the official @anthropic-ai/sdk (1.17.0, which sends its key
// as a Bearer token), through wrangler dev and the fake Grok upstream: messages.create,
// messages.stream() to finalMessage() with text and with thinking (signed, and accepted when sent
// back), an upstream failure surfacing as the SDK's typed error (before the first byte and
// mid-stream), and count_tokens. Every answer is compared whole with what the fake sent, and the
// fake's record shows the mode the Claude model name was mapped to and the prompt it got.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { baseUrl, createKey, setPool, resetFake, waitForLog, upstream, expectOneChat } from './helpers.js';
import { reasoningFor } from '../fake-grok/content.mjs';

let key;
let anthropic;

beforeAll(async () => {
  key = await createKey({ name: 'messages-e2e' });
  anthropic = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0, timeout: 30000 });
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-messages', tier: 'super' }]);
});

describe('messages with @anthropic-ai/sdk', () => {
  it('messages.create: the answer the fake sent, the model mapped, usage, one log row', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'hello there' },
      ],
    });
    const sent = await expectOneChat({ mode: 'auto', prompt: 'system: Be brief.\n\nuser: hi\n\nassistant: Hello!\n\nhello there' });
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: sent.chat.answer }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(msg.content[0].text).toBe('You said: system: Be brief.\n\nuser: hi\n\nassistant: Hello!\n\nhello there');
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(msg._request_id).toMatch(/^req_[0-9a-f]{24}$/);
    const row = await waitForLog(msg._request_id);
    expect(row).toMatchObject({ status: 200, path: '/v1/messages', model: 'grok-chat-auto', stream: 0, attempts: 1, token_id: 'tok_ok', key_name: 'messages-e2e' });
  });

  it('messages.stream() to finalMessage(): text through named events', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'ping' }] });
    let streamed = '';
    stream.on('text', (t) => (streamed += t));
    const final = await stream.finalMessage();
    const sent = await expectOneChat({ mode: 'fast', prompt: 'ping' });
    expect(final.content).toEqual([{ type: 'text', text: sent.chat.answer }]);
    expect(streamed).toBe('You said: ping');
    expect(final.stop_reason).toBe('end_turn');
    expect(typeof final.usage.output_tokens).toBe('number');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('messages.stream() with thinking: a signed thinking block first, accepted when sent back', async () => {
    const stream = anthropic.messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: '[[scenario:thinking]] why is the sky blue' }],
    });
    let thinkingStreamed = '';
    stream.on('thinking', (delta) => (thinkingStreamed += delta));
    const final = await stream.finalMessage();
    // Opus maps to expert mode (a reasoning mode already).
    const sent = await expectOneChat({ mode: 'expert', prompt: '[[scenario:thinking]] why is the sky blue', scenario: 'thinking' });
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const [thinking, text] = final.content;
    expect(text.text).toBe(sent.chat.answer);
    expect(text.text).toBe('You said: why is the sky blue');
    expect(thinking.thinking).toBe(thinkingStreamed);
    expect(thinking.thinking).toContain('Considering the request');
    expect(thinking.thinking).toContain(reasoningFor('why is the sky blue'));
    expect(thinking.signature).toMatch(/^g2a1\.[A-Za-z0-9_-]{43}$/);

    await resetFake();
    const next = await anthropic.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'why is the sky blue' },
        { role: 'assistant', content: final.content },
        { role: 'user', content: 'and at sunset?' },
      ],
    });
    // The thinking is not replayed to Grok; the text is.
    const again = await expectOneChat({ mode: 'expert', prompt: `user: why is the sky blue\n\nassistant: ${text.text}\n\nand at sunset?` });
    expect(next.content.at(-1).text).toBe(again.chat.answer);

    const forged = await anthropic.messages
      .create({
        model: 'claude-opus-4-8',
        max_tokens: 64,
        messages: [
          { role: 'user', content: 'why is the sky blue' },
          { role: 'assistant', content: [{ ...thinking, thinking: 'I made this up.' }, text] },
          { role: 'user', content: 'and at sunset?' },
        ],
      })
      .catch((e) => e);
    expect(forged).toBeInstanceOf(Anthropic.BadRequestError);
    expect(forged.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'messages.1.content.0: Invalid `signature` in `thinking` block' } });
  });

  it('an upstream failure surfaces as the typed error, before the first byte and mid-stream', async () => {
    await upstream.setScenario({ token: 'tok-ok-messages', name: '5xx' });
    const before = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(before).toBeInstanceOf(Anthropic.InternalServerError);
    expect(before.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect((await upstream.chats()).map((c) => c.scenario)).toEqual(['5xx']);

    await resetFake();
    await upstream.setScenario({ token: 'tok-ok-messages', name: 'eof' });
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'a longer answer please' }] });
    let streamed = '';
    stream.on('text', (t) => (streamed += t));
    const mid = await stream.finalMessage().catch((e) => e);
    expect(mid).toBeInstanceOf(Anthropic.APIError);
    expect(mid.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    const [cut] = await upstream.chats();
    expect(cut.scenario).toBe('eof');
    expect(streamed.length).toBeGreaterThan(0);
    expect(cut.chat.answer.startsWith(streamed)).toBe(true);
  });

  it('count_tokens: the same number as usage.input_tokens, without asking Grok', async () => {
    const body = { model: 'claude-sonnet-4-6', system: 'You are terse.', messages: [{ role: 'user', content: 'Count these words, please: one two three.' }] };
    const counted = await anthropic.messages.countTokens(body);
    expect(Object.keys(counted)).toEqual(['input_tokens']);
    expect(counted.input_tokens).toBeGreaterThan(5);
    expect(await upstream.chats()).toEqual([]);
    const msg = await anthropic.messages.create({ ...body, max_tokens: 64 });
    expect(msg.usage.input_tokens).toBe(counted.input_tokens);
  });
});
