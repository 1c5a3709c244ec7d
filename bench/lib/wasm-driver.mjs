// Drives the wasm core outside workerd exactly as shim/run.js does for a streamed chat: the
// same CoreInstance wrapper (shim/core.js: open/start/resume/feed/event, the same JSON and
// byte copies, the same output-record decoding), with every effect answered from canned
// results (API key row, settings, token row, a real SHA-256 for statsig, the upstream fetch
// or WebSocket answered with a source id). Then the upstream bytes go through core_feed one
// chunk at a time and each returned block is collected, as the driver's pump would write it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreInstance } from '../../shim/core.js';
import { pathToFileURL } from 'node:url';
import { MGW_CONVERSATION, MGW_SESSION } from './inputs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const enc = new TextEncoder();

export const NOW = 1767225600000;
export const RAND_BYTE = 0xab; // meta.rand is 256 bytes of this: ids come out deterministic
export const CHAT = { id: `chatcmpl-${'ab'.repeat(12)}`, created: NOW / 1000, model: 'grok-4' };
const KEY = 'sk-g2a-bench';
const STATSIG_SEED = 'QBDA1lToImAMyVsfR7yIZxjs89fCnrwsyew5u9p/JvkmIBZ9ei03tNI85VtfQW7y';
const STATSIG_KEY = '069d602b851eb851eb860fd70a3d70a3d70fd70a3d70a3d702b851eb851eb8600';

// The build to measure: build/wasm, or G2A_WASM_DIR (a directory with core.mjs + core.wasm).
export function wasmDir() {
  return path.resolve(process.env.G2A_WASM_DIR || path.join(root, 'build/wasm'));
}
export function wasmPath(dir = wasmDir()) {
  return path.join(dir, 'core.wasm');
}

// shim/core.js's instantiate(), with the glue loaded from `dir` so that any build can be
// measured (the glue must match its wasm): the same instantiateWasm hook and CoreInstance.
async function instantiateFrom(dir, wasmModule) {
  const { default: createCore } = await import(pathToFileURL(path.join(dir, 'core.mjs')).href);
  const M = await createCore({
    locateFile: (p) => p,
    instantiateWasm(imports, receive) {
      const instance = new WebAssembly.Instance(wasmModule, imports);
      receive(instance, wasmModule);
      return instance.exports;
    },
    print: () => {},
    printErr: () => {},
  });
  return new CoreInstance(M);
}

/** Compiles and instantiates the core; returns {core, compileMs, instantiateMs}. */
export async function loadCore(dir = wasmDir()) {
  const bytes = fs.readFileSync(wasmPath(dir));
  const t0 = performance.now();
  const mod = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  const core = await instantiateFrom(dir, mod);
  const t2 = performance.now();
  return { core, module: mod, compileMs: t1 - t0, instantiateMs: t2 - t1, wasmBytes: bytes.length };
}

function settingsRows(transport) {
  return [
    { key: 'statsig_seed', value: JSON.stringify(STATSIG_SEED) },
    { key: 'statsig_key', value: JSON.stringify(STATSIG_KEY) },
    { key: 'chat_transport', value: JSON.stringify(transport) },
  ];
}

function d1Result(stmt, transport) {
  const sql = stmt.sql;
  if (/FROM api_keys WHERE key_hash/.test(sql))
    return { rows: [{ id: 'key_bench', name: 'bench', enabled: 1, chat_limit: -1, heavy_limit: -1, image_limit: -1, video_limit: -1, allowed_models: '[]', expires_at: null }] };
  if (/FROM settings/.test(sql)) return { rows: settingsRows(transport) };
  if (/FROM tokens t LEFT JOIN token_buckets/.test(sql))
    return {
      rows: [{
        id: 'tok_bench', sso: 'sso-bench-0001', tier: 'super', user_id: 'user-bench-0001', consecutive_failures: 0, cooldown_until: 0,
        last_used_at: 0, inflight: 0, inflight_at: 0, remaining: 100, total: 140, window_s: 7200, refreshed_at: NOW, cooling_until: 0,
      }],
    };
  if (/COUNT\(\*\) AS total/.test(sql)) return { rows: [{ total: 1, usable: 1, of_tier: 1 }] };
  return { rows: [], changes: 1, last_row_id: 0 };
}

/** Answers one effect like shim/effects.js would, from canned data. */
function answer(e, blob, ctx) {
  switch (e.op) {
    case 'read_body':
      return { ok: true, bytes: blob.add(ctx.body) };
    case 'crypto': {
      const data = e.data_b64 != null ? Buffer.from(e.data_b64, 'base64') : Buffer.from(e.data ?? '', 'utf8');
      if (e.fn === 'sha256') {
        const d = crypto.createHash('sha256').update(data).digest();
        return { ok: true, hex: d.toString('hex'), b64: d.toString('base64'), bytes: blob.add(new Uint8Array(d)) };
      }
      if (e.fn === 'hmac_sha256') {
        const key = e.key_b64 != null ? Buffer.from(e.key_b64, 'base64') : Buffer.from(e.key ?? '', 'utf8');
        const d = crypto.createHmac('sha256', key).update(data).digest();
        return { ok: true, hex: d.toString('hex'), b64: d.toString('base64') };
      }
      return { ok: false, error: `unknown crypto fn ${e.fn}` };
    }
    case 'random':
      return { ok: true, bytes: blob.add(new Uint8Array(Math.max(1, e.n | 0)).fill(RAND_BYTE)) };
    case 'd1':
      ctx.d1 += e.stmts.length;
      return { ok: true, results: e.stmts.map((s) => d1Result(s, ctx.transport)) };
    case 'fetch':
      if (e.read === 'stream') return { ok: true, status: 200, headers: [['content-type', 'application/json']], source: 1 };
      return { ok: true, status: 200, headers: [['content-type', 'application/json']], body: '{}' };
    case 'ws_open':
      return { ok: true, status: 101, source: 1 };
    default:
      return { ok: true };
  }
}

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
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export function chatMeta(body) {
  return {
    kind: 'fetch',
    method: 'POST',
    url: 'https://gw.bench/v1/chat/completions',
    headers: [['authorization', `Bearer ${KEY}`], ['content-type', 'application/json'], ['content-length', String(body.length)]],
    ip: '127.0.0.1',
    now: NOW,
    rand: RAND_BYTE.toString(16).repeat(256),
    vars: { BUILD_SHA: 'bench', GROK_BASE_URL: 'https://grok.bench', GROK_ASSETS_URL: 'https://assets.grok.bench' },
    bindings: { db: true, kv: true },
  };
}

