// Upstream sources a request can pump through the core: HTTP response bodies, KV streams
// and outbound WebSockets, all read the same way ({value: Uint8Array} | {done}) and
// cancellable. Ids are per request.
//
// A byte stream is read with a BYOB reader into one reused 64 KiB buffer (no allocation per
// read). A pump that must stop while a read is in flight (a timeout, the client gone, a tick
// that stops the pump) interrupts it: readInterruptible() settles at once and the raw read stays
// in flight, its bytes kept for the next read(). Waking the raw read itself is not an option in
// workerd: aborting the fetch or cancelling the reader with a read in flight leaves a rejection
// no handler can catch. `interruptible` says a plain read() can be interrupted (WebSockets,
// whose messages queue in JavaScript).
const READ_BUFFER = 64 * 1024;

export class BodySource {
  constructor(stream) {
    this.stream = stream;
    this.interruptible = false;
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
    return this.reader.read(this.buffer);
  }

  // The bytes a BYOB read returned live in the buffer the next read reuses: the pump hands them
  // back (recycle) once the core has copied them.
  recycle(value) {
    if (this.byob && value) this.buffer = new Uint8Array(value.buffer);
  }

  next() {
    return null; // reads are not queued here
  }

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
    this.interruptible = true;
    this.queue = [];
    this.head = 0; // queue[head..] are waiting
    this.waiter = null;
    this.timer = null;
    this.ended = null;
    // Text frames stay strings (the core encodes them into its own memory); binary ones bytes.
    ws.addEventListener('message', (ev) => {
      const d = ev.data;
      this.push(typeof d === 'string' ? { text: d, done: false } : { value: new Uint8Array(d), done: false });
    });
    ws.addEventListener('close', (ev) => this.finish({ done: true, code: ev.code, reason: ev.reason }));
    ws.addEventListener('error', () => this.finish({ error: new Error('websocket error') }));
  }
  // A waiting read is woken by a 0 ms timer, not by each message: workerd runs timers once no
  // I/O is ready, so a burst of messages is read in one go (see next()) and a lone message at once.
  push(item) {
    this.queue.push(item);
    if (this.waiter && !this.timer) this.timer = setTimeout(() => this.wake(), 0);
  }
  wake() {
    this.timer = null;
    const w = this.waiter;
    if (!w) return;
    this.waiter = null;
    const item = this.next();
    if (item) w.resolve(item);
    else if (this.ended) {
      if (this.ended.error) w.reject(this.ended.error);
      else w.resolve({ done: true });
    } else this.waiter = w;
  }
  finish(item) {
    if (this.ended) return;
    this.ended = item;
    if (this.waiter && !this.timer) this.timer = setTimeout(() => this.wake(), 0);
  }
  /** The next queued message, synchronously, or null. */
  next() {
    if (this.head >= this.queue.length) return null;
    const item = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return item;
  }
  read() {
    const item = this.next();
    if (item) return Promise.resolve(item);
    if (this.ended) {
      return this.ended.error ? Promise.reject(this.ended.error) : Promise.resolve({ done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
  // Messages queue in JS, so an interrupted read loses nothing.
  readInterruptible() {
    return this.read();
  }
  interrupt() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const w = this.waiter;
    this.waiter = null;
    if (w) w.resolve({ interrupted: true });
  }
  recycle() {}
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
    this.interrupt();
  }
}
