-- Opaque media ids: /images/<id> names a row here (id = 22 random base64url characters) instead
-- of carrying the account and the upstream URL in the link itself. Links minted before this
-- migration (signed "<payload>.<signature>" ids) no longer resolve once the new code runs; the
-- old `media_signing_secret` settings row is no longer read (kept: migrations only add). Rows
-- are pruned with the request logs (log_retention_days).

CREATE TABLE IF NOT EXISTS media_links (
  id TEXT PRIMARY KEY,               -- what /images/<id> names; random, reveals nothing
  token_id TEXT NOT NULL DEFAULT '', -- the account whose cookie fetches it ('' = public host)
  url TEXT NOT NULL,                 -- the absolute upstream URL
  created_at INTEGER NOT NULL        -- ms
);
CREATE INDEX IF NOT EXISTS idx_media_links_created ON media_links (created_at);
