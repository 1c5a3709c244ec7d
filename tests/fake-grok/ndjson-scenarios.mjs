// REST conversation streams: builds the list of NDJSON steps for each scenario from
// the frame shapes of reference §2.7 and seed §4.7. A step is {frame}, {raw}, {delay},
// {destroy} or {stall}; stream-writer.mjs puts them on the wire.
import {
  answerFor, heavyAnswerFor, reasoningFor, REASONING_HEADER, HEAVY_AGENTS, titleFor,
  searchResultsFor, searchQueryFor, splitTokens, longText, loopTextFor,
} from './content.mjs';

const MODEL_HASH = 'fakeGrokModelHash0001';

function frames(ctx) {
  const rid = ctx.responseId;
  const resp = (fields) => ({ frame: { result: { response: { ...fields, responseId: rid } } } });
  const token = (text, extra = {}) => resp({ token: text, isThinking: false, isSoftStop: false, messageTag: 'final', ...extra });
  const thinking = (text, extra = {}) => resp({ token: text, isThinking: true, isSoftStop: false, ...extra });
  return { resp, token, thinking };
}

// The opening frames in the order of a real capture (2026-03): conversation (new chats only) →
// userResponse (with its many empty arrays) → uiLayout (reasoningUiLayout SPLIT) → llmInfo
// (modelHash) → uiLayout (FUNCTION_CALL). The gateway acts on the first two only.
function opening(ctx) {
  const out = [];
  if (ctx.isNew) {
    out.push({ frame: { result: { conversation: { conversationId: ctx.conversationId, title: 'New conversation', starred: false, createTime: ctx.now, modifyTime: ctx.now, temporary: !!ctx.payload.temporary, mediaTypes: [] } } } });
  }
  out.push({
    frame: {
      result: {
        response: {
          userResponse: {
            responseId: ctx.userResponseId, message: ctx.rawMessage, sender: 'human', createTime: ctx.now, parentResponseId: ctx.parentResponseId ?? '', manual: false, partial: false, shared: false, query: '', queryType: '',
            webSearchResults: [], xpostIds: [], xposts: [], generatedImageUrls: [], imageAttachments: [], fileAttachments: ctx.payload.fileAttachments ?? [], cardAttachmentsJson: [], fileUris: [], fileAttachmentsMetadata: [],
            isControl: false, steps: [], mediaTypes: [], webpageUrls: [], citedWebSearchResults: [], toolResponses: [], streamErrors: [], metadata: {}, model: ctx.model,
          },
          isThinking: false,
          isSoftStop: false,
          responseId: ctx.userResponseId,
        },
      },
    },
  });
  const { resp } = frames(ctx);
  out.push(resp({ uiLayout: { reasoningUiLayout: 'SPLIT', willThinkLong: false, effort: 'LOW', steerModelId: 'grok-4' } }));
  out.push(resp({ llmInfo: { modelHash: MODEL_HASH } }));
  out.push(resp({ uiLayout: { reasoningUiLayout: 'FUNCTION_CALL', willThinkLong: false, effort: 'LOW' } }));
  return out;
}

function modelResponse(ctx, fields) {
  return {
    frame: {
      result: {
        response: {
          modelResponse: {
            responseId: ctx.responseId, message: '', sender: 'assistant', createTime: ctx.now, parentResponseId: ctx.userResponseId,
            manual: false, partial: false, shared: false, query: '', queryType: '', webSearchResults: [], xpostIds: [], xposts: [],
            generatedImageUrls: [], imageAttachments: [], fileAttachments: [], cardAttachmentsJson: [], fileUris: [],
            fileAttachmentsMetadata: [], isControl: false, steps: [], mediaTypes: [], model: ctx.model,
            metadata: { llm_info: { modelHash: MODEL_HASH } }, streamErrors: [],
            ...fields,
          },
          isThinking: false, isSoftStop: false, responseId: ctx.responseId,
        },
      },
    },
  };
}

function closing(ctx) {
  const { resp } = frames(ctx);
  const out = [resp({ isSoftStop: true, finalMetadata: { followUpSuggestions: [], feedbackLabels: [], toolsUsed: {} } })];
  if (ctx.isNew) out.push({ frame: { result: { title: { newTitle: titleFor(ctx.prompt) } } } });
  return out;
}

