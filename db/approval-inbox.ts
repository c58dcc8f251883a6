import type { Sql } from './client.js';

/** What may wait for an approver: an order not yet approved, or an order with a change waiting (审核 / 变更审核). */
export interface ApprovalCandidate {
  kind: 'order' | 'change';
  orderNumber: string;
  /** The change's version (1..9999); null for the order itself. */
  version: number | null;
  customerCode: string;
  customerName: string;
  currency: string;
  /** The order's gross; for a change, the gross it would have after the change. */
  gross: string;
  askedBy: string;
  askedAt: string;
}

/** The most candidates one inbox looks at (each is asked of its workflow); the oldest first. */
export const INBOX_CANDIDATES = 200;

/**
 * Orders and changes that wait for somebody's approval, oldest first. Whose approval
 * is decided elsewhere, from the workflow's state and the approver's authority.
 */
export async function approvalCandidates(sql: Sql): Promise<ApprovalCandidate[]> {
  const rows = await sql<{ kind: 'order' | 'change'; number: string; version: number | null; customer_code: string; customer_name: string; currency: string; gross: string; asked_by: string; asked_at: Date }[]>`
    SELECT * FROM (
      SELECT 'order' AS kind, o.number, NULL::int AS version, c.code AS customer_code, c.name AS customer_name, o.currency,
             o.gross_amount::text AS gross, o.created_by AS asked_by, o.created_at AS asked_at
      FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'Unapproved'
      UNION ALL
      SELECT 'change', o.number, ch.version, c.code, c.name, o.currency, ch.gross_after::text, ch.requested_by, ch.requested_at
      FROM order_changes ch JOIN sales_orders o ON o.id = ch.order_id JOIN customers c ON c.id = o.customer_id
      WHERE ch.status = 'pending_approval'
    ) x ORDER BY asked_at, number LIMIT ${INBOX_CANDIDATES}`;
  return rows.map((r) => ({
    kind: r.kind,
    orderNumber: r.number,
    version: r.version,
    customerCode: r.customer_code,
    customerName: r.customer_name,
    currency: r.currency,
    gross: r.gross,
    askedBy: r.asked_by,
    askedAt: new Date(r.asked_at).toISOString(),
  }));
}
