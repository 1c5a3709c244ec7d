// The request driver: opens a core handle, executes the output records it returns (respond,
// stream writes, effects, pumps, WebSocket sends, cancels) and feeds back results, chunks
// and events until the core says done. Streamed bodies go out one block per upstream chunk,
// as soon as the core returns it. The driver knows effects, never routes or rules.
import { CoreTrap } from './core.js';
import { EffectRunner } from './effects.js';
import { ClientStream } from './client_stream.js';
import { pump } from './pump.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const NULL_BODY = new Set([101, 204, 205, 304]);

function randomHex(n) {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function deferred() {
  let resolve, reject;
  const promise = new Promise((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

// The bytes [start, start + length) of a stream; the rest of the source is cancelled.
function sliceStream(stream, start, length) {
  const reader = stream.getReader();
  let skip = start;
  let left = length;
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        if (left <= 0) {
          reader.cancel().catch(() => {});
          controller.close();
          return;
        }
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        let chunk = value;
        if (skip > 0) {
          if (chunk.length <= skip) {
            skip -= chunk.length;
            continue;
          }
          chunk = chunk.subarray(skip);
          skip = 0;
        }
        if (chunk.length > left) chunk = chunk.subarray(0, left);
        left -= chunk.length;
        controller.enqueue(chunk);
        return;
      }
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => {});
    },
  });
}

export function requestMeta(request, env, extra = {}) {
  const vars = {};
  for (const [k, v] of Object.entries(env || {})) if (typeof v === 'string') vars[k] = v;
  const headers = [];
  if (request) request.headers.forEach((v, k) => headers.push([k, v]));
  return {
    kind: 'fetch',
    method: request ? request.method : 'GET',
    url: request ? request.url : '',
    headers,
    ip: request ? request.headers.get('cf-connecting-ip') || '' : '',
    now: Date.now(),
    rand: randomHex(256),
    vars,
    bindings: { db: !!(env && env.DB), kv: !!(env && env.KV_CACHE) },
    ...extra,
  };
}

// G2A_BENCH_TIMING=1 (benchmarks only): sums performance.now() around every core call and logs
// one `[bench-timing]` line per request. workerd advances its clock only across I/O, so inside
// the Worker runtime synchronous core calls may read as 0 ms (see docs/PERFORMANCE.md).
function timedCore(core, t) {
  const timed = (name) => (...args) => {
    const t0 = performance.now();
    try {
      return core[name](...args);
    } finally {
      t.ms += performance.now() - t0;
      t.calls++;
      if (name === 'feed') t.feeds++;
    }
  };
  return { open: timed('open'), start: timed('start'), resume: timed('resume'), feed: timed('feed'), event: timed('event'), close: timed('close') };
}

export class Run {
  constructor(core, env, ctx, request, meta) {
    this.timing = env && env.G2A_BENCH_TIMING === '1' ? { ms: 0, calls: 0, feeds: 0, wall0: performance.now(), date0: Date.now() } : null;
    this.core = this.timing ? timedCore(core, this.timing) : core;
    this.limits = core.limits(); // the protocol's numbers, from the core (core/effects.h)
    this.env = env;
    this.ctx = ctx;
    this.request = request;
    this.meta = meta;
    this.sources = new Map();
    this.nextSource = 1;
    this.response = deferred();
    this.responded = false;
    this.client = null; // the streamed body (ClientStream), once the core started one
    this.clientGone = false;
    this.watch = null; // the running pump (pump.js), told when the client goes away
    this.effects = new EffectRunner(this);
    // G2A_TRACE=1: effect batches, the first upstream chunk and the response are logged with
    // their time since t0 (never bodies, headers or parameters).
    this.trace = !!(env && env.G2A_TRACE === '1');
    this.t0 = performance.now();
    this.h = 0;
  }

  addSource(src) {
    const id = this.nextSource++;
    this.sources.set(id, src);
    return id;
  }

  takeSource(id) {
    const src = this.sources.get(id);
    this.sources.delete(id);
    return src ? src.take() : null;
  }

  // Starts the flow; resolves with the Response as soon as the core answers.
  start() {
    const done = this.loop().catch((err) => this.crash(err));
    if (this.ctx && this.ctx.waitUntil) this.ctx.waitUntil(done);
    this.finished = done;
    return this.response.promise;
  }

