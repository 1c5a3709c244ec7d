// Records every request the fake receives (all three listeners) for assertions, counts
// hits per path, and tracks in-flight HTTP responses and open WebSockets, including
// whether a stream ended normally, was closed early by the client, or was cut by us.
import { sha256Hex, tryJson } from './util.mjs';

const JSON_BODY_LIMIT = 1024 * 1024;

export function summarizeBody(buf) {
  if (!buf || buf.length === 0) return null;
  if (buf.length <= JSON_BODY_LIMIT) {
    const j = tryJson(buf);
    if (j.ok) return j.value;
  }
  return { size: buf.length, sha256: sha256Hex(buf) };
}

export function createRecorder() {
  const rec = {
    entries: [],
    seq: 0,
    open: { http: 0, ws: 0 },
    hits: {},
    assetHits: {},
  };

  rec.start = (listener, req, url) => {
    const entry = {
      id: ++rec.seq,
      time: new Date().toISOString(),
      listener,
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      cookies: {},
      token: null,
      body: null,
      checks: {},
      scenario: null,
      scenarioSource: null,
      status: null,
      ws: null,
      closedByClient: false,
      aborted: false,
      endedBy: null,
      durationMs: null,
      notes: [],
    };
    const started = Date.now();
    entry._done = (how) => {
      if (entry.endedBy) return;
      entry.endedBy = how;
      entry.durationMs = Date.now() - started;
      if (how === 'client') entry.closedByClient = true;
      if (how === 'client' || how === 'server_abort') entry.aborted = true;
    };
    rec.entries.push(entry);
    const table = listener === 'grok' ? rec.hits : rec.assetHits;
    table[url.pathname] = (table[url.pathname] ?? 0) + 1;
    return entry;
  };

  // Follows one HTTP response until it finishes or its connection goes away.
  rec.trackHttp = (entry, res) => {
    rec.open.http++;
    const writeHead = res.writeHead;
    res.writeHead = function recordStatus(status, ...rest) {
      entry.status = status;
      return writeHead.call(this, status, ...rest);
    };
    let counted = true;
    const release = () => {
      if (counted) {
        counted = false;
        rec.open.http--;
      }
    };
    res.on('finish', () => {
      entry._done('server');
      release();
    });
    res.on('close', () => {
      if (!res.writableFinished) entry._done(entry._serverCut ? 'server_abort' : 'client');
      release();
    });
  };

  rec.trackWs = (entry, ws) => {
    rec.open.ws++;
    ws.on('close', () => {
      rec.open.ws--;
      if (entry._serverCut) entry._done('server_abort');
      else if (entry._inFlight) entry._done('client');
      else entry._done(entry._serverClosed ? 'server' : 'client_idle');
    });
  };

  rec.list = (prefix) => rec.entries.filter((e) => !prefix || e.path.startsWith(prefix)).map(publicEntry);
  rec.clear = () => {
    rec.entries.length = 0;
    for (const k of Object.keys(rec.hits)) delete rec.hits[k];
    for (const k of Object.keys(rec.assetHits)) delete rec.assetHits[k];
  };
  rec.stats = () => ({ open: { ...rec.open }, hits: { ...rec.hits }, assetHits: { ...rec.assetHits } });
  return rec;
}

function publicEntry(e) {
  const out = {};
  for (const [k, v] of Object.entries(e)) if (!k.startsWith('_')) out[k] = v;
  if (e.ws) out.ws = { ...e.ws, clientFrames: [...e.ws.clientFrames] };
  return out;
}
