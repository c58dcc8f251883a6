import { businessDate } from '../domain/calendar.js';
import {
  decideApproval,
  escalationTargets,
  notAnApprover,
  requiredApprovals,
  type ApprovalRule,
  type GivenApproval,
  type OrderCheck,
} from '../domain/order/index.js';
import { approvalEscalationNotice, approvalReminderNotice, withNeeded } from '../domain/notices.js';
import { enqueueNotification } from '../db/outbox/enqueue.js';
import { activeApprovers, readRouting, usersWithRole } from '../db/outbox/routing.js';
import { evaluateOrderChecks } from '../db/order-checks.js';
import { readApprovalRules } from '../db/approval-rules.js';
import { readApprover } from '../db/approvers.js';
import { reserveOpenLines, reservedLines, type ReservedLine } from './stock.js';
import { asActivity, Ending, lockOrder, once, type ActivityDeps } from './support.js';
import { orderFactsOf } from './notify.js';

export interface ApprovalNotice {
  orderNumber: string;
  key: string;
  kind: 'approval_reminder' | 'approval_escalation';
  message: string;
}

export interface ApproveOrderInput {
  orderNumber: string;
  actor: string;
  /** The order's gross amount and the approvals it already has (from the workflow's state). */
  gross: string;
  given: GivenApproval[];
  approvalKey: string;
  /** The reservation's key, used when this approval is the final one. */
  reserveKey: string;
  /** Back-order a shortfall instead of refusing the approval. */
  partial: boolean;
}

export interface ApproveOrderResult {
  checks: OrderCheck[];
  rules: ApprovalRule[];
  approval: GivenApproval;
  /** What each line holds after the final approval; null when more approvals are needed. */
  reserved: ReservedLine[] | null;
}

/** The approver's authority, read where the API's inbox reads it too. */
export { readApprover };

/**
 * Approval authority as data (审核权限): each decision reads the approver's
 * authority inside its own step, so a replay sees the answer given at the time.
 */
export function approvalActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /** The checks (run again and stored on the order) and the approval rules, read at once. */
  async function approvalContext({ orderNumber }: { orderNumber: string }): Promise<{ checks: OrderCheck[]; rules: ApprovalRule[] }> {
    const [checks, rules] = await Promise.all([evaluateOrderChecks(sql, orderNumber), readApprovalRules(sql)]);
    return { checks, rules };
  }

  /**
   * A reminder to the approvers the order still needs, or an escalation to a named person (the
   * configured escalation user, else the next approver up), written to the outbox once.
   */
  async function recordApprovalNotice(n: ApprovalNotice): Promise<void> {
    await once(sql, n.key, async (tx) => {
      const facts = await orderFactsOf(tx, n.orderNumber);
      if (!facts) return false;
      if (n.kind === 'approval_reminder') {
        const notification = approvalReminderNotice(facts);
        await enqueueNotification(tx, { key: n.key, notification, recipients: facts.asked.map((user) => ({ user })), message: withNeeded(notification) });
        return true;
      }
      const [approvers, routing, admins] = await Promise.all([activeApprovers(tx), readRouting(tx), usersWithRole(tx, 'admin')]);
      const targets = escalationTargets(approvers, routing.escalationUser, facts.asked, [facts.createdBy], admins);
      const notification = approvalEscalationNotice(facts, targets.join(', '));
      await enqueueNotification(tx, { key: n.key, notification, recipients: targets.map((user) => ({ user })), message: withNeeded(notification) });
      return true;
    });
  }

  /**
   * 审核 in one step: the approver's authority, the
   * checks (run again and stored) and the rules are read; the domain decides
   * which requirement this approval fills; then it is recorded. The approval
   * that completes the requirements also reserves the stock (锁定库存, all or
   * nothing unless back-ordered) and marks the order approved, in the same
   * transaction as its record: all of it happens or none. Keyed by the approval
   * step, so a retry returns the first outcome.
   */
  async function approveOrder(a: ApproveOrderInput): Promise<ApproveOrderResult> {
    // A retry of a step that committed returns its first outcome before anything is read or decided again.
    return once(sql, a.approvalKey, async (tx) => {
      // Read in this transaction (no second connection per approval, so a burst of approvals cannot starve the pool).
      const [checks, rules, approver] = await Promise.all([evaluateOrderChecks(tx, a.orderNumber), readApprovalRules(tx), readApprover(tx, a.actor)]);
      if (!approver) throw notAnApprover(a.actor);
      const { approval, final } = decideApproval(approver, requiredApprovals(rules, checks, a.gross), a.given, a.gross);
      const order = await lockOrder(tx, a.orderNumber);
      const reserve = final ? await reserveOpenLines(tx, order, a.reserveKey, a.partial, businessDate(now(), business.BUSINESS_TIME_ZONE)) : null;
      // These go out together (pipelined on the transaction's connection); the stock levels' reservation goes last.
      const [reserved] = await Promise.all([
        final ? reservedLines(tx, order.id) : null,
        final ? tx`UPDATE sales_orders SET status = 'Approved', approved_by = ${a.actor}, updated_at = now() WHERE id = ${order.id}` : null,
        tx`
          INSERT INTO order_approvals (idempotency_key, order_id, user_name, role, rule_id)
          VALUES (${a.approvalKey}, ${order.id}, ${a.actor}, ${approval.role}, ${approval.ruleId})`,
      ]);
      const result = { checks, rules, approval, reserved };
      return reserve ? new Ending(result, reserve) : result;
    });
  }

  /**
   * 驳回: an approver's rejection, their authority read in the same transaction.
   * Nothing is reserved before approval, so a rejection releases nothing.
   */
  async function rejectOrder(r: { orderNumber: string; key: string; actor: string; reason: string }): Promise<void> {
    await once(sql, r.key, async (tx) => {
      if (!(await readApprover(tx, r.actor))) throw notAnApprover(r.actor);
      const order = await lockOrder(tx, r.orderNumber);
      await tx`UPDATE sales_order_lines SET close_status = 'y' WHERE order_id = ${order.id} AND close_status = 'N'`;
      await tx`UPDATE sales_orders SET status = 'Rejected', rejected_by = ${r.actor}, reject_reason = ${r.reason}, updated_at = now() WHERE id = ${order.id}`;
      // Kept beside the order's current rejection, so a revised order still shows why it was rejected before.
      await tx`
        INSERT INTO sales_order_rejections (idempotency_key, order_id, revision, rejected_by, reason)
        VALUES (${r.key}, ${order.id}, (SELECT revision FROM sales_orders WHERE id = ${order.id}), ${r.actor}, ${r.reason})`;
      return true;
    });
  }

  return {
    approveOrder: asActivity(approveOrder),
    rejectOrder: asActivity(rejectOrder),
    approvalContext: asActivity(approvalContext),
    recordApprovalNotice: asActivity(recordApprovalNotice),
  };
}
