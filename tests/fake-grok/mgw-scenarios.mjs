// mgw responses: builds the server events that follow a `response.create` for each
// scenario (reference §2.6). A step is {event}, {raw} (a text frame sent verbatim),
// {delay}, {destroy}, {stall} or {close:{code, reason}}; mgw.mjs sends them.
import {
  answerFor, heavyAnswerFor, reasoningFor, HEAVY_AGENTS, titleFor, searchResultsFor, searchQueryFor, splitTokens, longText, loopTextFor,
} from './content.mjs';
import { UNKNOWN_MARKER } from './scenarios.mjs';

export const CH_ANSWER = 'CHANNEL_ASSISTANT_RESPONSE';
export const CH_HEADER = 'CHANNEL_ASSISTANT_NOTETAKER_HEADER';
export const CH_ANALYSIS = 'CHANNEL_ASSISTANT_ANALYSIS';

const textChunk = (ctx, text, channel = CH_ANSWER) => ({ event: { type: 'response.chunk', response_id: ctx.responseId, chunk: { text: { text, channel } } } });
const chunk = (ctx, c) => ({ event: { type: 'response.chunk', response_id: ctx.responseId, chunk: c } });
const output = (ctx, o) => ({ event: { type: 'response.grok.output', response_id: ctx.responseId, output: o } });
const created = (ctx) => ({ event: { type: 'response.created', response: { id: ctx.responseId, status: 'in_progress' } } });

function done(ctx, status = 'completed', reason) {
  const response = { id: ctx.responseId, status };
  if (reason) response.status_details = { reason };
  const steps = [{ event: { type: 'response.done', response } }];
  if (ctx.isNew && status === 'completed') steps.push({ event: { type: 'conversation.title.updated', title: titleFor(ctx.prompt) } });
  steps.push({ event: { type: 'response.persisted', response: { id: ctx.responseId } } });
  return steps;
}

const answer = (ctx, text, max) => splitTokens(text, max).map((t) => textChunk(ctx, t));

function thinking(ctx, heavy) {
  const steps = [created(ctx)];
  for (const agent of heavy ? HEAVY_AGENTS : ['Grok']) {
    steps.push(textChunk(ctx, heavy ? `${agent}: considering the request` : 'Considering the request', CH_HEADER));
    for (const p of splitTokens(reasoningFor(ctx.prompt), 4)) steps.push(textChunk(ctx, p, CH_ANALYSIS));
  }
  steps.push(textChunk(ctx, 'Drafting the answer', CH_HEADER));
  const text = heavy ? heavyAnswerFor(ctx.prompt) : answerFor(ctx.prompt);
  return { steps: [...steps, ...answer(ctx, text), ...done(ctx)], message: text };
}

function search(ctx) {
  const results = searchResultsFor(ctx.prompt);
  const cardId = `tc-${ctx.responseId.slice(0, 8)}`;
  const text = answerFor(ctx.prompt);
  const steps = [
    created(ctx),
    chunk(ctx, { tool_usage_card: { tool_usage_card_id: cardId, web_search: { args: { query: searchQueryFor(ctx.prompt) } } } }),
    chunk(ctx, { tool_result: { tool_call_id: cardId, web_search: { webpages: results.map(({ url, title }) => ({ url, title })) } } }),
    ...results.map((r) => ({ event: { type: 'response.search.result', response_id: ctx.responseId, result: { url: r.url, title: r.title } } })),
    ...answer(ctx, text),
    chunk(ctx, { render_citation: { url: results[0].url } }),
    textChunk(ctx, '.'),
    ...done(ctx),
  ];
  return { steps, message: `${text}.` };
}

function image(ctx, moderated) {
  const n = ctx.imageCount;
  const text = `I generated ${n} image${n === 1 ? '' : 's'} for: ${ctx.prompt}`;
  const imgs = [...Array(n).keys()].map((i) => {
    const uuid = ctx.nextId('image');
    const img = { i, uuid, finalUrl: `users/${ctx.uid}/generated/${uuid}/image.jpg`, partUrl: `users/${ctx.uid}/generated/${uuid}-part-0/image.jpg`, cardId: `img-card-${i}-${uuid.slice(0, 8)}` };
    ctx.registerAsset(img.partUrl, 'imagePart');
    if (!moderated) ctx.registerAsset(img.finalUrl, 'image');
    return img;
  });
  const card = (img, progress) => output(ctx, {
    card_attachment: {
      jsonData: JSON.stringify({
        id: img.cardId, type: 'render_generated_image', cardType: 'generated_image_card',
        image_chunk: { imageUuid: img.uuid, imageUrl: progress < 100 ? img.partUrl : img.finalUrl, seq: progress < 100 ? 0 : 1, progress, moderated: progress === 100 && moderated },
      }),
    },
  });
  const steps = [created(ctx), ...answer(ctx, text, 4)];
  for (const p of [50, 100]) for (const img of imgs) steps.push(card(img, p));
  return { steps: [...steps, ...done(ctx)], message: text, generatedImageUrls: moderated ? [] : imgs.map((x) => x.finalUrl) };
}

