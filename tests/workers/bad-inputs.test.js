// The bad-input catalogue, inside workerd with the real wasm: malformed JSON, wrong types for
// every field of chat and images requests, oversized bodies, unknown models, empty messages,
// huge n, bad base64 images, bad multipart bodies, private image hosts, and SQL / HTML
// payloads in every string field. Each case asserts the exact 4xx in OpenAI's shape (status,
// type, param, code), exactly one request_logs row recording it (none for a request without a
// stored key: those are counted), nothing sent to the fake upstream, and the D1 tables intact.
// SQL/HTML in free-text fields is not a client mistake: those requests succeed, reach the
// upstream verbatim, and still leave the tables intact.
import { env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, it, expect, beforeEach, beforeAll } from 'vitest';
import worker from '../../shim/index.js';

const KEY = 'sk-g2a-bad-inputs-test';
const SQL = "'; DROP TABLE tokens; --";
const HTML = '<script>alert(1)</script>';
const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function sha256hex(s) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// One request through the Worker. body: string, object (JSON) or FormData.
async function send(path, { body, headers = {}, method = 'POST', e = env, key = KEY } = {}) {
  const h = { ...headers };
  if (key !== null) h.authorization = `Bearer ${key}`;
  let payload = body;
  if (body !== undefined && typeof body === 'object' && !(body instanceof FormData) && !(body instanceof Uint8Array)) {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  } else if (typeof body === 'string') {
    h['content-type'] ??= 'application/json';
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://gw.test${path}`, { method, headers: h, body: payload }), e, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* SSE or empty */
  }
  return { res, text, json };
}

const upstreamRequests = async () => (await fetch(`${env.FAKE_GROK_URL}/__fake/requests`)).json();
const logRows = async () => (await env.DB.prepare('SELECT * FROM request_logs').all()).results;

// Everything a destructive payload could touch: the schema and the rows of the key tables.
async function snapshot() {
  const q = async (sql) => (await env.DB.prepare(sql).all()).results;
  return JSON.stringify({
    schema: await q("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name"),
    // Identity and configuration columns only: usage counters move with successful requests.
    tokens: await q('SELECT id, sso, tier, enabled, status, note FROM tokens ORDER BY id'),
    keys: await q('SELECT id, name, key_hash, key_hint, enabled, chat_limit, heavy_limit, image_limit, video_limit, allowed_models, expires_at FROM api_keys ORDER BY id'),
    settings: await q("SELECT key, value FROM settings WHERE key NOT LIKE 'statsig_%' ORDER BY key"),
    users: await q('SELECT username, password_hash FROM admin_users ORDER BY username'),
  });
}

let baseline;

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM token_buckets'),
    env.DB.prepare('DELETE FROM tokens'),
    env.DB.prepare('DELETE FROM api_key_usage'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare("DELETE FROM settings WHERE key NOT IN ('statsig_seed', 'statsig_key')"),
    env.DB.prepare(
      "INSERT INTO api_keys (id, name, key_hash, key_hint, chat_limit, created_at) VALUES ('key_bad', 'bad-inputs', ?1, 'sk…', -1, 0)",
    ).bind(await sha256hex(KEY)),
    env.DB.prepare("INSERT INTO tokens (id, sso, tier, created_at, last_used_at) VALUES ('tok_a', 'tok-ok-bad-inputs', 'super', 0, 0)"),
  ]);
});

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM request_logs').run();
  await fetch(`${env.FAKE_GROK_URL}/__fake/reset`, { method: 'POST' });
  baseline = await snapshot();
});

