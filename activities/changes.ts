import { businessDate } from '../domain/calendar.js';
import { dec, money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { lineAmountsOf } from '../domain/amounts.js';
import {
  approvalFilledBy,
  escalationTargets,
  whoCanApprove,
  notAnApprover,
  statusOfLines,
  versionLabel,
  type ApprovalRequirement,
  type ApprovalRule,
  type ChangeDiffLine, type ChangeNoticeKind, type CloseStatus, type GivenApproval, type OrderCheck, type OrderLineState, type OrderSnapshot } from '../domain/order/index.js';
import type { Tx } from '../db/client.js';
import { creditExposureOf } from '../db/credit.js';
import { restateOrderInBase } from '../db/fx.js';
import { toBase } from '../domain/fx.js';
import { creditSettings } from '../db/settings.js';
import { changeApprovalRequestNotice } from '../domain/notices.js';
import { enqueueNotification } from '../db/outbox/enqueue.js';
import { activeApprovers, readRouting, usersWithRole } from '../db/outbox/routing.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';
import { creditPayerOf, floorCheckOf, orderWithPayer } from './checks.js';
import { creditCheck } from '../domain/credit.js';
import { readApprovalRules } from '../db/approval-rules.js';
import { readApprover } from './approval.js';
import { releaseExcess, reservedLines, reserveOpenLines, type ReservedLine } from './stock.js';

/** A change still waiting for approval when its reminder or escalation falls due (sales-order.ts whatIsDue). */
export interface ChangeApprovalNoticeInput {
  orderNumber: string;
  key: string;
  version: number;
  kind: ChangeNoticeKind;
  missing: ApprovalRequirement[];
  grossBefore: string;
  grossAfter: string;
  requestedBy: string;
  reason: string;
  approvalReasons: string[];
  /** Who approved it so far: they are not asked again. */
  approvedBy: string[];
}

export interface RecordOrderChangeInput {
  orderNumber: string;
  key: string;
  version: number;
  reason: string;
  requestedBy: string;
  diff: ChangeDiffLine[];
  before: OrderSnapshot;
  after: OrderSnapshot;
  /** Why it waits for approval; empty when it applies at once. */
  approvalReasons: string[];
  /** The approvals a change that waits needs (the approvers are told by name). */
  required?: ApprovalRequirement[];
}

export interface ApplyOrderChangeInput {
  orderNumber: string;
  key: string;
  version: number;
  lines: OrderLineState[];
  after: OrderSnapshot;
  /** Back-order what stock cannot cover, or refuse the whole change. */
  partial: boolean;
  approvals: GivenApproval[];
  decidedBy?: string;
}

export interface ReviewOrderChangeInput {
  orderNumber: string;
  repriced: { lineNo: number; productCode: string; unitPrice: string }[];
  grossBefore: string;
  grossAfter: string;
}

/** Writes the order's lines as the change leaves them, then makes the reservations follow. */
async function writeChangedLines(tx: Tx, order: { id: string; number: string }, key: string, lines: OrderLineState[], partial: boolean, today: string): Promise<ReservedLine[]> {
  const current = await tx<{ line_no: number; warehouse_code: string }[]>`
    SELECT l.line_no, w.code AS warehouse_code FROM sales_order_lines l JOIN warehouses w ON w.id = l.warehouse_id WHERE l.order_id = ${order.id}`;
  const moved = lines.filter((l) => current.some((c) => c.line_no === l.lineNo && c.warehouse_code !== l.warehouseCode)).map((l) => l.lineNo);
  // A line moving to another warehouse gives its reservation back where it was first.
  await releaseExcess(tx, order, `${key}/moved`, moved);
  for (const line of lines) {
    const [refs] = await tx<{ product_id: string; warehouse_id: string | null }[]>`
      SELECT p.id AS product_id, (SELECT id FROM warehouses WHERE code = ${line.warehouseCode}) AS warehouse_id FROM products p WHERE p.code = ${line.productCode}`;
    if (!refs) throw new DomainError('UNKNOWN_PRODUCT', `product ${line.productCode} does not exist`, 'lines');
    if (!refs.warehouse_id) throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${line.warehouseCode} does not exist`, 'lines');
    const a = lineAmountsOf(line);
    await tx`
      INSERT INTO sales_order_lines (order_id, line_no, product_id, warehouse_id, quantity, unit_price, tax_rate, net_amount, tax_amount,
                                     close_status, expected_delivery_date)
      VALUES (${order.id}, ${line.lineNo}, ${refs.product_id}, ${refs.warehouse_id}, ${line.quantity}, ${line.unitPrice}, ${line.taxRate},
              ${money(a.net)}, ${money(a.tax)}, ${line.closeStatus}, ${line.expectedDeliveryDate ?? null})
      ON CONFLICT (order_id, line_no) DO UPDATE SET
        warehouse_id = EXCLUDED.warehouse_id, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
        net_amount = EXCLUDED.net_amount, tax_amount = EXCLUDED.tax_amount, close_status = EXCLUDED.close_status,
        expected_delivery_date = EXCLUDED.expected_delivery_date,
        price_rule = CASE WHEN sales_order_lines.unit_price = EXCLUDED.unit_price THEN sales_order_lines.price_rule ELSE 'manual' END`;
  }
  await releaseExcess(tx, order, key);
  const reserve = await reserveOpenLines(tx, order, key, partial, today);
  const reserved = await reservedLines(tx, order.id);
  await reserve();
  return reserved;
}

/** After a change or a return: the status the order's lines now give it (domain/order/changes.ts). */
export async function statusFromLines(tx: Tx, orderId: string): Promise<string> {
  const lines = await tx<{ closeStatus: CloseStatus; deliveredQty: string }[]>`
    SELECT close_status AS "closeStatus", delivered_qty::text AS "deliveredQty" FROM sales_order_lines WHERE order_id = ${orderId}`;
  return statusOfLines(lines);
}

/** The change approval request, to the approvers who can give what the change needs, in the change's transaction. */
async function requestChangeApproval(tx: Tx, input: RecordOrderChangeInput, order: { id: string; customer_id: string; currency: string }): Promise<void> {
  const [[customer], approvers, [creator]] = await Promise.all([
    tx<{ name: string }[]>`SELECT code || ' ' || name AS name FROM customers WHERE id = ${order.customer_id}`,
    activeApprovers(tx),
    tx<{ created_by: string }[]>`SELECT created_by FROM sales_orders WHERE id = ${order.id}`,
  ]);
  const needed = whoCanApprove(approvers, input.required ?? [], input.after.totals.gross, [input.requestedBy, creator!.created_by]);
  const changeNumber = versionLabel(input.version);
  await enqueueNotification(tx, {
    key: `${input.key}/approval-request`,
    notification: changeApprovalRequestNotice({
      orderNumber: input.orderNumber,
      changeNumber,
      customer: customer!.name,
      currency: order.currency,
      grossBefore: input.before.totals.gross,
      grossAfter: input.after.totals.gross,
      requestedBy: input.requestedBy,
      reason: input.reason,
      approvalReasons: input.approvalReasons,
    }),
    recipients: [...new Set(needed.flatMap((n) => n.people))].map((user) => ({ user })),
  });
}

export function changeActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /**
   * 订单变更单: the change document. One that needs no approval is applied in the
   * same transaction, so the document and its effect exist together or not at all.
   */
  async function recordOrderChange(input: RecordOrderChangeInput & { apply?: Omit<ApplyOrderChangeInput, 'orderNumber' | 'key' | 'version' | 'after'> }) {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      await tx`
        INSERT INTO order_changes (order_id, version, idempotency_key, status, reason, requested_by, diff, before_order, after_order,
                                   gross_before, gross_after, approval_reasons)
        VALUES (${order.id}, ${input.version}, ${input.key}, 'pending_approval', ${input.reason}, ${input.requestedBy},
                ${tx.json(input.diff as never)}, ${tx.json(input.before as never)}, ${tx.json(input.after as never)},
                ${input.before.totals.gross}, ${input.after.totals.gross}, ${tx.json(input.approvalReasons)})`;
      if (!input.apply) {
        await requestChangeApproval(tx, input, order);
        return { reserved: [] as ReservedLine[] };
      }
      return { reserved: await applyChange(tx, { ...input.apply, orderNumber: input.orderNumber, key: input.key, version: input.version, after: input.after }) };
    });
  }

  async function applyChange(tx: Tx, input: ApplyOrderChangeInput): Promise<ReservedLine[]> {
    const order = await lockOrder(tx, input.orderNumber);
    const reserved = await writeChangedLines(tx, order, input.key, input.lines, input.partial, businessDate(now(), business.BUSINESS_TIME_ZONE));
    const t = input.after.totals;
    const status = await statusFromLines(tx, order.id);
    await tx`UPDATE sales_orders SET net_amount = ${t.net}, tax_amount = ${t.tax}, gross_amount = ${t.gross}, status = ${status}, updated_at = now()
             WHERE id = ${order.id}`;
    await restateOrderInBase(tx, order.id);
    await tx`
      UPDATE order_changes SET status = 'applied', approvals = ${tx.json(input.approvals as never)}, after_order = ${tx.json(input.after as never)},
             decided_by = ${input.decidedBy ?? null}, decided_at = CASE WHEN ${input.decidedBy ?? null}::text IS NULL THEN NULL ELSE now() END
      WHERE order_id = ${order.id} AND version = ${input.version}`;
    return reserved;
  }

  /**
   * An approver's approval of a change that waits: their authority is read in
   * this step, the domain says which missing approval it fills, and the last
   * one applies the change in the same transaction.
   */
  async function approveOrderChange(input: {
    actor: string;
    missing: ApprovalRequirement[];
    grossAfter: string;
    /** What the change applies when this approval is the last one missing. */
    apply: ApplyOrderChangeInput;
    key: string;
  }): Promise<{ approval: GivenApproval; reserved: ReservedLine[] | null }> {
    return once(sql, input.key, async (tx) => {
      const approver = await readApprover(tx, input.actor);
      if (!approver) throw notAnApprover(input.actor);
      const filled = approvalFilledBy(approver, input.missing, input.grossAfter);
      const approval: GivenApproval = { actor: input.actor, role: approver.role, ruleId: filled.ruleId };
      if (input.missing.length > 1) return { approval, reserved: null };
      const reserved = await applyChange(tx, { ...input.apply, approvals: [...input.apply.approvals, approval] });
      return { approval, reserved };
    });
  }

  async function rejectOrderChange(input: { orderNumber: string; key: string; version: number; rejectedBy: string; reason: string }) {
    return once(sql, input.key, async (tx) => {
      if (!(await readApprover(tx, input.rejectedBy))) throw notAnApprover(input.rejectedBy);
      const order = await lockOrder(tx, input.orderNumber);
      await tx`UPDATE order_changes SET status = 'rejected', decided_by = ${input.rejectedBy}, reject_reason = ${input.reason}, decided_at = now()
               WHERE order_id = ${order.id} AND version = ${input.version} AND status = 'pending_approval'`;
      return { rejected: input.version };
    });
  }

  /**
   * The checks a change must pass to apply without approval: new prices not under
   * the floor, and the payer's credit with the order at its new amount (the raise
   * only; the order as it stands is already in the exposure). A credit breach in
   * warn mode is shown, not sent to approval. The approval rules come with them,
   * for a change that must wait.
   */
  async function reviewOrderChange(input: ReviewOrderChangeInput): Promise<{ checks: OrderCheck[]; rules: ApprovalRule[] }> {
    const checks: OrderCheck[] = [];
    for (const l of input.repriced) {
      const [p] = await sql<{ list_price: string; price_floor_rate: string }[]>`SELECT list_price, price_floor_rate FROM products WHERE code = ${l.productCode}`;
      if (!p) throw new DomainError('UNKNOWN_PRODUCT', `product ${l.productCode} does not exist`, 'lines');
      checks.push(floorCheckOf({ line_no: l.lineNo, product_code: l.productCode, unit_price: l.unitPrice, ...p }));
    }
    const o = await orderWithPayer(sql, input.orderNumber);
    const raise = dec(input.grossAfter).minus(dec(input.grossBefore));
    const exposure = await creditExposureOf(sql, o.payer_id, null, raise.isPositive() ? money(toBase(raise, o.fx_rate)) : '0');
    checks.push(creditCheck(creditPayerOf(o), await creditSettings(sql), exposure, 'approval'));
    return { checks, rules: await readApprovalRules(sql) };
  }

  /**
   * The reminder to the approvers a waiting change still needs, or its escalation to a named person (the
   * configured escalation user, else the next approver up), written to the outbox once.
   */
  async function recordChangeApprovalNotice(input: ChangeApprovalNoticeInput): Promise<{ deliveries: number }> {
    return once(sql, input.key, async (tx) => {
      const [[order], approvers, routing] = await Promise.all([
        tx<{ customer: string; currency: string; created_by: string }[]>`
          SELECT c.code || ' ' || c.name AS customer, o.currency, o.created_by
          FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${input.orderNumber}`,
        activeApprovers(tx),
        readRouting(tx),
      ]);
      if (!order) return { deliveries: 0 };
      const exclude = [input.requestedBy, order.created_by];
      const asked = [...new Set(whoCanApprove(approvers, input.missing, input.grossAfter, [...exclude, ...input.approvedBy]).flatMap((n) => n.people))];
      let recipients = asked;
      let to = '';
      if (input.kind === 'change_approval_escalation') {
        recipients = escalationTargets(approvers, routing.escalationUser, asked, exclude, await usersWithRole(tx, 'admin'));
        to = recipients.join(', ');
      }
      const facts = { ...input, customer: order.customer, currency: order.currency, changeNumber: versionLabel(input.version) };
      const notice = input.kind === 'change_approval_escalation' ? { kind: input.kind, to } : { kind: input.kind };
      return enqueueNotification(tx, { key: input.key, notification: changeApprovalRequestNotice(facts, notice), recipients: recipients.map((user) => ({ user })) });
    });
  }

  return {
    recordChangeApprovalNotice: asActivity(recordChangeApprovalNotice),
    recordOrderChange: asActivity(recordOrderChange),
    approveOrderChange: asActivity(approveOrderChange),
    rejectOrderChange: asActivity(rejectOrderChange),
    reviewOrderChange: asActivity(reviewOrderChange),
  };
}
