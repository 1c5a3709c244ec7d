// Scenario catalogue and resolution. A request's scenario is chosen in this order:
// (1) a control-API override for its token, then a global override; (2) a marker
// `[[scenario:NAME]]` in the prompt; (3) the token prefix `tok-NAME-...`; (4) `normal`.
// Candidates that do not apply to the surface being served are skipped. An override that names
// no scenario, has an unknown option or a path where it can never fire is refused (400), and a
// marker naming no scenario is answered with an error: a switch that does nothing is a failure.

// Failures answered at the HTTP level (REST status + body; WS handshake refusal).
export const HTTP_ERRORS = ['401', 'blocked', '429', 'antibot', 'outdated', 'cf_challenge', '5xx', '400'];

// What the answer contains.
export const CONTENT = [
  'normal', 'thinking', 'search', 'image', 'image_moderated', 'image_edit', 'video', 'video_poll',
  'video_moderated', 'empty', 'resource_exhausted', 'usage_limit', 'heavy', 'moderated', 'model_unavailable',
  'loop',
];
// How the bytes travel (applied on top of a `normal` answer).
export const TRANSPORT = ['eof', 'stall', 'stall_first', 'long_line', 'invalid_utf8', 'malformed', 'data_prefix', 'slow'];
// mgw-only behaviours.
export const MGW_ONLY = ['session_ended', 'ws_error', 'text_delta'];
export const REFUSALS = ['ws_refuse', 'imagine_refuse'];

export const SCENARIO_NAMES = [...CONTENT, ...TRANSPORT, ...MGW_ONLY, ...REFUSALS, ...HTTP_ERRORS];

const SURFACES = {
  chat: new Set([...CONTENT, ...TRANSPORT, ...HTTP_ERRORS]),
  rest: new Set(HTTP_ERRORS),
  session: new Set(HTTP_ERRORS),
  'mgw-handshake': new Set(['ws_refuse', '401', 'blocked', '429', 'cf_challenge', '5xx']),
  mgw: new Set([
    'normal', 'thinking', 'search', 'image', 'image_moderated', 'empty', 'resource_exhausted', 'usage_limit', 'heavy',
    'moderated', 'model_unavailable', 'loop', 'eof', 'stall', 'stall_first', 'long_line', 'invalid_utf8', 'malformed', 'slow', ...MGW_ONLY,
    // statsig failures (antibot, outdated) do not concern the WebSocket; the rest arrive in-band.
    '401', 'blocked', '429', 'cf_challenge', '5xx',
  ]),
  'imagine-handshake': new Set(['imagine_refuse', '401', 'blocked', 'cf_challenge', '5xx']),
  imagine: new Set(['normal', 'image_moderated', '429', 'usage_limit', 'eof', 'stall', 'stall_first', 'slow', 'ws_error']),
  assets: new Set(['401', 'blocked']),
  page: new Set(['cf_challenge', '5xx']),
};

export const appliesTo = (name, surface) => SURFACES[surface]?.has(name) ?? false;
export const isKnownScenario = (name) => SCENARIO_NAMES.includes(name);

// What a prompt marker naming no scenario resolves to: every surface answers it with an error
// (REST 400, an mgw/imagine error frame), so that a typo cannot pass for the normal answer.
export const UNKNOWN_MARKER = 'unknown_marker';

// One example path per route and the surfaces a request there resolves its scenario on: an
// override's `path` must prefix at least one of them for a surface its scenario applies to, or
// the override could never fire.
const ROUTE_SURFACES = [
  ['/rest/app-chat/conversations/new', ['chat']],
  ['/rest/app-chat/conversations/c/responses', ['chat', 'rest']],
  ['/rest/app-chat/conversations/c/load-responses', ['rest']],
  ['/rest/app-chat/upload-file', ['rest']],
  ['/http/upload-file-v2/direct', ['rest']],
  ['/rest/rate-limits', ['rest']],
  ['/rest/media/imagine/quota_info', ['rest']],
  ['/rest/media/post/create', ['rest']],
  ['/rest/media/post/get', ['rest']],
  ['/rest/auth/set-birth-date', ['rest']],
  ['/rest/auth/set-tos-accepted', ['rest']],
  ['/auth_mgmt.AuthManagement/SetTosAcceptedVersion', ['rest']],
  ['/auth_mgmt.AuthManagement/UpdateUserFeatureControls', ['rest']],
  ['/api/auth/session', ['session']],
  ['/ws/mgw/', ['mgw-handshake', 'mgw']],
  ['/ws/imagine/listen', ['imagine-handshake', 'imagine']],
  ['/users/', ['assets']],
  ['/', ['page']],
  ['/index', ['page']],
];