// A client mistake: the exact error, one log row saying so, no upstream call, tables intact.
async function expectRefused(r, { status, type = 'invalid_request_error', param = null, code }) {
  expect(r.res.status, r.text).toBe(status);
  expect(r.res.headers.get('content-type')).toContain('application/json');
  expect(r.json).toEqual({ error: { message: expect.any(String), type, param, code } });
  expect(r.json.error.message.length).toBeGreaterThan(0);
  expect(r.text).not.toMatch(/\bat \S+ \(|wasm-function|RuntimeError|unreachable/);
  const rows = await logRows();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ id: r.res.headers.get('x-request-id'), status, error_code: code });
  expect(await upstreamRequests()).toEqual([]);
  expect(await snapshot()).toBe(baseline);
}

const chatBase = { model: 'grok-4', messages: [{ role: 'user', content: 'hello' }] };
const chat = (body, opts) => send('/v1/chat/completions', { body, ...opts });
const gen = (body, opts) => send('/v1/images/generations', { body, ...opts });
const edit = (body, opts) => send('/v1/images/edits', { body, ...opts });
const withMsg = (m) => ({ ...chatBase, messages: [{ role: 'user', content: 'hi', ...m }] });
const part = (p) => withMsg({ content: [p] });

describe('malformed JSON', () => {
  const bodies = {
    truncated: '{"model":',
    'empty body': '',
    'only whitespace': ' \n\t ',
    'an array': '[{"model":"grok-4"}]',
    'a string': '"hello"',
    'trailing comma': '{"model":"grok-4","messages":[{"role":"user","content":"hi"}],}',
    'trailing garbage': '{"model":"grok-4","messages":[{"role":"user","content":"hi"}]} x',
    'single quotes': "{'model':'grok-4'}",
    'NaN literal': '{"model":"grok-4","n":NaN,"messages":[]}',
    'unterminated string': '{"model":"grok-4',
  };
  for (const [name, body] of Object.entries(bodies)) {
    it(`chat: ${name}`, async () => {
      await expectRefused(await chat(body), { status: 400, code: 'invalid_json' });
    });
  }
  it('chat: invalid UTF-8 inside a string', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"model":"grok-4","messages":[{"role":"user","content":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}]}')]);
    await expectRefused(await send('/v1/chat/completions', { body: bytes, headers: { 'content-type': 'application/json' } }), {
      status: 400,
      code: 'invalid_json',
    });
  });
  it('images generations: truncated JSON', async () => {
    await expectRefused(await gen('{"prompt":"a cat"'), { status: 400, code: 'invalid_json' });
  });
  it('images edits (JSON): truncated JSON', async () => {
    await expectRefused(await edit('{"prompt":"a cat","image":'), { status: 400, code: 'invalid_json' });
  });
});

