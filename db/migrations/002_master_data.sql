-- The full master data of DOMAIN.md (基础资料): what customers and products carry.

ALTER TABLE customers
  ADD COLUMN contacts            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contacts) = 'array'),
  ADD COLUMN region              text,
  ADD COLUMN industry            text,
  ADD COLUMN tax_id              text,
  ADD COLUMN settlement_terms    text NOT NULL DEFAULT 'net' CHECK (settlement_terms IN ('cash', 'transfer', 'monthly', 'net')),
  -- 总公司付款: a branch whose head office pays; credit and receivables go to the payer.
  ADD COLUMN bill_to_customer_id bigint REFERENCES customers CHECK (bill_to_customer_id <> id),
  ADD COLUMN deposit_ratio       numeric(9,6) NOT NULL DEFAULT 0 CHECK (deposit_ratio >= 0 AND deposit_ratio <= 1),
  ADD COLUMN pricing_order       text[] NOT NULL DEFAULT ARRAY['customer_price', 'grade_discount', 'quantity_tier'],
  ADD COLUMN credit_control      text NOT NULL DEFAULT 'company' CHECK (credit_control IN ('company', 'none', 'customer')),
  ADD COLUMN credit_limit        numeric(18,2) NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  ADD COLUMN credit_overrun_rate numeric(9,6) NOT NULL DEFAULT 0 CHECK (credit_overrun_rate >= 0 AND credit_overrun_rate <= 1),
  ADD COLUMN invoice_mode        text NOT NULL DEFAULT 'per_order' CHECK (invoice_mode IN ('per_order', 'per_delivery', 'monthly')),
  ADD COLUMN updated_at          timestamptz NOT NULL DEFAULT now();

CREATE INDEX customers_bill_to_idx ON customers (bill_to_customer_id) WHERE bill_to_customer_id IS NOT NULL;

-- 送货地址: several delivery addresses per customer, one of them the default.
CREATE TABLE customer_addresses (
  id           bigserial PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers,
  label        text NOT NULL,
  address      text NOT NULL CHECK (length(address) > 0),
  contact      text,
  phone        text,
  is_default   boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX customer_addresses_one_default ON customer_addresses (customer_id) WHERE is_default;

ALTER TABLE products
  ADD COLUMN spec              text,
  ADD COLUMN category          text,
  -- 单价下限率: the lowest share of the reference price a clerk may sell at without approval.
  ADD COLUMN price_floor_rate  numeric(9,6) NOT NULL DEFAULT 0 CHECK (price_floor_rate >= 0 AND price_floor_rate <= 1),
  ADD COLUMN batch_managed     boolean NOT NULL DEFAULT false,
  ADD COLUMN shelf_life_days   int CHECK (shelf_life_days > 0),
  ADD COLUMN updated_at        timestamptz NOT NULL DEFAULT now();

-- Company-wide settings (credit default limit, where the credit check runs, tolerances…).
CREATE TABLE company_settings (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
INSERT INTO company_settings (key, value) VALUES
  ('credit.default_limit', '"0"'),
  ('credit.default_overrun_rate', '"0"');

-- What the checks before approval found, as the approver sees them.
ALTER TABLE sales_orders ADD COLUMN checks jsonb NOT NULL DEFAULT '[]';
