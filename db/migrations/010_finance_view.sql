-- Finance's stuck payments per order (issue 6): every order's open receivables in one row,
-- kept by the database in the same transaction as the invoices they sum, so listing the
-- orders that wait for money reads one small indexed row per order instead of adding up
-- every open invoice (1,000,000 receivables) on each request.

CREATE TABLE order_open_receivables (
  order_id           bigint PRIMARY KEY REFERENCES sales_orders,
  customer_id        bigint NOT NULL REFERENCES customers,
  payer_customer_id  bigint NOT NULL REFERENCES customers,
  open_amount        numeric(18,2) NOT NULL CHECK (open_amount > 0),
  oldest_due_on      date NOT NULL,
  open_invoices      int NOT NULL CHECK (open_invoices > 0)
);
-- Oldest due first (the default), largest amount first, and one customer's or payer's orders.
CREATE INDEX order_open_receivables_due_idx ON order_open_receivables (oldest_due_on, order_id);
CREATE INDEX order_open_receivables_amount_idx ON order_open_receivables (open_amount, order_id);
CREATE INDEX order_open_receivables_customer_idx ON order_open_receivables (customer_id, oldest_due_on, order_id);
CREATE INDEX order_open_receivables_payer_idx ON order_open_receivables (payer_customer_id, oldest_due_on, order_id);

-- Recomputes the rows of the given orders from their open invoices (open = gross − paid −
-- written off − credited by credit notes). The orders are locked
-- first, in id order, the lock every order step takes (lockOrder): a concurrent change to the
-- same order's invoices waits, and its recomputation then sees this one's committed invoices.
CREATE FUNCTION refresh_order_open_receivables(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM sales_orders WHERE id = ANY (order_ids) ORDER BY id FOR UPDATE;
  DELETE FROM order_open_receivables r
  WHERE r.order_id = ANY (order_ids)
    AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = r.order_id AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount);
  INSERT INTO order_open_receivables (order_id, customer_id, payer_customer_id, open_amount, oldest_due_on, open_invoices)
  SELECT i.order_id, min(i.customer_id), min(i.payer_customer_id), sum(i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount),
         min(i.due_on), count(*)
  FROM invoices i
  WHERE i.order_id = ANY (order_ids) AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount
  GROUP BY i.order_id
  ON CONFLICT (order_id) DO UPDATE SET
    open_amount = EXCLUDED.open_amount, oldest_due_on = EXCLUDED.oldest_due_on, open_invoices = EXCLUDED.open_invoices,
    payer_customer_id = EXCLUDED.payer_customer_id;
END $$;

-- One statement-level trigger per event: a bulk load of invoices refreshes each order once.
CREATE FUNCTION invoices_refresh_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_order_open_receivables(ARRAY(SELECT DISTINCT order_id FROM new_rows));
  RETURN NULL;
END $$;
CREATE FUNCTION invoices_refresh_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_order_open_receivables(ARRAY(SELECT order_id FROM new_rows UNION SELECT order_id FROM old_rows));
  RETURN NULL;
END $$;
CREATE FUNCTION invoices_refresh_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_order_open_receivables(ARRAY(SELECT DISTINCT order_id FROM old_rows));
  RETURN NULL;
END $$;
CREATE TRIGGER invoices_open_receivables_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoices_refresh_inserted();
CREATE TRIGGER invoices_open_receivables_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoices_refresh_updated();
CREATE TRIGGER invoices_open_receivables_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoices_refresh_deleted();

SELECT refresh_order_open_receivables(ARRAY(SELECT DISTINCT order_id FROM invoices WHERE paid_amount + written_off_amount + credited_amount < gross_amount));

-- Orders that may wait for their deposit (订金) before the warehouse may ship, read from the index alone.
CREATE INDEX sales_orders_deposit_wait_idx ON sales_orders (id) INCLUDE (customer_id, deposit_required)
  WHERE deposit_required > 0 AND status IN ('Unapproved', 'Approved');