describe('wrong types in chat requests', () => {
  const cases = [
    ['model', { ...chatBase, model: 5 }],
    ['messages', { ...chatBase, messages: 'hello' }],
    ['messages', { ...chatBase, messages: { role: 'user' } }],
    ['messages[0]', { ...chatBase, messages: ['hello'] }],
    ['messages[0].role', withMsg({ role: 1 })],
    ['messages[0].content', withMsg({ content: 5 })],
    ['messages[0].content', withMsg({ content: { type: 'text', text: 'hi' } })],
    ['messages[0].content[0]', withMsg({ content: ['hi'] })],
    ['messages[0].content[0].type', part({ type: 1, text: 'hi' })],
    ['messages[0].content[0].text', part({ type: 'text', text: 7 })],
    ['messages[0].content[0].image_url', part({ type: 'image_url', image_url: 7 })],
    ['messages[0].content[0].image_url.url', part({ type: 'image_url', image_url: { url: 7 } })],
    ['messages[0].content[0].image_url.detail', part({ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 1 } })],
    ['messages[0].name', withMsg({ name: 1 })],
    ['messages[0].tool_call_id', withMsg({ tool_call_id: [] })],
    ['messages[0].tool_calls', withMsg({ role: 'assistant', tool_calls: 'x' })],
    ['messages[0].tool_calls[0]', withMsg({ role: 'assistant', tool_calls: ['x'] })],
    ['messages[0].tool_calls[0].function', withMsg({ role: 'assistant', tool_calls: [{ id: 'c', function: 'f' }] })],
    ['messages[0].tool_calls[0].function.name', withMsg({ role: 'assistant', tool_calls: [{ id: 'c', function: { name: 1 } }] })],
    ['messages[0].function_call', withMsg({ role: 'assistant', function_call: 'f' })],
    ['stream', { ...chatBase, stream: 'yes' }],
    ['stream_options', { ...chatBase, stream_options: 'yes' }],
    ['stream_options.include_usage', { ...chatBase, stream_options: { include_usage: 'yes' } }],
    ['n', { ...chatBase, n: '1' }],
    ['n', { ...chatBase, n: 1.5 }],
    ['max_tokens', { ...chatBase, max_tokens: '100' }],
    ['max_completion_tokens', { ...chatBase, max_completion_tokens: true }],
    ['reasoning_effort', { ...chatBase, reasoning_effort: 3 }],
    ['user', { ...chatBase, user: { id: 1 } }],
    ['tools', { ...chatBase, tools: 'all' }],
    ['tools[0]', { ...chatBase, tools: ['f'] }],
    ['response_format', { ...chatBase, response_format: 'json' }],
    ['response_format.type', { ...chatBase, response_format: { type: 1 } }],
    ['video_config', { ...chatBase, video_config: 'hd' }],
    ['video_config.video_length', { ...chatBase, video_config: { video_length: '6' } }],
    ['video_config.aspect_ratio', { ...chatBase, video_config: { aspect_ratio: 16 } }],
  ];
  for (const [param, body] of cases) {
    it(`${param}: ${JSON.stringify(body).slice(0, 90)}`, async () => {
      await expectRefused(await chat(body), { status: 400, param, code: 'invalid_type' });
    });
  }
});

describe('wrong types in images requests', () => {
  const genBase = { prompt: 'a cat' };
  for (const [param, value] of [
    ['prompt', 5],
    ['n', '2'],
    ['n', 2.5],
    ['size', 1024],
    ['response_format', ['url']],
    ['quality', true],
    ['style', {}],
    ['stream', 'true'],
    ['partial_images', '1'],
    ['model', 3],
    ['user', 9],
  ]) {
    it(`generations ${param}: ${JSON.stringify(value)}`, async () => {
      await expectRefused(await gen({ ...genBase, [param]: value }), { status: 400, param, code: 'invalid_type' });
    });
  }
  for (const [param, body] of [
    ['image', { prompt: 'blue', image: 5 }],
    ['images', { prompt: 'blue', images: 'https://example.com/a.png' }],
    ['images[0]', { prompt: 'blue', images: [5] }],
    ['mask', { prompt: 'blue', image: `data:image/png;base64,${PNG_1x1}`, mask: 7 }],
    ['prompt', { prompt: ['blue'], image: `data:image/png;base64,${PNG_1x1}` }],
  ]) {
    it(`edits (JSON) ${param}: ${JSON.stringify(body).slice(0, 60)}`, async () => {
      await expectRefused(await edit(body), { status: 400, param, code: 'invalid_type' });
    });
  }
});

