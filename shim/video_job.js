// The Durable Object that runs one video job (one object per job, named by the job id) outside
// the request that created it. It holds no rules: `fetch` (from the job_start effect) stores
// the job id and sets an alarm; `alarm` runs the core with {kind:"video_job", job} — the core
// reads the job from D1, drives the upstream, records progress and the result, releases the
// account and refunds a failure. A run whose core trapped throws, so the runtime retries the
// alarm; the core bounds how often a job may be started again (cpp/app/video_job_state.h).
import { drive } from './host.js';
import { requestMeta } from './run.js';

export class VideoJob {
  constructor(state, env) {
    this.state = state;
    this.env = env;
  }

  async fetch(request) {
    let job = '';
    try {
      job = String((await request.json()).job || '');
    } catch {
      /* answered below */
    }
    if (!job) return new Response('job id missing', { status: 400 });
    await this.state.storage.put('job', job);
    await this.state.storage.setAlarm(Date.now());
    return new Response(null, { status: 202 });
  }

  async alarm() {
    const job = await this.state.storage.get('job');
    if (!job) return;
    const meta = requestMeta(null, this.env, { kind: 'video_job', job });
    const { run } = await drive(null, this.env, { waitUntil() {} }, meta);
    await run.finished;
    if (run.crashed) throw new Error(`video job ${job}: the core failed; the alarm will be retried`);
    await this.state.storage.deleteAll();
  }
}
