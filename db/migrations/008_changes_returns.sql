-- Order changes (订单变更单), returns and allowances (销退单), and the credit notes they produce.

-- 订单变更单: one document per change, numbered per order 0001..9999; what it changed line by line,
-- the whole order before and after (for the as-of-version view), and who asked and approved.
CREATE TABLE order_changes (
  id               bigserial PRIMARY KEY,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  version          int NOT NULL CHECK (version BETWEEN 1 AND 9999),
  idempotency_key  text NOT NULL UNIQUE,
  status           text NOT NULL CHECK (status IN ('pending_approval', 'applied', 'rejected')),
  reason           text NOT NULL CHECK (length(reason) > 0),
  requested_by     text NOT NULL,
  -- Line-level before/after of what changed: [{ lineNo, action, before, after }].
  diff             jsonb NOT NULL,
  before_order     jsonb NOT NULL,
  after_order      jsonb NOT NULL,
  gross_before     numeric(18,2) NOT NULL,
  gross_after      numeric(18,2) NOT NULL,
  -- Why it went back to approval (empty when it applied at once), and the approvals it got.
  approval_reasons jsonb NOT NULL DEFAULT '[]',
  approvals        jsonb NOT NULL DEFAULT '[]',
  decided_by       text,
  reject_reason    text,
  requested_at     timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz,
  UNIQUE (order_id, version)
);

-- What came back per delivery note line, never more than it delivered.
ALTER TABLE delivery_note_lines ADD COLUMN returned_qty numeric(18,4) NOT NULL DEFAULT 0 CHECK (returned_qty >= 0);
ALTER TABLE delivery_note_lines ADD CONSTRAINT returned_within_delivered CHECK (returned_qty <= quantity);
ALTER TABLE sales_order_lines ADD COLUMN returned_qty numeric(18,4) NOT NULL DEFAULT 0 CHECK (returned_qty >= 0);

