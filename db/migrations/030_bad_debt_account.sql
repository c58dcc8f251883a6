-- A bad debt written off is a credit impairment loss (6702 信用减值损失, as the accounting standard for small and
-- medium enterprises books it), not a non-operating expense: the default mapping moves there. A mapping finance
-- changed itself is left as it is.
INSERT INTO ledger_accounts (code, name_zh, name_en, normal_side) VALUES ('6702', '信用减值损失', 'Credit impairment losses', 'debit')
  ON CONFLICT (code) DO NOTHING;
UPDATE ledger_account_mapping SET account_code = '6702'
  WHERE purpose = 'bad_debt' AND account_code = '6711' AND tax_rate IS NULL AND customer_group IS NULL AND product_category IS NULL;
