-- Money after the invoice (issue 6): who pays (bill-to), advances and deposits, write-offs,
-- monthly invoices, dunning, and what finance's read side needs to be fast.

-- 总公司付款: the payer of an invoice is the bill-to head office of a branch, else the customer.
ALTER TABLE invoices
  ADD COLUMN payer_customer_id   bigint REFERENCES customers,
  ADD COLUMN written_off_amount  numeric(18,2) NOT NULL DEFAULT 0 CHECK (written_off_amount >= 0),
  ADD COLUMN monthly_invoice_id  bigint;
UPDATE invoices SET payer_customer_id = customer_id WHERE payer_customer_id IS NULL;
ALTER TABLE invoices ALTER COLUMN payer_customer_id SET NOT NULL;
-- What is paid plus what is written off can never exceed the invoice.
ALTER TABLE invoices ADD CONSTRAINT invoice_never_over_settled CHECK (paid_amount + written_off_amount <= gross_amount);
CREATE INDEX invoices_payer_open_idx ON invoices (payer_customer_id, due_on, id)
  WHERE paid_amount + written_off_amount < gross_amount;

-- 月结: one invoice document per customer and month, grouping each order's part of it.
CREATE TABLE monthly_invoices (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  customer_id      bigint NOT NULL REFERENCES customers,
  period           text NOT NULL CHECK (period ~ '^\d{4}-\d{2}$'),
  idempotency_key  text NOT NULL UNIQUE,
  net_amount       numeric(18,2) NOT NULL,
  tax_amount       numeric(18,2) NOT NULL,
  gross_amount     numeric(18,2) NOT NULL,
  issued_on        date NOT NULL,
  due_on           date NOT NULL,
  issued_by        text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT monthly_gross_is_net_plus_tax CHECK (gross_amount = net_amount + tax_amount)
);
ALTER TABLE invoices ADD CONSTRAINT invoices_monthly_fk FOREIGN KEY (monthly_invoice_id) REFERENCES monthly_invoices;
INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES ('monthly_invoice', 'MINV', 'yyyymm', 4)
  ON CONFLICT (document_type) DO NOTHING;

-- Receipts: a reference (bank notice id), and whether an unallocated rest is held for one order (a deposit).
ALTER TABLE receipts ADD COLUMN reference text;
CREATE INDEX receipts_payer_open_idx ON receipts (customer_id, received_on, id) WHERE allocated_amount < amount;
CREATE INDEX receipts_order_idx ON receipts (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX receipt_allocations_invoice_idx ON receipt_allocations (invoice_id);

-- 核销 is enforced by the database: an allocation moves both balances in the same statement,
-- so the CHECKs receipt_never_over_allocated and invoice_never_over_settled refuse any
-- allocation that would over-allocate a receipt or over-pay an invoice, whatever the code does.
CREATE FUNCTION apply_receipt_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT customer_id FROM receipts WHERE id = NEW.receipt_id) <> (SELECT payer_customer_id FROM invoices WHERE id = NEW.invoice_id) THEN
    RAISE EXCEPTION 'receipt % and invoice % have different payers', NEW.receipt_id, NEW.invoice_id USING ERRCODE = '23514';
  END IF;
  UPDATE receipts SET allocated_amount = allocated_amount + NEW.amount WHERE id = NEW.receipt_id;
  UPDATE invoices SET paid_amount = paid_amount + NEW.amount WHERE id = NEW.invoice_id;
  RETURN NEW;
END $$;
CREATE TRIGGER receipt_allocations_apply AFTER INSERT ON receipt_allocations
  FOR EACH ROW EXECUTE FUNCTION apply_receipt_allocation();
CREATE FUNCTION refuse_allocation_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'receipt allocations are append-only' USING ERRCODE = '23514';
END $$;
CREATE TRIGGER receipt_allocations_append_only BEFORE UPDATE OR DELETE ON receipt_allocations
  FOR EACH ROW EXECUTE FUNCTION refuse_allocation_change();

-- Ledger entries carry their business date (statement, aging) and a reason for write-offs.
ALTER TABLE receivable_entries
  ADD COLUMN entry_on date NOT NULL DEFAULT current_date,
  ADD COLUMN note text;
CREATE INDEX receivable_entries_customer_date_idx ON receivable_entries (customer_id, entry_on, id);
CREATE INDEX receivable_entries_invoice_idx ON receivable_entries (invoice_id) WHERE invoice_id IS NOT NULL;

-- Who may approve a bad-debt write-off.
CREATE TABLE finance_approvers (
  user_name  text PRIMARY KEY,
  max_amount numeric(18,2) CHECK (max_amount > 0)
);
INSERT INTO finance_approvers (user_name, max_amount) VALUES ('finance.chen', NULL), ('director.liu', NULL);

-- A reminder names the document it chases.
ALTER TABLE notifications ADD COLUMN document_number text;
CREATE INDEX notifications_document_idx ON notifications (document_number, kind) WHERE document_number IS NOT NULL;

-- Receipts: the difference finance may write off on request; collection: dunning steps in
-- days after the due date, and how long a "day" lasts for the workflow timers (tests shorten it).
INSERT INTO company_settings (key, value) VALUES
  ('receipts.write_off_tolerance', '"1.00"'),
  ('collection.dunning_days', '[7, 30, 60]'),
  ('collection.day_seconds', '86400')
  ON CONFLICT (key) DO NOTHING;

-- 订金: the deposit an order needs before release (its customer's ratio or the order's own).
ALTER TABLE sales_orders ADD COLUMN deposit_required numeric(18,2) NOT NULL DEFAULT 0 CHECK (deposit_required >= 0);