-- 销退单: a return brings goods back into a warehouse; an allowance (折让) only reduces the amount.
CREATE TABLE sales_returns (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  kind             text NOT NULL CHECK (kind IN ('return', 'allowance')),
  idempotency_key  text NOT NULL UNIQUE,
  delivery_note_id bigint REFERENCES delivery_notes,
  warehouse_id     bigint REFERENCES warehouses,
  -- What happens to the returned quantity on the order: delivered again, or the remainder cancelled.
  disposition      text CHECK (disposition IN ('redeliver', 'cancel_remainder')),
  reason           text NOT NULL CHECK (length(reason) > 0),
  recorded_by      text NOT NULL,
  net_amount       numeric(18,2) NOT NULL,
  tax_amount       numeric(18,2) NOT NULL,
  gross_amount     numeric(18,2) NOT NULL CHECK (gross_amount >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT return_gross_is_net_plus_tax CHECK (gross_amount = net_amount + tax_amount),
  CONSTRAINT return_has_note_and_warehouse CHECK (kind = 'allowance' OR (delivery_note_id IS NOT NULL AND warehouse_id IS NOT NULL AND disposition IS NOT NULL))
);
CREATE TABLE sales_return_lines (
  sales_return_id  bigint NOT NULL REFERENCES sales_returns,
  line_no          int NOT NULL,
  order_line_no    int NOT NULL,
  product_id       bigint NOT NULL REFERENCES products,
  quantity         numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  -- The part of the quantity that had been invoiced, which the credit note gives back.
  invoiced_qty     numeric(18,4) NOT NULL DEFAULT 0 CHECK (invoiced_qty >= 0 AND invoiced_qty <= quantity),
  unit_price       numeric(18,6) NOT NULL,
  tax_rate         numeric(9,6) NOT NULL,
  net_amount       numeric(18,2) NOT NULL CHECK (net_amount >= 0),
  tax_amount       numeric(18,2) NOT NULL CHECK (tax_amount >= 0),
  PRIMARY KEY (sales_return_id, line_no)
);
CREATE INDEX sales_returns_order_idx ON sales_returns (order_id);

-- Credit notes: against the invoice they correct; what they do not settle there is the payer's
-- credit, applied to its next invoices like an advance and never beyond its amount.
CREATE TABLE credit_notes (
  id                bigserial PRIMARY KEY,
  number            text NOT NULL UNIQUE,
  order_id          bigint NOT NULL REFERENCES sales_orders,
  invoice_id        bigint NOT NULL REFERENCES invoices,
  sales_return_id   bigint NOT NULL UNIQUE REFERENCES sales_returns,
  customer_id       bigint NOT NULL REFERENCES customers,
  payer_customer_id bigint NOT NULL REFERENCES customers,
  idempotency_key   text NOT NULL UNIQUE,
  net_amount        numeric(18,2) NOT NULL,
  tax_amount        numeric(18,2) NOT NULL,
  gross_amount      numeric(18,2) NOT NULL CHECK (gross_amount > 0),
  allocated_amount  numeric(18,2) NOT NULL DEFAULT 0 CHECK (allocated_amount >= 0),
  -- Paid back to the customer (退款) instead of applied to an invoice.
  refunded_amount   numeric(18,2) NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
  issued_on         date NOT NULL,
  issued_by         text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT credit_note_gross_is_net_plus_tax CHECK (gross_amount = net_amount + tax_amount),
  CONSTRAINT credit_note_never_over_allocated CHECK (allocated_amount + refunded_amount <= gross_amount)
);
CREATE INDEX credit_notes_payer_open_idx ON credit_notes (payer_customer_id, issued_on, id) WHERE allocated_amount + refunded_amount < gross_amount;
CREATE INDEX credit_notes_order_idx ON credit_notes (order_id);

ALTER TABLE invoices ADD COLUMN credited_amount numeric(18,2) NOT NULL DEFAULT 0 CHECK (credited_amount >= 0);
ALTER TABLE invoices DROP CONSTRAINT invoice_never_over_settled;
ALTER TABLE invoices ADD CONSTRAINT invoice_never_over_settled CHECK (paid_amount + written_off_amount + credited_amount <= gross_amount);
DROP INDEX invoices_payer_open_idx;
CREATE INDEX invoices_payer_open_idx ON invoices (payer_customer_id, due_on, id)
  WHERE paid_amount + written_off_amount + credited_amount < gross_amount;

CREATE TABLE credit_note_allocations (
  credit_note_id  bigint NOT NULL REFERENCES credit_notes,
  invoice_id      bigint NOT NULL REFERENCES invoices,
  amount          numeric(18,2) NOT NULL CHECK (amount > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (credit_note_id, invoice_id)
);
CREATE INDEX credit_note_allocations_invoice_idx ON credit_note_allocations (invoice_id);

-- As with receipts: an allocation moves both balances in one statement, so the CHECKs refuse
-- a credit note applied beyond its amount or an invoice settled beyond its gross.
CREATE FUNCTION apply_credit_note_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT payer_customer_id FROM credit_notes WHERE id = NEW.credit_note_id) <> (SELECT payer_customer_id FROM invoices WHERE id = NEW.invoice_id) THEN
    RAISE EXCEPTION 'credit note % and invoice % have different payers', NEW.credit_note_id, NEW.invoice_id USING ERRCODE = '23514';
  END IF;
  UPDATE credit_notes SET allocated_amount = allocated_amount + NEW.amount WHERE id = NEW.credit_note_id;
  UPDATE invoices SET credited_amount = credited_amount + NEW.amount WHERE id = NEW.invoice_id;
  RETURN NEW;
END $$;
CREATE TRIGGER credit_note_allocations_apply AFTER INSERT ON credit_note_allocations
  FOR EACH ROW EXECUTE FUNCTION apply_credit_note_allocation();
CREATE TRIGGER credit_note_allocations_append_only BEFORE UPDATE OR DELETE ON credit_note_allocations
  FOR EACH ROW EXECUTE FUNCTION refuse_allocation_change();

-- 退款: the payer's credit paid back, taken from its credit notes oldest first.
CREATE TABLE refunds (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  customer_id      bigint NOT NULL REFERENCES customers,
  idempotency_key  text NOT NULL UNIQUE,
  method           text NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'cheque', 'other')),
  amount           numeric(18,2) NOT NULL CHECK (amount > 0),
  paid_on          date NOT NULL,
  reference        text,
  recorded_by      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE refund_lines (
  refund_id       bigint NOT NULL REFERENCES refunds,
  credit_note_id  bigint NOT NULL REFERENCES credit_notes,
  amount          numeric(18,2) NOT NULL CHECK (amount > 0),
  PRIMARY KEY (refund_id, credit_note_id)
);
ALTER TABLE receivable_entries DROP CONSTRAINT receivable_entries_kind_check;
ALTER TABLE receivable_entries ADD CONSTRAINT receivable_entries_kind_check
  CHECK (kind IN ('invoice', 'receipt', 'credit_note', 'write_off', 'refund'));

INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES
  ('sales_return', 'SR', 'yyyymmdd', 4),
  ('credit_note', 'CN', 'yyyymmdd', 4),
  ('refund', 'RF', 'yyyymmdd', 4)
ON CONFLICT (document_type) DO NOTHING;
