-- Master data, numbering, the sales order and its documents, stock and money ledgers.
-- Amounts NUMERIC(18,2), prices NUMERIC(18,6), quantities NUMERIC(18,4), rates NUMERIC(9,6).

CREATE TABLE numbering_rules (
  document_type text PRIMARY KEY,
  prefix        text NOT NULL CHECK (prefix ~ '^[A-Z][A-Z0-9]{0,7}$'),
  date_part     text NOT NULL DEFAULT 'yyyymmdd' CHECK (date_part IN ('none', 'yyyy', 'yyyymm', 'yyyymmdd')),
  digits        int  NOT NULL DEFAULT 4 CHECK (digits BETWEEN 3 AND 9)
);

-- One row per rule and period; the row lock makes numbers unique and, because the
-- increment commits or rolls back with the document, gapless.
CREATE TABLE numbering_counters (
  document_type text NOT NULL REFERENCES numbering_rules,
  period        text NOT NULL,
  last_number   bigint NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (document_type, period)
);

CREATE TABLE customers (
  id               bigserial PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  name             text NOT NULL CHECK (length(name) > 0),
  grade            text NOT NULL DEFAULT 'regular' CHECK (grade IN ('vip', 'regular')),
  settlement_days  int  NOT NULL DEFAULT 30 CHECK (settlement_days >= 0),
  approval_status  text NOT NULL DEFAULT 'approved' CHECK (approval_status IN ('approved', 'pending', 'blocked')),
  currency         text NOT NULL DEFAULT 'CNY' CHECK (currency ~ '^[A-Z]{3}$'),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id                  bigserial PRIMARY KEY,
  code                text NOT NULL UNIQUE,
  name                text NOT NULL CHECK (length(name) > 0),
  unit                text NOT NULL DEFAULT 'pcs',
  list_price          numeric(18,6) NOT NULL CHECK (list_price >= 0),
  cost_price          numeric(18,6) NOT NULL DEFAULT 0 CHECK (cost_price >= 0),
  tax_rate            numeric(9,6)  NOT NULL DEFAULT 0.13 CHECK (tax_rate >= 0 AND tax_rate < 1),
  over_delivery_rate  numeric(9,6)  NOT NULL DEFAULT 0 CHECK (over_delivery_rate >= 0 AND over_delivery_rate <= 1),
  safety_stock        numeric(18,4) NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
  id      bigserial PRIMARY KEY,
  code    text NOT NULL UNIQUE,
  name    text NOT NULL,
  active  boolean NOT NULL DEFAULT true
);

-- The database itself refuses an oversell.
CREATE TABLE stock_levels (
  product_id    bigint NOT NULL REFERENCES products,
  warehouse_id  bigint NOT NULL REFERENCES warehouses,
  on_hand       numeric(18,4) NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved      numeric(18,4) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  PRIMARY KEY (product_id, warehouse_id),
  CONSTRAINT reserved_within_on_hand CHECK (reserved <= on_hand)
);

