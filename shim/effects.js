// The effect runner: performs what the core asked for (D1 batches, KV, outbound HTTP and
// WebSockets, WebCrypto, randomness, reading the request body, sleeping) and reports each
// outcome as data. It holds no rules: every decision about what to do with a result is the
// core's. Binary results travel in a side blob referenced as [offset, length].
import { BodySource, WebSocketSource } from './sources.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

class Blob {
  constructor() {
    this.parts = [];
    this.size = 0;
  }
  add(bytes) {
    const ref = [this.size, bytes.length];
    this.parts.push(bytes);
    this.size += bytes.length;
    return ref;
  }
  bytes() {
    if (this.parts.length === 1) return this.parts[0];
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const toHex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
function toB64(buf) {
  let s = '';
  const a = new Uint8Array(buf);
  for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode(...a.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromB64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function headerPairs(headers) {
  const out = [];
  headers.forEach((v, k) => out.push([k, v]));
  return out;
}

// Counters kept by the isolate between requests for the `tally` effect. Generic: the shim adds
// what the core asks and hands the whole map back when the core's thresholds say so; what the
// counts mean and where they go is the core's (cpp/app/refused_requests.h). Lost with the
// isolate, which the core accepts for what it counts this way.
const TALLY_MAX_KEYS = 1000;
const tally = { counts: new Map(), total: 0, since: 0 };

function tallyEffect(e) {
  const now = Date.now();
  for (const [k, n] of Object.entries(e.add || {})) {
    if (!Number.isSafeInteger(n) || n <= 0) continue;
    tally.counts.set(k, (tally.counts.get(k) || 0) + n);
    tally.total += n;
    if (!tally.since) tally.since = now;
  }
  const atCount = Number.isFinite(e.take_at_count) ? e.take_at_count : Infinity;
  const afterMs = Number.isFinite(e.take_after_ms) ? e.take_after_ms : Infinity;
  const due = tally.total > 0 && (tally.total >= atCount || now - tally.since >= afterMs || tally.counts.size >= TALLY_MAX_KEYS);
  if (!due) return { ok: true };
  const taken = Object.fromEntries(tally.counts);
  tally.counts.clear();
  tally.total = 0;
  tally.since = 0;
  return { ok: true, taken };
}

// Reads a stream into memory, failing once more than max bytes arrive, or (timeoutMs > 0) when
// it has not all arrived within timeoutMs.
async function readCapped(stream, max, timeoutMs = 0) {
  if (!stream) return { bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  let timedOut = false;
  const timer = timeoutMs > 0
    ? setTimeout(() => {
      timedOut = true;
      reader.cancel().catch(() => {}); // the read in flight ends with done
    }, timeoutMs)
    : null;
  try {
    return await readAll(reader, max, () => timedOut);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

async function readAll(reader, max, timedOut) {
  const parts = [];
  let size = 0;
  for (;;) {
    let r;
    try {
      r = await reader.read();
    } catch (err) {
      if (timedOut()) return { timeout: true };
      throw err;
    }
    if (timedOut()) return { timeout: true };
    const { value, done } = r;
    if (done) break;
    size += value.length;
    if (max >= 0 && size > max) {
      reader.cancel().catch(() => {});
      return { tooLarge: true, size };
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes };
}

export class EffectRunner {
  constructor(run) {
    this.run = run; // the request driver: env, request, sources, output blob access
  }

  async runAll(list, outBlob) {
    // G2A_TRACE=1 prints each effect's kind and target (never bodies, headers or params), the
    // time since the request began when it was asked for, and how long the list took.
    const trace = this.run.trace;
    const t0 = trace ? performance.now() : 0;
    const blob = new Blob();
    const results = await Promise.all(
      list.map((e) =>
        this.one(e, blob, outBlob).catch((err) => ({ ok: false, error: String(err && err.message ? err.message : err) })),
      ),
    );
    if (trace) {
      const at = (t0 - this.run.t0).toFixed(1);
      const took = (performance.now() - t0).toFixed(1);
      for (const e of list)
        console.log(`[effect] +${at} ms ${e.op}${e.fn ? ':' + e.fn : ''} ${e.url ? e.method + ' ' + e.url.split('?')[0] : e.key || ''} (${took} ms)`);
    }
    return { results, blob: blob.bytes() };
  }

  body(spec, outBlob) {
    if (spec == null) return undefined;
    if (typeof spec === 'string') return spec;
    if (spec.data) return outBlob.slice(spec.data[0], spec.data[0] + spec.data[1]);
    if (spec.source != null) return this.run.takeSource(spec.source);
    return undefined;
  }

  async one(e, blob, outBlob) {
    const env = this.run.env;
    switch (e.op) {
      case 'read_body': {
        const req = this.run.request;
        const len = Number(req.headers.get('content-length'));
        if (Number.isFinite(len) && len > e.max) return { ok: false, too_large: true, size: len };
        const r = await readCapped(req.body, e.max, e.timeout_ms | 0);
        if (r.timeout) return { ok: false, timeout: true };
        if (r.tooLarge) return { ok: false, too_large: true };
        return { ok: true, bytes: blob.add(r.bytes) };
      }
      case 'd1': {
        if (!env.DB) return { ok: false, error: 'D1 binding DB is missing' };
        const stmts = e.stmts.map((s) => env.DB.prepare(s.sql).bind(...(s.params || [])));
        const out = await env.DB.batch(stmts);
        return {
          ok: true,
          results: out.map((r) => ({
            rows: r.results || [],
            changes: r.meta ? r.meta.changes : 0,
            last_row_id: r.meta ? r.meta.last_row_id : 0,
          })),
        };
      }
      case 'kv_get': {
        if (!env.KV_CACHE) return { ok: false, error: 'KV binding KV_CACHE is missing' };
        const type = e.as === 'bytes' ? 'arrayBuffer' : e.as === 'stream' ? 'stream' : 'text';
        const { value, metadata } = await env.KV_CACHE.getWithMetadata(e.key, { type });
        if (value === null) return { ok: true, found: false };
        if (type === 'arrayBuffer') return { ok: true, found: true, bytes: blob.add(new Uint8Array(value)), metadata };
        if (type === 'stream') return { ok: true, found: true, source: this.run.addSource(new BodySource(value)), metadata };
        return { ok: true, found: true, value, metadata };
      }
      case 'kv_put': {
        if (!env.KV_CACHE) return { ok: false, error: 'KV binding KV_CACHE is missing' };
        const opts = {};
        if (e.expiration) opts.expiration = e.expiration;
        if (e.metadata) opts.metadata = e.metadata;
        await env.KV_CACHE.put(e.key, this.body(e.value, outBlob), opts);
        return { ok: true };
      }
      case 'kv_delete': {
        if (!env.KV_CACHE) return { ok: false, error: 'KV binding KV_CACHE is missing' };
        await Promise.all(e.keys.map((k) => env.KV_CACHE.delete(k)));
        return { ok: true };
      }
      case 'kv_list': {
        if (!env.KV_CACHE) return { ok: false, error: 'KV binding KV_CACHE is missing' };
        const r = await env.KV_CACHE.list({ prefix: e.prefix, cursor: e.cursor, limit: e.limit });
        return { ok: true, keys: r.keys, cursor: r.list_complete ? null : r.cursor };
      }
      case 'fetch':
        return this.fetch(e, blob, outBlob);
      case 'tee': {
        // Splits a source in two (e.g. one branch to the client, one into KV).
        const src = this.run.sources.get(e.source);
        if (!src) return { ok: false, error: 'unknown source' };
        this.run.sources.delete(e.source);
        const [a, b] = src.take().tee();
        return { ok: true, sources: [this.run.addSource(new BodySource(a)), this.run.addSource(new BodySource(b))] };
      }
      case 'read_source': {
        // Reads the rest of a source (e.g. an error body) into memory, at most max_bytes.
        const src = this.run.sources.get(e.source);
        if (!src) return { ok: false, error: 'unknown source' };
        this.run.sources.delete(e.source);
        const stream = src.take();
        const r = await readCapped(stream, e.max_bytes ?? this.run.limits.source_read_max);
        if (r.tooLarge) return { ok: true, too_large: true, body: '' };
        return e.as === 'bytes' ? { ok: true, bytes: blob.add(r.bytes) } : { ok: true, body: dec.decode(r.bytes) };
      }
      case 'ws_open':
        return this.wsOpen(e, blob);
      case 'crypto':
        return this.crypto(e, blob);
      case 'random': {
        // getRandomValues fills at most 64 KiB per call; the core's random_max caps one effect.
        const n = Math.min(Math.max(e.n | 0, 1), this.run.limits.random_max);
        const bytes = new Uint8Array(n);
        for (let i = 0; i < n; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(n, i + 65536)));
        return { ok: true, bytes: blob.add(bytes) };
      }
      case 'tally':
        return tallyEffect(e);
      case 'sleep':
        await new Promise((r) => setTimeout(r, Math.max(0, e.ms | 0)));
        return { ok: true };
      case 'job_start': {
        // Hands a job to the Durable Object named e.name (shim/video_job.js), which runs it
        // outside this request; answered as soon as the object has accepted it.
        const ns = env[e.binding];
        if (!ns || !ns.idFromName) return { ok: false, error: `Durable Object binding ${e.binding} is missing` };
        const res = await ns.get(ns.idFromName(e.name)).fetch('https://job.internal/start', { method: 'POST', body: e.body || '' });
        return { ok: res.ok, status: res.status };
      }
      default:
        return { ok: false, error: `unknown effect ${e.op}` };
    }
  }

  // The fetcher an upstream effect goes out through: the public fetch, or, when the core named
  // a Worker binding (grok_*_url = binding:NAME, cpp/app/egress.h), that binding's fetch — a
  // service binding ([[services]]) or a Workers VPC service ([[vpc_services]]). A name with no
  // fetch binding behind it is reported (the core words the error); never the public fetch.
  egress(e) {
    if (e.binding === undefined) return { fetcher: (url, init) => fetch(url, init) };
    const b = this.run.env[String(e.binding)];
    if (b && typeof b === 'object' && typeof b.fetch === 'function') return { fetcher: (url, init) => b.fetch(url, init) };
    return { missing: { ok: false, binding_missing: true, error: 'binding_missing' } };
  }

  async fetch(e, blob, outBlob) {
    const { fetcher, missing } = this.egress(e);
    if (missing) return missing;
    const controller = new AbortController();
    const timer = e.timeout_ms ? setTimeout(() => controller.abort(new Error('timeout')), e.timeout_ms) : null;
    let resp;
    try {
      resp = await fetcher(e.url, {
        method: e.method || 'GET',
        headers: e.headers || [],
        body: this.body(e.body, outBlob),
        redirect: e.redirect || 'manual',
        signal: controller.signal,
      });
    } catch (err) {
      if (timer) clearTimeout(timer);
      const timedOut = controller.signal.aborted;
      return { ok: false, error: timedOut ? 'timeout' : String(err && err.message ? err.message : err), timeout: timedOut };
    }
    if (timer && e.read === 'stream') clearTimeout(timer);
    const base = { ok: true, status: resp.status, headers: headerPairs(resp.headers) };
    try {
      if (e.read === 'stream') return { ...base, source: this.run.addSource(new BodySource(resp.body)) };
      if (e.read === 'none') {
        if (resp.body) resp.body.cancel().catch(() => {});
        return base;
      }
      const r = await readCapped(resp.body, e.max_bytes ?? this.run.limits.fetch_read_max);
      if (r.tooLarge) return { ...base, too_large: true };
      if (e.read === 'bytes') return { ...base, bytes: blob.add(r.bytes) };
      return { ...base, body: dec.decode(r.bytes) };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async wsOpen(e, blob) {
    const { fetcher, missing } = this.egress(e);
    if (missing) return missing;
    const url = e.url.replace(/^ws(s?):\/\//, 'http$1://');
    const headers = new Headers(e.headers || []);
    headers.set('Upgrade', 'websocket');
    let resp;
    try {
      resp = await fetcher(url, { headers });
    } catch (err) {
      return { ok: false, error: String(err && err.message ? err.message : err) };
    }
    const ws = resp.webSocket;
    if (resp.status !== 101 || !ws) {
      const r = await readCapped(resp.body, this.run.limits.source_read_max).catch(() => ({ bytes: new Uint8Array(0) }));
      return { ok: true, status: resp.status, headers: headerPairs(resp.headers), body: r.bytes ? dec.decode(r.bytes) : '' };
    }
    ws.accept();
    const source = this.run.addSource(new WebSocketSource(ws));
    return { ok: true, status: 101, source };
  }

  async crypto(e, blob) {
    const subtle = crypto.subtle;
    const data = e.data_b64 != null ? fromB64(e.data_b64) : enc.encode(e.data ?? '');
    switch (e.fn) {
      case 'sha256': {
        const d = await subtle.digest('SHA-256', data);
        return { ok: true, hex: toHex(d), b64: toB64(d), bytes: blob.add(new Uint8Array(d)) };
      }
      case 'hmac_sha256': {
        const keyBytes = e.key_b64 != null ? fromB64(e.key_b64) : enc.encode(e.key ?? '');
        const key = await subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
        const sig = await subtle.sign('HMAC', key, data);
        return { ok: true, hex: toHex(sig), b64: toB64(sig) };
      }
      case 'pbkdf2_sha256': {
        const key = await subtle.importKey('raw', data, 'PBKDF2', false, ['deriveBits']);
        const bits = await subtle.deriveBits(
          { name: 'PBKDF2', hash: 'SHA-256', salt: fromB64(e.salt), iterations: e.iterations },
          key,
          e.bits || 256,
        );
        return { ok: true, b64: toB64(bits) };
      }
      default:
        return { ok: false, error: `unknown crypto fn ${e.fn}` };
    }
  }
}