const answerSteps = (ctx, text, maxPieces) => splitTokens(text, maxPieces).map((t) => frames(ctx).token(t));

// The end of a real answer: an empty token with isSoftStop:true, finalMetadata (follow-up
// suggestions), modelResponse (whose `model` may differ from the one asked for), then the title.
function realClosing(ctx, fields) {
  const { resp, token } = frames(ctx);
  const out = [
    token('', { isSoftStop: true }),
    resp({ finalMetadata: { followUpSuggestions: [{ label: 'Tell me more', toolOverrides: {} }, { label: 'Give an example', toolOverrides: {} }], feedbackLabels: [], toolsUsed: {} } }),
    modelResponse(ctx, { model: `${ctx.model}-served`, ...fields }),
  ];
  if (ctx.isNew) out.push({ frame: { result: { title: { newTitle: titleFor(ctx.prompt) } } } });
  return out;
}

function normal(ctx, text = answerFor(ctx.prompt)) {
  return { steps: [...opening(ctx), ...answerSteps(ctx, text), ...realClosing(ctx, { message: text })], message: text };
}

function thinking(ctx, { heavy = false } = {}) {
  const { thinking: th } = frames(ctx);
  const text = heavy ? heavyAnswerFor(ctx.prompt) : answerFor(ctx.prompt);
  const agents = heavy ? HEAVY_AGENTS : ['Grok'];
  const reasoning = [];
  agents.forEach((agent, i) => {
    reasoning.push(th(REASONING_HEADER, { messageTag: 'header', messageStepId: i, rolloutId: agent }));
    for (const piece of splitTokens(reasoningFor(ctx.prompt), 4)) reasoning.push(th(piece, { messageTag: 'summary', messageStepId: i, rolloutId: agent }));
  });
  return {
    steps: [...opening(ctx), frames(ctx).resp({ uiLayout: { reasoningUiLayout: 'SPLIT', willThinkLong: heavy, effort: heavy ? 'HIGH' : 'LOW' } }), ...reasoning, ...answerSteps(ctx, text), modelResponse(ctx, { message: text }), ...closing(ctx)],
    message: text,
  };
}

function search(ctx) {
  const { resp, token, thinking: th } = frames(ctx);
  const results = searchResultsFor(ctx.prompt);
  const cardId = 'tc-' + ctx.responseId.slice(0, 8);
  const citation = { id: `cite-${ctx.responseId.slice(0, 8)}`, type: 'render_inline_citation', cardType: 'citation_card', url: results[0].url };
  const query = searchQueryFor(ctx.prompt);
  const text = answerFor(ctx.prompt);
  const render = ` <grok:render card_id="${citation.id}" card_type="citation_card" type="render_inline_citation"><argument name="citation_id">0</argument></grok:render>`;
  const steps = [
    ...opening(ctx),
    th(REASONING_HEADER, { messageTag: 'header', messageStepId: 0, rolloutId: 'Grok' }),
    th(`<xai:tool_usage_card><xai:tool_usage_card_id>${cardId}</xai:tool_usage_card_id><xai:tool_name>web_search</xai:tool_name><xai:tool_args><![CDATA[{"query":${JSON.stringify(query)}}]]></xai:tool_args></xai:tool_usage_card>`, {
      messageTag: 'tool_usage_card', toolUsageCardId: cardId, toolUsageCard: { toolUsageCardId: cardId, webSearch: { args: { query } } },
    }),
    resp({ webSearchResults: { results }, messageTag: 'raw_function_result', toolUsageCardId: cardId, isThinking: true }),
    resp({ cardAttachment: { jsonData: JSON.stringify(citation) }, messageTag: 'final' }),
    ...answerSteps(ctx, text),
    token(render),
    modelResponse(ctx, { message: `${text} [[1]](${results[0].url})`, webSearchResults: results, cardAttachmentsJson: [JSON.stringify(citation)] }),
    ...closing(ctx),
  ];
  return { steps, message: `${text} [[1]](${results[0].url})` };
}

