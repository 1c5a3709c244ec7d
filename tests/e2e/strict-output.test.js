// Strict structured output through the official openai client, wrangler dev and the fake
// upstream: when the answer cannot be recovered into JSON that fits a `strict: true` schema
// (the fake's [[json:invalid]] answers {"answer": "forty-two"} in prose, which the schema's
// integer `answer` and required `words` refuse), the client gets a 502 server_error
// invalid_structured_output naming what failed — streamed or not, since a strict answer is held
// until it is checked — never invalid JSON. The account is not blamed (its outcome is a
// success) and the log row records the error. Without `strict` the best effort stays: the text
// as it is.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { client, createKey, setPool, resetFake, waitForLog, upstream, sql } from './helpers.js';

const schema = {
  type: 'object',
  properties: { answer: { type: 'integer' }, words: { type: 'integer' } },
  required: ['answer', 'words'],
  additionalProperties: false,
};
const PROBLEM = "schema 'answer': ";
let openai;

beforeAll(async () => {
  openai = client(await createKey({ name: 'strict-e2e' }));
});

beforeEach(async () => {
  await resetFake();
  await setPool([{ id: 'tok_ok', sso: 'tok-ok-strict', tier: 'super' }]);
});

function expectStrictError(err) {
  expect(err.status).toBe(502);
  expect(err.error).toMatchObject({ type: 'server_error', code: 'invalid_structured_output', param: null });
  expect(err.error.message).toContain(PROBLEM);
  expect(err.error.message).toContain('could not be turned into JSON that matches the strict response schema');
}

async function expectLoggedAndAccountFine(requestId) {
  const row = await waitForLog(requestId);
  expect(row).toMatchObject({ status: 502, error_code: 'invalid_structured_output', token_id: 'tok_ok', attempts: 1 });
  const [tok] = await sql(["SELECT status, consecutive_failures FROM tokens WHERE id = 'tok_ok'"]);
  expect(tok).toMatchObject({ status: 'active', consecutive_failures: 0 });
  expect(await upstream.chats()).toHaveLength(1);
}

const chatFormat = { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } };

describe('chat completions response_format strict', () => {
  it('not streamed: 502 invalid_structured_output, the account unharmed', async () => {
    const err = await openai.chat.completions
      .create({ model: 'grok-4', messages: [{ role: 'user', content: '[[json:invalid]] Give me the answer' }], response_format: chatFormat })
      .catch((e) => e);
    expectStrictError(err);
    await expectLoggedAndAccountFine(err.requestID ?? err.headers?.get?.('x-request-id'));
  });

  it('streamed: the same 502 before the stream starts, no invalid JSON chunk', async () => {
    const err = await openai.chat.completions
      .create({ model: 'grok-4', messages: [{ role: 'user', content: '[[json:invalid]] Give me the answer' }], response_format: chatFormat, stream: true })
      .then(async (s) => { for await (const c of s) void c; return null; })
      .catch((e) => e);
    expectStrictError(err);
  });

  it('without strict the text comes as it is (best effort)', async () => {
    const res = await openai.chat.completions.create({
      model: 'grok-4', messages: [{ role: 'user', content: '[[json:invalid]] Give me the answer' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } },
    });
    expect(res.choices[0].message.content).toBe('Roughly: {"answer": "forty-two"} I think.');
  });
});

describe('responses text.format strict', () => {
  const format = { type: 'json_schema', name: 'answer', schema, strict: true };

  it('not streamed and streamed: 502 invalid_structured_output', async () => {
    const err = await openai.responses.create({ model: 'grok-4', input: '[[json:invalid]] Give me the answer', text: { format } }).catch((e) => e);
    expectStrictError(err);
    await expectLoggedAndAccountFine(err.requestID ?? err.headers?.get?.('x-request-id'));
    await resetFake();
    const err2 = await openai.responses
      .create({ model: 'grok-4', input: '[[json:invalid]] Give me the answer', text: { format }, stream: true })
      .then(async (s) => { for await (const e of s) void e; return null; })
      .catch((e) => e);
    expectStrictError(err2);
  });
});
