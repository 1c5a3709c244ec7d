-- Index of media bodies cached in KV (KV_CACHE) for /images/<id>, and the state of the
-- daily cleanup so that the hourly cron can tell whether a local midnight has passed.

CREATE TABLE IF NOT EXISTS media_cache (
  key TEXT PRIMARY KEY,             -- the KV key: media:<sha256 of the media id>
  media_id TEXT NOT NULL,           -- the signed id clients request
  upstream_url TEXT NOT NULL,
  token_id TEXT,                    -- the account whose cookie fetched it
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  created_at INTEGER NOT NULL,      -- ms
  expires_at INTEGER NOT NULL,      -- ms: the next local midnight after created_at
  last_access_at INTEGER NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_media_cache_expires ON media_cache (expires_at);
CREATE INDEX IF NOT EXISTS idx_media_cache_created ON media_cache (created_at);

-- One row per cleanup job (name 'media_daily'); `midnight` is the local midnight (ms) the
-- last completed cleanup covered.
CREATE TABLE IF NOT EXISTS cron_state (
  name TEXT PRIMARY KEY,
  midnight INTEGER NOT NULL DEFAULT 0,
  running_since INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0
);