// Chat image generation; options.imageStyle: 'both' (default) | 'card' | 'legacy'.
function image(ctx, { moderated = false } = {}) {
  const { resp } = frames(ctx);
  const style = ctx.options.imageStyle ?? 'both';
  const legacy = style !== 'card';
  const card = style !== 'legacy';
  const n = ctx.imageCount;
  const modSet = new Set(moderated ? (ctx.options.moderatedIndexes ?? [...Array(n).keys()]) : []);
  const imgs = [...Array(n).keys()].map((i) => {
    const uuid = ctx.nextId('image');
    const finalUrl = `users/${ctx.uid}/generated/${uuid}/image.jpg`;
    const partUrl = `users/${ctx.uid}/generated/${uuid}-part-0/image.jpg`;
    ctx.registerAsset(partUrl, 'imagePart');
    if (!modSet.has(i)) ctx.registerAsset(finalUrl, 'image');
    return { i, uuid, finalUrl, partUrl, moderated: modSet.has(i), cardId: `img-card-${i}-${uuid.slice(0, 8)}` };
  });
  const chunk = (img, progress) => JSON.stringify({
    id: img.cardId, type: 'render_generated_image', cardType: 'generated_image_card',
    image_chunk: { imageUuid: img.uuid, imageUrl: progress < 100 ? img.partUrl : img.finalUrl, seq: progress < 100 ? 0 : 1, progress, moderated: progress === 100 && img.moderated },
  });
  const text = `I generated ${n} image${n === 1 ? '' : 's'} for: ${ctx.prompt}`;
  const steps = [...opening(ctx)];
  if (legacy) steps.push(resp({ imageAttachmentInfo: {} }));
  steps.push(...answerSteps(ctx, text, 4));
  for (const progress of [50, 100]) {
    for (const img of imgs) {
      if (legacy) {
        steps.push(resp({ streamingImageGenerationResponse: { imageId: img.uuid, imageUuid: img.uuid, imageIndex: img.i, progress, imageUrl: progress < 100 ? img.partUrl : img.finalUrl, isFinal: progress === 100, moderated: progress === 100 && img.moderated, assetId: img.uuid } }));
      }
      if (card) steps.push(resp({ cardAttachment: { jsonData: chunk(img, progress) }, messageTag: 'final' }));
    }
  }
  const urls = imgs.filter((x) => !x.moderated).map((x) => x.finalUrl);
  steps.push(modelResponse(ctx, { message: text, generatedImageUrls: urls, cardAttachmentsJson: card ? imgs.map((x) => chunk(x, 100)) : [] }));
  steps.push(...closing(ctx));
  return { steps, message: text, generatedImageUrls: urls };
}

function imageEdit(ctx, { moderated = false } = {}) {
  const { resp } = frames(ctx);
  const n = ctx.imageCount;
  const imgs = [...Array(n).keys()].map((i) => {
    const uuid = ctx.nextId('image');
    const img = { i, uuid, finalUrl: `users/${ctx.uid}/generated/${uuid}/image.jpg`, partUrl: `users/${ctx.uid}/generated/${uuid}-part-0/image.jpg` };
    ctx.registerAsset(img.partUrl, 'imagePart');
    if (!moderated) ctx.registerAsset(img.finalUrl, 'image');
    return img;
  });
  const steps = [...opening(ctx)];
  for (const progress of [50, 100]) {
    for (const img of imgs) {
      steps.push(resp({ streamingImageGenerationResponse: { imageId: img.uuid, imageIndex: img.i, progress, imageUrl: progress < 100 ? img.partUrl : img.finalUrl, isFinal: progress === 100, moderated: progress === 100 && moderated, assetId: img.uuid } }));
    }
  }
  const urls = moderated ? [] : imgs.map((x) => x.finalUrl);
  steps.push(modelResponse(ctx, { message: '', generatedImageUrls: urls }));
  steps.push(...closing(ctx));
  return { steps, message: '', generatedImageUrls: urls };
}

