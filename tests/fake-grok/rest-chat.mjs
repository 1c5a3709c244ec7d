// REST conversations (reference §2.7): `POST /rest/app-chat/conversations/new`,
// `POST /rest/app-chat/conversations/{id}/responses` (NDJSON streams) and
// `GET /rest/app-chat/conversations/{id}/responses` (stored turns). Validates the
// payload (newest `modeId`, legacy `modelName`+`modelMode`, media shapes), picks the
// scenario and streams it.
import { MODES } from './defaults.mjs';
import { recordedAnswer } from './content.mjs';
import { isObject, cfHeaders } from './util.mjs';
import { markerIn, stripMarkers } from './scenarios.mjs';
import { buildChatStream } from './ndjson-scenarios.mjs';
import { writeSteps } from './stream-writer.mjs';
import { modeOfPayload, consume } from './quota.mjs';
import { sendFailure } from './errors.mjs';

const VIDEO_INPUTS = ['textToVideo', 'imageToVideo', 'referenceToVideo', 'videoExtension'];

// → {kind:'chat'|'video'|'image_edit', prompt, error?}
export function classifyPayload(p) {
  if (!isObject(p)) return { error: 'body must be a JSON object' };
  if (typeof p.message !== 'string') return { error: '"message" must be a string' };
  if (p.modeId === undefined && p.modelName === undefined) return { error: 'missing "modeId" (or legacy "modelName")' };
  if (p.modeId !== undefined && !MODES.includes(p.modeId)) return { error: `unknown modeId "${p.modeId}"` };
  if (p.modelName !== undefined && (typeof p.modelName !== 'string' || !p.modelName)) return { error: '"modelName" must be a non-empty string' };
  if (p.fileAttachments !== undefined && (!Array.isArray(p.fileAttachments) || p.fileAttachments.some((x) => typeof x !== 'string'))) {
    return { error: '"fileAttachments" must be an array of ids' };
  }
  const mgi = isObject(p.mediaGenInput) ? p.mediaGenInput : null;
  const modelMap = p.responseMetadata?.modelConfigOverride?.modelMap;
  const videoInput = mgi && VIDEO_INPUTS.find((k) => isObject(mgi[k]));
  const wantsVideo = p.modelName === 'imagine-video-gen' || !!videoInput || isObject(modelMap?.videoGenModelConfig) || p.toolOverrides?.videoGen === true;
  const wantsEdit = p.modelName === 'imagine-image-edit' || isObject(mgi?.imageToImage) || isObject(modelMap?.imageEditModelConfig);
  let kind = 'chat';
  let mediaPrompt = '';
  if (wantsVideo) {
    kind = 'video';
    if (!videoInput && !isObject(modelMap?.videoGenModelConfig)) return { error: 'video request without mediaGenInput or videoGenModelConfig' };
    mediaPrompt = videoInput ? mgi[videoInput].prompt ?? '' : '';
  } else if (wantsEdit) {
    kind = 'image_edit';
    if (!isObject(mgi?.imageToImage) && !isObject(modelMap?.imageEditModelConfig)) return { error: 'image edit without mediaGenInput.imageToImage or imageEditModelConfig' };
    mediaPrompt = mgi?.imageToImage?.prompt ?? '';
  }
  const prompt = [p.message, mediaPrompt].filter(Boolean).join(' ');
  return { kind, prompt, videoInput };
}

const modelEcho = (p) => p.modelName && !p.modelName.startsWith('imagine-') ? p.modelName : p.modeId ? `grok-4-${p.modeId}` : p.modelName;

function videoSettings(p, videoInput) {
  const mgi = p.mediaGenInput?.[videoInput] ?? {};
  const cfg = p.responseMetadata?.modelConfigOverride?.modelMap?.videoGenModelConfig ?? {};
  let res = mgi.resolutionName ?? cfg.resolutionName ?? (cfg.videoResolution === 'HD' ? '720p' : cfg.videoResolution === 'SD' ? '480p' : null) ?? '480p';
  const parent = cfg.parentPostId ?? mgi.parentPostId ?? (videoInput === 'videoExtension' ? mgi.inputAssets?.[0] : null) ?? null;
  return { resolutionName: res, parentPostId: parent };
}

