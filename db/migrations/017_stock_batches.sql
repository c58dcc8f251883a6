-- Issue 17: stock comes in by goods receipt (入库), changes by adjustment (调整) with a reason, and moves between
-- warehouses by transfer (调拨): the out and the in are two ledger rows under one document number.
ALTER TABLE stock_moves DROP CONSTRAINT stock_moves_kind_check;
ALTER TABLE stock_moves ADD CONSTRAINT stock_moves_kind_check
  CHECK (kind IN ('opening', 'reserve', 'release', 'deliver', 'return', 'adjust', 'receive', 'transfer'));
-- Batch-tracked products (products.batch_managed) carry their batch and its expiry on each move.
ALTER TABLE stock_moves
  ADD COLUMN batch_no    text,
  ADD COLUMN expiry_date date,
  ADD COLUMN reason      text,
  ADD CONSTRAINT expiry_needs_batch CHECK (expiry_date IS NULL OR batch_no IS NOT NULL);

-- What each batch holds per warehouse; its expiry is the batch's own, set when it first arrives.
CREATE TABLE stock_batches (
  product_id   bigint NOT NULL REFERENCES products,
  warehouse_id bigint NOT NULL REFERENCES warehouses,
  batch_no     text NOT NULL,
  expiry_date  date NOT NULL,
  on_hand      numeric(18,4) NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  PRIMARY KEY (product_id, warehouse_id, batch_no)
);

INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES
  ('stock_receipt', 'GR', 'yyyymmdd', 4),
  ('stock_adjustment', 'ADJ', 'yyyymmdd', 4),
  ('stock_transfer', 'TR', 'yyyymmdd', 4);

-- 盘点: a count sheet records what was counted against the book at that moment; once approved (by someone other
-- than the counter) its differences become one adjustment, under the sheet's own number.
CREATE TABLE stock_counts (
  id            bigserial PRIMARY KEY,
  number        text NOT NULL UNIQUE,
  warehouse_id  bigint NOT NULL REFERENCES warehouses,
  status        text NOT NULL DEFAULT 'counted' CHECK (status IN ('counted', 'approved')),
  counted_by    text NOT NULL,
  approved_by   text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  approved_at   timestamptz
);
CREATE TABLE stock_count_lines (
  count_id      bigint NOT NULL REFERENCES stock_counts,
  line_no       int NOT NULL CHECK (line_no > 0),
  product_id    bigint NOT NULL REFERENCES products,
  book_qty      numeric(18,4) NOT NULL,
  counted_qty   numeric(18,4) NOT NULL CHECK (counted_qty >= 0),
  PRIMARY KEY (count_id, line_no),
  UNIQUE (count_id, product_id)
);
INSERT INTO numbering_rules (document_type, prefix, date_part, digits) VALUES ('stock_count', 'SC', 'yyyymmdd', 4);
