// Entry point of the fake Grok upstream: starts the three loopback listeners (grok.com
// surfaces + WebSockets, the assets host, the public imagine host), routes requests to
// the surface modules after the header checks, and exposes in-process helpers.
//
//   const fake = await startFakeGrok({ port: 0 });
//   fake.url / fake.assetsUrl / fake.publicUrl; fake.requests(); fake.setScenario(...);
//   await fake.close();
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { createState, patchConfig } from './state.mjs';
import { createRecorder, summarizeBody } from './recorder.mjs';
import { inspect } from './checks.mjs';
import { resolveScenario, setOverride, clearOverrides, HTTP_ERRORS, UNKNOWN_MARKER } from './scenarios.mjs';
import { sendFailure, refuseUpgrade } from './errors.mjs';
import { readBody, sendJson, tryJson, uidFor } from './util.mjs';
import { handleConversation, handleReadConversation } from './rest-chat.mjs';
import { handleLegacyUpload, handleUploadV2 } from './uploads.mjs';
import {
  handleSession, handleRateLimits, handleQuotaInfo, handlePostCreate, handlePostGet, handleBirthDate, handleTos,
  handleGrpcTos, handleGrpcNsfw,
} from './account.mjs';
import { handlePage, STATSIG_CHUNK_PATH } from './pages.mjs';
import { handleAssets, handlePublic } from './assets.mjs';
import { handleMgw } from './mgw.mjs';
import { handleImagine, previewPathOf } from './imagine.mjs';
import { handleControl } from './control.mjs';
import { consume } from './quota.mjs';
import { mintStatsigId } from './statsig.mjs';
import { mediaBytes } from './media-bytes.mjs';

// [method, pattern, check kind, surface for HTTP-error scenarios (null: handler decides), handler]
const ROUTES = [
  ['POST', /^\/rest\/app-chat\/conversations\/new$/, 'rest', null, (env, rq) => handleConversation(env, rq, null)],
  ['POST', /^\/rest\/app-chat\/conversations\/([^/]+)\/responses$/, 'rest', null, (env, rq, id) => handleConversation(env, rq, id)],
  ['GET', /^\/rest\/app-chat\/conversations\/([^/]+)\/(?:responses|load-responses)$/, 'rest', 'rest', handleReadConversation],
  ['POST', /^\/rest\/app-chat\/upload-file$/, 'rest', 'rest', handleLegacyUpload],
  ['POST', /^\/http\/upload-file-v2\/direct$/, 'upload-v2', 'rest', handleUploadV2],
  ['POST', /^\/rest\/rate-limits$/, 'rest', 'rest', handleRateLimits],
  ['POST', /^\/rest\/media\/imagine\/quota_info$/, 'rest', 'rest', handleQuotaInfo],
  ['POST', /^\/rest\/media\/post\/create$/, 'rest', 'rest', handlePostCreate],
  ['POST', /^\/rest\/media\/post\/get$/, 'rest', 'rest', handlePostGet],
  ['POST', /^\/rest\/auth\/set-birth-date$/, 'rest', 'rest', handleBirthDate],
  ['POST', /^\/rest\/auth\/set-tos-accepted$/, 'rest', 'rest', handleTos],
  ['POST', /^\/auth_mgmt\.AuthManagement\/SetTosAcceptedVersion$/, 'cookie', 'rest', handleGrpcTos],
  ['POST', /^\/auth_mgmt\.AuthManagement\/UpdateUserFeatureControls$/, 'cookie', 'rest', handleGrpcNsfw],
  ['GET', /^\/api\/auth\/session$/, 'session', null, handleSession],
  ['GET', new RegExp(`^(?:/|/index|${STATSIG_CHUNK_PATH.replace(/[.]/g, '\\.')})$`), 'page', null, (env, rq) => handlePage(env, rq.req, rq.res, rq.url)],
];

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

