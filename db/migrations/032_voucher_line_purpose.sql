-- What each voucher line is for (its posting's purpose, domain/ledger.ts): what clears a customer's credit (预收) finds
-- the accounts it was booked to by it, whatever the mapping says since (db/ledger/documents.ts advanceHeldByAccount).
-- Posted lines never change (voucher_lines_append_only), so lines posted before this stay NULL; the lookup reads
-- those by their account (a customer's line is a receivable or a credit: a credit-side account, or one mapped to
-- 'advance', not one mapped to 'receivable').
ALTER TABLE voucher_lines ADD COLUMN purpose text CHECK (purpose IN ('receivable', 'advance', 'revenue', 'output_vat', 'cogs', 'inventory', 'bank',
                                                                    'tolerance', 'bad_debt', 'fx_gain', 'fx_loss'));
CREATE INDEX voucher_lines_customer_idx ON voucher_lines (customer_code, account_code) WHERE customer_code IS NOT NULL;
