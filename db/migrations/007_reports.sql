-- Reports (常用报表): the cost of goods as it was when they left, so gross margin
-- does not move when products.cost_price changes later.
ALTER TABLE delivery_note_lines ADD COLUMN unit_cost numeric(18,6) CHECK (unit_cost >= 0);
-- Notes issued before this column existed take the cost price of today: the best that is known.
UPDATE delivery_note_lines dl SET unit_cost = p.cost_price FROM products p WHERE p.id = dl.product_id AND dl.unit_cost IS NULL;

-- Reports filter deliveries by date, and the order timeline reads stock moves by document.
CREATE INDEX delivery_notes_created_idx ON delivery_notes (created_at);
CREATE INDEX stock_moves_document_idx ON stock_moves (document_number);
