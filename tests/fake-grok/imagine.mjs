// The imagine WebSocket (`/ws/imagine/listen`), reference §2.8 and seed §4.6: a reset
// message, then a request {requestId, text, type input_text|input_scroll, properties};
// per requested image a start_stage json frame, image frames at 40% and 100% (with a
// base64 `blob` and a URL on the public host whose bytes equal the final blob), then a
// completed json frame. Rate-limit and moderation scenarios send `error` frames.
import { isObject, sleep } from './util.mjs';
import { stripMarkers, UNKNOWN_MARKER } from './scenarios.mjs';
import { mediaBytes } from './media-bytes.mjs';

export const ASPECTS = {
  auto: [1024, 1024], '1:1': [1024, 1024], '2:3': [832, 1248], '3:2': [1248, 832], '16:9': [1280, 720], '9:16': [720, 1280],
  '4:3': [1024, 768], '3:4': [768, 1024], '2:1': [1440, 720], '1:2': [720, 1440], '19.5:9': [1560, 720], '9:19.5': [720, 1560],
  '20:9': [1600, 720], '9:20': [720, 1600],
};

export const previewPathOf = (publicPath) => `${publicPath}#preview`;

export function handleImagine(env, ws, { entry, token, uid }) {
  const { state } = env;
  entry.ws = { clientFrames: [], serverFrames: 0, closeCode: null, closedBy: null, requests: [] };
  let busy = false;
  let generation = 0; // a reset or a new request stops the frames of an older one
  const sendObj = (obj) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(obj));
    entry.ws.serverFrames++;
  };
  const errorFrame = (code, msg, requestId) => sendObj({ type: 'error', ...(requestId ? { request_id: requestId } : {}), err_code: code, err_msg: msg });
  ws.on('close', (code) => {
    entry.ws.closeCode = code;
    if (!entry.ws.closedBy) entry.ws.closedBy = 'client';
  });

  ws.on('message', (data, isBinary) => {
    const text = data.toString('utf8');
    let msg = null;
    try { msg = JSON.parse(text); } catch { /* recorded raw */ }
    entry.ws.clientFrames.push(msg ?? { raw: text.slice(0, 1000), size: data.length, binary: isBinary });
    const content = msg?.item?.content;
    if (!isObject(msg) || msg.type !== 'conversation.item.create' || msg.item?.type !== 'message' || !Array.isArray(content) || content.length === 0) {
      return errorFrame('invalid_request', 'expected {type:"conversation.item.create", item:{type:"message", content:[...]}}');
    }
    if (typeof msg.timestamp !== 'number') entry.notes.push('message without numeric timestamp');
    const c = content[0];
    if (c?.type === 'reset') {
      entry.ws.resets = (entry.ws.resets ?? 0) + 1;
      generation++;
      busy = false;
      return undefined;
    }
    return onRequest(c);
  });

  async function onRequest(c) {
    const requestId = c?.requestId ?? c?.request_id;
    if (!isObject(c) || (c.type !== 'input_text' && c.type !== 'input_scroll') || typeof c.text !== 'string' || !c.text.trim() || typeof requestId !== 'string') {
      return errorFrame('invalid_request', 'request needs type input_text|input_scroll, a non-empty text and a requestId', requestId);
    }
    const props = isObject(c.properties) ? c.properties : {};
    const aspect = props.aspect_ratio ?? '2:3';
    if (!ASPECTS[aspect]) return errorFrame('invalid_aspect_ratio', `unsupported aspect_ratio ${aspect}`, requestId);
    const n = props.num_generations ?? state.config.imagineDefaultCount;
    if (!Number.isInteger(n) || n < 1 || n > 8) return errorFrame('invalid_request', 'num_generations must be 1..8', requestId);
    if (busy) return errorFrame('busy', 'a generation is already running on this socket', requestId);
    busy = true;
    const mine = ++generation;
    const scenario = env.resolve({ token, prompt: c.text, surface: 'imagine', path: '/ws/imagine/listen' });
    entry.scenario = scenario.name;
    entry.scenarioSource = scenario.source;
    const record = { requestId, prompt: stripMarkers(c.text), n, aspect, pro: !!props.enable_pro, nsfw: !!props.enable_nsfw, scenario: scenario.name, images: [] };
    entry.ws.requests.push(record);
    const [width, height] = ASPECTS[aspect];
    const opt = scenario.options;
    const modSet = new Set(scenario.name === 'image_moderated' ? opt.moderatedIndexes ?? [...Array(n).keys()] : []);
    const imgs = [...Array(n).keys()].map((i) => {
      const id = state.nextId('imagine');
      const path = `/imagine-public/images/${id}.jpg`;
      if (!modSet.has(i)) env.registerPublic(path, 'imaginePublic');
      return { i, id, path, url: `${env.urls.publicUrl}${path}`, moderated: modSet.has(i) };
    });
    // The public paths of the images this request delivers (their bytes: GET /__fake/asset).
    if (!['429', 'usage_limit', 'ws_error', 'stall_first', UNKNOWN_MARKER].includes(scenario.name)) record.images = imgs.filter((x) => !x.moderated).map((x) => x.path);
    const sizes = state.config.assetSizes;
    const base = (img) => ({ request_id: requestId, image_id: img.id, order: img.i });
    const steps = [];
    for (const img of imgs) steps.push({ type: 'json', current_status: 'start_stage', ...base(img), width, height });
    for (const img of imgs) {
      steps.push({ type: 'image', ...base(img), url: img.url, blob: mediaBytes(previewPathOf(img.path), sizes.imaginePreview, 'jpeg').toString('base64'), percentage_complete: 40, current_status: 'generating', side_by_side_index: img.i, width, height });
    }
    for (const img of imgs) {
      if (!img.moderated) {
        steps.push({ type: 'image', ...base(img), url: img.url, blob: mediaBytes(img.path, state.publicImages.get(img.path).size, 'jpeg').toString('base64'), percentage_complete: 100, current_status: 'completed', side_by_side_index: img.i, width, height });
      }
      steps.push({ type: 'json', current_status: 'completed', ...base(img), moderated: img.moderated, r_rated: false });
    }
    if (modSet.size === n) steps.push({ type: 'error', request_id: requestId, err_code: 'content_moderated', err_msg: 'Content moderated' });

    let plan = steps;
    let gap = 0;
    switch (scenario.name) {
      case '429':
      case 'usage_limit':
        plan = [{ type: 'error', request_id: requestId, err_code: 'rate_limit_exceeded', err_msg: 'Image rate limit exceeded' }];
        break;
      case 'eof': plan = [...steps.slice(0, n + 1), { destroy: true }]; break;
      case 'stall': plan = [...steps.slice(0, n), { stall: true }]; break;
      case 'stall_first': plan = [{ stall: true }]; break;
      case 'slow': gap = opt.gapMs ?? 50; break;
      case UNKNOWN_MARKER: plan = [{ type: 'error', request_id: requestId, err_code: 'invalid_request', err_msg: `fake-grok: unknown scenario marker "${opt.marker}"` }]; break;
      case 'ws_error': plan = [{ type: 'error', request_id: requestId, err_code: 'internal_error', err_msg: 'Something went wrong' }, { close: 1011 }]; break;
      default: break;
    }
    entry._inFlight = true;
    const delayMs = gap || (opt.delayMs ?? state.config.frameDelayMs);
    let first = true;
    for (const step of plan) {
      if (ws.readyState !== ws.OPEN || env.isClosing() || mine !== generation) return undefined;
      if (!first && delayMs > 0) await sleep(delayMs);
      first = false;
      if (ws.readyState !== ws.OPEN || mine !== generation) return undefined;
      if (step.destroy) { entry._serverCut = true; entry._done('server_abort'); ws.terminate(); return undefined; }
      if (step.stall) { entry.notes.push('stalled'); return undefined; }
      if (step.close) { entry._serverClosed = true; entry._inFlight = false; entry.ws.closedBy = 'server'; ws.close(step.close); return undefined; }
      sendObj(step);
    }
    entry._inFlight = false;
    busy = false;
    return undefined;
  }
}
