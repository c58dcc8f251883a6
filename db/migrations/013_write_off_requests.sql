-- 坏账核销 with two people: a write-off is a request finance makes and another
-- finance approver decides (approve books it on the order's workflow, reject ends it).
CREATE TABLE write_off_requests (
  id                bigserial PRIMARY KEY,
  order_id          bigint NOT NULL REFERENCES sales_orders,
  -- Numbered per order: /orders/{number}/write-offs/{seq}.
  seq               int NOT NULL CHECK (seq BETWEEN 1 AND 9999),
  -- approving: an approver claimed it and the write-off is being booked; only they finish it.
  status            text NOT NULL CHECK (status IN ('pending', 'approving', 'approved', 'rejected')),
  -- What was open on the order when it was asked for; the approval books exactly this.
  amount            numeric(18,2) NOT NULL CHECK (amount > 0),
  currency          text NOT NULL,
  reason            text NOT NULL CHECK (length(btrim(reason)) > 0),
  requested_by      text NOT NULL,
  requested_by_role text NOT NULL,
  requested_at      timestamptz NOT NULL DEFAULT now(),
  decided_by        text,
  decided_at        timestamptz,
  reject_reason     text CHECK (reject_reason IS NULL OR length(btrim(reject_reason)) > 0),
  -- The invoices it wrote off: [{ invoice, amount }].
  written_off       jsonb,
  UNIQUE (order_id, seq),
  CHECK ((status = 'pending') = (decided_by IS NULL)),
  CHECK ((status = 'rejected') = (reject_reason IS NOT NULL))
);
-- One undecided request per order at a time.
CREATE UNIQUE INDEX write_off_requests_undecided_idx ON write_off_requests (order_id) WHERE status IN ('pending', 'approving');
