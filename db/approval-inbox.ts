import type { Approver, ApproverRole, GivenApproval, OrderCheck } from '../domain/order/index.js';
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

/** An unapproved order with what decides its approvals: the checks stored with its requirements, and the approvals given. */
export interface OrderCandidate extends ApprovalCandidate {
  kind: 'order';
  checks: OrderCheck[];
  approvals: GivenApproval[];
}

/** The roles whose requirement this approver's approval can fill (domain/order/approval.ts covers: a senior also the ordinary one). */
const rolesFilledBy = (role: ApproverRole): ApproverRole[] => (role === 'senior_approver' ? ['senior_approver', 'approver'] : [role]);

type Row = { number: string; version: number | null; customer_code: string; customer_name: string; currency: string; gross: string; asked_by: string; asked_at: Date };

const candidate = (kind: 'order' | 'change', r: Row): ApprovalCandidate => ({
  kind,
  orderNumber: r.number,
  version: r.version,
  customerCode: r.customer_code,
  customerName: r.customer_name,
  currency: r.currency,
  gross: r.gross,
  askedBy: r.asked_by,
  askedAt: new Date(r.asked_at).toISOString(),
});

/**
 * Unapproved orders that can wait for this approver, oldest first, narrowed in
 * SQL to what can need them: not their own, not approved by them already, and
 * either an active rule that applies (amount above its threshold, or its check
 * failed in the checks stored with the order's requirements) asks for a role
 * they fill and nobody has filled it yet, within their amount limit; or no rule
 * applies at all (then any approver's approval is the only one). A superset:
 * the domain decides each row exactly.
 */
export async function orderCandidates(sql: Sql, approver: Approver): Promise<OrderCandidate[]> {
  const rows = await sql<(Row & { checks: OrderCheck[]; approvals: GivenApproval[] })[]>`
    WITH o AS (
      SELECT o.*, c.code AS customer_code, c.name AS customer_name FROM sales_orders o JOIN customers c ON c.id = o.customer_id
      WHERE o.status = 'Unapproved' AND o.created_by <> ${approver.userName}
        AND NOT EXISTS (SELECT 1 FROM order_approvals a WHERE a.order_id = o.id AND NOT a.superseded AND a.user_name = ${approver.userName})
    ), applies AS (
      SELECT o.id AS order_id, r.id AS rule_id, r.required_role FROM o JOIN approval_rules r ON r.active AND (
        (r.kind = 'amount' AND o.gross_amount > r.min_amount)
        OR (r.kind = 'check' AND EXISTS (
          SELECT 1 FROM jsonb_array_elements(o.checks) k
          WHERE k->>'code' = r.check_code AND k->>'passed' = 'false' AND coalesce(k->>'warning', 'false') <> 'true')))
    )
    SELECT o.number, NULL::int AS version, o.customer_code, o.customer_name, o.currency, o.gross_amount::text AS gross,
           o.created_by AS asked_by, o.created_at AS asked_at, o.checks,
           coalesce((SELECT jsonb_agg(jsonb_build_object('actor', a.user_name, 'role', a.role, 'ruleId', a.rule_id) ORDER BY a.id)
                     FROM order_approvals a WHERE a.order_id = o.id AND NOT a.superseded), '[]') AS approvals
    FROM o
    WHERE NOT EXISTS (SELECT 1 FROM applies p WHERE p.order_id = o.id)
       OR ((${approver.maxAmount ?? null}::numeric IS NULL OR o.gross_amount <= ${approver.maxAmount ?? null}::numeric)
           AND EXISTS (SELECT 1 FROM applies p WHERE p.order_id = o.id AND p.required_role = ANY(${rolesFilledBy(approver.role)}::text[])
                         AND NOT EXISTS (SELECT 1 FROM order_approvals a WHERE a.order_id = o.id AND NOT a.superseded AND a.rule_id = p.rule_id)))
    ORDER BY o.created_at, o.number`;
  return rows.map((r) => ({ ...candidate('order', r), kind: 'order', checks: r.checks, approvals: r.approvals }));
}

/**
 * Changes waiting for approval that this approver may decide, oldest first: not
 * asked by them, the gross after the change within their limit. Which approvals
 * a change still misses only its workflow knows (they are stored when it applies).
 */
export async function changeCandidates(sql: Sql, approver: Approver): Promise<ApprovalCandidate[]> {
  const rows = await sql<Row[]>`
    SELECT o.number, ch.version, c.code AS customer_code, c.name AS customer_name, o.currency, ch.gross_after::text AS gross,
           ch.requested_by AS asked_by, ch.requested_at AS asked_at
    FROM order_changes ch JOIN sales_orders o ON o.id = ch.order_id JOIN customers c ON c.id = o.customer_id
    WHERE ch.status = 'pending_approval' AND ch.requested_by <> ${approver.userName}
      AND (${approver.maxAmount ?? null}::numeric IS NULL OR ch.gross_after <= ${approver.maxAmount ?? null}::numeric)
    ORDER BY ch.requested_at, o.number`;
  return rows.map((r) => candidate('change', r));
}
