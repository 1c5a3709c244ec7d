// Puts a list of NDJSON steps on an HTTP response: one write per frame with a small
// delay between frames (so a client sees them arrive one by one), honouring
// backpressure, `data:` prefixing, abrupt destroys and stalls. Stops as soon as the
// client goes away.
import { sleep } from './util.mjs';

export function encodeFrame(frame, sse) {
  const json = JSON.stringify(frame);
  return sse ? `data: ${json}\n\n` : `${json}\n`;
}

// ctx: {entry, delayMs, sse, isClosing() → bool (server shutting down)}
export async function writeSteps(res, steps, { entry, delayMs, sse, isClosing }) {
  let gone = false;
  res.on('close', () => { gone = true; });
  const write = (chunk) => new Promise((resolve) => {
    if (gone) return resolve(false);
    if (res.write(chunk)) return resolve(true);
    const done = () => { res.off('drain', done); res.off('close', done); resolve(!gone); };
    res.on('drain', done);
    res.on('close', done);
  });
  let first = true;
  for (const step of steps) {
    if (gone || isClosing()) return;
    if (step.delay !== undefined) {
      await sleep(step.delay);
      first = true; // an explicit delay replaces the frame delay
      continue;
    }
    if (!first && delayMs > 0) await sleep(delayMs);
    first = false;
    if (gone || isClosing()) return;
    if (step.destroy) {
      entry._serverCut = true;
      entry._done('server_abort');
      res.socket?.destroy();
      return;
    }
    if (step.stall) {
      entry._stalled = true;
      entry.notes.push('stalled');
      return; // the response stays open until the client closes it or the server shuts down
    }
    const ok = await write(step.raw !== undefined ? step.raw : encodeFrame(step.frame, sse));
    if (!ok) return;
  }
  if (gone) return;
  if (sse) await write('data: [DONE]\n\n');
  res.end();
}
