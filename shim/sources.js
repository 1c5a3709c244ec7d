// Upstream sources a request can pump through the core: HTTP response bodies, KV streams
// and outbound WebSockets, all read the same way ({value: Uint8Array} | {done}) and
// cancellable. Ids are per request.
//
// Reads are what a stream costs in workerd, so a byte stream is read with a BYOB reader into a
// 64 KiB buffer: one read takes everything that has arrived (and resolves as soon as anything
// has), instead of one read per network packet. A read in flight can be interrupted (a tick
// that stops the pump) without losing its bytes: the next read() returns them.
const enc = new TextEncoder();
const READ_BUFFER = 64 * 1024;

export class BodySource {
  constructor(stream) {
    this.stream = stream;
    this.reader = null;
    this.byob = false;
    this.buffer = null;
    this.inflight = null; // a raw read an interrupt left behind
    this.waiter = null; // {resolve} of an interruptible read
  }

  rawRead() {
    if (!this.reader) {
      try {
        this.reader = this.stream.getReader({ mode: 'byob' });
        this.byob = true;
        this.buffer = new Uint8Array(READ_BUFFER);
      } catch {
        this.reader = this.stream.getReader(); // not a byte stream
      }
    }
    if (!this.byob) return this.reader.read();
    return this.reader.read(this.buffer).then((r) => {
      if (r.value) this.buffer = new Uint8Array(r.value.buffer); // the buffer was transferred
      return r;
    });
  }

  // The bytes of a BYOB read live in a buffer the next read reuses: they must be consumed
  // (copied into the core) before read() is called again, which the pump does.
  read() {
    if (this.inflight) {
      const p = this.inflight;
      this.inflight = null;
      return p;
    }
    return this.rawRead();
  }

  // read() that interrupt() can settle early with {interrupted: true}; the read it cut short
  // stays in flight and its bytes come with the next read().
  readInterruptible() {
    const raw = this.read();
    return new Promise((resolve, reject) => {
      this.waiter = { resolve };
      raw.then(
        (r) => {
          if (this.waiter && this.waiter.resolve === resolve) {
            this.waiter = null;
            resolve(r);
          } else {
            this.inflight = Promise.resolve(r);
          }
        },
        (err) => {
          if (this.waiter && this.waiter.resolve === resolve) {
            this.waiter = null;
            reject(err);
          } else {
            this.inflight = Promise.reject(err);
            this.inflight.catch(() => {});
          }
        },
      );
    });
  }

  interrupt() {
    const w = this.waiter;
    this.waiter = null;
    if (w) w.resolve({ interrupted: true });
  }

  // The stream itself, for a response that passes it through untouched.
  take() {
    return this.stream;
  }
  // Releases the reader first (its pending read rejects, and the pump owns that promise),
  // then cancels the stream: workerd's reader.cancel() with a read in flight leaves an
  // internal "Stream was cancelled." rejection that no handler can catch.
  cancel(reason) {
    this.interrupt();
    try {
      if (this.reader) {
        this.reader.releaseLock();
        this.reader = null;
      }
      if (this.stream && !this.stream.locked) this.stream.cancel(reason).catch(() => {});
    } catch {
      /* already closed */
    }
  }
}

export class WebSocketSource {
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.ended = null;
    ws.addEventListener('message', (ev) => {
      const d = ev.data;
      const bytes = typeof d === 'string' ? enc.encode(d) : new Uint8Array(d);
      this.push({ value: bytes, done: false });
    });
    ws.addEventListener('close', (ev) => this.finish({ done: true, code: ev.code, reason: ev.reason }));
    ws.addEventListener('error', () => this.finish({ error: new Error('websocket error') }));
  }
  push(item) {
    const w = this.waiters.shift();
    if (w) w.resolve(item);
    else this.queue.push(item);
  }
  finish(item) {
    if (this.ended) return;
    this.ended = item;
    for (const w of this.waiters.splice(0)) {
      if (item.error) w.reject(item.error);
      else w.resolve({ done: true });
    }
  }
  read() {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.ended) {
      return this.ended.error ? Promise.reject(this.ended.error) : Promise.resolve({ done: true });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
  // Messages queue in JS, so an interrupted read loses nothing.
  readInterruptible() {
    return this.read();
  }
  interrupt() {
    const w = this.waiters.shift();
    if (w) w.resolve({ interrupted: true });
  }
  send(text) {
    try {
      this.ws.send(text);
    } catch {
      /* closed: the next read reports it */
    }
  }
  cancel() {
    try {
      this.ws.close(1000, 'done');
    } catch {
      /* already closed */
    }
    this.finish({ done: true });
  }
}
