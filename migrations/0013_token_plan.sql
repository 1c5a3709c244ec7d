-- Account tier detection (#16): the plan name Grok last reported for the account (NULL: none
-- seen), and who sets its tier: 'admin' (fixed by an admin; detection only records the plan) or
-- 'auto' (each quota refresh sets it from the plan name, else from a known /rest/rate-limits
-- shape: grok/tier_table.h). Accounts added before this migration keep their admin-set tier.
ALTER TABLE tokens ADD COLUMN plan TEXT;
ALTER TABLE tokens ADD COLUMN tier_source TEXT NOT NULL DEFAULT 'admin';
