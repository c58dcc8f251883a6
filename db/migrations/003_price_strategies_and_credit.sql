-- Price strategies (价格策略), credit settings, customer numbering, import bookkeeping.

-- 客户商品价格: a price agreed with one customer for one product, valid between two dates.
-- Where two rows cover the same date, the one that took effect last wins (see domain/pricing.ts).
CREATE TABLE customer_prices (
  id              bigserial PRIMARY KEY,
  customer_id     bigint NOT NULL REFERENCES customers,
  product_id      bigint NOT NULL REFERENCES products,
  unit_price      numeric(18,6) NOT NULL CHECK (unit_price >= 0),
  effective_from  date NOT NULL,
  effective_to    date,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT customer_price_dates_in_order CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
CREATE INDEX customer_prices_lookup_idx ON customer_prices (customer_id, product_id, effective_from DESC);
CREATE INDEX customer_prices_product_idx ON customer_prices (product_id);

-- Customer-grade discounts: the share of the list price a grade pays.
CREATE TABLE grade_discounts (
  grade  text PRIMARY KEY CHECK (grade IN ('vip', 'regular')),
  rate   numeric(9,6) NOT NULL CHECK (rate > 0 AND rate <= 1)
);
INSERT INTO grade_discounts (grade, rate) VALUES ('vip', 0.90), ('regular', 0.95);

-- Quantity tiers: a line of quantity q falls in the tier with above < q <= up_to
-- (up_to NULL: no upper end). The tiers form one unbroken scale from zero upwards.
CREATE TABLE quantity_tiers (
  above  numeric(18,4) PRIMARY KEY CHECK (above >= 0),
  up_to  numeric(18,4) CHECK (up_to IS NULL OR up_to > above),
  rate   numeric(9,6) NOT NULL CHECK (rate > 0 AND rate <= 1)
);
INSERT INTO quantity_tiers (above, up_to, rate) VALUES (0, 10, 1), (10, 50, 0.98), (50, NULL, 0.95);

-- Which price rule won on each order line, and whether the price is under the floor.
ALTER TABLE sales_order_lines
  ADD COLUMN price_rule   text NOT NULL DEFAULT 'manual'
    CHECK (price_rule IN ('manual', 'customer_price', 'grade_discount', 'quantity_tier', 'list_price')),
  ADD COLUMN below_floor  boolean NOT NULL DEFAULT false;
-- The last price a customer paid for a product (历史价格) and the credit exposure read these.
CREATE INDEX sales_order_lines_product_idx ON sales_order_lines (product_id, order_id);

-- Customer codes come from a numbering rule too (编码原则): C0004, C0005, … without a
-- separator, so they continue the seeded C0001–C0003.
ALTER TABLE numbering_rules ADD COLUMN separator text NOT NULL DEFAULT '-' CHECK (separator IN ('', '-', '/', '_'));
INSERT INTO numbering_rules (document_type, prefix, date_part, digits, separator) VALUES ('customer', 'C', 'none', 4, '');
INSERT INTO numbering_counters (document_type, period, last_number) VALUES ('customer', '', 3);

-- Credit control (信用额度控制): where the check runs, whether a breach blocks or warns,
-- and the company rule for customers under mode 'company'.
INSERT INTO company_settings (key, value) VALUES
  ('credit.check_points', '["approval"]'),
  ('credit.on_breach', '"block"')
ON CONFLICT (key) DO NOTHING;
UPDATE company_settings SET value = '"500000"' WHERE key = 'credit.default_limit' AND value = '"0"';

-- One row per CSV import that wrote something (批量导入); a refused file writes nothing at all.
CREATE TABLE imports (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('customers', 'products', 'opening_stock', 'customer_prices')),
  row_count    int NOT NULL CHECK (row_count >= 0),
  imported_by  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Lists filter and sort on these.
CREATE INDEX customers_name_idx ON customers (name);
CREATE INDEX products_name_idx ON products (name);
CREATE INDEX products_category_idx ON products (category) WHERE category IS NOT NULL;
CREATE INDEX stock_moves_created_idx ON stock_moves (created_at, id);
CREATE INDEX sales_order_lines_order_idx ON sales_order_lines (order_id) WHERE close_status = 'N';
