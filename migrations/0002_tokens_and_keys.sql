-- The Grok account pool and the API keys that may use it.

-- One row per Grok account (its sso cookie). The secret never leaves the core unmasked.
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY,                    -- tok_<16 hex>
  sso TEXT NOT NULL UNIQUE,
  tier TEXT NOT NULL DEFAULT 'basic' CHECK (tier IN ('basic', 'super', 'heavy')),
  enabled INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invalid')),
  status_reason TEXT,                     -- why it is invalid (401, blocked-user, …)
  user_id TEXT,                           -- from /api/auth/session, for the mgw x-userid cookie
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0,
  last_success_at INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0, -- network/5xx failures since the last success
  cooldown_until INTEGER NOT NULL DEFAULT 0,       -- half-open backoff after repeated failures
  last_failure_at INTEGER NOT NULL DEFAULT 0,
  last_failure_reason TEXT,
  inflight INTEGER NOT NULL DEFAULT 0,
  inflight_at INTEGER NOT NULL DEFAULT 0,          -- last change of inflight; stale counts expire
  requests INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_tokens_pick ON tokens (enabled, status, tier);

-- What is known about one account's quota bucket (a Grok mode: fast, auto, expert, heavy).
CREATE TABLE IF NOT EXISTS token_buckets (
  token_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
  bucket TEXT NOT NULL,
  remaining INTEGER,                      -- NULL: unknown
  total INTEGER,
  window_s INTEGER,
  refreshed_at INTEGER NOT NULL DEFAULT 0,
  cooling_until INTEGER NOT NULL DEFAULT 0, -- 429 / usage limit: unusable for this bucket until then
  cooling_reason TEXT,
  PRIMARY KEY (token_id, bucket)
);

-- API keys; only the SHA-256 of the key is stored.
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,                    -- key_<16 hex>
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the whole key
  key_hint TEXT NOT NULL,                 -- e.g. "sk-g2a-Ab…xY9" for display
  enabled INTEGER NOT NULL DEFAULT 1,
  chat_limit INTEGER NOT NULL DEFAULT -1, -- per local day; -1 = unlimited
  heavy_limit INTEGER NOT NULL DEFAULT -1,
  image_limit INTEGER NOT NULL DEFAULT -1,
  video_limit INTEGER NOT NULL DEFAULT -1,
  allowed_models TEXT NOT NULL DEFAULT '[]', -- JSON array of model ids; empty = all
  expires_at INTEGER NOT NULL DEFAULT 0,     -- ms; 0 = never
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0
);

-- Per key and local day (CACHE_RESET_TZ_OFFSET_MINUTES), charged atomically.
CREATE TABLE IF NOT EXISTS api_key_usage (
  key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  day TEXT NOT NULL,                      -- YYYY-MM-DD local
  chat_used INTEGER NOT NULL DEFAULT 0,
  heavy_used INTEGER NOT NULL DEFAULT 0,
  image_used INTEGER NOT NULL DEFAULT 0,
  video_used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, day)
);
CREATE INDEX IF NOT EXISTS idx_api_key_usage_day ON api_key_usage (day);