describe('missing and empty fields, unknown models, huge n', () => {
  it('chat without model', async () => {
    await expectRefused(await chat({ messages: chatBase.messages }), { status: 400, param: 'model', code: 'missing_required_parameter' });
  });
  it('chat without messages', async () => {
    await expectRefused(await chat({ model: 'grok-4' }), { status: 400, param: 'messages', code: 'missing_required_parameter' });
  });
  it('chat with empty messages', async () => {
    await expectRefused(await chat({ ...chatBase, messages: [] }), { status: 400, param: 'messages', code: 'invalid_value' });
  });
  it('chat with only blank text', async () => {
    await expectRefused(await chat({ ...chatBase, messages: [{ role: 'user', content: '  \n ' }] }), {
      status: 400,
      param: 'messages',
      code: 'empty_prompt',
    });
  });
  it('chat message without role', async () => {
    await expectRefused(await chat({ ...chatBase, messages: [{ content: 'hi' }] }), {
      status: 400,
      param: 'messages[0].role',
      code: 'missing_required_parameter',
    });
  });
  it('chat with an unknown model', async () => {
    await expectRefused(await chat({ ...chatBase, model: 'gpt-4o' }), { status: 404, param: 'model', code: 'model_not_found' });
  });
  it('chat with an images-only model', async () => {
    await expectRefused(await chat({ ...chatBase, model: 'grok-imagine-1.0-edit' }), { status: 400, param: 'model', code: 'model_not_supported' });
  });
  it('chat with huge n', async () => {
    await expectRefused(await chat({ ...chatBase, n: 1000000 }), { status: 400, param: 'n', code: 'unsupported_parameter' });
  });
  it('chat with n = 0', async () => {
    await expectRefused(await chat({ ...chatBase, n: 0 }), { status: 400, param: 'n', code: 'invalid_value' });
  });
  it('chat with n = 1e300', async () => {
    await expectRefused(await chat('{"model":"grok-4","n":1e300,"messages":[{"role":"user","content":"hi"}]}'), {
      status: 400,
      param: 'n',
      code: 'invalid_type',
    });
  });
  it('chat with 1001 messages', async () => {
    const messages = Array.from({ length: 1001 }, () => ({ role: 'user', content: 'x' }));
    await expectRefused(await chat({ ...chatBase, messages }), { status: 400, param: 'messages', code: 'invalid_value' });
  });
  it('chat with max_tokens = 0', async () => {
    await expectRefused(await chat({ ...chatBase, max_tokens: 0 }), { status: 400, param: 'max_tokens', code: 'invalid_value' });
  });
  it('chat with an unsupported content part', async () => {
    await expectRefused(await chat(part({ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } })), {
      status: 400,
      param: 'messages[0].content[0].type',
      code: 'unsupported_parameter',
    });
  });
  it('images generation without prompt', async () => {
    await expectRefused(await gen({ n: 1 }), { status: 400, param: 'prompt', code: 'missing_required_parameter' });
  });
  it('images generation with a blank prompt', async () => {
    await expectRefused(await gen({ prompt: ' \n' }), { status: 400, param: 'prompt', code: 'invalid_value' });
  });
  it('images generation with huge n', async () => {
    await expectRefused(await gen({ prompt: 'a cat', n: 1000 }), { status: 400, param: 'n', code: 'invalid_value' });
  });
  it('images generation with n = -1', async () => {
    await expectRefused(await gen({ prompt: 'a cat', n: -1 }), { status: 400, param: 'n', code: 'invalid_value' });
  });
  it('images generation with a chat model', async () => {
    await expectRefused(await gen({ prompt: 'a cat', model: 'grok-4' }), { status: 404, param: 'model', code: 'model_not_found' });
  });
  it('images generation with a prompt over 32000 characters', async () => {
    await expectRefused(await gen({ prompt: 'x'.repeat(32001) }), { status: 400, param: 'prompt', code: 'invalid_value' });
  });
  it('images edit without any image', async () => {
    await expectRefused(await edit({ prompt: 'blue' }), { status: 400, param: 'image', code: 'missing_required_parameter' });
  });
});

describe('oversized bodies (MAX_REQUEST_BYTES = 2048)', () => {
  const small = { ...env, MAX_REQUEST_BYTES: '2048' };
  const big = 'x'.repeat(4096);
  it('chat', async () => {
    await expectRefused(await chat({ ...chatBase, messages: [{ role: 'user', content: big }] }, { e: small }), {
      status: 413,
      code: 'request_too_large',
    });
  });
  it('images generations', async () => {
    await expectRefused(await gen({ prompt: big }, { e: small }), { status: 413, code: 'request_too_large' });
  });
  it('images edits (multipart)', async () => {
    const fd = new FormData();
    fd.append('prompt', 'blue');
    fd.append('image', new Blob([new Uint8Array(8192)], { type: 'image/png' }), 'a.png');
    await expectRefused(await edit(fd, { e: small }), { status: 413, code: 'request_too_large' });
  });
  it('a body without a length (chunked stream) over the limit', async () => {
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://gw.test/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      }),
      small,
      ctx,
    );
    const text = await res.text();
    await waitOnExecutionContext(ctx);
    await expectRefused({ res, text, json: JSON.parse(text) }, { status: 413, code: 'request_too_large' });
  });
});

