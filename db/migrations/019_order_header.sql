-- Issue 17, drafts: the order's own header. Ship-to is a copy of the customer's address as it was when the
-- order was saved, so a later edit of the customer's addresses never changes a printed order.
ALTER TABLE sales_orders
  ADD COLUMN ship_to_label    text,
  ADD COLUMN ship_to_address  text,
  ADD COLUMN ship_to_contact  text,
  ADD COLUMN ship_to_phone    text,
  -- 业务员 and 部门: whom the sale is credited to; reports filter by both.
  ADD COLUMN salesperson      text,
  ADD COLUMN department       text CHECK (length(department) BETWEEN 1 AND 60),
  -- How the deposit was asked for (at most one; neither: the customer's ratio); deposit_required is what it came to.
  ADD COLUMN deposit_ratio    numeric(9,6) CHECK (deposit_ratio >= 0 AND deposit_ratio <= 1),
  ADD COLUMN deposit_amount   numeric(18,2) CHECK (deposit_amount >= 0),
  ADD CONSTRAINT deposit_asked_once CHECK (deposit_ratio IS NULL OR deposit_amount IS NULL),
  -- Payment terms agreed for this order; null: its payer's.
  ADD COLUMN settlement_terms text CHECK (settlement_terms IN ('cash', 'transfer', 'monthly', 'net')),
  ADD COLUMN settlement_days  int CHECK (settlement_days BETWEEN 0 AND 365),
  ADD CONSTRAINT settlement_terms_whole CHECK ((settlement_terms IS NULL) = (settlement_days IS NULL));

-- Until now the reports called the order's creator its salesperson; existing orders keep that meaning.
UPDATE sales_orders SET salesperson = created_by WHERE salesperson IS NULL;

CREATE INDEX sales_orders_salesperson_idx ON sales_orders (salesperson) WHERE salesperson IS NOT NULL;
CREATE INDEX sales_orders_department_idx ON sales_orders (department) WHERE department IS NOT NULL;
