-- 客户商品价格 can be changed and retired. An order line priced by an agreed price
-- points at it, so that price is kept (deactivated, no longer used for pricing)
-- instead of deleted: the line still shows where its price came from.
ALTER TABLE customer_prices
  ADD COLUMN active      boolean NOT NULL DEFAULT true,
  ADD COLUMN updated_by  text,
  ADD COLUMN updated_at  timestamptz;

ALTER TABLE sales_order_lines ADD COLUMN customer_price_id bigint REFERENCES customer_prices;
CREATE INDEX sales_order_lines_customer_price_idx ON sales_order_lines (customer_price_id) WHERE customer_price_id IS NOT NULL;
