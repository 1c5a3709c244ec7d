-- The /v1 route that served a request (chat.completions, responses.create, images.edits, …), so
-- the admin logs can be filtered by client API. Rows written before this migration have none.

ALTER TABLE request_logs ADD COLUMN route TEXT;
CREATE INDEX IF NOT EXISTS idx_request_logs_route_ts ON request_logs (route, ts);
