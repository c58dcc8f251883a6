-- Issue 19, currencies: exchange rates finance enters, and every document's currency, rate and
-- base-currency totals (the rule and rounding are domain/fx.ts; db/fx.ts looks the rate up).

-- 本位币: the currency the books are kept in.
INSERT INTO company_settings (key, value) VALUES ('currency.base', '"CNY"') ON CONFLICT (key) DO NOTHING;

-- One rate per currency and day, to the base currency: 1 unit of `currency` = `rate` base units.
CREATE TABLE exchange_rates (
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  rate_on     date NOT NULL,
  rate        numeric(18,8) NOT NULL CHECK (rate > 0 AND rate < 1000000),
  entered_by  text NOT NULL,
  entered_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (currency, rate_on)
);

-- Each document: its currency, the rate of its date and its totals in base. Rows written before
-- this migration are base-currency rows (everything was CNY), so they get rate 1.
ALTER TABLE sales_orders
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0),
  ADD COLUMN base_net_amount numeric(18,2),
  ADD COLUMN base_tax_amount numeric(18,2),
  ADD COLUMN base_gross_amount numeric(18,2),
  ADD CONSTRAINT order_base_gross_is_net_plus_tax CHECK (base_gross_amount = base_net_amount + base_tax_amount);
ALTER TABLE delivery_notes
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0);
ALTER TABLE invoices
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0),
  ADD COLUMN base_net_amount numeric(18,2),
  ADD COLUMN base_tax_amount numeric(18,2),
  ADD COLUMN base_gross_amount numeric(18,2),
  ADD CONSTRAINT invoice_base_gross_is_net_plus_tax CHECK (base_gross_amount = base_net_amount + base_tax_amount);
ALTER TABLE credit_notes
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0),
  ADD COLUMN base_net_amount numeric(18,2),
  ADD COLUMN base_tax_amount numeric(18,2),
  ADD COLUMN base_gross_amount numeric(18,2),
  ADD CONSTRAINT credit_note_base_gross_is_net_plus_tax CHECK (base_gross_amount = base_net_amount + base_tax_amount);
ALTER TABLE receipts
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0),
  ADD COLUMN base_amount numeric(18,2);
ALTER TABLE refunds
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0),
  ADD COLUMN base_amount numeric(18,2);
-- The receivable ledger in both currencies: a statement and credit exposure sum base_amount.
ALTER TABLE receivable_entries
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN fx_rate numeric(18,8) CHECK (fx_rate > 0),
  ADD COLUMN base_amount numeric(18,2);
ALTER TABLE receivable_entries DROP CONSTRAINT receivable_entries_kind_check;
-- 汇兑损益: the base-only entry that makes the ledger's base balance equal what is still open in base.
ALTER TABLE receivable_entries ADD CONSTRAINT receivable_entries_kind_check
  CHECK (kind IN ('invoice', 'receipt', 'credit_note', 'write_off', 'refund', 'exchange_difference'));
-- 核销 in base: what the allocation clears of the invoice at the invoice's rate, and the gain
-- (positive) or loss against what the money was worth at the receipt's rate.
ALTER TABLE receipt_allocations
  ADD COLUMN base_amount numeric(18,2),
  ADD COLUMN exchange_difference numeric(18,2);

UPDATE sales_orders SET fx_rate = 1, base_net_amount = net_amount, base_tax_amount = tax_amount, base_gross_amount = gross_amount;
UPDATE delivery_notes d SET currency = o.currency, fx_rate = 1 FROM sales_orders o WHERE o.id = d.order_id;
UPDATE invoices SET fx_rate = 1, base_net_amount = net_amount, base_tax_amount = tax_amount, base_gross_amount = gross_amount;
UPDATE credit_notes c SET currency = i.currency, fx_rate = 1, base_net_amount = c.net_amount, base_tax_amount = c.tax_amount,
  base_gross_amount = c.gross_amount FROM invoices i WHERE i.id = c.invoice_id;
UPDATE receipts r SET currency = c.currency, fx_rate = 1, base_amount = r.amount FROM customers c WHERE c.id = r.customer_id;
UPDATE refunds r SET currency = c.currency, fx_rate = 1, base_amount = r.amount FROM customers c WHERE c.id = r.customer_id;
UPDATE receivable_entries e SET currency = c.currency, fx_rate = 1, base_amount = e.amount FROM customers c WHERE c.id = e.customer_id;
UPDATE receipt_allocations SET base_amount = amount, exchange_difference = 0;

