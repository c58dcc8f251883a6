import { dec, money } from '../domain/decimal.js';
import { missingApprovals, requiredApprovals, whoCanApprove, type ApproverRole, type OrderCheck } from '../domain/order/index.js';
import type { OrderFacts } from '../domain/notices.js';
import { readApprovalRules } from '../db/approval-rules.js';
import type { Tx } from '../db/client.js';
import { activeApprovers } from '../db/outbox/routing.js';

/** An order as its approval messages show it, with who must still decide (by name, from the approval rules). */
export async function orderFactsOf(tx: Tx, orderNumber: string): Promise<(OrderFacts & { customerId: string; asked: string[] }) | undefined> {
  const [o] = await tx<{ id: string; customer_id: string; customer: string; gross: string; currency: string; created_by: string; checks: OrderCheck[]; lines: number }[]>`
    SELECT o.id, o.customer_id, c.code || ' ' || c.name AS customer, o.gross_amount::text AS gross, o.currency, o.created_by, o.checks,
           (SELECT count(*)::int FROM sales_order_lines l WHERE l.order_id = o.id) AS lines
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${orderNumber}`;
  if (!o) return undefined;
  const [rules, approvers, given] = await Promise.all([
    readApprovalRules(tx),
    activeApprovers(tx),
    tx<{ actor: string; role: ApproverRole; ruleId: number }[]>`
      SELECT user_name AS actor, role, coalesce(rule_id, 0) AS "ruleId" FROM order_approvals WHERE order_id = ${o.id} ORDER BY id`,
  ]);
  const checks = o.checks ?? [];
  const missing = missingApprovals(requiredApprovals(rules, checks, o.gross), given);
  const stillNeeded = whoCanApprove(approvers, missing, o.gross, [o.created_by, ...given.map((g) => g.actor)]);
  return {
    orderNumber,
    customerId: o.customer_id,
    customer: o.customer,
    gross: money(dec(o.gross)),
    currency: o.currency,
    createdBy: o.created_by,
    lineCount: o.lines,
    failedChecks: checks.filter((c) => !c.passed).map((c) => ({ code: c.code, message: c.message })),
    stillNeeded,
    asked: [...new Set(stillNeeded.flatMap((n) => n.people))],
  };
}
