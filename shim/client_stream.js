// The body of a streamed response: the bytes the core returns go to the client at once when the
// runtime is waiting for them, and are joined into one chunk when it is still busy sending the
// previous one — never held back waiting for more. Writes are synchronous (no promise per
// chunk); the driver awaits drained() only when more than HIGH_WATER bytes wait for a slow
// client. A client that goes away cancels the stream, which is reported through onGone.
const HIGH_WATER = 1 << 20;

export class ClientStream {
  constructor(onGone) {
    this.onGone = onGone;
    this.pending = [];
    this.pendingBytes = 0;
    this.wanted = false; // the runtime asked for bytes and got none yet
    this.closing = false;
    this.done = false;
    this.drainWaiter = null;
    this.enqueues = 0; // chunks handed to the runtime (G2A_BENCH_TIMING reports them)
    this.readable = new ReadableStream(
      {
        start: (c) => {
          this.c = c;
        },
        pull: () => this.pull(),
        cancel: () => this.gone(),
      },
      { highWaterMark: 0 },
    );
  }

  pull() {
    if (this.done) return;
    if (this.pendingBytes) {
      this.enqueues++;
      this.c.enqueue(this.take());
      if (this.closing) this.finish();
      return;
    }
    if (this.closing) return this.finish();
    this.wanted = true;
  }

  take() {
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
    if (this.drainWaiter) {
      this.drainWaiter();
      this.drainWaiter = null;
    }
    return out;
  }

  /** Queues bytes for the client. Returns false once the client is gone. */
  write(bytes) {
    if (this.done) return false;
    if (!bytes.length) return true;
    if (this.wanted) {
      this.wanted = false;
      this.enqueues++;
      this.c.enqueue(bytes);
      return true;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    return true;
  }

  /** True when a slow client has more than HIGH_WATER bytes waiting. */
  get full() {
    return this.pendingBytes > HIGH_WATER;
  }

  /** Resolves when the waiting bytes were taken (or the client is gone). */
  drained() {
    if (!this.full || this.done) return Promise.resolve();
    return new Promise((r) => {
      this.drainWaiter = r;
    });
  }

  /** Ends the body after what is queued. */
  close() {
    if (this.done || this.closing) return;
    this.closing = true;
    if (!this.pendingBytes || this.wanted) {
      if (this.pendingBytes) this.c.enqueue(this.take());
      this.finish();
    }
  }

  finish() {
    if (this.done) return;
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
    this.done = true;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      this.c.error(err);
    } catch {
      /* already closed */
    }
  }

  gone() {
    if (this.done) return;
    this.done = true;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.drainWaiter) {
      this.drainWaiter();
      this.drainWaiter = null;
    }
    this.onGone();
  }
}
