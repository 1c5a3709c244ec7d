// Upstream sources a request can pump through the core: HTTP response bodies, KV streams
// and outbound WebSockets, all read the same way ({value: Uint8Array} | {done}) and
// cancellable. Ids are per request.
const enc = new TextEncoder();

export class BodySource {
  constructor(stream) {
    this.stream = stream;
    this.reader = null;
  }
  read() {
    if (!this.reader) this.reader = this.stream.getReader();
    return this.reader.read();
  }
  // The stream itself, for a response that passes it through untouched.
  take() {
    return this.stream;
  }
  // Releases the reader first (its pending read rejects, and the pump owns that promise),
  // then cancels the stream: workerd's reader.cancel() with a read in flight leaves an
  // internal "Stream was cancelled." rejection that no handler can catch.
  cancel(reason) {
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
