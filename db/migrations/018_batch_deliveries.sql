-- Issue 17 item 2: batch-tracked products leave by batch (FEFO unless the warehouse chooses), come back into the batch
-- they left from, are counted by batch, and warn before they expire.

-- Which batches each delivery note line took, written in the delivery's own transaction; a return books back here.
CREATE TABLE delivery_note_batches (
  delivery_note_id bigint NOT NULL,
  line_no          int NOT NULL,
  batch_no         text NOT NULL,
  expiry_date      date NOT NULL,
  quantity         numeric(18,4) NOT NULL CHECK (quantity > 0),
  returned_qty     numeric(18,4) NOT NULL DEFAULT 0 CHECK (returned_qty >= 0),
  PRIMARY KEY (delivery_note_id, line_no, batch_no),
  FOREIGN KEY (delivery_note_id, line_no) REFERENCES delivery_note_lines (delivery_note_id, line_no),
  CONSTRAINT batch_returned_within_delivered CHECK (returned_qty <= quantity)
);

-- A count sheet counts a batch-tracked product per batch: one line per (product, batch), the book being the batch.
ALTER TABLE stock_count_lines DROP CONSTRAINT stock_count_lines_count_id_product_id_key;
ALTER TABLE stock_count_lines
  ADD COLUMN batch_no    text,
  ADD COLUMN expiry_date date,
  ADD CONSTRAINT count_expiry_needs_batch CHECK ((batch_no IS NULL) = (expiry_date IS NULL));
CREATE UNIQUE INDEX stock_count_lines_once ON stock_count_lines (count_id, product_id, coalesce(batch_no, ''));

-- 效期预警: batches expiring within this many days are listed beside the expired ones.
INSERT INTO company_settings (key, value) VALUES ('stock.expiry_warning_days', '30') ON CONFLICT (key) DO NOTHING;

-- The warning list reads batches by expiry.
CREATE INDEX stock_batches_expiry_idx ON stock_batches (expiry_date) WHERE on_hand > 0;
