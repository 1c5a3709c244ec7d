// Worker entry: hands every fetch and every cron tick to the C++ core through the driver
// (shim/host.js), and exports the Durable Object class that runs video jobs.
import { drive } from './host.js';
import { requestMeta } from './run.js';

export { VideoJob } from './video_job.js';

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
