-- Issue 17: an order before approval is a draft its creator edits; a rejected order is revised and submitted again.
-- Each edit is a numbered revision of the order, kept with what it replaced.
ALTER TABLE sales_orders ADD COLUMN revision int NOT NULL DEFAULT 0 CHECK (revision >= 0);

CREATE TABLE sales_order_revisions (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  revision         int NOT NULL CHECK (revision > 0),
  edited_by        text NOT NULL,
  -- The edit of a rejected order sends it back to approval.
  resubmitted      boolean NOT NULL,
  before           jsonb NOT NULL,
  after            jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, revision)
);

-- Every rejection an order received, kept when it is revised (sales_orders.rejected_by/reject_reason hold only the last).
CREATE TABLE sales_order_rejections (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  order_id         bigint NOT NULL REFERENCES sales_orders,
  revision         int NOT NULL,
  rejected_by      text NOT NULL,
  reason           text NOT NULL,
  rejected_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sales_order_rejections_order_idx ON sales_order_rejections (order_id, id);
INSERT INTO sales_order_rejections (idempotency_key, order_id, revision, rejected_by, reason, rejected_at)
  SELECT 'order-' || number || '/reject', id, 0, rejected_by, coalesce(reject_reason, ''), updated_at
  FROM sales_orders WHERE status = 'Rejected' AND rejected_by IS NOT NULL;

-- Approvals given to a revision that was rejected and revised no longer count; the same approver approves the new one.
ALTER TABLE order_approvals ADD COLUMN superseded boolean NOT NULL DEFAULT false;
ALTER TABLE order_approvals DROP CONSTRAINT order_approvals_order_id_user_name_key;
CREATE UNIQUE INDEX order_approvals_live_idx ON order_approvals (order_id, user_name) WHERE NOT superseded;
