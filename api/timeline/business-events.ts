import { numericText } from '../../domain/decimal.js';
import type { Sql } from '../../db/client.js';
import { orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import type { TimelineEvent } from './event.js';
import { changeAndReturnEvents } from './change-events.js';
import { draftHistory } from '../../db/order-drafts.js';

const at = (t: unknown) => new Date(t as string).toISOString();
const biz = (e: Omit<TimelineEvent, 'source'>): TimelineEvent => ({ source: 'business', ...e });

/**
 * What Postgres records about one order, as timeline facts with who did them:
 * creation and checks, approval, stock reservations and releases, deliveries,
 * invoices, receipts, notifications. Null when the order does not exist.
 */
export async function businessEvents(sql: Sql, number: string): Promise<TimelineEvent[] | null> {
  const [o] = await sql`
    SELECT o.id, o.number, o.status, o.created_by, o.approved_by, o.rejected_by, o.reject_reason, o.created_at, o.gross_amount, o.currency, o.checks, c.code AS customer_code
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${number}`;
  if (!o) return null;
  const wf = orderWorkflowId(number);
  const [steps, approvals, moves, notes, invoices, receipts, notifications, { rejections, revisions }, troubled] = await Promise.all([
    sql`SELECT idempotency_key, created_at FROM activity_results WHERE idempotency_key IN (${`${wf}/cancel/status`})`,
    sql`SELECT user_name, role, approved_at FROM order_approvals WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT m.kind, m.reserved_delta, m.created_at, p.code AS product_code, w.code AS warehouse_code FROM stock_moves m
        JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id
        WHERE m.document_number = ${number} AND m.kind IN ('reserve', 'release') ORDER BY m.id`,
    sql`SELECT d.number, d.delivered_by, d.carrier, d.tracking_number, d.created_at,
               json_agg(json_build_object('orderLineNo', l.order_line_no, 'quantity', l.quantity::text) ORDER BY l.line_no) AS lines
        FROM delivery_notes d JOIN delivery_note_lines l ON l.delivery_note_id = d.id
        WHERE d.order_id = ${o.id} GROUP BY d.id ORDER BY d.id`,
    sql`SELECT number, issued_by, gross_amount, due_on::text, created_at FROM invoices WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT number, recorded_by, amount, method, created_at FROM receipts WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT kind, message, created_at FROM notifications WHERE order_number = ${number} ORDER BY id`,
    draftHistory(sql, o.id),
    // A message that did not reach someone at the first attempt: retrying (with its next attempt), given up, or delivered late.
    sql`SELECT n.kind, d.channel, d.recipients, d.status, d.attempts, d.last_error, d.next_attempt_at, d.sent_at,
               coalesce(d.last_attempt_at, d.created_at) AS last_attempt_at
        FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.order_number = ${number} AND d.last_error IS NOT NULL ORDER BY d.id`,
  ]);
  const stepAt = new Map(steps.map((s) => [s.idempotency_key as string, at(s.created_at)]));
  const events: TimelineEvent[] = [
    biz({
      at: at(o.created_at),
      kind: 'order.created',
      // As created: a draft's edits changed the amount since (each edit is its own event below).
      summary: `order ${number} created for ${o.customer_code}, ${revisions[0]?.before.totals.gross ?? o.gross_amount} ${o.currency}`,
      actor: o.created_by,
      document: number,
    }),
  ];
  // Credit warnings from delivery or invoicing also sit in checks; they show as notifications at their own time.
  const checks = ((o.checks ?? []) as { code: string; passed: boolean; message: string; details?: { point?: string } }[]).filter(
    (c) => (c.details?.point ?? 'approval') === 'approval',
  );
  if (checks.length > 0) {
    const failed = checks.filter((c) => !c.passed);
    events.push(biz({
      at: at(o.created_at),
      kind: 'order.checked',
      summary: failed.length ? `checks failed: ${failed.map((c) => c.message).join('; ')}` : `checks passed (${checks.length})`,
      details: { checks },
    }));
  }
  // Every approval an order collected (an amount chain or a failed check needs more than one).
  for (const a of approvals) {
    events.push(biz({ at: at(a.approved_at), kind: 'order.approved', summary: `approved by ${a.user_name} (${a.role})`, actor: a.user_name, document: number }));
  }
  // Every rejection, also those a revision sent back to approval, and every edit of the draft.
  for (const r of rejections) {
    events.push(biz({ at: r.rejectedAt, kind: 'order.rejected', summary: `rejected by ${r.rejectedBy}: ${r.reason}`, actor: r.rejectedBy, document: number, details: { revision: r.revision } }));
  }
  for (const r of revisions) {
    events.push(biz({
      at: r.editedAt,
      kind: r.resubmitted ? 'order.resubmitted' : 'order.draft_edited',
      summary: `${r.resubmitted ? 'revised and resubmitted' : 'draft edited'} (revision ${r.revision}): ${r.before.totals.gross} → ${r.after.totals.gross} ${o.currency}, ${r.after.lines.length} line(s)`,
      actor: r.editedBy,
      document: number,
      details: { revision: r.revision, before: r.before, after: r.after },
    }));
  }
  for (const m of moves) {
    const qty = numericText(String(m.reserved_delta).replace('-', ''));
    const reserve = m.kind === 'reserve';
    events.push(biz({
      at: at(m.created_at),
      kind: reserve ? 'stock.reserved' : 'stock.released',
      summary: `${reserve ? 'reserved' : 'released'} ${qty} ${m.product_code} in ${m.warehouse_code}`,
      actor: reserve ? o.approved_by : null,
      details: { productCode: m.product_code, warehouseCode: m.warehouse_code, quantity: qty },
    }));
  }
  for (const d of notes) {
    const lines = (d.lines as { orderLineNo: number; quantity: string }[]).map((l) => ({ ...l, quantity: numericText(l.quantity) }));
    events.push(biz({
      at: at(d.created_at),
      kind: 'delivery.issued',
      summary: `delivery note ${d.number}: ${lines.map((l) => `line ${l.orderLineNo} × ${l.quantity}`).join(', ')}` + (d.carrier ? ` via ${d.carrier} ${d.tracking_number ?? ''}`.trimEnd() : ''),
      actor: d.delivered_by,
      document: d.number,
      details: { lines, carrier: d.carrier, trackingNumber: d.tracking_number },
    }));
  }
  for (const i of invoices) {
    events.push(biz({
      at: at(i.created_at),
      kind: 'invoice.issued',
      summary: `invoice ${i.number} for ${i.gross_amount} ${o.currency}, due ${i.due_on}`,
      actor: i.issued_by,
      document: i.number,
      details: { gross: i.gross_amount, dueOn: i.due_on },
    }));
  }
  for (const r of receipts) {
    events.push(biz({
      at: at(r.created_at),
      kind: 'receipt.recorded',
      summary: `receipt ${r.number}: ${r.amount} ${o.currency} by ${r.method}`,
      actor: r.recorded_by,
      document: r.number,
      details: { amount: r.amount, method: r.method },
    }));
  }
  for (const n of notifications) {
    events.push(biz({ at: at(n.created_at), kind: `notification.${n.kind}`, summary: n.message }));
  }
  for (const d of troubled) {
    const to = `${d.kind} by ${d.channel} to ${(d.recipients as string[]).join(', ')}`;
    const details = { channel: d.channel, recipients: d.recipients, attempts: d.attempts, error: d.last_error };
    if (d.status === 'sent') {
      events.push(biz({ at: at(d.sent_at), kind: 'delivery.recovered', summary: `${to} delivered at attempt ${d.attempts} (before: ${d.last_error})`, details }));
      continue;
    }
    const failed = d.status === 'failed';
    events.push(biz({
      at: at(d.last_attempt_at),
      kind: failed ? 'delivery.failed' : 'delivery.retrying',
      summary: failed
        ? `${to} failed after ${d.attempts} attempts: ${d.last_error}`
        : `${to} not delivered yet (attempt ${d.attempts}: ${d.last_error}); next attempt at ${at(d.next_attempt_at)}`,
      details,
    }));
  }
  const cancelledAt = stepAt.get(`${wf}/cancel/status`);
  if (cancelledAt) events.push(biz({ at: cancelledAt, kind: 'order.cancelled', summary: `order ${number} cancelled` }));
  events.push(...(await changeAndReturnEvents(sql, o.id, o.currency)));
  return events;
}