describe('bad images', () => {
  const dataUri = (b64) => `data:image/png;base64,${b64}`;
  it('chat vision: base64 that is not base64', async () => {
    await expectRefused(await chat(part({ type: 'image_url', image_url: { url: dataUri('!!!not*base64!!!') } })), {
      status: 400,
      param: 'messages[0].content.image_url',
      code: 'invalid_image',
    });
  });
  it('chat vision: valid base64 that is not an image', async () => {
    await expectRefused(await chat(part({ type: 'image_url', image_url: { url: dataUri(btoa('plain text, not a PNG')) } })), {
      status: 400,
      param: 'messages[0].content.image_url',
      code: 'invalid_image',
    });
  });
  it('chat vision: a URL that is neither http(s) nor data:image', async () => {
    await expectRefused(await chat(part({ type: 'image_url', image_url: { url: 'file:///etc/passwd' } })), {
      status: 400,
      param: 'messages[0].content[0].image_url.url',
      code: 'invalid_value',
    });
  });
  it('chat vision: an image in an assistant message', async () => {
    const body = { ...chatBase, messages: [{ role: 'assistant', content: [{ type: 'image_url', image_url: { url: dataUri(PNG_1x1) } }] }, ...chatBase.messages] };
    await expectRefused(await chat(body), { status: 400, param: 'messages[0].content[0]', code: 'invalid_value' });
  });
  it('edits (JSON): base64 that is not base64', async () => {
    await expectRefused(await edit({ prompt: 'blue', image: dataUri('@@@@') }), { status: 400, param: 'image', code: 'invalid_image' });
  });
  it('edits (JSON): an empty data URI', async () => {
    await expectRefused(await edit({ prompt: 'blue', images: [dataUri('')] }), { status: 400, param: 'images[0]', code: 'invalid_image' });
  });
  it('edits (JSON): a GIF is not accepted for edits', async () => {
    await expectRefused(await edit({ prompt: 'blue', image: `data:image/gif;base64,${btoa('GIF89a\x01\x00\x01\x00')}` }), {
      status: 400,
      param: 'image',
      code: 'invalid_image',
    });
  });
  it('edits (multipart): a file that is not an image', async () => {
    const fd = new FormData();
    fd.append('prompt', 'blue');
    fd.append('image', new Blob(['not an image'], { type: 'image/png' }), 'a.png');
    await expectRefused(await edit(fd), { status: 400, param: 'image', code: 'invalid_image' });
  });
  it('edits (multipart): an empty file', async () => {
    const fd = new FormData();
    fd.append('prompt', 'blue');
    fd.append('image[]', new Blob([], { type: 'image/png' }), 'a.png');
    await expectRefused(await edit(fd), { status: 400, param: 'image[0]', code: 'invalid_image' });
  });
  it('edits (multipart): 17 images', async () => {
    const fd = new FormData();
    fd.append('prompt', 'blue');
    const png = Uint8Array.from(atob(PNG_1x1), (c) => c.charCodeAt(0));
    for (let i = 0; i < 17; i++) fd.append('image[]', new Blob([png], { type: 'image/png' }), `${i}.png`);
    await expectRefused(await edit(fd), { status: 400, param: 'image', code: 'too_many_images' });
  });
});

