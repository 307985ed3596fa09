-- Cost of each usage record (SPEC §15.2): nano-units (10^-9) of the model's pricing currency, so sums stay exact
-- integers. Rows written before this migration have no cost (currency NULL, 0).
ALTER TABLE usage_events
    ADD COLUMN cost_currency text   NULL,
    ADD COLUMN cost_nanos    bigint NOT NULL DEFAULT 0;