/**
 * One streamed chat request through the core. `timer` (optional) is called as
 * timer(kind, ms) after every core call, with kind open|start|resume|feed|event.
 * Usage: const c = new ChatRun(core, {transport}); c.start(); c.feed(chunk)…; c.end().
 */
export class ChatRun {
  constructor(core, { transport = 'rest', timer = null, prompt = 'Explain the benchmark.' } = {}) {
    this.core = core;
    this.transport = transport;
    this.timer = timer;
    this.body = enc.encode(JSON.stringify({ model: CHAT.model, stream: true, messages: [{ role: 'user', content: prompt }] }));
    this.ctx = { body: this.body, transport, d1: 0 };
    this.status = 0;
    this.headers = null;
    this.blocks = []; // output blocks written to the client, in order
    this.sent = []; // ws_send texts
    this.pumping = false;
    this.done = false;
    this.ended = false; // the client stream was closed (op end)
    this.calls = 0;
  }

  time(kind, fn) {
    if (!this.timer) return fn();
    const t0 = performance.now();
    const r = fn();
    this.timer(kind, performance.now() - t0);
    return r;
  }

  // Applies a record; runs effects until the flow pumps or finishes.
  settle(rec) {
    for (;;) {
      let effects = null;
      for (const op of rec.ops) {
        switch (op.op) {
          case 'respond':
            this.status = op.status;
            this.headers = op.headers;
            break;
          case 'effects':
            effects = op.list;
            break;
          case 'pump':
            this.pumping = true;
            break;
          case 'pump_stop':
            this.pumping = false;
            break;
          case 'ws_send':
            this.sent.push(op.text);
            break;
          case 'end':
            this.ended = true;
            break;
          case 'done':
            this.done = true;
            break;
          default:
            break;
        }
      }
      if (rec.data.length) this.blocks.push(rec.data);
      if (!effects || this.done) return rec;
      const blob = new Blob();
      const results = effects.map((e) => answer(e, blob, this.ctx));
      rec = this.time('resume', () => this.core.resume(this.h, { now: NOW, results }, blob.bytes()));
    }
  }

  start() {
    const meta = chatMeta(this.body);
    this.h = this.time('open', () => this.core.open(meta));
    if (!this.h) throw new Error('core refused the request description');
    this.settle(this.time('start', () => this.core.start(this.h)));
    if (!this.pumping) throw new Error(`the chat did not reach the upstream pump (status ${this.status})`);
    if (this.transport === 'mgw') this.handshake();
    return this;
  }

  // mgw: answer session.create and conversation.item.create the way the server does.
  handshake() {
    const create = JSON.parse(this.sent.find((t) => t.includes('session.create')));
    const frames = [
      { session_id: MGW_SESSION, event: { type: 'session.created', client_event_id: create.event.event_id, session: { id: MGW_SESSION, model: 'grok-4' } } },
      { session_id: MGW_SESSION, event: { type: 'conversation.attached', conversation: { id: MGW_SESSION } } },
    ];
    for (const f of frames) this.feedRaw(enc.encode(JSON.stringify(f)));
    void MGW_CONVERSATION;
    this.blocks.length = 0;
  }

  feedRaw(bytes) {
    const rec = this.time('feed', () => this.core.feed(this.h, bytes, NOW));
    return this.settle(rec);
  }

  /** Feeds one upstream chunk; returns the block written for it (empty if none). */
  feed(bytes) {
    if (!this.pumping) return new Uint8Array(0);
    const n = this.blocks.length;
    this.feedRaw(bytes);
    const added = this.blocks.length - n;
    if (added > 1) this.extraWrites = (this.extraWrites || 0) + added - 1; // more than one write for a chunk
    return added === 0 ? new Uint8Array(0) : added === 1 ? this.blocks[n] : concat(this.blocks.slice(n));
  }

  /** The upstream ended (if the flow still pumps), then the flow runs to done. */
  end() {
    if (this.pumping && !this.done)
      this.settle(this.time('event', () => this.core.event(this.h, { type: 'source_end', reason: 'eof', detail: '', now: NOW })));
    if (!this.done) throw new Error('the chat flow did not finish');
    this.core.close(this.h);
    return this;
  }
}

/** Concatenates byte blocks. */
export function concat(blocks) {
  const n = blocks.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
