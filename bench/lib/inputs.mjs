// Deterministic benchmark inputs in the shapes of /work/shared/reference/perf-anchor.md §2:
// Grok REST NDJSON conversations and mgw WebSocket frames of three sizes, and the chunking
// that delivers them (1–4 KB upstream reads for REST, one message per frame for mgw).
//
//   a  short: 20 answer tokens
//   b  2,000-token answer with reasoning (a header + 300 thinking tokens), one web search
//      (5 results, the card line of §4.7 with token:"") and one inline citation card
//   c  ~1 MB answer (200,000 tokens, ~1.05 MB of text), then the final modelResponse
//      carrying the whole message (one ~1 MB line)
//
// Token text mix: mostly " word" tokens, ~4 % CJK (3-byte UTF-8, split across chunk
// boundaries), ~2 % "\n\n", ~1 % tokens with '"', some punctuation.
const enc = new TextEncoder();

export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the of and to in is that for it as with was on be by this are from at or an which have ' +
  'not but were can their one all been more when would there has will what so its about into them ' +
  'than only other some could time these may then first any new like our over such very after most ' +
  'gateway stream token request answer model latency budget worker upstream compile memory buffer ' +
  'parser renderer frame chunk reasoning search citation result benchmark throughput baseline').split(' ');
const CJK = ['流式', '传输', '模型', '回答', '推理', '网关', '性能', '测试', '字节', '编码'];
const PUNCT = ['.', ',', ';', ':', '!', '?', ' —', ' (see below)'];

export function tokenText(rand) {
  const r = rand();
  if (r < 0.04) return CJK[Math.floor(rand() * CJK.length)];
  if (r < 0.06) return '\n\n';
  if (r < 0.07) return ` "${WORDS[Math.floor(rand() * WORDS.length)]}"`;
  if (r < 0.12) return PUNCT[Math.floor(rand() * PUNCT.length)];
  return ' ' + WORDS[Math.floor(rand() * WORDS.length)];
}

export const SIZES = {
  a: { answer: 20, thinking: 0, search: false },
  b: { answer: 2000, thinking: 300, search: true },
  c: { answer: 200000, thinking: 0, search: false },
};

const IDS = {
  conversation: '6f1c2a9e-5b7d-4e21-9c3a-1d2e3f405162',
  user: 'a1b2c3d4-0000-4000-8000-000000000001',
  response: 'a1b2c3d4-0000-4000-8000-000000000002',
  session: 'sess-bench-0001',
};
export const CITE_URL = 'https://example.com/results/1';

function searchResults() {
  return [1, 2, 3, 4, 5].map((i) => ({
    url: `https://example.com/results/${i}`,
    title: `Result ${i}: streaming gateways and their costs`,
    preview: `A short preview of result ${i}, as the search tool returns it.`,
    searchEngineText: '',
    description: '',
    siteName: 'example.com',
    metadataTitle: '',
    creator: '',
    image: '',
    favicon: '',
    citationId: '',
  }));
}

// The answer and reasoning text of an input, as token arrays.
export function content(size, seed = 7) {
  const spec = SIZES[size];
  const rand = prng(seed + size.charCodeAt(0));
  const thinking = [];
  for (let i = 0; i < spec.thinking; i++) thinking.push(tokenText(rand));
  const answer = [];
  for (let i = 0; i < spec.answer; i++) answer.push(tokenText(rand));
  return { spec, thinking, answer };
}

/** REST NDJSON of one conversation: {text, lines, tokenLines, message}. */
export function restNdjson(size, seed = 7) {
  const { spec, thinking, answer } = content(size, seed);
  const lines = [];
  const push = (o) => lines.push(JSON.stringify(o));
  const resp = (fields) => push({ result: { response: { ...fields, responseId: IDS.response } } });
  const now = '2026-01-01T00:00:00.000Z';
  push({ result: { conversation: { conversationId: IDS.conversation, title: 'New conversation', starred: false, createTime: now, modifyTime: now, temporary: true, mediaTypes: [] } } });
  push({ result: { response: { userResponse: { responseId: IDS.user, message: 'Explain the benchmark.', sender: 'human', createTime: now, parentResponseId: '', manual: false, partial: false, shared: false, query: '', queryType: '', webSearchResults: [], xpostIds: [], xposts: [], generatedImageUrls: [], imageAttachments: [], fileAttachments: [], cardAttachmentsJson: [], fileUris: [], fileAttachmentsMetadata: [], isControl: false, steps: [], mediaTypes: [], model: 'grok-4' }, isThinking: false, isSoftStop: false, responseId: IDS.user } } });
  let tokenLines = 0;
  const citation = { id: 'cite-bench-1', type: 'render_inline_citation', cardType: 'citation_card', url: CITE_URL };
  if (spec.thinking) {
    resp({ token: 'Thinking about your request', isThinking: true, isSoftStop: false, messageTag: 'header', messageStepId: 0 });
    tokenLines++;
    for (const t of thinking) {
      resp({ token: t, isThinking: true, isSoftStop: false, messageTag: 'summary', messageStepId: 0 });
      tokenLines++;
    }
  }
  if (spec.search) {
    resp({ token: '', isThinking: true, isSoftStop: false, webSearchResults: { results: searchResults() }, messageTag: 'raw_function_result', messageStepId: 0 });
    resp({ cardAttachment: { jsonData: JSON.stringify(citation) }, messageTag: 'final' });
  }
  for (const t of answer) {
    resp({ token: t, isThinking: false, isSoftStop: false, messageTag: 'final' });
    tokenLines++;
  }
  let message = answer.join('');
  if (spec.search) {
    const render = ` <grok:render card_id="${citation.id}" card_type="citation_card" type="render_inline_citation"><argument name="citation_id">0</argument></grok:render>`;
    resp({ token: render, isThinking: false, isSoftStop: false, messageTag: 'final' });
    tokenLines++;
    message += ` [[1]](${CITE_URL})`;
  }
  resp({
    modelResponse: {
      responseId: IDS.response, message, sender: 'assistant', createTime: now, parentResponseId: IDS.user, manual: false, partial: false,
      shared: false, query: '', queryType: '', webSearchResults: spec.search ? searchResults() : [], xpostIds: [], xposts: [],
      generatedImageUrls: [], imageAttachments: [], fileAttachments: [], cardAttachmentsJson: spec.search ? [JSON.stringify(citation)] : [],
      fileUris: [], fileAttachmentsMetadata: [], isControl: false, steps: [], mediaTypes: [], model: 'grok-4',
      metadata: { llm_info: { modelHash: 'benchModelHash0001' } }, streamErrors: [],
    },
    isThinking: false, isSoftStop: false,
  });
  resp({ isSoftStop: true, finalMetadata: { followUpSuggestions: [], feedbackLabels: [], toolsUsed: {} } });
  push({ result: { title: { newTitle: 'Benchmark' } } });
  const text = lines.join('\n') + '\n';
  return { text, bytes: enc.encode(text), lines: lines.length, tokenLines, message };
}