export async function handleConversation(env, rq, conversationId) {
  const { state } = env;
  const { res, entry, json, token, uid } = rq;
  const isNew = conversationId === null;
  const cls = classifyPayload(json);
  entry.payload = cls.error ? { error: cls.error } : { kind: cls.kind, selector: json.modeId !== undefined ? 'modeId' : 'modelName' };
  if (cls.error) return sendFailure(res, 'bad_request', { message: cls.error });

  const scenario = env.scenarioFor(rq, 'chat', cls.prompt);
  if (scenario === null) return; // an HTTP failure was sent

  let convo;
  if (!isNew) {
    convo = state.conversations.get(conversationId);
    if (!convo || convo.uid !== uid) return sendFailure(res, 'not_found', { message: `conversation ${conversationId} not found` });
  }
  for (const id of json.fileAttachments ?? []) {
    const up = state.fileIds.get(id);
    if (!up || up.uid !== uid) {
      entry.notes.push(`unknown file attachment ${id}`);
      return sendFailure(res, 'bad_request', { message: `file attachment ${id} not found` });
    }
  }
  const mode = modeOfPayload(json);
  if (!consume(state, token, mode) && state.config.enforceQuota) return sendFailure(res, '429');

  if (isNew) {
    conversationId = state.nextId('conversation');
    convo = { id: conversationId, uid, token, responses: [], via: 'rest' };
    state.conversations.set(conversationId, convo);
  }
  const parentResponseId = json.parentResponseId ?? json.responseId ?? convo.responses.at(-1)?.responseId ?? null;
  const video = cls.kind === 'video' ? videoSettings(json, cls.videoInput) : null;
  const ctx = {
    now: new Date().toISOString(),
    isNew,
    conversationId,
    responseId: state.nextId('response'),
    userResponseId: state.nextId('response'),
    parentResponseId,
    rawMessage: stripMarkers(json.message),
    prompt: stripMarkers(cls.prompt),
    model: modelEcho(json),
    uid,
    payload: json,
    options: scenario.options,
    mediaKind: cls.kind,
    imageCount: Math.min(4, Math.max(1, Number(json.imageGenerationCount) || (cls.kind === 'image_edit' ? 1 : 2))),
    videoResolution: video?.resolutionName,
    nextId: state.nextId,
    registerAsset: (path, kind) => env.registerAsset(path, kind, uid),
    videoPostId: (videoId) => env.ensurePost(video?.parentPostId, { uid, mediaType: 'MEDIA_POST_TYPE_VIDEO', prompt: cls.prompt, videoId }),
    updatePost: (id, fields) => env.updatePost(id, fields),
  };
  if (markerIn(json.message) && scenario.source !== 'marker') entry.notes.push(`marker ${markerIn(json.message)} ignored (override/surface)`);
  const built = buildChatStream(scenario.name, ctx);
  // What the fake received and what it answered, for tests to compare the gateway's answer with.
  entry.chat = {
    transport: 'rest', scenario: scenario.name, source: scenario.source, mode: json.modeId ?? json.modelName,
    prompt: json.message, files: json.fileAttachments ?? [], ...recordedAnswer(built.sent ?? built.message ?? ''),
    images: built.generatedImageUrls ?? [], videos: built.fileAttachments ?? [],
  };
  convo.responses.push(
    { responseId: ctx.userResponseId, sender: 'human', message: ctx.rawMessage, parentResponseId, createTime: ctx.now },
    { responseId: ctx.responseId, sender: 'assistant', message: built.message ?? '', parentResponseId: ctx.userResponseId, createTime: ctx.now, generatedImageUrls: built.generatedImageUrls ?? [], fileAttachments: built.fileAttachments ?? [], videoPostId: built.videoPostId ?? null, partial: !!built.incomplete },
  );
  entry.response = { conversationId, responseId: ctx.responseId, userResponseId: ctx.userResponseId };

  res.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...cfHeaders(),
  });
  res.flushHeaders();
  entry._inFlight = true;
  await writeSteps(res, built.steps, {
    entry,
    sse: !!built.sse,
    delayMs: scenario.options.delayMs ?? state.config.frameDelayMs,
    isClosing: env.isClosing,
  });
  entry._inFlight = false;
}

export function handleReadConversation(env, rq, conversationId) {
  const convo = env.state.conversations.get(conversationId);
  if (!convo || convo.uid !== rq.uid) return sendFailure(rq.res, 'not_found', { message: `conversation ${conversationId} not found` });
  return env.json(rq.res, 200, { responses: convo.responses });
}