// Options a scenario override understands (any other key is a typo that would do nothing).
export const OVERRIDE_OPTIONS = [
  'times', 'path', 'delayMs', 'bytes', 'gapMs', 'frames', 'afterFrames', 'imageStyle', 'moderatedIndexes',
  'html', 'status', 'message', 'retryAfter', 'reason', 'card', 'repeats',
];

const badOverride = (message) => Object.assign(new Error(message), { status: 400 });

const MARKER_RE = /\[\[scenario:([A-Za-z0-9_]+)\]\]/;
const MARKER_RE_G = /\s*\[\[scenario:[A-Za-z0-9_]+\]\]\s*/g;

export const markerIn = (text) => (typeof text === 'string' ? MARKER_RE.exec(text)?.[1]?.toLowerCase() ?? null : null);
export const stripMarkers = (text) => (typeof text === 'string' ? text.replace(MARKER_RE_G, ' ').trim() : text);

export function tokenPrefixScenario(token) {
  const m = /^tok-([A-Za-z0-9_]+)(?:-|$)/.exec(token || '');
  return m ? m[1].toLowerCase() : null;
}

// Overrides: { global: ov|null, tokens: Map<token, ov> }, ov = {name, options, times, path}.
export function createOverrides() {
  return { global: null, tokens: new Map() };
}

export function setOverride(overrides, { token, global, name, options = {} }) {
  if (!isKnownScenario(name)) throw badOverride(`unknown scenario "${name}"`);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw badOverride('"options" must be an object');
  const unknown = Object.keys(options).filter((k) => !OVERRIDE_OPTIONS.includes(k));
  if (unknown.length) throw badOverride(`unknown option(s) ${unknown.join(', ')} (known: ${OVERRIDE_OPTIONS.join(', ')})`);
  if (options.times !== undefined && !(Number.isInteger(options.times) && options.times > 0)) throw badOverride('"times" must be a positive integer');
  if (options.path !== undefined) {
    if (typeof options.path !== 'string' || !options.path.startsWith('/')) throw badOverride('"path" must start with /');
    const reachable = ROUTE_SURFACES.some(([p, surfaces]) => p.startsWith(options.path) && surfaces.some((sf) => appliesTo(name, sf)));
    if (!reachable) throw badOverride(`scenario "${name}" can never fire under path "${options.path}"`);
  }
  if (token !== undefined && (typeof token !== 'string' || !token)) throw badOverride('"token" must be a non-empty string');
  const ov = { name, options: { ...options }, times: options.times ?? Infinity, path: options.path ?? null };
  if (token) overrides.tokens.set(token, ov);
  else if (global) overrides.global = ov;
  else throw Object.assign(new Error('give "token" or "global": true'), { status: 400 });
  return ov;
}

export function clearOverrides(overrides, token) {
  if (token) overrides.tokens.delete(token);
  else {
    overrides.global = null;
    overrides.tokens.clear();
  }
}

// Picks the scenario for one request. `peek` leaves override counters untouched.
export function resolveScenario(overrides, { token, prompt, surface, path = '', peek = false }) {
  const fits = (ov) => ov && appliesTo(ov.name, surface) && (!ov.path || path.startsWith(ov.path));
  const take = (ov, source, holder) => {
    if (!peek && ov.times !== Infinity) {
      ov.times -= 1;
      if (ov.times <= 0) holder();
    }
    return { name: ov.name, source, options: ov.options };
  };
  const own = token ? overrides.tokens.get(token) : null;
  if (fits(own)) return take(own, 'override', () => overrides.tokens.delete(token));
  if (fits(overrides.global)) return take(overrides.global, 'override', () => { overrides.global = null; });
  const marker = markerIn(prompt);
  if (marker && !isKnownScenario(marker)) return { name: UNKNOWN_MARKER, source: 'marker', options: { marker } };
  if (marker && appliesTo(marker, surface)) return { name: marker, source: 'marker', options: {} };
  const pre = tokenPrefixScenario(token);
  if (pre && isKnownScenario(pre) && appliesTo(pre, surface)) return { name: pre, source: 'token', options: {} };
  return { name: 'normal', source: 'default', options: {} };
}