-- Append-only: stock_levels equals the sums of this ledger, per product and warehouse.
CREATE TABLE stock_moves (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  product_id       bigint NOT NULL REFERENCES products,
  warehouse_id     bigint NOT NULL REFERENCES warehouses,
  kind             text NOT NULL CHECK (kind IN ('opening', 'reserve', 'release', 'deliver', 'return', 'adjust')),
  on_hand_delta    numeric(18,4) NOT NULL,
  reserved_delta   numeric(18,4) NOT NULL,
  document_number  text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_moves_product_idx ON stock_moves (product_id, warehouse_id);

CREATE TABLE sales_orders (
  id             bigserial PRIMARY KEY,
  number         text NOT NULL UNIQUE,
  customer_id    bigint NOT NULL REFERENCES customers,
  currency       text NOT NULL,
  status         text NOT NULL,
  net_amount     numeric(18,2) NOT NULL,
  tax_amount     numeric(18,2) NOT NULL,
  gross_amount   numeric(18,2) NOT NULL,
  created_by     text NOT NULL,
  approved_by    text,
  create_key     text UNIQUE,
  -- false until the order's workflow is known to run; a sweep starts any left behind.
  workflow_started boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gross_is_net_plus_tax CHECK (gross_amount = net_amount + tax_amount)
);
CREATE INDEX sales_orders_customer_idx ON sales_orders (customer_id, created_at);
CREATE INDEX sales_orders_status_idx ON sales_orders (status);

CREATE TABLE sales_order_lines (
  order_id       bigint NOT NULL REFERENCES sales_orders,
  line_no        int NOT NULL CHECK (line_no > 0),
  product_id     bigint NOT NULL REFERENCES products,
  warehouse_id   bigint NOT NULL REFERENCES warehouses,
  quantity       numeric(18,4) NOT NULL CHECK (quantity > 0),
  unit_price     numeric(18,6) NOT NULL CHECK (unit_price >= 0),
  tax_rate       numeric(9,6)  NOT NULL,
  net_amount     numeric(18,2) NOT NULL,
  tax_amount     numeric(18,2) NOT NULL,
  reserved_qty   numeric(18,4) NOT NULL DEFAULT 0 CHECK (reserved_qty >= 0),
  delivered_qty  numeric(18,4) NOT NULL DEFAULT 0 CHECK (delivered_qty >= 0),
  invoiced_qty   numeric(18,4) NOT NULL DEFAULT 0 CHECK (invoiced_qty >= 0),
  close_status   char(1) NOT NULL DEFAULT 'N' CHECK (close_status IN ('N', 'Y', 'y')),
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT invoiced_within_delivered CHECK (invoiced_qty <= delivered_qty)
);

CREATE TABLE delivery_notes (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  idempotency_key  text NOT NULL UNIQUE,
  carrier          text,
  tracking_number  text,
  delivered_by     text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_notes_order_idx ON delivery_notes (order_id);

CREATE TABLE delivery_note_lines (
  delivery_note_id  bigint NOT NULL REFERENCES delivery_notes,
  line_no           int NOT NULL,
  order_line_no     int NOT NULL,
  product_id        bigint NOT NULL REFERENCES products,
  warehouse_id      bigint NOT NULL REFERENCES warehouses,
  quantity          numeric(18,4) NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (delivery_note_id, line_no)
);

CREATE TABLE invoices (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  customer_id      bigint NOT NULL REFERENCES customers,
  idempotency_key  text NOT NULL UNIQUE,
  currency         text NOT NULL,
  net_amount       numeric(18,2) NOT NULL,
  tax_amount       numeric(18,2) NOT NULL,
  gross_amount     numeric(18,2) NOT NULL CHECK (gross_amount >= 0),
  paid_amount      numeric(18,2) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  issued_on        date NOT NULL,
  due_on           date NOT NULL,
  issued_by        text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT invoice_gross_is_net_plus_tax CHECK (gross_amount = net_amount + tax_amount),
  CONSTRAINT invoice_never_overpaid CHECK (paid_amount <= gross_amount)
);
CREATE INDEX invoices_customer_due_idx ON invoices (customer_id, due_on);
CREATE INDEX invoices_order_idx ON invoices (order_id);

CREATE TABLE invoice_lines (
  invoice_id     bigint NOT NULL REFERENCES invoices,
  line_no        int NOT NULL,
  order_line_no  int NOT NULL,
  product_id     bigint NOT NULL REFERENCES products,
  quantity       numeric(18,4) NOT NULL CHECK (quantity > 0),
  unit_price     numeric(18,6) NOT NULL,
  tax_rate       numeric(9,6) NOT NULL,
  net_amount     numeric(18,2) NOT NULL,
  tax_amount     numeric(18,2) NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE receipts (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  customer_id      bigint NOT NULL REFERENCES customers,
  order_id         bigint REFERENCES sales_orders,
  idempotency_key  text NOT NULL UNIQUE,
  method           text NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'cheque', 'other')),
  amount           numeric(18,2) NOT NULL CHECK (amount > 0),
  allocated_amount numeric(18,2) NOT NULL DEFAULT 0 CHECK (allocated_amount >= 0),
  received_on      date NOT NULL,
  recorded_by      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT receipt_never_over_allocated CHECK (allocated_amount <= amount)
);

-- 核销: one receipt may pay several invoices; a pair is matched once.
CREATE TABLE receipt_allocations (
  receipt_id  bigint NOT NULL REFERENCES receipts,
  invoice_id  bigint NOT NULL REFERENCES invoices,
  amount      numeric(18,2) NOT NULL CHECK (amount > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (receipt_id, invoice_id)
);

-- Append-only receivable ledger: the open balance of a customer is the sum of amount.
CREATE TABLE receivable_entries (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  customer_id      bigint NOT NULL REFERENCES customers,
  order_id         bigint REFERENCES sales_orders,
  invoice_id       bigint REFERENCES invoices,
  receipt_id       bigint REFERENCES receipts,
  kind             text NOT NULL CHECK (kind IN ('invoice', 'receipt', 'credit_note', 'write_off')),
  amount           numeric(18,2) NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX receivable_entries_customer_idx ON receivable_entries (customer_id, created_at);

-- Notifications the workflow records (reminders, escalations); the chat bot delivers them.
CREATE TABLE notifications (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  order_number     text NOT NULL,
  kind             text NOT NULL,
  message          text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- The first result of every activity step, by its idempotency key: a retry after a
-- crash reads it back instead of acting twice (written in the step's own transaction).
CREATE TABLE activity_results (
  idempotency_key  text PRIMARY KEY,
  result           jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Default numbering: SO-20261123-0001 and so on; a company may change prefix and format.
INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES
  ('sales_order', 'SO', 'yyyymmdd', 4),
  ('delivery_note', 'DN', 'yyyymmdd', 4),
  ('invoice', 'INV', 'yyyymmdd', 4),
  ('receipt', 'RC', 'yyyymmdd', 4);