describe('bad multipart bodies', () => {
  const raw = (ct, body) => send('/v1/images/edits', { body, headers: { 'content-type': ct } });
  const part1 = '--XYZ\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nblue\r\n';
  it('no boundary parameter', async () => {
    await expectRefused(await raw('multipart/form-data', `${part1}--XYZ--\r\n`), { status: 400, code: 'invalid_multipart' });
  });
  it('a boundary that does not occur', async () => {
    await expectRefused(await raw('multipart/form-data; boundary=ABC', `${part1}--XYZ--\r\n`), { status: 400, code: 'invalid_multipart' });
  });
  it('truncated: no final boundary', async () => {
    await expectRefused(await raw('multipart/form-data; boundary=XYZ', part1), { status: 400, code: 'invalid_multipart' });
  });
  it('a part without Content-Disposition', async () => {
    await expectRefused(await raw('multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XYZ--\r\n'), {
      status: 400,
      code: 'invalid_multipart',
    });
  });
  it('a part whose Content-Disposition has no name', async () => {
    await expectRefused(await raw('multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XYZ--\r\n'), {
      status: 400,
      code: 'invalid_multipart',
    });
  });
  it('a boundary longer than 70 characters', async () => {
    const b = 'B'.repeat(71);
    await expectRefused(await raw(`multipart/form-data; boundary=${b}`, `--${b}\r\n${part1.slice(7)}--${b}--\r\n`), {
      status: 400,
      code: 'invalid_multipart',
    });
  });
  it('an unsupported content type', async () => {
    await expectRefused(await raw('text/plain', 'prompt=blue'), { status: 400, code: 'unsupported_content_type' });
  });
  it('a scalar field sent twice', async () => {
    const fd = new FormData();
    fd.append('prompt', 'blue');
    fd.append('prompt', 'red');
    fd.append('image', new Blob([Uint8Array.from(atob(PNG_1x1), (c) => c.charCodeAt(0))], { type: 'image/png' }), 'a.png');
    const r = await edit(fd);
    await expectRefused(r, { status: 400, param: 'prompt', code: r.json?.error?.code });
    expect(['invalid_value', 'invalid_multipart']).toContain(r.json.error.code);
  });
});

describe('private image hosts (SSRF) are refused when test hooks are off', () => {
  const noHooks = { ...env, G2A_TEST_HOOKS: '' };
  // Refused before any download: the answer is the one text every image URL failure gets, and
  // the request log says why.
  async function expectRefusedHost(r, param) {
    await expectRefused(r, { status: 400, param, code: 'invalid_image' });
    expect(r.json.error.message).toMatch(/^Could not load the image/);
    expect((await logRows())[0].error_message).toContain('refused before any request: not a public host');
  }
  for (const url of [
    'http://127.0.0.1/a.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:8787/a.png',
    'http://10.0.0.1/a.png',
    'http://[::1]/a.png',
    'http://0177.0.0.1/a.png',
    'http://127.1/a.png',
    'http://2130706433/a.png',
    'http://127.0.0.1./a.png',
    'http://127.0.0.1\\@example.com/a.png',
    'http://user@example.com/a.png',
    // Names that resolve only inside a network (/etc/hosts, search domains, mDNS, split DNS).
    'http://vm/a.png',
    'http://localhost./a.png',
    'http://printer.local/a.png',
    'http://db.internal/a.png',
    'http://nas.lan/a.png',
    'http://router.home.arpa/a.png',
    'http://app.localhost/a.png',
  ]) {
    it(`chat vision: ${url}`, async () => {
      await expectRefusedHost(await chat(part({ type: 'image_url', image_url: { url } }), { e: noHooks }), 'messages[0].content.image_url');
    });
  }
  it('edits (JSON): a link-local metadata URL', async () => {
    await expectRefusedHost(await edit({ prompt: 'blue', image: 'http://169.254.169.254/latest/meta-data/' }, { e: noHooks }), 'image');
  });
});

