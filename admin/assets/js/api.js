// The admin JSON API client: same-origin fetch with the session cookie, the CSRF header on
// every write, and errors turned into ApiError ({status, code, param, message}). A lost session
// sends the browser to /login; a pending forced password change to /login?change=1.
import { t, has } from './i18n.js';

let csrf = null;

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const e = (body && body.error) || {};
    super(e.message || fallback || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || null;
    this.type = e.type || null;
    this.param = e.param || null;
    this.retryAfter = null;
  }
}

// A message for people: the translated code when we know it, else the server's message.
export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.code && has(`err.${err.code}`)) return t(`err.${err.code}`, { param: err.param ?? '', retry: err.retryAfter ?? '' });
    return err.message;
  }
  if (err && err.name === 'TypeError') return t('err.network');
  return String((err && err.message) || err);
}

export function setCsrf(token) {
  csrf = token || null;
}

export function loginUrl(extra = '') {
  const next = location.pathname + location.search;
  return `/login?next=${encodeURIComponent(next)}${extra}`;
}

export async function api(method, path, body, opts = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['x-csrf-token'] = csrf;
  let res;
  res = await fetch(`/api/admin/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, res.statusText);
    err.retryAfter = res.headers.get('retry-after');
    if (!opts.noRedirect) {
      if (res.status === 401 && err.code !== 'invalid_credentials' && err.code !== 'invalid_password') {
        location.assign(loginUrl());
      } else if (res.status === 403 && err.code === 'password_change_required') {
        location.assign(loginUrl('&change=1'));
      }
    }
    throw err;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body = {}, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

// Loads the session and remembers its CSRF token. Returns null when not logged in.
export async function session() {
  try {
    const s = await get('session', { noRedirect: true });
    setCsrf(s.csrf_token);
    return s;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export const enc = encodeURIComponent;
