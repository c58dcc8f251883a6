-- The order's life: approval authority as data, back-orders, safety-stock warnings,
-- expected delivery dates, shipping notices (出货通知单).

-- Who may approve, and up to which order amount (NULL: no limit).
CREATE TABLE approvers (
  user_name   text PRIMARY KEY,
  role        text NOT NULL CHECK (role IN ('approver', 'senior_approver', 'credit_controller')),
  max_amount  numeric(18,2) CHECK (max_amount >= 0),
  active      boolean NOT NULL DEFAULT true
);

-- 审核 rules: each matching rule asks for one approval by a holder of required_role.
-- kind 'amount': orders whose gross is above min_amount; kind 'check': a failed check (check_code).
CREATE TABLE approval_rules (
  id             serial PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('amount', 'check')),
  min_amount     numeric(18,2) CHECK (min_amount >= 0),
  check_code     text,
  required_role  text NOT NULL CHECK (required_role IN ('approver', 'senior_approver', 'credit_controller')),
  description    text NOT NULL,
  active         boolean NOT NULL DEFAULT true,
  CONSTRAINT rule_names_its_trigger CHECK ((kind = 'amount' AND min_amount IS NOT NULL) OR (kind = 'check' AND check_code IS NOT NULL))
);
INSERT INTO approval_rules (kind, min_amount, check_code, required_role, description) VALUES
  ('amount', 0, NULL, 'approver', 'every order is approved by an approver'),
  ('amount', 100000, NULL, 'senior_approver', 'orders above 100,000 need a second, director-level approval'),
  ('check', NULL, 'PRICE_BELOW_FLOOR', 'credit_controller', 'prices under the floor need the credit controller'),
  ('check', NULL, 'CREDIT_LIMIT_EXCEEDED', 'credit_controller', 'a credit overrun needs the credit controller'),
  ('check', NULL, 'CUSTOMER_BLOCKED', 'credit_controller', 'a blocked customer needs the credit controller');

-- 操作留痕: every approval given, by whom, in which role, for which rule (0: no rule applied).
CREATE TABLE order_approvals (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  user_name        text NOT NULL,
  role             text NOT NULL,
  rule_id          int NOT NULL,
  approved_at      timestamptz NOT NULL DEFAULT now(),
  -- The same person never gives two approvals for one order.
  UNIQUE (order_id, user_name)
);

-- The clerk's choice per order: a shortfall blocks approval or becomes a back-order.
ALTER TABLE sales_orders
  ADD COLUMN shortfall_policy text NOT NULL DEFAULT 'block' CHECK (shortfall_policy IN ('block', 'backorder')),
  ADD COLUMN rejected_by text,
  -- 期初开账: an order loaded when the company starts, approved in the old system by this user.
  ADD COLUMN opening_approved_by text,
  ADD COLUMN reject_reason text;

-- 预交货日 per line.
ALTER TABLE sales_order_lines ADD COLUMN expected_delivery_date date;

-- 库存预警: available fell under the product's safety stock.
CREATE TABLE stock_warnings (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  product_id       bigint NOT NULL REFERENCES products,
  warehouse_id     bigint NOT NULL REFERENCES warehouses,
  available        numeric(18,4) NOT NULL,
  safety_stock     numeric(18,4) NOT NULL,
  document_number  text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_warnings_product_idx ON stock_warnings (product_id, warehouse_id, created_at);

-- 出货通知单: tells the warehouse to prepare; no stock effect. Optional quality re-check (出货复核).
CREATE TABLE shipping_notices (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  idempotency_key  text NOT NULL UNIQUE,
  requires_quality_check boolean NOT NULL DEFAULT false,
  quality_result   text CHECK (quality_result IN ('pass', 'fail')),
  quality_checked_on date,
  quality_checked_by text,
  issued_by        text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipping_notices_order_idx ON shipping_notices (order_id);

CREATE TABLE shipping_notice_lines (
  shipping_notice_id  bigint NOT NULL REFERENCES shipping_notices,
  order_line_no       int NOT NULL,
  planned_qty         numeric(18,4) NOT NULL CHECK (planned_qty > 0),
  actual_qty          numeric(18,4) NOT NULL DEFAULT 0 CHECK (actual_qty >= 0),
  PRIMARY KEY (shipping_notice_id, order_line_no)
);

ALTER TABLE delivery_notes ADD COLUMN shipping_notice_id bigint REFERENCES shipping_notices;

INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES ('shipping_notice', 'SN', 'yyyymmdd', 4)
ON CONFLICT (document_type) DO NOTHING;

-- 报价单: a quotation keeps every version; the customer accepts one (客户审核), which can be copied to an order once.
CREATE TABLE quotations (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  customer_id      bigint NOT NULL REFERENCES customers,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'ordered')),
  current_version  int NOT NULL DEFAULT 1 CHECK (current_version > 0),
  accepted_version int,
  order_number     text,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accepted_has_version CHECK (status = 'open' OR accepted_version IS NOT NULL),
  CONSTRAINT ordered_has_order CHECK (status <> 'ordered' OR order_number IS NOT NULL)
);

-- Versions for the same request: a new version never changes an older one.
CREATE TABLE quotation_versions (
  quotation_id   bigint NOT NULL REFERENCES quotations,
  version        int NOT NULL CHECK (version > 0),
  valid_until    date,
  net_amount     numeric(18,2) NOT NULL,
  tax_amount     numeric(18,2) NOT NULL,
  gross_amount   numeric(18,2) NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (quotation_id, version)
);

CREATE TABLE quotation_lines (
  quotation_id   bigint NOT NULL,
  version        int NOT NULL,
  line_no        int NOT NULL CHECK (line_no > 0),
  product_id     bigint NOT NULL REFERENCES products,
  warehouse_id   bigint NOT NULL REFERENCES warehouses,
  quantity       numeric(18,4) NOT NULL CHECK (quantity > 0),
  -- 赠品量: given free on top of the quantity.
  gift_qty       numeric(18,4) NOT NULL DEFAULT 0 CHECK (gift_qty >= 0),
  unit_price     numeric(18,6) NOT NULL CHECK (unit_price >= 0),
  tax_rate       numeric(9,6) NOT NULL,
  net_amount     numeric(18,2) NOT NULL,
  tax_amount     numeric(18,2) NOT NULL,
  PRIMARY KEY (quotation_id, version, line_no),
  FOREIGN KEY (quotation_id, version) REFERENCES quotation_versions
);

INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES ('quotation', 'QT', 'yyyymmdd', 4)
ON CONFLICT (document_type) DO NOTHING;