const STREAM_ERRORS = {
  usage_limit: { kind: 'rate_limit', message: 'usage limit reached', severity: 'STREAM_ERROR_SEVERITY_NORMAL', details: { reason: 'usage_limit_reached' }, usageLimitReached: {} },
  resource_exhausted: { kind: 'resource_exhausted', message: 'Stream aborted by server or connection error: Status { code: ResourceExhausted, message: "load_shed_probability=1.0" }', severity: 'STREAM_ERROR_SEVERITY_NORMAL', details: { reason: 'resource_exhausted' }, globalRateLimit: {} },
  moderated: { kind: 'content_moderated', message: 'Content moderated [WKE=grok:content-moderated]', severity: 'STREAM_ERROR_SEVERITY_NORMAL', details: { reason: 'content_moderated' } },
  model_unavailable: { kind: 'model_not_available', message: 'Model not available for this account', severity: 'STREAM_ERROR_SEVERITY_NORMAL', details: { reason: 'model_not_available' } },
};

function streamError(ctx, kind) {
  const se = STREAM_ERRORS[kind];
  return { steps: [created(ctx), output(ctx, { stream_error: se }), ...done(ctx, 'failed', se.details.reason)], message: '' };
}

const HTTP_AS_EVENT = {
  '401': ['unauthenticated', 'invalid-credentials'],
  blocked: ['permission_denied', 'blocked-user'],
  '429': ['rate_limited', 'Too many requests'],
  antibot: ['permission_denied', 'Request rejected by anti-bot rules.'],
  outdated: ['permission_denied', 'This page is out of date. Reload to continue.'],
  cf_challenge: ['permission_denied', 'challenge required'],
  '5xx': ['unavailable', 'upstream unavailable'],
};

export function buildMgwResponse(name, ctx) {
  const text = answerFor(ctx.prompt);
  const base = () => [created(ctx), ...answer(ctx, text), ...done(ctx)];
  const head = () => [created(ctx), ...answer(ctx, text).slice(0, 2)];
  const opt = ctx.options;
  switch (name) {
    case 'thinking': return thinking(ctx, false);
    case 'heavy': return thinking(ctx, true);
    case 'search': return search(ctx);
    case 'image': return image(ctx, false);
    case 'image_moderated': return image(ctx, true);
    case 'empty': return { steps: [created(ctx), ...done(ctx)], message: '' };
    case 'loop': {
      const looping = loopTextFor(ctx.prompt, opt.repeats);
      return { steps: [created(ctx), ...answer(ctx, looping, 400), ...done(ctx)], message: looping };
    }
    case 'resource_exhausted': return streamError(ctx, 'resource_exhausted');
    case 'usage_limit': return streamError(ctx, 'usage_limit');
    case 'moderated': return streamError(ctx, 'moderated');
    case 'model_unavailable': return streamError(ctx, 'model_unavailable');
    case 'eof': return { steps: [...head(), { destroy: true }], message: text, incomplete: true };
    case 'stall': return { steps: [...head(), { stall: true }], message: text, incomplete: true };
    case 'stall_first': return { steps: [{ stall: true }], message: text, incomplete: true };
    case 'long_line': {
      const long = longText(opt.bytes ?? 10 * 1024 * 1024);
      const steps = base();
      steps.splice(2, 0, textChunk(ctx, long));
      // What it sent: the first piece of the answer, the long chunk, then the rest.
      const [first, ...rest] = splitTokens(text);
      return { steps, message: text, sent: first + long + rest.join('') };
    }
    case 'invalid_utf8': {
      const steps = base();
      const raw = Buffer.concat([Buffer.from(`{"session_id":"${ctx.sessionId}","event":{"type":"response.chunk","chunk":{"text":{"text":"bad `), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(`","channel":"${CH_ANSWER}"}}}}`)]);
      steps.splice(2, 0, { raw });
      return { steps, message: text };
    }
    case 'malformed': {
      const steps = base();
      steps.splice(2, 0, { raw: 'this is not json' }, { raw: '{"event":' }, { raw: '[]' });
      return { steps, message: text };
    }
    case 'slow': {
      const gap = opt.gapMs ?? 50;
      const steps = [created(ctx)];
      for (const p of splitTokens(text, opt.frames ?? 20)) steps.push({ delay: gap }, textChunk(ctx, p));
      return { steps: [...steps, { delay: gap }, ...done(ctx)], message: text };
    }
    case 'session_ended':
      return { steps: [...head(), { event: { type: 'session.ended', reason: opt.reason ?? 'session_timeout' } }, { close: { code: 1000, reason: 'session ended' } }], message: text, incomplete: true };
    case 'ws_error':
      return { steps: [created(ctx), { event: { type: 'error', error: { code: 'internal_error', message: 'Something went wrong. Please try again.' } } }, { close: { code: 1011, reason: 'internal error' } }], message: '', incomplete: true };
    case 'text_delta': {
      const steps = [created(ctx), ...splitTokens(text).map((d) => ({ event: { type: 'response.output_text.delta', response_id: ctx.responseId, delta: d } })), { event: { type: 'response.output_text.done', response_id: ctx.responseId, text } }, ...done(ctx)];
      return { steps, message: text };
    }
    case UNKNOWN_MARKER:
      return { steps: [{ event: { type: 'error', error: { code: 'invalid_request', message: `fake-grok: unknown scenario marker "${opt.marker}"` } } }, { close: { code: 1008, reason: 'unknown scenario marker' } }], message: '', incomplete: true };
    default:
      if (HTTP_AS_EVENT[name]) {
        const [code, message] = HTTP_AS_EVENT[name];
        return { steps: [{ event: { type: 'error', error: { code, message } } }, { close: { code: 1008, reason: message.slice(0, 100) } }], message: '', incomplete: true };
      }
      return { steps: base(), message: text };
  }
}
