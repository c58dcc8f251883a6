import type { Approver, ApprovalRule, ApproverRole, OrderCheck } from '../domain/order/index.js';
import { numericText } from '../domain/decimal.js';
import { evaluateOrderChecks } from './checks.js';
import { reserveOpenLines, reservedLines, type ReservedLine } from './stock.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';

export interface ApprovalNotice {
  orderNumber: string;
  key: string;
  kind: 'approval_reminder' | 'approval_escalation';
  message: string;
}

/** Approval authority as data (审核权限): read by the workflow through activities so replays see the same answer. */
export function approvalActivities({ sql }: ActivityDeps) {
  async function lookupApprover({ userName }: { userName: string }): Promise<Approver | null> {
    const [row] = await sql<{ user_name: string; role: ApproverRole; max_amount: string | null }[]>`
      SELECT user_name, role, max_amount::text FROM approvers WHERE user_name = ${userName} AND active`;
    if (!row) return null;
    return { userName: row.user_name, role: row.role, ...(row.max_amount === null ? {} : { maxAmount: row.max_amount }) };
  }

  async function approvalRules(): Promise<ApprovalRule[]> {
    const rows = await sql<{ id: number; kind: 'amount' | 'check'; min_amount: string | null; check_code: string | null; required_role: ApproverRole; description: string }[]>`
      SELECT id, kind, min_amount::text, check_code, required_role, description FROM approval_rules WHERE active ORDER BY id`;
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      ...(r.min_amount === null ? {} : { minAmount: numericText(r.min_amount) }),
      ...(r.check_code === null ? {} : { checkCode: r.check_code }),
      requiredRole: r.required_role,
      description: r.description,
    }));
  }

  /**
   * What an approval is decided on, read at once: the checks (run again and
   * stored on the order), the approval rules and, when a user is named, that
   * user's approval authority (null if they have none).
   */
  async function approvalContext({ orderNumber, userName }: { orderNumber: string; userName?: string }): Promise<{
    checks: OrderCheck[];
    rules: ApprovalRule[];
    approver: Approver | null;
  }> {
    const [checks, rules, approver] = await Promise.all([
      evaluateOrderChecks(sql, orderNumber),
      approvalRules(),
      userName === undefined ? null : lookupApprover({ userName }),
    ]);
    return { checks, rules, approver };
  }

  /** Records a reminder or escalation once; the chat bot delivers it. */
  async function recordApprovalNotice(n: ApprovalNotice): Promise<void> {
    await once(sql, n.key, async (tx) => {
      await tx`
        INSERT INTO notifications (idempotency_key, order_number, kind, message)
        VALUES (${n.key}, ${n.orderNumber}, ${n.kind}, ${n.message}) ON CONFLICT (idempotency_key) DO NOTHING`;
      return true;
    });
  }

  /** 操作留痕: the approval as given (the workflow decides what it fills). */
  async function recordApproval(a: { orderNumber: string; key: string; userName: string; role: ApproverRole; ruleId: number }): Promise<void> {
    await once(sql, a.key, async (tx) => {
      const order = await lockOrder(tx, a.orderNumber);
      await tx`
        INSERT INTO order_approvals (idempotency_key, order_id, user_name, role, rule_id)
        VALUES (${a.key}, ${order.id}, ${a.userName}, ${a.role}, ${a.ruleId})`;
      return true;
    });
  }

  /**
   * The approval that completes the order's approvals (审核通过): the stock is
   * reserved (锁定库存, all or nothing unless back-ordered), the order marked
   * approved and the approval recorded, in one transaction, so either all of it
   * happened or none. Keyed by the reservation step.
   */
  async function recordFinalApproval(a: {
    orderNumber: string;
    reserveKey: string;
    approvalKey: string;
    userName: string;
    role: ApproverRole;
    ruleId: number;
    partial: boolean;
  }): Promise<ReservedLine[]> {
    return once(sql, a.reserveKey, async (tx) => {
      const order = await lockOrder(tx, a.orderNumber);
      await reserveOpenLines(tx, order, a.reserveKey, a.partial);
      await tx`UPDATE sales_orders SET status = 'Approved', approved_by = ${a.userName}, updated_at = now() WHERE id = ${order.id}`;
      await tx`
        INSERT INTO order_approvals (idempotency_key, order_id, user_name, role, rule_id)
        VALUES (${a.approvalKey}, ${order.id}, ${a.userName}, ${a.role}, ${a.ruleId})`;
      return reservedLines(tx, order.id);
    });
  }

  return {
    recordApproval: asActivity(recordApproval),
    recordFinalApproval: asActivity(recordFinalApproval),
    lookupApprover: asActivity(lookupApprover),
    approvalRules: asActivity(approvalRules),
    approvalContext: asActivity(approvalContext),
    recordApprovalNotice: asActivity(recordApprovalNotice),
  };
}
