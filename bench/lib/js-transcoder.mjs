// The JavaScript reference transcoder: Grok REST NDJSON (or mgw WebSocket frames) in, OpenAI
// Chat Completions SSE out, written the way TypeScript gateways usually do it: decode with
// TextDecoder, split lines, JSON.parse each line, build chunk objects, JSON.stringify them.
//
// It follows the core's output rules (cpp/openai/chat_render.*, chat_assembler.*,
// cpp/grok/ndjson_decoder.cpp, answer_text.cpp, card_cache.cpp, mgw_session.cpp) closely
// enough to produce the SAME BYTES for the benchmark inputs, so the comparison is honest:
//   - one output block per upstream chunk (all frames it produced, joined);
//   - deltas of one kind (content / reasoning_content) coalesced into one frame per chunk;
//   - the role chunk before the first output; finish chunk and [DONE] when the answer completes;
//   - reasoning headers on their own lines; tool plumbing and filtered tags dropped;
//   - <grok:render> citation placeholders become "[[n]](url)" plus a url_citation annotation
//     whose start/end are code-point offsets into the content.
// It is a baseline, not a second implementation: errors, media, think tags, usage chunks and
// the sources list are out of scope (the inputs do not need them).
const enc = new TextEncoder();

const FILTERED = ['xaiartifact', 'xai:tool_usage_card'];
const OPEN = '<grok:render';
const CLOSE = '</grok:render>';
const MAX_HELD = 4096;

function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // a low surrogate belongs to the code point before it
  }
  return n;
}

function attr(tag, name) {
  let at = 0;
  while ((at = tag.indexOf(name, at)) !== -1) {
    const wordStart = at > 0 && (tag[at - 1] === ' ' || tag[at - 1] === '\t' || tag[at - 1] === '\n');
    const eq = at + name.length;
    at = eq;
    if (!wordStart || eq + 1 >= tag.length || tag[eq] !== '=') continue;
    const q = tag[eq + 1];
    if (q !== '"' && q !== "'") continue;
    const end = tag.indexOf(q, eq + 2);
    if (end === -1) return '';
    return tag.slice(eq + 2, end);
  }
  return '';
}

// Search results in any of the list shapes Grok uses (results / webpages / posts).
function collectSources(v, out, depth = 0) {
  if (depth > 4 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) collectSources(x, out, depth + 1);
    return;
  }
  for (const k of ['results', 'webpages', 'posts']) if (v[k] !== undefined) collectSources(v[k], out, depth + 1);
  const url = v.url || v.link;
  if (typeof url === 'string' && url) out.push({ url, title: typeof v.title === 'string' ? v.title : typeof v.name === 'string' ? v.name : '' });
}

/** The SSE side: chat.completion.chunk frames, one block per upstream chunk. */
class SseRenderer {
  // frameSink (optional): called with each SSE frame as a string instead of joining them per
  // chunk; perToken: one frame per text delta instead of one per kind and chunk. Together they
  // make the "typical TypeScript gateway" (one enqueue per token) of the workerd bench.
  constructor({ id, created, model, frameSink = null, perToken = false }) {
    this.sink = frameSink;
    this.perToken = perToken;
    this.id = id;
    this.created = created;
    this.model = model;
    this.out = '';
    this.begun = false;
    this.ended = false;
    this.open = null; // 'content' | 'reasoning_content'
    this.text = '';
    this.annotations = [];
    this.contentCp = 0;
    this.output = false;
  }

