-- Foundation schema: runtime settings and the request log.
-- Applied migrations are never edited; later changes come as new numbered files.

CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,          -- JSON value
  updated_at INTEGER NOT NULL   -- ms since epoch
);

-- One row per /v1 request, written after the response (or stream) has ended.
CREATE TABLE IF NOT EXISTS request_logs (
  id TEXT PRIMARY KEY,          -- req_<24 hex>, also sent as x-request-id
  ts INTEGER NOT NULL,          -- arrival, ms since epoch
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  model TEXT,
  key_id TEXT,
  key_name TEXT,
  status INTEGER NOT NULL,      -- HTTP status sent; 499 when the client left mid-stream
  error_code TEXT,
  error_message TEXT,
  duration_ms INTEGER NOT NULL,
  ttfb_ms INTEGER,              -- time to the first byte sent to the client
  stream INTEGER NOT NULL DEFAULT 0,
  token_id TEXT,
  token_suffix TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  ip TEXT,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_request_logs_ts ON request_logs (ts);
CREATE INDEX IF NOT EXISTS idx_request_logs_status_ts ON request_logs (status, ts);
CREATE INDEX IF NOT EXISTS idx_request_logs_model_ts ON request_logs (model, ts);
