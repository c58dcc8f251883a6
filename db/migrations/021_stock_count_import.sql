-- Issue 17: a count sheet imported from a file carries the hash of what it counted, so the same file imported again
-- while its sheet waits for approval answers that sheet instead of making a second one (approving both would adjust
-- the difference twice). Once approved, the same figures are a new count.
ALTER TABLE stock_counts ADD COLUMN import_key text;
CREATE UNIQUE INDEX stock_counts_open_import ON stock_counts (import_key) WHERE status = 'counted';
