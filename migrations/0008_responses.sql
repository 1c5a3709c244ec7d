-- Stored OpenAI Responses (POST /v1/responses with store, the default): what GET and DELETE
-- /v1/responses/{id}, GET …/{id}/input_items and previous_response_id read. One full snapshot
-- per response (its whole conversation, not a pointer to the previous one), owned by the API key
-- that created it; pruned with the request logs (log_retention_days).

CREATE TABLE IF NOT EXISTS responses (
  id TEXT PRIMARY KEY,          -- resp_<24 hex>, random
  key_id TEXT NOT NULL,         -- the owning api_keys.id: another key gets 404
  created_at INTEGER NOT NULL,  -- ms
  model TEXT NOT NULL,          -- the model id the client asked for
  status TEXT NOT NULL,         -- completed | incomplete | failed
  turns TEXT NOT NULL,          -- JSON: the conversation answered (replayed history + input,
                                -- instructions excluded: they are not inherited)
  input_items TEXT NOT NULL,    -- JSON: this request's input as items (…/input_items)
  response TEXT NOT NULL        -- JSON: the response object the client received
);
CREATE INDEX IF NOT EXISTS idx_responses_created ON responses (created_at);
