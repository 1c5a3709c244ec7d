// The body of a streamed response. In workerd every chunk a JavaScript stream hands to the
// runtime costs far more than the bytes in it (about 50 µs each, measured: bench/workerd.mjs and
// docs/PERFORMANCE.md), so what the core returns is joined until the runtime has nothing else to
// do: the first write arms a 0 ms timer, and workerd runs timers only once no I/O is ready, so
// the timer fires as soon as the upstream pauses — at once for a paced stream, after the whole
// burst for one that arrives faster than it is read. A burst goes out in pieces of at most
// FLUSH_BYTES. Writes are synchronous (no promise per chunk); the driver awaits drained() only
// when more than HIGH_WATER bytes wait for a slow client. A client that goes away cancels the
// stream, which is reported through onGone.
const FLUSH_BYTES = 64 * 1024;
const HIGH_WATER = 1 << 20;

export class ClientStream {
  constructor(onGone) {
    this.onGone = onGone;
    this.pending = [];
    this.pendingBytes = 0;
    this.timer = null;
    this.done = false;
    this.drainWaiter = null;
    this.enqueues = 0; // chunks handed to the runtime (G2A_BENCH_TIMING reports them)
    this.readable = new ReadableStream(
      {
        start: (c) => {
          this.c = c;
        },
        // The runtime waits with an empty queue: a slow client caught up.
        pull: () => this.wake(),
        cancel: () => this.gone(),
      },
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    );
  }

  /** Queues bytes for the client. Returns false once the client is gone. */
  write(bytes) {
    if (this.done) return false;
    if (!bytes.length) return true;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), 0);
    return true;
  }

  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.done || !this.pendingBytes) return;
    const parts = this.pending;
    let out = parts[0];
    if (parts.length > 1) {
      out = new Uint8Array(this.pendingBytes);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.enqueues++;
    this.c.enqueue(out);
  }

  /** True when a slow client has more than HIGH_WATER bytes waiting. */
  get full() {
    return this.pendingBytes - Math.min(0, this.c.desiredSize) > HIGH_WATER;
  }

  /** Resolves when the client took what was waiting (or is gone). */
  drained() {
    if (this.done || !this.full) return Promise.resolve();
    this.flush();
    return new Promise((r) => {
      this.drainWaiter = r;
    });
  }

  wake() {
    const w = this.drainWaiter;
    this.drainWaiter = null;
    if (w) w();
  }

  /** Ends the body after what is queued. */
  close() {
    if (this.done) return;
    this.flush();
    this.done = true;
    try {
      this.c.close();
    } catch {
      /* already errored */
    }
  }

  /** Ends the body with an error (the client sees a broken stream). */
  abort(err) {
    if (this.done) return;
    this.drop();
    try {
      this.c.error(err);
    } catch {
      /* already closed */
    }
  }

  gone() {
    if (this.done) return;
    this.drop();
    this.onGone();
  }

  drop() {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.pendingBytes = 0;
    this.wake();
  }
}
