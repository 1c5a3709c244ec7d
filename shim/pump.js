// One pump: reads a source chunk by chunk into the core until it ends, times out, the client
// leaves, or the core stops it, and settles with the core's record that follows.
//
// The per-chunk path is one read, one core call and one synchronous write — no timer, race or
// wrapper promise per chunk (in workerd those cost more than the core's work). Everything that
// can end a pump while a read is in flight — a deadline (first byte, idle, total), a tick whose
// record stops the pump (tick_ms: heartbeats while waiting), the client going away — is handled
// by one timer and settles the pump's promise directly; the read loop, when its read returns,
// sees the pump is over and leaves without touching the core. A read abandoned that way is lost,
// which is fine after a timeout or a disconnect (the source is cancelled); a pump that ticks
// reads interruptibly, so that a source a tick stopped keeps every byte for its next pump.
class Pump {
  constructor(run, id, src, spec) {
    this.run = run;
    this.id = id;
    this.src = src;
    this.spec = spec;
    this.ticks = spec.tick_ms > 0;
    const now = Date.now();
    this.started = now;
    this.lastAt = now;
    this.lastTick = now;
    this.gotFirst = false;
    this.timer = null;
    this.over = false;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  start() {
    this.arm();
    this.loop().catch((err) => this.fail(err));
    return this.promise;
  }

  // Ends the pump with the record `make()` returns (a core call), once.
  end(make) {
    if (this.over) return;
    this.over = true;
    this.disarm();
    try {
      this.resolve(make());
    } catch (err) {
      this.reject(err);
    }
  }

  fail(err) {
    if (this.over) return;
    this.over = true;
    this.disarm();
    this.reject(err);
  }

  event(ev) {
    const run = this.run;
    return run.core.event(run.h, { ...ev, now: Date.now() });
  }

  // Stops reading for good: the source is cancelled and the core told why.
  stop(ev) {
    this.end(() => {
      this.src.interrupt();
      this.src.cancel();
      return this.event(ev);
    });
  }

  async loop() {
    const { run, src } = this;
    const wrapped = this.ticks && !src.interruptible;
    for (;;) {
      let r;
      try {
        r = await (wrapped ? src.readInterruptible() : src.read());
      } catch (err) {
        r = { error: err };
      }
      if (this.over) return;
      if (r.interrupted) continue;
      if (r.error) {
        const detail = String(r.error && r.error.message ? r.error.message : r.error);
        return this.stop({ type: 'source_end', reason: 'error', detail });
      }
      if (r.done) {
        run.sources.delete(this.id);
        return this.end(() => this.event({ type: 'source_end', reason: 'eof', detail: '' }));
      }
      if (run.trace && !this.gotFirst) console.log(`[pump] +${(performance.now() - run.t0).toFixed(1)} ms first chunk`);
      // This read and whatever else the source already holds (a burst of WebSocket messages).
      for (let item = r; item; item = src.next()) {
        const now = this.got();
        const rec = item.text !== undefined ? run.core.feedText(run.h, item.text, now) : run.core.feed(run.h, item.value, now);
        src.recycle(item.value);
        if (rec.ops.length === 0) {
          if (rec.data.length && run.client) run.client.write(rec.data);
          continue;
        }
        if (rec.ops.some((op) => op.op === 'pump_stop' || op.op === 'done')) return this.end(() => rec);
        const next = run.apply(rec);
        if (next.effects || next.pump || next.done) throw new Error('core asked for more than data during a pump');
      }
      if (run.client && run.client.full) {
        await run.client.drained();
        if (this.over) return;
      }
    }
  }

  deadline() {
    const s = this.spec;
    let at = Infinity;
    let which = null;
    const consider = (t, name) => {
      if (t < at) {
        at = t;
        which = name;
      }
    };
    if (s.total_ms > 0) consider(this.started + s.total_ms, 'timeout_total');
    if (!this.gotFirst && s.first_ms > 0) consider(this.started + s.first_ms, 'timeout_first');
    if (this.gotFirst && s.idle_ms > 0) consider(this.lastAt + s.idle_ms, 'timeout_idle');
    if (this.ticks) consider(this.lastTick + s.tick_ms, 'tick');
    return { at, which };
  }

  // One timer, armed for the earliest deadline. A chunk only records when it came; when the
  // timer fires early because the idle deadline moved on, it is armed again.
  arm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const d = this.deadline();
    if (d.at !== Infinity) this.timer = setTimeout(() => this.fire(), Math.max(0, d.at - Date.now()));
  }

  disarm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  fire() {
    this.timer = null;
    if (this.over) return;
    const now = Date.now();
    const d = this.deadline();
    if (d.at > now) return this.arm();
    if (d.which !== 'tick') return this.stop({ type: 'source_end', reason: d.which, detail: '' });
    this.lastTick = now;
    const run = this.run;
    try {
      const rec = this.event({ type: 'tick' });
      if (rec.ops.some((op) => op.op === 'pump_stop' || op.op === 'done')) {
        // The source stays open for a later pump: wake the read without losing its bytes.
        return this.end(() => {
          this.src.interrupt();
          return rec;
        });
      }
      const next = run.apply(rec);
      if (next.effects || next.pump || next.done) throw new Error('core asked for more than data during a pump');
    } catch (err) {
      this.src.interrupt();
      return this.fail(err);
    }
    this.arm();
  }

  // A chunk arrived: returns its time. The first one switches from the first-byte deadline to
  // the idle deadline, so the timer is armed again once.
  got() {
    this.lastAt = Date.now();
    if (!this.gotFirst) {
      this.gotFirst = true;
      this.arm();
    }
    return this.lastAt;
  }

  clientGone() {
    this.stop({ type: 'client_gone' });
  }
}

/** Runs one pump of `run` as the core's `pump` op describes; resolves with the next record. */
export function pump(run, spec) {
  const src = run.sources.get(spec.source);
  if (!src) return Promise.resolve(run.core.event(run.h, { type: 'source_end', reason: 'error', detail: 'unknown source', now: Date.now() }));
  const p = new Pump(run, spec.source, src, spec);
  if (run.clientGone) {
    p.clientGone();
    return p.promise;
  }
  run.watch = p;
  return p.start().finally(() => {
    if (run.watch === p) run.watch = null;
  });
}
