// Benchmark Worker: D1 in a workerd process of its own. It runs the statements a gateway sends
// (POST /<binding> with [{sql, params}]) as one batch and answers each result's rows and meta,
// so the gateway's process pays only for what a D1 client pays in production (serialising the
// batch, one subrequest, parsing the answer) and not for SQLite itself (see gateway-remote-d1.js).
export default {
  async fetch(request, env) {
    const db = env[new URL(request.url).pathname.slice(1)];
    if (!db) return new Response('no such database', { status: 404 });
    try {
      const stmts = await request.json();
      const out = await db.batch(stmts.map((s) => db.prepare(s.sql).bind(...s.params)));
      return Response.json(out.map((r) => ({ results: r.results, meta: { changes: r.meta.changes, last_row_id: r.meta.last_row_id } })));
    } catch (err) {
      return Response.json({ error: String(err && err.message ? err.message : err) }, { status: 500 });
    }
  },
};