-- A row that does not state its rate is a base-currency row: rate 1, base = the amount (no rounding:
-- the amount is already in cents), currency the base one when the row has none. A row in another
-- currency without its rate is refused: the code that writes it converts with domain/fx.ts, and
-- this keeps a forgotten conversion from booking foreign money as base money.
-- Arguments: pairs of (amount column, base column).
CREATE FUNCTION fx_base_by_default() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  base text := coalesce((SELECT value #>> '{}' FROM company_settings WHERE key = 'currency.base'), 'CNY');
  row jsonb := to_jsonb(NEW);
  patch jsonb := '{}';
  i int := 0;
BEGIN
  IF row ? 'currency' AND row ->> 'currency' IS NULL THEN patch := patch || jsonb_build_object('currency', base); END IF;
  IF row ->> 'fx_rate' IS NULL THEN
    IF coalesce(row ->> 'currency', base) <> base THEN
      RAISE EXCEPTION '% row in % has no exchange rate', TG_TABLE_NAME, row ->> 'currency' USING ERRCODE = '23514';
    END IF;
    patch := patch || '{"fx_rate": 1}';
  ELSIF coalesce(row ->> 'currency', base) = base AND (row ->> 'fx_rate')::numeric <> 1 THEN
    RAISE EXCEPTION '% row in the base currency % has rate %', TG_TABLE_NAME, base, row ->> 'fx_rate' USING ERRCODE = '23514';
  END IF;
  WHILE i < TG_NARGS LOOP
    IF row ->> TG_ARGV[i + 1] IS NULL THEN
      IF coalesce(row ->> 'currency', base) <> base THEN
        RAISE EXCEPTION '% row in % has no %', TG_TABLE_NAME, row ->> 'currency', TG_ARGV[i + 1] USING ERRCODE = '23514';
      END IF;
      patch := patch || jsonb_build_object(TG_ARGV[i + 1], row -> TG_ARGV[i]);
    END IF;
    i := i + 2;
  END LOOP;
  NEW := jsonb_populate_record(NEW, patch);
  RETURN NEW;
END $$;

CREATE TRIGGER sales_orders_fx BEFORE INSERT ON sales_orders FOR EACH ROW
  EXECUTE FUNCTION fx_base_by_default('net_amount', 'base_net_amount', 'tax_amount', 'base_tax_amount', 'gross_amount', 'base_gross_amount');
CREATE TRIGGER delivery_notes_fx BEFORE INSERT ON delivery_notes FOR EACH ROW EXECUTE FUNCTION fx_base_by_default();
CREATE TRIGGER invoices_fx BEFORE INSERT ON invoices FOR EACH ROW
  EXECUTE FUNCTION fx_base_by_default('net_amount', 'base_net_amount', 'tax_amount', 'base_tax_amount', 'gross_amount', 'base_gross_amount');
CREATE TRIGGER credit_notes_fx BEFORE INSERT ON credit_notes FOR EACH ROW
  EXECUTE FUNCTION fx_base_by_default('net_amount', 'base_net_amount', 'tax_amount', 'base_tax_amount', 'gross_amount', 'base_gross_amount');
CREATE TRIGGER receipts_fx BEFORE INSERT ON receipts FOR EACH ROW EXECUTE FUNCTION fx_base_by_default('amount', 'base_amount');
CREATE TRIGGER refunds_fx BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION fx_base_by_default('amount', 'base_amount');
CREATE TRIGGER receivable_entries_fx BEFORE INSERT ON receivable_entries FOR EACH ROW
  EXECUTE FUNCTION fx_base_by_default('amount', 'base_amount');

-- An allocation without its base figures is one between base-currency documents: base = amount, no difference.
CREATE FUNCTION receipt_allocation_base_by_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.base_amount IS NULL OR NEW.exchange_difference IS NULL THEN
    IF (SELECT currency FROM invoices WHERE id = NEW.invoice_id) <> coalesce((SELECT value #>> '{}' FROM company_settings WHERE key = 'currency.base'), 'CNY') THEN
      RAISE EXCEPTION 'allocation of receipt % to a foreign-currency invoice % has no base amount', NEW.receipt_id, NEW.invoice_id USING ERRCODE = '23514';
    END IF;
    NEW.base_amount := coalesce(NEW.base_amount, NEW.amount);
    NEW.exchange_difference := coalesce(NEW.exchange_difference, 0);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER receipt_allocations_fx BEFORE INSERT ON receipt_allocations FOR EACH ROW EXECUTE FUNCTION receipt_allocation_base_by_default();

ALTER TABLE sales_orders ALTER COLUMN fx_rate SET NOT NULL, ALTER COLUMN base_net_amount SET NOT NULL,
  ALTER COLUMN base_tax_amount SET NOT NULL, ALTER COLUMN base_gross_amount SET NOT NULL;
ALTER TABLE delivery_notes ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fx_rate SET NOT NULL;
ALTER TABLE invoices ALTER COLUMN fx_rate SET NOT NULL, ALTER COLUMN base_net_amount SET NOT NULL,
  ALTER COLUMN base_tax_amount SET NOT NULL, ALTER COLUMN base_gross_amount SET NOT NULL;
ALTER TABLE credit_notes ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fx_rate SET NOT NULL, ALTER COLUMN base_net_amount SET NOT NULL,
  ALTER COLUMN base_tax_amount SET NOT NULL, ALTER COLUMN base_gross_amount SET NOT NULL;
ALTER TABLE receipts ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fx_rate SET NOT NULL, ALTER COLUMN base_amount SET NOT NULL;
ALTER TABLE refunds ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fx_rate SET NOT NULL, ALTER COLUMN base_amount SET NOT NULL;
ALTER TABLE receivable_entries ALTER COLUMN currency SET NOT NULL, ALTER COLUMN fx_rate SET NOT NULL, ALTER COLUMN base_amount SET NOT NULL;
ALTER TABLE receipt_allocations ALTER COLUMN base_amount SET NOT NULL, ALTER COLUMN exchange_difference SET NOT NULL;