export async function startFakeGrok(options = {}) {
  const state = createState(options);
  const rec = createRecorder();
  let closing = false;
  const urls = {};

  const env = {
    state,
    rec,
    urls,
    isClosing: () => closing,
    json: (res, status, obj) => sendJson(res, status, obj),
    resolve: (args) => resolveScenario(state.overrides, args),
    scenarioFor(rq, surface, prompt, { sendErrors = true } = {}) {
      const s = resolveScenario(state.overrides, { token: rq.token, prompt, surface, path: rq.url.pathname });
      rq.entry.scenario = s.name;
      rq.entry.scenarioSource = s.source;
      if (sendErrors && env.sendScenarioFailure(rq, s)) return null;
      return s;
    },
    sendScenarioFailure(rq, s) {
      if (s.name === UNKNOWN_MARKER) {
        rq.entry.notes.push(`unknown scenario marker ${s.options.marker}`);
        sendFailure(rq.res, 'bad_request', { message: `fake-grok: unknown scenario marker "${s.options.marker}"` });
        return true;
      }
      if (!HTTP_ERRORS.includes(s.name)) return false;
      sendFailure(rq.res, s.name, s.options);
      return true;
    },
    registerAsset(path, kind, uid) {
      state.assets.set(path, { kind, uid, size: state.config.assetSizes[kind] });
    },
    registerPublic(path, kind) {
      state.publicImages.set(path, { kind, size: state.config.assetSizes[kind] });
    },
    posts: () => state.posts,
    ensurePost(id, { uid, mediaType, mediaUrl = '', prompt = '' }) {
      if (id && state.posts.has(id)) return id;
      const postId = id ?? state.nextId('post');
      state.posts.set(postId, {
        id: postId, userId: uid, mediaType, mediaUrl, hdMediaUrl: '', hd1080MediaUrl: '',
        mimeType: mediaType === 'MEDIA_POST_TYPE_VIDEO' ? 'video/mp4' : 'image/jpeg', prompt,
        createTime: new Date().toISOString(), moderated: false, thumbnailImageUrl: '',
      });
      return postId;
    },
    updatePost(id, fields) {
      const p = state.posts.get(id);
      if (p) Object.assign(p, fields);
    },
    consumeQuota: (token, mode) => consume(state, token, mode),
    // The exact bytes the assets/public hosts serve for a path or URL (null if unknown).
    assetBytes(path) {
      const p = path.replace(/^https?:\/\/[^/]+/, '').replace(/^\/+/, '');
      const up = state.uploads.get(p);
      if (up) return up.bytes;
      const a = state.assets.get(p);
      if (a) return mediaBytes(p, a.size);
      const pubImg = state.publicImages.get(`/${p}`);
      if (pubImg) return mediaBytes(`/${p}`, pubImg.size, 'jpeg');
      return null;
    },
    resetAll() {
      state.reset();
      rec.clear();
    },
  };

  async function onGrok(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname.startsWith('/__fake/')) {
      const body = await readBody(req);
      return handleControl(env, req, res, url, body);
    }
    const entry = rec.start('grok', req, url);
    rec.trackHttp(entry, res);
    let body;
    try {
      body = await readBody(req);
    } catch (err) {
      return sendFailure(res, err.status === 413 ? 'too_large' : 'bad_request');
    }
    entry.body = summarizeBody(body);
    const match = ROUTES.map((r) => [r, r[1].exec(url.pathname)]).filter(([, m]) => m);
    const route = match.find(([r]) => r[0] === req.method || (req.method === 'HEAD' && r[0] === 'GET'));
    const ins = inspect(req, url, route ? route[0][2] : 'rest', state.config, state.seen);
    entry.checks = ins.checks;
    entry.cookies = ins.cookies;
    entry.token = ins.rawToken;
    if (!route) {
      if (match.length) return sendJson(res, 405, { error: { code: 12, message: 'Method not allowed', details: [] } });
      return sendFailure(res, 'not_found', { message: `no route ${req.method} ${url.pathname}` });
    }
    const [[, , kind, surface, handler], m] = route;
    if (ins.failure) return sendFailure(res, ins.failure);
    const rq = { req, res, url, entry, body, json: tryJson(body).value, token: ins.token, uid: ins.token ? uidFor(ins.token) : null };
    if (kind === 'page') {
      const s = resolveScenario({ global: state.overrides.global, tokens: new Map() }, { token: null, prompt: '', surface: 'page', path: url.pathname });
      entry.scenario = s.name;
      if (env.sendScenarioFailure(rq, s)) return undefined;
    } else if (surface && env.scenarioFor(rq, surface, '') === null) return undefined;
    return handler(env, rq, ...m.slice(1));
  }

  function onUpgrade(req, socket, head) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = rec.start('grok', req, url);
    const refuse = (kind, opts) => {
      entry.status = refuseUpgrade(socket, kind, opts);
      entry._done('server');
    };
    socket.on('error', () => {});
    const isMgw = /^\/ws\/mgw\/?$/.test(url.pathname);
    const isImagine = url.pathname === '/ws/imagine/listen';
    if (!isMgw && !isImagine) return refuse('not_found', { message: `no WebSocket at ${url.pathname}` });
    const ins = inspect(req, url, 'ws', state.config, state.seen);
    entry.checks = ins.checks;
    entry.cookies = ins.cookies;
    entry.token = ins.rawToken;
    if (ins.failure) return refuse(ins.failure);
    const token = ins.token;
    const uid = uidFor(token);
    if (isMgw) {
      const q = url.searchParams.get('uid');
      const xuid = ins.cookies['x-userid'];
      entry.checks.userId = !q ? 'missing' : q !== uid ? 'mismatch' : !xuid ? 'cookie_missing' : xuid !== q ? 'cookie_mismatch' : 'ok';
      if (entry.checks.userId === 'missing' || entry.checks.userId === 'cookie_missing') return refuse('unauthenticated', { message: 'Unauthenticated: missing user id' });
      if (entry.checks.userId !== 'ok') return refuse('uid_mismatch');
    }
    const surface = isMgw ? 'mgw-handshake' : 'imagine-handshake';
    const args = { token, prompt: '', surface, path: url.pathname };
    const hs = resolveScenario(state.overrides, { ...args, peek: true });
    entry.scenario = hs.name;
    entry.scenarioSource = hs.source;
    if (hs.name !== 'normal') {
      const s = resolveScenario(state.overrides, args);
      return refuse(s.name, s.options);
    }
    let handshakeScenario = null;
    if (isMgw) {
      const peek = resolveScenario(state.overrides, { token, prompt: '', surface: 'mgw', path: url.pathname, peek: true });
      if (peek.name === 'stall_first') handshakeScenario = resolveScenario(state.overrides, { token, prompt: '', surface: 'mgw', path: url.pathname });
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      entry.status = 101;
      rec.trackWs(entry, ws);
      ws.on('error', () => {});
      if (isMgw) handleMgw(env, ws, { entry, token, uid, handshakeScenario });
      else handleImagine(env, ws, { entry, token, uid });
    });
    return undefined;
  }

  const guard = (fn) => (req, res) => {
    Promise.resolve(fn(req, res)).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 13, message: `fake-grok internal error: ${err.message}`, details: [] } });
      else res.destroy();
    });
  };

  const grok = http.createServer({ noDelay: true }, guard(onGrok));
  const assets = http.createServer({ noDelay: true }, guard((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = rec.start('assets', req, url);
    return handleAssets(env, req, res, url, entry);
  }));
  const pub = http.createServer({ noDelay: true }, guard((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = rec.start('public', req, url);
    return handlePublic(env, req, res, url, entry);
  }));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
  grok.on('upgrade', onUpgrade);
  for (const s of [grok, assets, pub]) s.on('clientError', (err, socket) => socket.destroy());

  const port = await listen(grok, options.port ?? 0);
  const assetsPort = await listen(assets, options.assetsPort ?? 0);
  const publicPort = await listen(pub, options.publicPort ?? 0);
  urls.url = `http://127.0.0.1:${port}`;
  urls.assetsUrl = `http://127.0.0.1:${assetsPort}`;
  urls.publicUrl = `http://127.0.0.1:${publicPort}`;

  let closed = null;
  const close = () => {
    if (closed) return closed;
    closing = true;
    for (const ws of wss.clients) ws.terminate();
    closed = Promise.all([grok, assets, pub].map((s) => new Promise((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    }))).then(() => new Promise((resolve) => wss.close(() => resolve())));
    return closed;
  };

  const requests = (filter) => {
    const prefix = typeof filter === 'string' ? filter : filter?.path;
    const list = rec.list(prefix);
    return filter?.listener ? list.filter((e) => e.listener === filter.listener) : list;
  };

  return {
    ...urls,
    port,
    assetsPort,
    publicPort,
    close,
    state,
    requests,
    clearRequests: () => rec.clear(),
    stats: () => rec.stats(),
    setScenario: (spec) => setOverride(state.overrides, spec),
    clearScenarios: (token) => clearOverrides(state.overrides, token),
    config: (patch) => (patch ? patchConfig(state, patch) : state.config),
    reset: () => env.resetAll(),
    uidFor,
    mintStatsigId: (method, path, extra = {}) => mintStatsigId({ method, path, seedB64: state.config.statsigSeedB64, key: state.config.statsigKey, ...extra }),
    // The exact bytes the assets/public hosts serve for a path (null if unknown).
    assetBytes: (path) => env.assetBytes(path),
    previewBytes: (publicPath) => mediaBytes(previewPathOf(publicPath), state.config.assetSizes.imaginePreview, 'jpeg'),
  };
}

export { uidFor } from './util.mjs';
export { mintStatsigId, verifyStatsig } from './statsig.mjs';
export { mediaBytes } from './media-bytes.mjs';
export { SCENARIO_NAMES } from './scenarios.mjs';
export * from './defaults.mjs';
