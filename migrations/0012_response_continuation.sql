-- Continuing Grok's own conversation (previous_response_id): a stored response records the Grok
-- conversation that answered it, Grok's id of the answer (the follow-up's parentResponseId) and
-- the account that holds the conversation. NULL when unknown (older rows, an answer Grok gave
-- no ids for): those are continued by replaying the stored turns, as is any whose account is
-- gone or not usable.
ALTER TABLE responses ADD COLUMN grok_conversation_id TEXT;
ALTER TABLE responses ADD COLUMN grok_response_id TEXT;
ALTER TABLE responses ADD COLUMN grok_token_id TEXT;
