-- /v1 requests refused before a stored API key was identified (no key, an unknown key, an
-- unknown URL, a body refused before the key check) are counted here instead of leaving a
-- request_logs row each (cpp/app/refused_requests.h): one row per local day, status and code.

CREATE TABLE IF NOT EXISTS refused_requests (
  day TEXT NOT NULL,                -- YYYY-MM-DD local (CACHE_RESET_TZ_OFFSET_MINUTES)
  status INTEGER NOT NULL,          -- the HTTP status answered (401, 404, 405, 413, …)
  code TEXT NOT NULL,               -- the error code answered (invalid_api_key, unknown_url, …)
  count INTEGER NOT NULL DEFAULT 0,
  last_at INTEGER NOT NULL DEFAULT 0, -- ms: the latest write that added to the count
  PRIMARY KEY (day, status, code)
);
