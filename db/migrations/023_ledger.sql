-- Issue 19: the books (业财一体化). Every invoice, credit note, receipt, write-off, refund, delivery
-- and return posts a voucher (凭证) in its own transaction, by an account mapping finance maintains.

-- The chart of accounts (会计科目), seeded with a small Chinese business's accounts.
CREATE TABLE ledger_accounts (
  code     text PRIMARY KEY CHECK (code ~ '^[0-9]{4,12}$'),
  name_zh  text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
  name_en  text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  -- Which side a balance normally sits on: shown as a positive balance there.
  normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit'))
);

INSERT INTO ledger_accounts (code, name_zh, name_en, normal_side) VALUES
  ('1001', '库存现金', 'Cash on hand', 'debit'),
  ('1002', '银行存款', 'Bank deposits', 'debit'),
  ('1122', '应收账款', 'Accounts receivable', 'debit'),
  ('1405', '库存商品', 'Merchandise inventory', 'debit'),
  ('2203', '预收账款', 'Customer advances', 'credit'),
  ('22210106', '应交增值税-销项税额', 'VAT payable - output tax', 'credit'),
  ('6001', '主营业务收入', 'Sales revenue', 'credit'),
  ('6401', '主营业务成本', 'Cost of goods sold', 'debit'),
  ('6603', '财务费用', 'Financial expenses', 'debit'),
  ('660302', '财务费用-汇兑损益', 'Financial expenses - exchange differences', 'debit'),
  ('6711', '营业外支出', 'Non-operating expenses (bad debts)', 'debit');

-- Which account a posting purpose uses. A row may narrow by tax rate, customer group (customers.grade)
-- and product category; the most specific row that matches wins (domain/ledger.ts accountFor), and
-- every purpose keeps its default row (no narrowing), which may be changed but never removed.
CREATE TABLE ledger_account_mapping (
  id                bigserial PRIMARY KEY,
  purpose           text NOT NULL CHECK (purpose IN ('receivable', 'advance', 'revenue', 'output_vat', 'cogs', 'inventory', 'bank',
                                                     'tolerance', 'bad_debt', 'fx_gain', 'fx_loss')),
  tax_rate          numeric(9,6) CHECK (tax_rate >= 0 AND tax_rate < 1),
  customer_group    text CHECK (length(customer_group) BETWEEN 1 AND 50),
  product_category  text CHECK (length(product_category) BETWEEN 1 AND 100),
  account_code      text NOT NULL REFERENCES ledger_accounts,
  updated_by        text NOT NULL DEFAULT 'system',
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ledger_account_mapping_key ON ledger_account_mapping
  (purpose, coalesce(tax_rate, -1), coalesce(customer_group, ''), coalesce(product_category, ''));

INSERT INTO ledger_account_mapping (purpose, account_code) VALUES
  ('receivable', '1122'), ('advance', '2203'), ('revenue', '6001'), ('output_vat', '22210106'),
  ('cogs', '6401'), ('inventory', '1405'), ('bank', '1002'), ('tolerance', '6603'), ('bad_debt', '6711'),
  ('fx_gain', '660302'), ('fx_loss', '660302');

INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES ('voucher', 'JZ', 'yyyymm', 5);

-- 凭证: one per posting document (source_type + source_number; an invoice may have write-offs of both kinds), amounts in the base currency; the
-- document's currency and rate are kept so each line's document amount can be traced.
CREATE TABLE vouchers (
  id              bigserial PRIMARY KEY,
  number          text NOT NULL UNIQUE,
  voucher_date    date NOT NULL,
  source_type     text NOT NULL CHECK (source_type IN ('invoice', 'credit_note', 'receipt', 'write_off_tolerance', 'write_off_bad_debt',
                                                        'refund', 'delivery', 'return')),
  source_number   text NOT NULL,
  order_number    text,
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  exchange_rate   numeric(18,8) NOT NULL CHECK (exchange_rate > 0),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vouchers_date_idx ON vouchers (voucher_date, id);
CREATE INDEX vouchers_source_idx ON vouchers (source_type, source_number);

CREATE TABLE voucher_lines (
  voucher_id     bigint NOT NULL REFERENCES vouchers,
  line_no        int NOT NULL CHECK (line_no > 0),
  account_code   text NOT NULL REFERENCES ledger_accounts,
  debit          numeric(18,2) NOT NULL DEFAULT 0 CHECK (debit >= 0),
  credit         numeric(18,2) NOT NULL DEFAULT 0 CHECK (credit >= 0),
  customer_code  text,
  memo           text NOT NULL DEFAULT '',
  -- The same amount in the document's currency (debit positive, credit negative).
  doc_amount     numeric(18,2) NOT NULL,
  PRIMARY KEY (voucher_id, line_no),
  CONSTRAINT voucher_line_one_side CHECK ((debit = 0) <> (credit = 0))
);
CREATE INDEX voucher_lines_account_idx ON voucher_lines (account_code);

-- The last word on balance (domain/ledger.ts refuses first): checked when the transaction commits.
CREATE FUNCTION check_voucher_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d numeric; c numeric;
BEGIN
  SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO d, c FROM voucher_lines WHERE voucher_id = NEW.voucher_id;
  IF d <> c THEN
    RAISE EXCEPTION 'voucher % does not balance: debit %, credit %', NEW.voucher_id, d, c USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER voucher_lines_balanced AFTER INSERT ON voucher_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_voucher_balanced();
-- Posted is posted: a correction is a new document with its own voucher.
CREATE FUNCTION refuse_voucher_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'vouchers are append-only' USING ERRCODE = '23514';
END $$;
CREATE TRIGGER vouchers_append_only BEFORE UPDATE OR DELETE ON vouchers FOR EACH ROW EXECUTE FUNCTION refuse_voucher_change();
CREATE TRIGGER voucher_lines_append_only BEFORE UPDATE OR DELETE ON voucher_lines FOR EACH ROW EXECUTE FUNCTION refuse_voucher_change();
