-- The read side at scale (issue 9: 1,000,000 receivables, 200,000 orders): finance's
-- views read only open invoices (open: not yet paid, written off or credited), a small share of the table, so partial indexes that
-- carry the amounts let them answer from the index alone (index-only scans).

-- 账龄分析 and a payer's open invoices (receipt matching, unmatched receipts): by payer,
-- now with the amounts, so aging sums per payer without touching the table.
DROP INDEX IF EXISTS invoices_payer_open_idx;
CREATE INDEX invoices_payer_open_idx ON invoices (payer_customer_id, due_on, id)
  INCLUDE (gross_amount, paid_amount, written_off_amount, credited_amount)
  WHERE paid_amount + written_off_amount + credited_amount < gross_amount;

-- Stuck payments: open invoices past a due date, oldest first, with what a per-invoice
-- or per-order answer needs (number, order, payer, amounts).
CREATE INDEX invoices_open_due_idx ON invoices (due_on, id)
  INCLUDE (number, order_id, payer_customer_id, gross_amount, paid_amount, written_off_amount, credited_amount)
  WHERE paid_amount + written_off_amount + credited_amount < gross_amount;
