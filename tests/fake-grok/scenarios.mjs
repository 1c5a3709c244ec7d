// Scenario catalogue and resolution. A request's scenario is chosen in this order:
// (1) a control-API override for its token, then a global override; (2) a marker
// `[[scenario:NAME]]` in the prompt; (3) the token prefix `tok-NAME-...`; (4) `normal`.
// Candidates that do not apply to the surface being served are skipped.

// Failures answered at the HTTP level (REST status + body; WS handshake refusal).
export const HTTP_ERRORS = ['401', 'blocked', '429', 'antibot', 'outdated', 'cf_challenge', '5xx'];

// What the answer contains.
export const CONTENT = [
  'normal', 'thinking', 'search', 'image', 'image_moderated', 'image_edit', 'video', 'video_poll',
  'video_moderated', 'empty', 'resource_exhausted', 'usage_limit', 'heavy',
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
    'eof', 'stall', 'stall_first', 'long_line', 'invalid_utf8', 'malformed', 'slow', ...MGW_ONLY,
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
  if (!isKnownScenario(name)) throw Object.assign(new Error(`unknown scenario "${name}"`), { status: 400 });
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
  if (marker && isKnownScenario(marker) && appliesTo(marker, surface)) return { name: marker, source: 'marker', options: {} };
  const pre = tokenPrefixScenario(token);
  if (pre && isKnownScenario(pre) && appliesTo(pre, surface)) return { name: pre, source: 'token', options: {} };
  return { name: 'normal', source: 'default', options: {} };
}
