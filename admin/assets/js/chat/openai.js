// Playground client for the gateway's OpenAI API with the user's API key: models, chat
// completions (SSE parsed incrementally into {content, reasoning} deltas), images and video jobs.
let apiKey = '';
export const setKey = (k) => (apiKey = k || '');
export const getKey = () => apiKey;

export class OpenAIError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || null;
  }
}

async function call(path, body, signal) {
  const headers = { authorization: `Bearer ${apiKey}` };
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(`/v1/${path}`, { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined, signal, credentials: 'omit', cache: 'no-store' });
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      /* not JSON */
    }
    throw new OpenAIError(res.status, data);
  }
  return res;
}

export async function listModels() {
  const res = await call('models');
  return ((await res.json()).data || []).map((m) => m.id).filter(Boolean);
}

// Streams a chat completion; onDelta({content, reasoning}) for every chunk. Returns the
// final {content, reasoning, finish_reason, usage}.
export async function chat(body, { signal, onDelta }) {
  const res = await call('chat/completions', body, signal);
  const out = { content: '', reasoning: '', finish_reason: null, usage: null };
  if (!body.stream) {
    const data = await res.json();
    const msg = (data.choices && data.choices[0] && data.choices[0].message) || {};
    out.content = msg.content || '';
    out.reasoning = msg.reasoning_content || '';
    out.finish_reason = data.choices && data.choices[0] && data.choices[0].finish_reason;
    out.usage = data.usage || null;
    onDelta && onDelta({ content: out.content, reasoning: out.reasoning });
    return out;
  }
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (!line.startsWith('data:')) continue;
      const payload = line.slice(5).trim();
      if (payload === '[DONE]') return out;
      let chunk;
      try {
        chunk = JSON.parse(payload);
      } catch {
        continue;
      }
      if (chunk.error) throw new OpenAIError(200, chunk);
      if (chunk.usage) out.usage = chunk.usage;
      const choice = chunk.choices && chunk.choices[0];
      if (!choice) continue;
      const d = choice.delta || {};
      if (choice.finish_reason) out.finish_reason = choice.finish_reason;
      const c = typeof d.content === 'string' ? d.content : '';
      const r = typeof d.reasoning_content === 'string' ? d.reasoning_content : '';
      if (c || r) {
        out.content += c;
        out.reasoning += r;
        onDelta && onDelta({ content: c, reasoning: r });
      }
    }
  }
  return out;
}

export async function images(body, signal) {
  const res = await call('images/generations', body, signal);
  return res.json();
}

// The Videos API: a job is created, then read until it is final; its content is a Blob.
export async function createVideo(body, signal) {
  return (await call('videos', body, signal)).json();
}
export async function getVideo(id, signal) {
  return (await call(`videos/${encodeURIComponent(id)}`, null, signal)).json();
}
export async function videoContent(id, signal) {
  return (await call(`videos/${encodeURIComponent(id)}/content`, null, signal)).blob();
}
