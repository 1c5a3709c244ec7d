// The playground's three client APIs — Chat Completions, Responses, Messages — as adapters over
// one conversation kept in the browser ({role, text, images[]} turns). Each adapter says where to
// send, how to shape the body from the turns, and how to read a streamed event or a whole answer
// into {content, reasoning} deltas, usage {prompt, completion} and errors. `converse()` runs one
// answer with any of them and reports every raw SSE event (name and data) for the events panel.
import { OpenAIError, call } from './openai.js';

const dataUrl = (url) => /^data:([^;,]+);base64,(.*)$/s.exec(url);

const chatApi = {
  id: 'chat',
  path: 'chat/completions',
  body({ model, system, turns, stream }) {
    const messages = turns.map((m) =>
      m.images?.length ? { role: m.role, content: [{ type: 'text', text: m.text }, ...m.images.map((url) => ({ type: 'image_url', image_url: { url } }))] } : { role: m.role, content: m.text },
    );
    const body = { model, messages: system ? [{ role: 'system', content: system }, ...messages] : messages, stream };
    if (stream) body.stream_options = { include_usage: true };
    return body;
  },
  // -> {content, reasoning, usage, error, finish}
  event(_name, data) {
    if (data === '[DONE]') return { finish: true };
    const chunk = JSON.parse(data);
    if (chunk.error) return { error: chunk };
    const out = {};
    if (chunk.usage) out.usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
    const d = chunk.choices?.[0]?.delta || {};
    if (typeof d.content === 'string') out.content = d.content;
    if (typeof d.reasoning_content === 'string') out.reasoning = d.reasoning_content;
    return out;
  },
  whole(data) {
    const msg = data.choices?.[0]?.message || {};
    return { content: msg.content || '', reasoning: msg.reasoning_content || '', usage: data.usage && { prompt: data.usage.prompt_tokens, completion: data.usage.completion_tokens } };
  },
};

const responsesApi = {
  id: 'responses',
  path: 'responses',
  body({ model, system, turns, stream }) {
    const input = turns.map((m) => ({
      type: 'message',
      role: m.role,
      content: m.role === 'assistant' ? [{ type: 'output_text', text: m.text }] : [{ type: 'input_text', text: m.text }, ...(m.images || []).map((url) => ({ type: 'input_image', image_url: url }))],
    }));
    const body = { model, input, stream, store: false, reasoning: { summary: 'auto' } };
    if (system) body.instructions = system;
    return body;
  },
  event(name, data) {
    const ev = JSON.parse(data);
    const type = ev.type || name;
    if (type === 'response.output_text.delta') return { content: ev.delta };
    if (type === 'response.reasoning_summary_text.delta') return { reasoning: ev.delta };
    if (type === 'response.completed' || type === 'response.incomplete') return { finish: true, usage: usageOf(ev.response?.usage) };
    if (type === 'response.failed') return { error: { error: ev.response?.error || {} } };
    if (type === 'error') return { error: { error: ev } };
    return {};
  },
  whole(data) {
    let content = '';
    let reasoning = '';
    for (const item of data.output || []) {
      if (item.type === 'message') for (const part of item.content || []) content += part.text || '';
      if (item.type === 'reasoning') for (const s of item.summary || []) reasoning += s.text || '';
    }
    return { content, reasoning, usage: usageOf(data.usage) };
  },
};

function usageOf(u) {
  return u ? { prompt: u.input_tokens, completion: u.output_tokens } : null;
}

const messagesApi = {
  id: 'messages',
  path: 'messages',
  headers: { 'anthropic-version': '2023-06-01' },
  body({ model, system, turns, stream }) {
    const messages = turns.map((m) => {
      if (!m.images?.length) return { role: m.role, content: m.text };
      const images = m.images.map((url) => {
        const d = dataUrl(url);
        return d ? { type: 'image', source: { type: 'base64', media_type: d[1], data: d[2] } } : { type: 'image', source: { type: 'url', url } };
      });
      return { role: m.role, content: [...images, { type: 'text', text: m.text }] };
    });
    const body = { model, max_tokens: 8192, messages, stream };
    if (system) body.system = system;
    return body;
  },
  event(name, data) {
    const ev = JSON.parse(data);
    const type = name || ev.type;
    if (type === 'content_block_delta') {
      if (ev.delta?.type === 'text_delta') return { content: ev.delta.text };
      if (ev.delta?.type === 'thinking_delta') return { reasoning: ev.delta.thinking };
      return {};
    }
    if (type === 'message_start') return { usage: { prompt: ev.message?.usage?.input_tokens } };
    if (type === 'message_delta') return { usage: { completion: ev.usage?.output_tokens } };
    if (type === 'message_stop') return { finish: true };
    if (type === 'error') return { error: { error: ev.error || {} } };
    return {};
  },
  whole(data) {
    let content = '';
    let reasoning = '';
    for (const b of data.content || []) {
      if (b.type === 'text') content += b.text || '';
      if (b.type === 'thinking') reasoning += b.thinking || '';
    }
    return { content, reasoning, usage: data.usage && { prompt: data.usage.input_tokens, completion: data.usage.output_tokens } };
  },
};

export const APIS = { chat: chatApi, responses: responsesApi, messages: messagesApi };

// Reads "event:"/"data:" lines into SSE messages; calls onMessage(event, data) for each.
async function readSse(body, onMessage) {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  let event = '';
  let data = [];
  const dispatch = () => {
    if (data.length) onMessage(event, data.join('\n'));
    event = '';
    data = [];
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line === '') dispatch();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
  }
  dispatch();
}

// One answer through `api` for a body it built (api.body). onDelta({content, reasoning}) for each
// piece, onRaw(event, data) for each raw SSE message of a streamed answer. Returns {content,
// reasoning, usage}.
export async function converse(api, body, { signal, onDelta, onRaw }) {
  const stream = !!body.stream;
  const res = await call(api.path, body, signal, api.headers);
  if (!stream) {
    const out = api.whole(await res.json());
    onDelta?.({ content: out.content, reasoning: out.reasoning });
    return out;
  }
  const out = { content: '', reasoning: '', usage: null };
  let failure = null;
  await readSse(res.body, (event, data) => {
    onRaw?.(event, data);
    if (failure) return;
    let r;
    try {
      r = api.event(event, data);
    } catch {
      return; // not JSON: shown in the raw panel, otherwise ignored
    }
    if (r.error) failure = r.error;
    if (r.usage) out.usage = { ...out.usage, ...Object.fromEntries(Object.entries(r.usage).filter(([, v]) => v !== undefined)) };
    const c = r.content || '';
    const rs = r.reasoning || '';
    if (c || rs) {
      out.content += c;
      out.reasoning += rs;
      onDelta?.({ content: c, reasoning: rs });
    }
  });
  if (failure) throw new OpenAIError(200, failure);
  return out;
}