  chunk(delta, finish = null) {
    return `data: ${JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  }

  begin() {
    if (this.begun || this.ended) return;
    this.begun = true;
    this.emit(this.chunk({ role: 'assistant', content: '' }));
  }

  flush() {
    if (!this.open) return;
    const delta = { [this.open]: this.text };
    if (this.annotations.length) delta.annotations = this.annotations;
    this.emit(this.chunk(delta));
    this.open = null;
    this.text = '';
    this.annotations = [];
  }

  emit(frame) {
    if (this.sink) this.sink(frame);
    else this.out += frame;
  }

  put(kind, s) {
    if (this.open !== kind) {
      this.flush();
      this.begin();
      this.open = kind;
    }
    this.text += s;
    if (this.perToken) this.flush();
  }

  content(s) {
    const start = this.contentCp;
    if (!s) return start;
    this.contentCp += codePoints(s);
    this.output = true;
    this.put('content', s);
    return start;
  }

  reasoning(s) {
    if (!s) return;
    this.output = true;
    this.put('reasoning_content', s);
  }

  annotate(url, title, start) {
    this.annotations.push({ type: 'url_citation', url_citation: { url, title: title || url, start_index: start, end_index: this.contentCp } });
  }

  finish() {
    if (this.ended) return;
    this.begin();
    this.flush();
    this.emit(this.chunk({}, 'stop'));
    this.emit('data: [DONE]\n\n');
    this.ended = true;
  }

  take() {
    const s = this.out;
    this.out = '';
    return s;
  }
}

/** Events → renderer: answer text with citation placeholders, reasoning lines, cards. */
class Assembler {
  constructor(r) {
    this.r = r;
    this.held = '';
    this.heldSearch = 0;
    this.pending = '';
    this.emitted = false;
    this.reasoningAny = false;
    this.reasoningAtLine = false;
    this.cards = new Map(); // id -> {url, title, citation}
    this.cited = [];
    this.sources = new Map(); // url -> title
    this.done = false;
  }

  source(s) {
    if (!this.sources.has(s.url)) this.sources.set(s.url, s.title);
  }

  card(jsonData) {
    let c;
    try {
      c = typeof jsonData === 'string' ? JSON.parse(jsonData) : jsonData;
    } catch {
      return;
    }
    if (!c || typeof c !== 'object' || !c.id) return;
    const card = this.cards.get(c.id) || { url: '', title: '', citation: false };
    if (c.url) card.url = c.url;
    if (c.title) card.title = c.title;
    if (c.type === 'render_inline_citation' || String(c.cardType || '').includes('citation')) card.citation = true;
    this.cards.set(c.id, card);
  }

  cite(url, title) {
    if (!url) return;
    let n = this.cited.indexOf(url);
    if (n === -1) n = this.cited.push(url) - 1;
    this.emitted = true;
    const start = this.r.content(`[[${n + 1}]](${url})`);
    this.r.annotate(url, title || this.sources.get(url) || '', start);
  }

  placeholder(tag) {
    const c = this.cards.get(attr(tag, 'card_id'));
    if (!c || !c.url || !(c.citation || attr(tag, 'type') === 'render_inline_citation')) return;
    this.cite(c.url, c.title);
  }

  flushText() {
    if (!this.pending) return;
    this.emitted = true;
    this.r.content(this.pending);
    this.pending = '';
  }

  answer(token) {
    if (!token) return;
    if (!this.held) {
      const lt = token.indexOf('<');
      if (lt === -1) {
        this.emitted = true;
        this.r.content(token);
        return;
      }
      this.pending = token.slice(0, lt);
      this.scan(token.slice(lt), 0);
    } else {
      this.pending = '';
      const work = this.held + token;
      const from = this.heldSearch;
      this.held = '';
      this.scan(work, from);
    }
    this.flushText();
  }

  scan(s, closeFrom) {
    while (s) {
      let nextFrom = 1;
      if (s.length < OPEN.length) {
        if (OPEN.startsWith(s)) return this.hold(s, 0);
      } else if (s.startsWith(OPEN)) {
        const gt = s.indexOf('>', OPEN.length);
        let end = -1;
        if (gt !== -1 && s[gt - 1] === '/') end = gt + 1;
        else if (gt !== -1) {
          const close = s.indexOf(CLOSE, Math.max(closeFrom, gt));
          if (close !== -1) end = close + CLOSE.length;
        }
        if (end === -1) {
          if (s.length <= MAX_HELD) return this.hold(s, gt === -1 ? 0 : s.length >= CLOSE.length ? s.length - CLOSE.length + 1 : 0);
          nextFrom = s.length;
        } else {
          this.flushText();
          this.placeholder(s.slice(0, gt + 1));
          s = s.slice(end);
          const lt = s.indexOf('<');
          this.pending += lt === -1 ? s : s.slice(0, lt);
          if (lt === -1) return;
          s = s.slice(lt);
          closeFrom = 0;
          continue;
        }
      }
      const lt = s.indexOf('<', nextFrom);
      this.pending += lt === -1 ? s : s.slice(0, lt);
      if (lt === -1) return;
      s = s.slice(lt);
      closeFrom = 0;
    }
  }

  hold(s, closeFrom) {
    this.held = s;
    this.heldSearch = closeFrom;
  }

  reasoningText(text, ownLine) {
    if (!text) return;
    let t = text;
    if (ownLine) {
      t = (this.reasoningAny && !this.reasoningAtLine ? '\n' : '') + text;
      if (!t.endsWith('\n')) t += '\n';
    }
    this.reasoningAny = true;
    this.reasoningAtLine = t.endsWith('\n');
    this.r.reasoning(t);
  }

  complete() {
    if (this.done) return;
    if (this.held) {
      this.pending = this.held;
      this.held = '';
      this.flushText();
    }
    this.done = true;
    this.r.finish();
  }
}

const filtered = (tok) => {
  const low = tok.toLowerCase();
  return FILTERED.some((t) => low.includes(t));
};

/** REST NDJSON → SSE. feed(Uint8Array) returns the output block for that chunk (bytes). */
export class JsRestTranscoder {
  constructor(opts) {
    this.r = new SseRenderer(opts);
    this.a = new Assembler(this.r);
    this.dec = new TextDecoder();
    this.carry = '';
  }

  feed(bytes) {
    const text = this.dec.decode(bytes, { stream: true });
    let from = 0;
    for (;;) {
      if (this.a.done) break;
      const nl = text.indexOf('\n', from); // only the new text is searched
      if (nl === -1) {
        this.carry += text.slice(from);
        break;
      }
      let line = text.slice(from, nl);
      if (this.carry) {
        line = this.carry + line;
        this.carry = '';
      }
      from = nl + 1;
      this.line(line);
    }
    this.r.flush();
    return enc.encode(this.r.take());
  }

  end() {
    if (this.carry && !this.a.done) this.line(this.carry);
    this.carry = '';
    this.r.flush();
    return enc.encode(this.r.take());
  }

  line(raw) {
    let s = raw.trim();
    if (!s) return;
    if (s.startsWith('data:')) {
      s = s.slice(5).trim();
      if (!s || s === '[DONE]') return;
    }
    if (s[0] !== '{') return;
    let obj;
    try {
      obj = JSON.parse(s);
    } catch {
      return;
    }
    const result = obj.result;
    if (!result || typeof result !== 'object') return;
    const resp = result.response && typeof result.response === 'object' ? result.response : result;
    const a = this.a;
    const sources = [];
    for (const k of ['webSearchResults', 'xSearchResults', 'citedWebSearchResults']) if (resp[k]) collectSources(resp[k], sources);
    for (const src of sources) a.source(src);
    if (resp.cardAttachment) a.card(resp.cardAttachment.jsonData ?? resp.cardAttachment);
    if (Array.isArray(resp.cardAttachmentsJson)) for (const c of resp.cardAttachmentsJson) a.card(c);
    const tok = resp.token;
    if (typeof tok === 'string' && tok && resp.toolUsageCardId === undefined && resp.toolUsageCard === undefined &&
        resp.messageTag !== 'tool_usage_card' && resp.messageTag !== 'raw_function_result' && !filtered(tok)) {
      if (resp.isThinking === true) a.reasoningText(tok, resp.messageTag === 'header');
      else a.answer(tok);
    }
    const mr = resp.modelResponse;
    if (mr && typeof mr === 'object') {
      const more = [];
      if (mr.webSearchResults) collectSources(mr.webSearchResults, more);
      for (const src of more) a.source(src);
      if (Array.isArray(mr.cardAttachmentsJson)) for (const c of mr.cardAttachmentsJson) a.card(c);
      if (!a.emitted && typeof mr.message === 'string' && mr.message) a.answer(mr.message);
    }
    if (resp.isSoftStop === true || (resp.finalMetadata !== undefined && resp.finalMetadata !== null) || mr) a.complete();
  }
}

/** mgw WebSocket frames → SSE. feed(Uint8Array | string) takes one frame. */
export class JsMgwTranscoder {
  constructor(opts) {
    this.r = new SseRenderer(opts);
    this.a = new Assembler(this.r);
    this.dec = new TextDecoder();
    this.textPath = null;
  }

  feed(frame) {
    if (!this.a.done) this.frame(typeof frame === 'string' ? frame : this.dec.decode(frame));
    this.r.flush();
    return enc.encode(this.r.take());
  }

  end() {
    this.r.flush();
    return enc.encode(this.r.take());
  }

  answer(s, path) {
    if (!this.textPath) this.textPath = path;
    if (this.textPath !== path || filtered(s)) return;
    this.a.answer(s);
  }

  frame(text) {
    let f;
    try {
      f = JSON.parse(text);
    } catch {
      return;
    }
    const ev = f && f.event;
    if (!ev || typeof ev !== 'object') return;
    const a = this.a;
    switch (ev.type) {
      case 'response.chunk': {
        const c = ev.chunk || {};
        if (c.tool_result) {
          const out = [];
          for (const v of Object.values(c.tool_result)) if (v && typeof v === 'object') collectSources(v, out);
          for (const s of out) a.source(s);
        }
        if (c.render_citation) a.cite(c.render_citation.url, c.render_citation.title || '');
        if (c.text) {
          const ch = c.text.channel || '';
          if (!ch || ch === 'CHANNEL_ASSISTANT_RESPONSE') this.answer(c.text.text, 'chunk');
          else if (ch.includes('NOTETAKER_HEADER')) a.reasoningText(c.text.text, true);
          else if (ch.includes('ANALYSIS') || ch.includes('REASONING')) a.reasoningText(c.text.text, false);
        }
        break;
      }
      case 'response.output_text.delta':
        if (typeof ev.delta === 'string') this.answer(ev.delta, 'delta');
        break;
      case 'response.search.result': {
        const out = [];
        collectSources(ev.result, out);
        for (const s of out) a.source(s);
        break;
      }
      case 'response.done':
        if (!ev.response || !ev.response.status || ev.response.status === 'completed') a.complete();
        break;
      default:
        break;
    }
  }
}
