// The core host shared by every entry point of the isolate (fetch, scheduled, the video job
// Durable Object): the wasm module is instantiated once per isolate (lazily, on first use) and
// replaced if it ever traps; drive() runs one request description through the driver.
import wasmModule from '../build/wasm/core.wasm';
import { CoreHost } from './core.js';
import { Run, requestMeta } from './run.js';

const host = new CoreHost(wasmModule);

export async function drive(request, env, ctx, meta) {
  const core = await host.get();
  // Load and soak runs only: /health reports these (G2A_DIAGNOSTICS=1).
  if (env && env.G2A_DIAGNOSTICS === '1') meta.diag = { wasm_bytes: core.M.HEAPU8.length, live_handles: core.liveHandles(), instantiations: host.instantiations };
  const run = new Run(core, env, ctx, request, meta);
  run.onCrash = async () => {
    if (meta.kind !== 'fetch') return;
    // The trapped handle could not log; a fresh instance records the failure instead.
    try {
      const fresh = await host.get();
      const after = new Run(fresh, env, ctx, null, { ...meta, kind: 'aborted', rand: requestMeta(null, env).rand, now: Date.now() });
      after.start();
      await after.finished;
    } catch (err) {
      console.error(`could not log the failed request: ${err && err.message ? err.message : err}`);
    }
  };
  return { run, response: run.start() };
}
