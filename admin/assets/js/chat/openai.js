// Playground client for the gateway's API with the user's API key: the key, the error type,
// models, images and video jobs (answers in the three chat APIs: apis.js).
let apiKey = '';
export const setKey = (k) => (apiKey = k || '');
export const getKey = () => apiKey;

export class OpenAIError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || null;
  }
}

// GET (no body) or POST a JSON body to /v1/<path> with the key; throws OpenAIError unless 2xx.
export async function call(path, body, signal, extraHeaders) {
  const headers = { authorization: `Bearer ${apiKey}`, ...(extraHeaders || {}) };
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(`/v1/${path}`, { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined, signal, credentials: 'omit', cache: 'no-store' });
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      /* not JSON */
    }
    throw new OpenAIError(res.status, data);
  }
  return res;
}

export async function listModels() {
  const res = await call('models');
  return ((await res.json()).data || []).map((m) => m.id).filter(Boolean);
}

export async function images(body, signal) {
  const res = await call('images/generations', body, signal);
  return res.json();
}

// The Videos API: a job is created, then read until it is final; its content is a Blob.
export async function createVideo(body, signal) {
  return (await call('videos', body, signal)).json();
}
export async function getVideo(id, signal) {
  return (await call(`videos/${encodeURIComponent(id)}`, null, signal)).json();
}
export async function videoContent(id, signal) {
  return (await call(`videos/${encodeURIComponent(id)}/content`, null, signal)).blob();
}
