// The assets host (`users/...`, sso cookie of the owning account required) and the
// public imagine host (`/imagine-public/images/<id>.jpg`, no cookie; also `/client-images/…`,
// stand-ins for images clients link to). Serves uploaded
// bytes or deterministic media, with ETag/304, single-range `Range` (206/416) and HEAD.
import { sha256Hex, sendJson, sendText } from './util.mjs';
import { cookieCheck } from './checks.mjs';
import { mediaBytes, kindOfPath, contentTypeOf } from './media-bytes.mjs';
import { resolveScenario } from './scenarios.mjs';
import { uidFor } from './util.mjs';

const LAST_MODIFIED = 'Mon, 01 Jun 2026 00:00:00 GMT';
const GENERATED_RE = /^users\/([0-9a-f-]{36})\/generated\/([A-Za-z0-9-]+)\/(image\.jpg|generated_video\.mp4|preview_image\.jpg)$/;
const UPLOAD_RE = /^users\/([0-9a-f-]{36})\/([A-Za-z0-9-]+)\/content$/;
const PUBLIC_RE = /^\/imagine-public\/images\/([A-Za-z0-9-]+)\.(jpg|png)$/;

// → null (whole body), {start, end}, or 'unsatisfiable'.
export function parseRange(header, size) {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // multi-range or garbage: ignore, send everything
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export function serveBytes(req, res, bytes, contentType) {
  const etag = `"${sha256Hex(bytes).slice(0, 32)}"`;
  const base = {
    'content-type': contentType,
    'accept-ranges': 'bytes',
    etag,
    'last-modified': LAST_MODIFIED,
    'cache-control': 'private, max-age=86400',
  };
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag)) {
    res.writeHead(304, base);
    return res.end(), 304;
  }
  const range = parseRange(req.headers.range, bytes.length);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${bytes.length}`, 'content-length': 0 });
    return res.end(), 416;
  }
  const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  const headers = { ...base, 'content-length': body.length };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${bytes.length}`;
  res.writeHead(range ? 206 : 200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return range ? 206 : 200;
}

function lookupPrivate(state, path) {
  const up = state.uploads.get(path);
  if (up) return { uid: up.uid, bytes: up.bytes, type: up.mimeType };
  const a = state.assets.get(path);
  if (a) return { uid: a.uid, bytes: mediaBytes(path, a.size), type: contentTypeOf(kindOfPath(path)) };
  return null;
}

export function handleAssets(env, req, res, url, entry) {
  const path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  if (req.method !== 'GET' && req.method !== 'HEAD') return (entry.status = 405), sendText(res, 405, 'method not allowed');
  const owner = GENERATED_RE.exec(path)?.[1] ?? UPLOAD_RE.exec(path)?.[1] ?? null;
  const cookie = cookieCheck(req.headers);
  entry.cookies = cookie.cookies;
  entry.token = cookie.token;
  entry.checks = { cookie: cookie.verdict };
  if (cookie.verdict !== 'ok') {
    entry.status = 401;
    return sendJson(res, 401, { error: { code: 16, message: 'Unauthenticated', details: [] } });
  }
  const scenario = resolveScenario(env.state.overrides, { token: cookie.token, prompt: '', surface: 'assets', path: url.pathname });
  entry.scenario = scenario.name;
  entry.scenarioSource = scenario.source;
  if (scenario.name === '401') return (entry.status = 401), sendJson(res, 401, { error: { code: 16, message: 'Unauthenticated: invalid-credentials', details: [] } });
  if (scenario.name === 'blocked') return (entry.status = 403), sendJson(res, 403, { error: { code: 7, message: 'blocked-user', details: [] } });
  const found = owner ? lookupPrivate(env.state, path) : null;
  if (!found) return (entry.status = 404), sendText(res, 404, 'Not Found');
  if (found.uid !== uidFor(cookie.token)) {
    entry.status = 403;
    entry.notes.push('asset of another account');
    return sendJson(res, 403, { error: { code: 7, message: 'Permission denied', details: [] } });
  }
  entry.status = serveBytes(req, res, found.bytes, found.type);
}

// Images a client links to in a chat or an edit (any public web server), for the gateway's URL
// downloads: `/client-images/<name>.(png|jpg)?size=N[&chunked=1]` (an image of exactly N bytes,
// default 2048; chunked: without content-length), `/client-images/redirect?to=<url>[&status=3xx]`
// and `/client-images/status?code=N` (that status, a short text body).
function handleClientImage(req, res, url, entry) {
  const q = url.searchParams;
  if (url.pathname === '/client-images/redirect') {
    const status = Number(q.get('status') ?? 302);
    entry.status = status;
    res.writeHead(status, { location: q.get('to') ?? '/', 'content-length': 0 });
    return res.end();
  }
  if (url.pathname === '/client-images/status') {
    entry.status = Number(q.get('code') ?? 500);
    return sendText(res, entry.status, `status ${entry.status}`);
  }
  const m = /^\/client-images\/[A-Za-z0-9_-]+\.(png|jpg)$/.exec(url.pathname);
  if (!m) return (entry.status = 404), sendText(res, 404, 'Not Found');
  const bytes = mediaBytes(url.pathname, Number(q.get('size') ?? 2048), m[1] === 'png' ? 'png' : 'jpeg');
  entry.status = 200;
  if (q.get('chunked')) {
    res.writeHead(200, { 'content-type': contentTypeOf(kindOfPath(url.pathname)) });
    // Two writes, so that the body is really sent in chunks.
    res.write(bytes.subarray(0, bytes.length >> 1));
    return res.end(bytes.subarray(bytes.length >> 1));
  }
  res.writeHead(200, { 'content-type': contentTypeOf(kindOfPath(url.pathname)), 'content-length': bytes.length });
  return res.end(bytes);
}

export function handlePublic(env, req, res, url, entry) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return (entry.status = 405), sendText(res, 405, 'method not allowed');
  if (url.pathname.startsWith('/client-images/')) return handleClientImage(req, res, url, entry);
  const m = PUBLIC_RE.exec(url.pathname);
  const img = m ? env.state.publicImages.get(url.pathname) : null;
  if (!img) return (entry.status = 404), sendText(res, 404, 'Not Found');
  entry.status = serveBytes(req, res, mediaBytes(url.pathname, img.size), contentTypeOf(kindOfPath(url.pathname)));
}
