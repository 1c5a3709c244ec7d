-- Where a request's x-statsig-id came from (the statsig fallback chain's step: manual, local,
-- rescrape, last_good, fallback, failed; NULL when no REST call needed one), so the dashboard can
-- count the steps per day. Rows written before this migration have none.
ALTER TABLE request_logs ADD COLUMN statsig_source TEXT;
-- What the quality guard found in the answer and did about it ("loop:retried", "loop:cut",
-- "empty:retried", "no_reasoning:accepted", …; NULL when the answer looked fine).
ALTER TABLE request_logs ADD COLUMN quality TEXT;
