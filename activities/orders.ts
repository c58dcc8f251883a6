import { DomainError } from '../domain/errors.js';
import type { ApprovalRule, OrderCheck, OrderStatus } from '../domain/order/index.js';
import { readApprovalRules } from '../db/approval-rules.js';
import { replaceDraft, type DraftReplacement } from '../db/order-drafts.js';
import { evaluateOrderChecks } from '../db/order-checks.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';

export type ReviseDraftInput = Omit<DraftReplacement, 'orderId'> & { orderNumber: string };

export function orderActivities({ sql }: ActivityDeps) {
  /** Mirrors the workflow's status on the order document so the read side lists it. */
  async function setOrderStatus({
    orderNumber,
    key,
    status,
    rejection,
    by,
  }: {
    orderNumber: string;
    key: string;
    status: OrderStatus;
    rejection?: { by: string; reason: string };
    /** Who cancelled it (a waiting change is withdrawn in their name). */
    by?: string;
  }): Promise<void> {
    await once(sql, key, async (tx) => {
      const order = await lockOrder(tx, orderNumber);
      if (status === 'Cancelled' || status === 'Rejected') {
        await tx`UPDATE sales_order_lines SET close_status = 'y' WHERE order_id = ${order.id} AND close_status = 'N'`;
        // A change still waiting goes with the order: nobody is left to decide it (domain applyCancel says the same).
        await tx`UPDATE order_changes SET status = 'rejected', decided_by = ${rejection?.by ?? by ?? 'system'}, decided_at = now(),
                   reject_reason = ${`order ${status === 'Cancelled' ? 'cancelled' : 'rejected'}`}
                 WHERE order_id = ${order.id} AND status = 'pending_approval'`;
      }
      await tx`UPDATE sales_orders SET status = ${status}, updated_at = now(),
                 rejected_by = ${rejection?.by ?? null}, reject_reason = ${rejection?.reason ?? null} WHERE id = ${order.id}`;
      return true;
    });
  }

  /** 指定结束: the line's remainder is cancelled (its reservation was released just before). */
  async function closeOrderLine({ orderNumber, key, lineNo }: { orderNumber: string; key: string; lineNo: number }): Promise<void> {
    await once(sql, key, async (tx) => {
      const order = await lockOrder(tx, orderNumber);
      await tx`UPDATE sales_order_lines SET close_status = 'y' WHERE order_id = ${order.id} AND line_no = ${lineNo} AND close_status = 'N'`;
      const [open] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM sales_order_lines WHERE order_id = ${order.id} AND close_status = 'N'`;
      if (open!.n === 0) await tx`UPDATE sales_orders SET status = 'Delivered', updated_at = now() WHERE id = ${order.id}`;
      return true;
    });
  }

  /**
   * 草稿: the edit replaces the order's lines and header and the checks run again on
   * what it now says, all in one transaction (a refusal leaves the order as it was);
   * keyed by the revision, so a retry returns the first checks.
   */
  async function reviseDraft({ orderNumber, ...draft }: ReviseDraftInput): Promise<{ checks: OrderCheck[]; rules: ApprovalRule[] }> {
    return once(sql, draft.key, async (tx) => {
      const order = await lockOrder(tx, orderNumber);
      if (order.status !== 'Unapproved' && order.status !== 'Rejected') {
        throw new DomainError('INVALID_STATE', `order ${orderNumber} is ${order.status}; it cannot be edited as a draft`, 'status', { status: order.status });
      }
      await replaceDraft(tx, { ...draft, orderId: order.id });
      const [checks, rules] = await Promise.all([evaluateOrderChecks(tx, orderNumber), readApprovalRules(tx)]);
      return { checks, rules };
    });
  }

  return { setOrderStatus: asActivity(setOrderStatus), closeOrderLine: asActivity(closeOrderLine), reviseDraft: asActivity(reviseDraft) };
}