describe('image URL failures all answer the same text (the detail is in the log)', () => {
  // Test hooks on: loopback is reachable, so each URL is really fetched.
  const cases = () => [
    ['a missing path', `${env.FAKE_GROK_URL}/__fake/nothing-here.png`, 'HTTP 404'],
    ['a closed port', 'http://127.0.0.1:1/a.png', 'fetch failed'],
    ['an answer that is not an image', `${env.FAKE_GROK_URL}/__fake/requests`, 'not a PNG, JPEG, WebP or GIF'],
  ];
  it('chat vision: a missing path, a closed port and a non-image answer are indistinguishable', async () => {
    const messages = [];
    for (const [what, url, logged] of cases()) {
      const r = await chat(part({ type: 'image_url', image_url: { url } }));
      await expectRefused(r, { status: 400, param: 'messages[0].content.image_url', code: 'invalid_image' });
      messages.push(r.json.error.message);
      const row = (await logRows())[0];
      expect(row.error_message, what).toContain(logged);
      expect(r.json.error.message, what).not.toContain(logged);
      await env.DB.prepare('DELETE FROM request_logs').run();
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/^Could not load the image/);
  });
  it('the image_hosts setting allows only the hosts it names (and their subdomains)', async () => {
    await env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('image_hosts', ?1, 0)").bind(JSON.stringify('images.example.com, cdn.example.org')).run();
    try {
      baseline = await snapshot();
      const r = await chat(part({ type: 'image_url', image_url: { url: `${env.FAKE_PUBLIC_URL}/imagine-public/images/x.png` } }));
      await expectRefused(r, { status: 400, param: 'messages[0].content.image_url', code: 'invalid_image' });
      expect((await logRows())[0].error_message).toContain('not in the image_hosts setting');
    } finally {
      await env.DB.prepare("DELETE FROM settings WHERE key = 'image_hosts'").run();
    }
  });
});