// Video; variant 'url' (URL at 100), 'poll' (no URL; post/get has it), 'moderated'; option
// gapMs paces the progress frames.
function video(ctx, variant = 'url') {
  const { resp, token } = frames(ctx);
  const videoId = ctx.nextId('video');
  const postId = ctx.videoPostId(videoId);
  const videoUrl = `users/${ctx.uid}/generated/${videoId}/generated_video.mp4`;
  const thumbUrl = `users/${ctx.uid}/generated/${videoId}/preview_image.jpg`;
  const resolutionName = ctx.videoResolution;
  if (variant !== 'moderated') {
    ctx.registerAsset(videoUrl, 'video');
    ctx.registerAsset(thumbUrl, 'thumbnail');
    ctx.updatePost(postId, { mediaUrl: videoUrl, thumbnailImageUrl: thumbUrl, mimeType: 'video/mp4' });
  } else ctx.updatePost(postId, { moderated: true });
  const progressFrames = [1, 25, 50, 75].map((progress) => resp({ streamingVideoGenerationResponse: { videoId, videoPostId: postId, progress, resolutionName, moderated: false } }));
  const last = { videoId, videoPostId: postId, progress: 100, resolutionName, assetId: videoId, moderated: variant === 'moderated' };
  if (variant === 'url') Object.assign(last, { videoUrl, thumbnailImageUrl: thumbUrl });
  // gapMs (override option): a pause before each progress frame and the final one (a slow video).
  const gap = ctx.options?.gapMs;
  const paced = gap ? progressFrames.flatMap((f) => [{ delay: gap }, f]) : progressFrames;
  const steps = [...opening(ctx), ...paced, ...(gap ? [{ delay: gap }] : []), resp({ streamingVideoGenerationResponse: last })];
  const attachments = variant === 'url' ? [videoUrl] : [];
  steps.push(modelResponse(ctx, {
    message: '', fileAttachments: attachments,
    fileAttachmentAssetMetadata: variant === 'url' ? [{ mimeType: 'video/mp4', key: videoUrl, hdKey: '' }] : [],
  }));
  steps.push(token(variant === 'moderated' ? 'The video was moderated.' : 'I generated a video', { isSoftStop: true }));
  if (ctx.isNew) steps.push({ frame: { result: { title: { newTitle: titleFor(ctx.prompt) } } } });
  return { steps, message: '', fileAttachments: attachments, videoPostId: postId };
}

function empty(ctx) {
  return { steps: [...opening(ctx), modelResponse(ctx, { message: '' }), ...closing(ctx)], message: '' };
}

function resourceExhausted(ctx) {
  const { resp } = frames(ctx);
  const error = {
    message: 'Stream aborted by server or connection error: Status { code: ResourceExhausted, message: "load_shed_probability=1.0 the model is overloaded", details: [], metadata: MetadataMap { headers: {} } }',
    modelNotAvailable: {},
    severity: 'STREAM_ERROR_SEVERITY_NORMAL',
  };
  return { steps: [...opening(ctx), resp({ error, isThinking: false, isSoftStop: false }), modelResponse(ctx, { message: '' })], message: '' };
}

function usageLimit(ctx) {
  const { resp } = frames(ctx);
  const steps = [...opening(ctx), resp({ error: { message: "You've reached your usage limit. Please try again later.", severity: 'STREAM_ERROR_SEVERITY_NORMAL' } })];
  if (ctx.options.card) {
    steps.push(resp({ cardAttachment: { jsonData: JSON.stringify({ id: 'rl', type: 'render_generated_image', cardType: 'generated_image_card', image_chunk: { systemErrCode: 'rate_limit', progress: 0 } }) } }));
  }
  return { steps, message: '' };
}

// The prompt refused by moderation: the top-level in-band error of reference §2.7.
function moderated(ctx) {
  return { steps: [...opening(ctx), { frame: { error: { code: 3, message: 'Content moderated [WKE=grok:content-moderated]', details: [] } } }], message: '' };
}

// The account may not use this mode: `result.response.error` with `modelNotAvailable`.
function modelUnavailable(ctx) {
  const { resp } = frames(ctx);
  const error = { message: 'Model not available for this account', modelNotAvailable: { modelId: ctx.model }, severity: 'STREAM_ERROR_SEVERITY_NORMAL' };
  return { steps: [...opening(ctx), resp({ error, isThinking: false, isSoftStop: false })], message: '' };
}

