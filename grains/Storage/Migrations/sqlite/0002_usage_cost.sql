-- Cost of each usage record (SPEC §15.2), as in postgres/0003_usage_cost.sql: nano-units (10^-9) of the model's
-- pricing currency. Rows written before this migration have no cost (currency NULL, 0).
ALTER TABLE usage_events ADD COLUMN cost_currency TEXT;
ALTER TABLE usage_events ADD COLUMN cost_nanos INTEGER NOT NULL DEFAULT 0;