describe('bad keys', () => {
  // Refused without a stored key: the exact 401, no log row (counted instead), nothing sent
  // upstream, tables intact.
  for (const [name, headers] of [
    ['no Authorization', {}],
    ['SQL as the key', { authorization: `Bearer ${SQL}` }],
    ['SQL without spaces as the key', { authorization: "Bearer ';DROP/**/TABLE/**/api_keys;--" }],
    ['HTML as the key', { authorization: `Bearer ${HTML}` }],
    ['Basic scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ]) {
    it(name, async () => {
      const r = await chat(chatBase, { key: null, headers });
      expect(r.res.status, r.text).toBe(401);
      expect(r.json).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      expect(await logRows()).toEqual([]);
      expect(await upstreamRequests()).toEqual([]);
      expect(await snapshot()).toBe(baseline);
    });
  }
});

describe('SQL and HTML payloads in every string field', () => {
  for (const payload of [SQL, HTML]) {
    describe(payload, () => {
      // Fields whose value is checked: the payload is a client mistake.
      const refused = [
        ['chat model', () => chat({ ...chatBase, model: payload }), { status: 404, param: 'model', code: 'model_not_found' }],
        ['chat role', () => chat(withMsg({ role: payload })), { status: 400, param: 'messages[0].role', code: 'invalid_value' }],
        ['chat part type', () => chat(part({ type: payload, text: 'x' })), { status: 400, param: 'messages[0].content[0].type', code: 'invalid_value' }],
        ['chat image url', () => chat(part({ type: 'image_url', image_url: { url: payload } })), { status: 400, param: 'messages[0].content[0].image_url.url', code: 'invalid_value' }],
        ['chat video aspect_ratio', () => chat({ ...chatBase, model: 'grok-imagine-1.0-video', video_config: { aspect_ratio: payload } }), { status: 400, param: 'video_config.aspect_ratio', code: 'invalid_value' }],
        ['chat video resolution', () => chat({ ...chatBase, model: 'grok-imagine-1.0-video', video_config: { resolution: payload } }), { status: 400, param: 'video_config.resolution', code: 'invalid_value' }],
        ['chat video preset', () => chat({ ...chatBase, model: 'grok-imagine-1.0-video', video_config: { preset: payload } }), { status: 400, param: 'video_config.preset', code: 'invalid_value' }],
        ['chat response_format.type', () => chat({ ...chatBase, response_format: { type: payload } }), { status: 400, param: 'response_format.type', code: 'invalid_value' }],
        ['images model', () => gen({ prompt: 'a cat', model: payload }), { status: 404, param: 'model', code: 'model_not_found' }],
        ['images size', () => gen({ prompt: 'a cat', size: payload }), { status: 400, param: 'size', code: 'invalid_value' }],
        ['images quality', () => gen({ prompt: 'a cat', quality: payload }), { status: 400, param: 'quality', code: 'invalid_value' }],
        ['images style', () => gen({ prompt: 'a cat', style: payload }), { status: 400, param: 'style', code: 'invalid_value' }],
        ['images response_format', () => gen({ prompt: 'a cat', response_format: payload }), { status: 400, param: 'response_format', code: 'invalid_value' }],
        ['edits image', () => edit({ prompt: 'blue', image: payload }), { status: 400, param: 'image', code: 'invalid_value' }],
        ['edits images[0]', () => edit({ prompt: 'blue', images: [payload] }), { status: 400, param: 'images[0]', code: 'invalid_value' }],
        ['unknown /v1 path', () => send(`/v1/${encodeURIComponent(payload)}`, { body: chatBase }), { status: 404, code: 'unknown_url' }],
      ];
      for (const [name, run, want] of refused) {
        it(`${name} is refused`, async () => {
          const r = await run();
          await expectRefused(r, want);
          // The message may quote the payload, as JSON text: never unescaped HTML in a JSON body.
          expect(r.res.headers.get('content-type')).not.toContain('html');
        });
      }
      it('the model is stored verbatim in the log row (bound, not concatenated)', async () => {
        await chat({ ...chatBase, model: payload });
        const rows = await logRows();
        expect(rows).toHaveLength(1);
        expect(rows[0].model).toBe(payload);
      });

      // Free text: not a mistake. The request succeeds, the upstream sees the text verbatim.
      const accepted = [
        ['chat content', () => chat(withMsg({ content: `say ${payload}` }))],
        ['chat text part', () => chat(part({ type: 'text', text: `say ${payload}` }))],
        ['chat name', () => chat(withMsg({ name: payload }))],
        ['chat user', () => chat({ ...chatBase, user: payload })],
        ['chat reasoning_effort', () => chat({ ...chatBase, reasoning_effort: payload })],
        ['chat system message', () => chat({ ...chatBase, messages: [{ role: 'system', content: payload }, ...chatBase.messages] })],
        ['chat tool call', () => chat({ ...chatBase, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: payload, type: 'function', function: { name: payload, arguments: payload } }] }, { role: 'tool', tool_call_id: payload, content: payload }, ...chatBase.messages] })],
      ];
      for (const [name, run] of accepted) {
        it(`${name} is accepted and passed on verbatim`, async () => {
          const r = await run();
          expect(r.res.status, r.text).toBe(200);
          const rows = await logRows();
          expect(rows).toHaveLength(1);
          expect(rows[0].status).toBe(200);
          expect(await snapshot()).toBe(baseline);
          const sent = JSON.stringify(await upstreamRequests());
          if (!/name|user|reasoning|response_format/.test(name)) expect(sent).toContain(JSON.stringify(payload).slice(1, -1));
        });
      }
      it('images prompt is accepted and the tables stay intact', async () => {
        const r = await gen({ prompt: `a sign reading ${payload}`, response_format: 'b64_json' });
        expect(r.res.status, r.text).toBe(200);
        expect((await logRows())).toHaveLength(1);
        expect(await snapshot()).toBe(baseline);
      });
    });
  }
});