// Transports: a normal answer carried differently.
function transport(name, ctx) {
  const base = normal(ctx);
  const firstToken = base.steps.findIndex((s) => s.frame?.result?.response?.messageTag === 'final');
  const cutAt = ctx.options.afterFrames ?? firstToken + 2;
  const { token } = frames(ctx);
  switch (name) {
    case 'eof':
      return { steps: [...base.steps.slice(0, cutAt), { destroy: true }], message: base.message, incomplete: true };
    case 'stall':
      return { steps: [...base.steps.slice(0, cutAt), { stall: true }], message: base.message, incomplete: true };
    case 'stall_first':
      return { steps: [{ stall: true }], message: base.message, incomplete: true };
    case 'long_line': {
      const long = longText(ctx.options.bytes ?? 10 * 1024 * 1024);
      const steps = [...base.steps];
      steps.splice(firstToken + 1, 0, token(long));
      // What it sent: the first piece of the answer, the long line, then the rest.
      const [first, ...rest] = splitTokens(base.message);
      return { steps, message: base.message, sent: first + long + rest.join('') };
    }
    case 'invalid_utf8': {
      const bad = Buffer.concat([
        Buffer.from(`{"result":{"response":{"token":"bad bytes `),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0]),
        Buffer.from(` end","isThinking":false,"isSoftStop":false,"messageTag":"final","responseId":"${ctx.responseId}"}}}\n`),
      ]);
      const steps = [...base.steps];
      steps.splice(firstToken + 1, 0, { raw: bad });
      return { steps, message: base.message };
    }
    case 'malformed': {
      const garbage = ['this is not json', '{"result":{"response":{"token":', '}{', '<html><body>oops</body></html>', '[1,2', '   '];
      const steps = [];
      base.steps.forEach((s, i) => {
        steps.push(s);
        if (i < garbage.length) steps.push({ raw: garbage[i] + '\n' });
      });
      return { steps, message: base.message };
    }
    case 'data_prefix':
      return { ...base, sse: true };
    case 'slow': {
      const text = answerFor(ctx.prompt);
      const gap = ctx.options.gapMs ?? 50;
      const pieces = splitTokens(text, ctx.options.frames ?? 20);
      const steps = [...opening(ctx)];
      for (const p of pieces) steps.push({ delay: gap }, token(p));
      steps.push({ delay: gap }, modelResponse(ctx, { message: text }), ...closing(ctx));
      return { steps, message: text };
    }
    default:
      return base;
  }
}

// The follow-up endpoint (`conversations/{id}/responses`) sends the same objects without the
// `response` wrapper: {"result":{"token":…,"responseId":…}} (reference §2.7).
function unwrapped(built) {
  const steps = built.steps.map((st) => {
    const r = st.frame?.result;
    if (!r || typeof r.response !== 'object' || r.response === null) return st;
    const { response, ...rest } = r;
    return { ...st, frame: { ...st.frame, result: { ...rest, ...response } } };
  });
  return { ...built, steps };
}

// name: the resolved scenario; ctx.mediaKind: 'chat' | 'video' | 'image_edit'. A follow-up turn
// (ctx.isNew false) gets its frames without the `response` wrapper.
export function buildChatStream(name, ctx) {
  const built = buildWrapped(name, ctx);
  return ctx.isNew ? built : unwrapped(built);
}

function buildWrapped(name, ctx) {
  if (ctx.mediaKind === 'video') {
    if (name === 'video_poll') return video(ctx, 'poll');
    if (name === 'video_moderated' || name === 'image_moderated') return video(ctx, 'moderated');
    if (['normal', 'thinking', 'search', 'image', 'heavy', 'video', 'image_edit', 'empty'].includes(name)) return video(ctx, 'url');
  }
  if (ctx.mediaKind === 'image_edit') {
    if (name === 'image_moderated') return imageEdit(ctx, { moderated: true });
    if (['normal', 'thinking', 'search', 'image', 'heavy', 'video', 'image_edit', 'empty'].includes(name)) return imageEdit(ctx);
  }
  switch (name) {
    case 'normal': return normal(ctx);
    case 'thinking': return thinking(ctx);
    case 'heavy': return thinking(ctx, { heavy: true });
    case 'search': return search(ctx);
    case 'image': return image(ctx);
    case 'image_moderated': return image(ctx, { moderated: true });
    case 'image_edit': return imageEdit(ctx);
    case 'video': return video(ctx, 'url');
    case 'video_poll': return video(ctx, 'poll');
    case 'video_moderated': return video(ctx, 'moderated');
    case 'empty': return empty(ctx);
    case 'loop': return normal(ctx, loopTextFor(ctx.prompt, ctx.options.repeats));
    case 'resource_exhausted': return resourceExhausted(ctx);
    case 'usage_limit': return usageLimit(ctx);
    case 'moderated': return moderated(ctx);
    case 'model_unavailable': return modelUnavailable(ctx);
    default: return transport(name, ctx);
  }
}
