// Worker entry: hands every fetch and every cron tick to the C++ core through the driver.
// The module is instantiated once per isolate (lazily, on first use) and replaced if it
// ever traps.
import wasmModule from '../build/wasm/core.wasm';
import { CoreHost } from './core.js';
import { Run, requestMeta } from './run.js';

const host = new CoreHost(wasmModule);

async function drive(request, env, ctx, meta) {
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

export default {
  async fetch(request, env, ctx) {
    try {
      const { response } = await drive(request, env, ctx, requestMeta(request, env));
      return await response;
    } catch (err) {
      console.error(`gateway failure: ${err && err.message ? err.message : err}`);
      return new Response(
        JSON.stringify({ error: { message: 'The gateway could not start.', type: 'server_error', param: null, code: 'internal_error' } }),
        { status: 500, headers: { 'content-type': 'application/json' } },
      );
    }
  },

  async scheduled(controller, env, ctx) {
    const meta = requestMeta(null, env, { kind: 'scheduled', cron: controller.cron, scheduled_time: controller.scheduledTime });
    const { run } = await drive(null, env, ctx, meta);
    await run.finished;
  },
};

