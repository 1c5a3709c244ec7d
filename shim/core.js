// Loads the C++ core (Emscripten ES module + the WebAssembly.Module wrangler imported) once
// per isolate, and wraps its C ABI: inputs are copied into wasm memory, output records are
// decoded into {ops, data, blob}. A trap poisons only the instance it happened in: the next
// request gets a fresh instance.
import createCore from '../build/wasm/core.mjs';

const enc = new TextEncoder();
const dec = new TextDecoder();
const EMPTY = new Uint8Array(0);

export class CoreTrap extends Error {
  constructor(cause) {
    super(`core trapped: ${cause && cause.message ? cause.message : cause}`);
    this.name = 'CoreTrap';
  }
}

export class CoreInstance {
  constructor(M) {
    this.M = M;
    this.poisoned = false;
    // Bytes left readable after each fed chunk: the core's number (kFeedPadding), asked once.
    this.feedPadding = M._core_feed_padding();
  }

  // A reusable scratch buffer of at least n bytes (+ the core's feed padding: decoders may parse
  // lines in place); calls are synchronous, so one per slot suffices.
  reserve(n, slot = 0) {
    const M = this.M;
    const need = n + this.feedPadding;
    if (!this.slots) this.slots = [{ p: 0, cap: 0 }, { p: 0, cap: 0 }];
    const s = this.slots[slot];
    if (s.cap < need) {
      if (s.p) M._core_free(s.p);
      s.cap = Math.max(need, 64 * 1024);
      s.p = M._core_alloc(s.cap);
    }
    return s.p;
  }

  // Copies bytes into a scratch buffer.
  put(bytes, slot = 0) {
    const p = this.reserve(bytes.length, slot);
    this.M.HEAPU8.set(bytes, p);
    return p;
  }

  call(fn) {
    if (this.poisoned) throw new CoreTrap('instance already poisoned');
    try {
      return fn(this.M);
    } catch (err) {
      this.poisoned = true;
      throw new CoreTrap(err);
    }
  }

  record(ptr) {
    const M = this.M;
    const heap = M.HEAPU8;
    let c, d, b;
    if ((ptr & 3) === 0) {
      const w = M.HEAPU32; // the record's 3 little-endian u32 lengths, read without a DataView
      c = w[ptr >> 2];
      d = w[(ptr >> 2) + 1];
      b = w[(ptr >> 2) + 2];
    } else {
      const view = new DataView(heap.buffer, ptr, 12);
      c = view.getUint32(0, true);
      d = view.getUint32(4, true);
      b = view.getUint32(8, true);
    }
    let at = ptr + 12;
    const ctrl = c ? JSON.parse(dec.decode(heap.subarray(at, at + c))) : null;
    at += c;
    const data = d ? heap.slice(at, at + d) : EMPTY;
    at += d;
    const blob = b ? heap.slice(at, at + b) : EMPTY;
    return { ops: ctrl ? ctrl.ops : [], data, blob };
  }

  // The protocol's numbers (the default read caps, the random ceiling; core/effects.h), asked
  // once per instance: the shim repeats none of them.
  limits() {
    if (!this.limitsCache) this.limitsCache = JSON.parse(this.cString((M) => M._core_limits()));
    return this.limitsCache;
  }

  cString(get) {
    return this.call((M) => {
      const p = get(M);
      let end = p;
      while (M.HEAPU8[end]) end++;
      return dec.decode(M.HEAPU8.subarray(p, end));
    });
  }

  version() {
    return this.cString((M) => M._core_version());
  }

  open(meta) {
    const bytes = enc.encode(JSON.stringify(meta));
    return this.call((M) => M._core_open(this.put(bytes), bytes.length));
  }

  start(h) {
    return this.call((M) => this.record(M._core_start(h)));
  }

  resume(h, results, blob) {
    const bytes = enc.encode(JSON.stringify(results));
    return this.call((M) => {
      const p = this.put(bytes, 0);
      const q = blob && blob.length ? this.put(blob, 1) : 0;
      return this.record(M._core_resume(h, p, bytes.length, q, blob ? blob.length : 0));
    });
  }

  // The hot path (once per upstream chunk): no closure, one copy in, one copy out.
  feed(h, chunk, now) {
    if (this.poisoned) throw new CoreTrap('instance already poisoned');
    try {
      return this.record(this.M._core_feed(h, this.put(chunk), chunk.length, now));
    } catch (err) {
      this.poisoned = true;
      throw new CoreTrap(err);
    }
  }

  // feed() for a text frame (a WebSocket message): encoded straight into wasm memory.
  feedText(h, text, now) {
    if (this.poisoned) throw new CoreTrap('instance already poisoned');
    try {
      const cap = text.length * 3;
      const p = this.reserve(cap);
      const { written } = enc.encodeInto(text, this.M.HEAPU8.subarray(p, p + cap));
      return this.record(this.M._core_feed(h, p, written, now));
    } catch (err) {
      this.poisoned = true;
      throw new CoreTrap(err);
    }
  }

  event(h, ev) {
    const bytes = enc.encode(JSON.stringify(ev));
    return this.call((M) => this.record(M._core_event(h, this.put(bytes), bytes.length)));
  }

  close(h) {
    if (this.poisoned) return;
    try {
      this.M._core_close(h);
    } catch {
      this.poisoned = true;
    }
  }

  liveHandles() {
    return this.call((M) => M._core_live_handles());
  }
}

export async function instantiate(wasmModule) {
  // A failed instantiation must reject, not leave the glue's promise pending forever.
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  const ready = createCore({
    locateFile: (p) => p, // the default new URL(.., import.meta.url) throws in workerd
    instantiateWasm(imports, receive) {
      try {
        const instance = new WebAssembly.Instance(wasmModule, imports);
        receive(instance, wasmModule);
        return instance.exports;
      } catch (err) {
        failed(new Error(`the wasm core could not be instantiated: ${err && err.message ? err.message : err}`));
        return {};
      }
    },
    print: () => {},
    printErr: () => {},
  });
  const M = await Promise.race([ready, failure]);
  return new CoreInstance(M);
}

// One live instance per isolate; replaced after a trap.
export class CoreHost {
  constructor(wasmModule) {
    this.wasmModule = wasmModule;
    this.instance = null;
    this.pending = null;
    this.instantiations = 0;
  }

  async get() {
    if (this.instance && !this.instance.poisoned) return this.instance;
    if (!this.pending) {
      this.pending = instantiate(this.wasmModule).then(
        (inst) => {
          this.instance = inst;
          this.pending = null;
          this.instantiations++;
          return inst;
        },
        (err) => {
          this.pending = null;
          throw err;
        },
      );
    }
    return this.pending;
  }
}
