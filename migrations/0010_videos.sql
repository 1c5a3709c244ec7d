-- Video jobs of the OpenAI Videos API (POST /v1/videos and the routes below it). One row per
-- job, owned by the API key that created it (another key gets 404); the job's runner (a
-- Durable Object per job) moves it queued → in_progress → completed | failed and records its
-- progress; the result is two media_links ids (the video and its thumbnail) served through the
-- /images path. Pruned with the request logs (log_retention_days).

CREATE TABLE IF NOT EXISTS videos (
  id TEXT PRIMARY KEY,            -- video_<24 hex>, random
  key_id TEXT NOT NULL,           -- the owning api_keys.id
  status TEXT NOT NULL,           -- queued | in_progress | completed | failed
  progress INTEGER NOT NULL DEFAULT 0,
  model TEXT NOT NULL,            -- the Grok video model serving it
  seconds TEXT NOT NULL,          -- the duration asked of Grok ("6" | "10" | "15")
  size TEXT NOT NULL,             -- the size asked of Grok ("480x854", "1280x720", …)
  prompt TEXT NOT NULL,
  settings TEXT NOT NULL,         -- JSON: aspect_ratio, duration_s, resolution, preset, and the
                                  -- reference image's KV key and type when there is one
  error_code TEXT,
  error_message TEXT,
  video_media TEXT,               -- media_links ids of the result
  thumb_media TEXT,
  charge_day TEXT NOT NULL,       -- the local day whose video quota it was charged to
  refunded INTEGER NOT NULL DEFAULT 0,
  runs INTEGER NOT NULL DEFAULT 0, -- how many times a runner started it (bounded)
  remixed_from TEXT,
  created_at INTEGER NOT NULL,    -- ms
  updated_at INTEGER NOT NULL,    -- ms
  completed_at INTEGER            -- ms, when completed or failed
);
CREATE INDEX IF NOT EXISTS idx_videos_key_created ON videos (key_id, created_at, id);
CREATE INDEX IF NOT EXISTS idx_videos_created ON videos (created_at);
