// Benchmark Worker: the gateway's own bundle (./index.js, copied beside this file from the
// `wrangler deploy --dry-run` output) with env.DB replaced by a client of d1-server.js in another
// workerd process. In production D1 runs outside the Worker and the isolate pays only for the
// D1 client (its JavaScript serialises each batch, sends it and parses the rows); locally
// `wrangler dev` runs SQLite and the D1 object in the Worker's own process, which adds about
// 1.5 ms of CPU per batch that production does not bill. This client does what a D1 client does:
// JSON out, one fetch, JSON in.
import gateway from './index.js';

class Statement {
  constructor(sql, params = []) {
    this.sql = sql;
    this.params = params;
  }
  bind(...params) {
    return new Statement(this.sql, params);
  }
}

class RemoteD1 {
  constructor(url) {
    this.url = url;
  }
  prepare(sql) {
    return new Statement(sql);
  }
  async batch(stmts) {
    const r = await fetch(this.url, { method: 'POST', body: JSON.stringify(stmts.map((s) => ({ sql: s.sql, params: s.params }))) });
    const j = await r.json();
    if (r.status !== 200) throw new Error(j.error || `D1 server answered ${r.status}`);
    return j;
  }
}

export default {
  fetch(request, env, ctx) {
    return gateway.fetch(request, { ...env, DB: new RemoteD1(env.D1_URL) }, ctx);
  },
};
