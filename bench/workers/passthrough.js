// Benchmark Worker: the floor. Fetches the same NDJSON bytes the gateway reads (GET /raw/<size>
// on the bench upstream) and returns the body untouched, so workerd pipes it natively.
export default {
  async fetch(request, env) {
    const size = new URL(request.url).pathname.split('/').pop() || 'b';
    const r = await fetch(`${env.UPSTREAM}/raw/${size}`);
    return new Response(r.body, { status: r.status, headers: { 'content-type': 'text/event-stream' } });
  },
};