/**
 * REST NDJSON whose answer is ONE token line of `bytes` bytes of ASCII words (the "10 MB line"
 * of issue 12), then the final modelResponse repeating the message, as Grok does.
 */
export function hugeLineNdjson(bytes = 10 * 1024 * 1024) {
  const word = ' gateway';
  const token = word.repeat(Math.ceil(bytes / word.length)).slice(0, bytes);
  const now = '2026-01-01T00:00:00.000Z';
  const lines = [
    JSON.stringify({ result: { conversation: { conversationId: IDS.conversation, title: 'New conversation', starred: false, createTime: now, modifyTime: now, temporary: true, mediaTypes: [] } } }),
    JSON.stringify({ result: { response: { token, isThinking: false, isSoftStop: false, messageTag: 'final', responseId: IDS.response } } }),
    JSON.stringify({ result: { response: { modelResponse: { responseId: IDS.response, message: token, sender: 'assistant', createTime: now, model: 'grok-4' }, isThinking: false, isSoftStop: false, responseId: IDS.response } } }),
  ];
  const text = lines.join('\n') + '\n';
  return { text, bytes: enc.encode(text), answerBytes: token.length };
}

/** mgw frames after the handshake (one WebSocket message each): {frames, bytes, tokenFrames}. */
export function mgwFrames(size, seed = 7) {
  const { spec, thinking, answer } = content(size, seed);
  const frames = [];
  const ev = (event) => frames.push(JSON.stringify({ session_id: IDS.session, event }));
  const chunk = (c) => ev({ type: 'response.chunk', response_id: IDS.response, chunk: c });
  const text = (t, channel = 'CHANNEL_ASSISTANT_RESPONSE') => chunk({ text: { text: t, channel } });
  ev({ type: 'response.created', response: { id: IDS.response, status: 'in_progress' } });
  let tokenFrames = 0;
  if (spec.thinking) {
    text('Thinking about your request', 'CHANNEL_ASSISTANT_NOTETAKER_HEADER');
    tokenFrames++;
    for (const t of thinking) {
      text(t, 'CHANNEL_ASSISTANT_ANALYSIS');
      tokenFrames++;
    }
  }
  if (spec.search) {
    const results = searchResults();
    chunk({ tool_usage_card: { tool_usage_card_id: 'tc-bench', web_search: { args: { query: 'streaming gateway costs' } } } });
    chunk({ tool_result: { tool_call_id: 'tc-bench', web_search: { webpages: results.map(({ url, title }) => ({ url, title })) } } });
    for (const r of results) ev({ type: 'response.search.result', response_id: IDS.response, result: { url: r.url, title: r.title } });
  }
  for (const t of answer) {
    text(t);
    tokenFrames++;
  }
  if (spec.search) {
    chunk({ render_citation: { url: CITE_URL } });
    text('.');
    tokenFrames++;
  }
  ev({ type: 'response.done', response: { id: IDS.response, status: 'completed' } });
  ev({ type: 'conversation.title.updated', title: 'Benchmark' });
  ev({ type: 'response.persisted', response: { id: IDS.response } });
  const bytes = frames.map((f) => enc.encode(f));
  return { frames, bytes, total: bytes.reduce((n, b) => n + b.length, 0), tokenFrames };
}

export const MGW_SESSION = IDS.session;
export const MGW_CONVERSATION = IDS.conversation;

/** Splits bytes into upstream reads of 1–4 KB (deterministic), as subarrays. */
export function chunk(bytes, seed = 11, min = 1024, max = 4096) {
  const rand = prng(seed);
  const out = [];
  for (let at = 0; at < bytes.length; ) {
    const n = Math.min(bytes.length - at, min + Math.floor(rand() * (max - min + 1)));
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}