  async loop() {
    this.h = this.core.open(this.meta);
    if (!this.h) throw new Error('core refused the request description');
    let rec = this.core.start(this.h);
    for (;;) {
      const next = this.apply(rec);
      if (next.done) break;
      if (next.effects) {
        const { results, blob } = await this.effects.runAll(next.effects, rec.blob);
        rec = this.core.resume(this.h, { now: Date.now(), results }, blob);
      } else if (next.pump) {
        rec = await pump(this, next.pump);
      } else {
        throw new Error('core stalled without effects, pump or done');
      }
    }
    this.core.close(this.h);
    this.cleanup();
    if (this.timing) {
      const t = this.timing;
      console.log(`[bench-timing] core_ms=${t.ms.toFixed(4)} calls=${t.calls} feeds=${t.feeds} enqueues=${this.client ? this.client.enqueues : 0} request_ms=${(performance.now() - t.wall0).toFixed(3)} date_ms=${Date.now() - t.date0}`);
    }
  }

  // Executes one output record. Returns what the loop must do next.
  apply(rec) {
    const next = {};
    const after = [];
    for (const op of rec.ops) {
      if (op.op === 'respond') this.respond(op, rec);
      else after.push(op);
    }
    if (rec.data.length && this.client) this.client.write(rec.data);
    for (const op of after) {
      switch (op.op) {
        case 'effects':
          next.effects = op.list;
          break;
        case 'pump':
          next.pump = op;
          break;
        case 'pump_stop':
          next.pumpStopped = true;
          break;
        case 'ws_send': {
          const src = this.sources.get(op.source);
          if (src && src.send) src.send(op.text);
          break;
        }
        case 'cancel': {
          const src = this.sources.get(op.source);
          if (src) src.cancel();
          this.sources.delete(op.source);
          break;
        }
        case 'end':
          if (this.client) this.client.close();
          break;
        case 'log':
          console.log(`[core:${op.level}] ${op.message}`);
          break;
        case 'done':
          next.done = true;
          break;
        default:
          break;
      }
    }
    return next;
  }

  respond(op, rec) {
    if (this.responded) return;
    this.responded = true;
    const headers = new Headers(op.headers);
    let body = null;
    if (op.source != null) {
      body = this.takeSource(op.source);
      if (body && op.slice) body = sliceStream(body, op.slice[0], op.slice[1]);
      if (this.meta.method === 'HEAD' || NULL_BODY.has(op.status)) {
        if (body) body.cancel().catch(() => {});
        body = null;
      }
    } else if (op.stream) {
      this.client = new ClientStream(() => this.markClientGone());
      body = this.client.readable;
    } else if (!NULL_BODY.has(op.status) && this.meta.method !== 'HEAD') {
      body = rec.data;
    }
    if (this.trace) console.log(`[respond] +${(performance.now() - this.t0).toFixed(1)} ms ${op.status}`);
    this.response.resolve(new Response(body, { status: op.status, headers }));
  }

  markClientGone() {
    if (this.clientGone) return;
    this.clientGone = true;
    if (this.watch) this.watch.clientGone();
  }

  cleanup() {
    for (const src of this.sources.values()) src.cancel();
    this.sources.clear();
  }

  // A trap or a shim failure: answer 500 if nothing was sent, end the stream otherwise,
  // and let a fresh core instance write the log row for it.
  async crash(err) {
    this.crashed = true;
    this.cleanup();
    const trapped = err instanceof CoreTrap;
    console.error(`request failed in the ${trapped ? 'core' : 'shim'}: ${err && err.message ? err.message : err}`);
    if (!this.responded) {
      this.responded = true;
      this.response.resolve(
        new Response(
          JSON.stringify({
            error: { message: 'The gateway failed while handling this request.', type: 'server_error', param: null, code: 'internal_error' },
          }),
          { status: 500, headers: JSON_HEADERS },
        ),
      );
    } else if (this.client && !this.clientGone) {
      this.client.abort(err);
    }
    if (!trapped && this.h) this.core.close(this.h);
    if (this.onCrash) await this.onCrash(err);
  }
}
