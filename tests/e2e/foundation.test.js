// The served Worker seen from outside: /health with real bindings, and OpenAI errors as the
// official client surfaces them.
import { describe, it, expect, inject } from 'vitest';
import OpenAI from 'openai';

const baseUrl = inject('baseUrl');

describe('served worker', () => {
  it('reports health with both bindings', async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', build: 'e2e', bindings: { db: true, kv: true } });
  });

  it('surfaces an unknown route as the client NotFoundError', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const err = await client.get('/no-such-endpoint').catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.status).toBe(404);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'unknown_url' });
    expect(err.requestID).toMatch(/^req_/);
  });

  it('surfaces malformed JSON as a 400 BadRequestError (with a key; without one it is 401 unread)', async () => {
    const res = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.type).toBe('invalid_request_error');
    const anon = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(anon.status).toBe(401);
    expect((await anon.json()).error.code).toBe('invalid_api_key');
  });

  it('serves the static admin app from assets', async () => {
    const res = await fetch(`${baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});
