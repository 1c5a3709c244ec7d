-- When a quota refresh (/rest/rate-limits) last failed for an account and bucket: a failure is
-- remembered for the refresh interval like a success, so an account whose limits cannot be read
-- costs one upstream request per chat, not three.
ALTER TABLE token_buckets ADD COLUMN refresh_failed_at INTEGER NOT NULL DEFAULT 0;
