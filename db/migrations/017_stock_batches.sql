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
