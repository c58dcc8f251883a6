import { allocateFefo, checkAllocation, type AllocatedBatch } from '../domain/batches.js';
import { dec, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { businessDate } from '../domain/calendar.js';
import type { OrderCheck, PlannedDeliveryLine } from '../domain/order/index.js';
import { lockedBatches } from '../db/batches.js';
import { shipmentNotice } from '../domain/notices.js';
import type { Tx } from '../db/client.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { postDeliveryVoucher } from '../db/ledger/documents.js';
import { documentRate } from '../db/fx.js';
import { enqueueNotification } from '../db/outbox/enqueue.js';
import { customerContacts } from '../db/outbox/routing.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';
import { moveStock } from './stock.js';
import { creditCheckIn } from './checks.js';

export interface IssueDeliveryNoteInput {
  orderNumber: string;
  key: string;
  deliveredBy: string;
  lines: PlannedDeliveryLine[];
  carrier?: string;
  trackingNumber?: string;
  /** The shipping notice (出货通知单) delivered; its actual quantities are written back. */
  noticeNumber?: string;
  /** 信用控制 at delivery in the same transaction, when the settings check there. */
  creditCheck?: boolean;
}

export interface IssuedDeliveryNote {
  number: string;
  lines: PlannedDeliveryLine[];
  /** A credit breach in warn mode, recorded with the delivery. */
  creditWarning?: OrderCheck;
}

/**
 * The batches a line of a batch-tracked product leaves from: the request's own choice, checked against the
 * warehouse's batches, or FEFO. Null for a product without batches (which may not name any).
 */
async function batchesTaken(
  tx: Tx,
  line: { product_id: string; warehouse_id: string; batch_managed: boolean },
  request: PlannedDeliveryLine,
  today: string,
  at: string,
): Promise<AllocatedBatch[] | null> {
  if (!line.batch_managed) {
    if (request.batches) throw new DomainError('VALIDATION_FAILED', `product ${request.productCode} is not batch-tracked: no batches`, `${at}.batches`);
    return null;
  }
  const balances = await lockedBatches(tx, line.product_id, line.warehouse_id);
  return request.batches
    ? checkAllocation(request.batches, balances, request.quantity, today, `${at}.batches`)
    : allocateFefo(balances, request.quantity, today, `${at}.quantity`);
}

/** The shipment notice to the customer's contacts (the routing says which), in the delivery's transaction. */
async function noticeShipment(
  tx: Tx,
  d: { orderNumber: string; orderId: string; customerId: string; deliveryNote: string; noteId: string; key: string; carrier?: string | undefined; trackingNumber?: string | undefined },
): Promise<void> {
  // A customer without a contact the routing names gets none: the notification says so on the order's timeline.
  const recipients = await customerContacts(tx, d.customerId, 'shipment_notice');
  const [customer] = await tx<{ name: string }[]>`SELECT code || ' ' || name AS name FROM customers WHERE id = ${d.customerId}`;
  const lines = await tx<{ product: string; quantity: string }[]>`
    SELECT p.code || ' ' || p.name AS product, l.quantity::text FROM delivery_note_lines l JOIN products p ON p.id = l.product_id
    WHERE l.delivery_note_id = ${d.noteId} ORDER BY l.line_no`;
  const notification = shipmentNotice({
    orderNumber: d.orderNumber,
    deliveryNote: d.deliveryNote,
    customer: customer!.name,
    carrier: d.carrier ?? null,
    trackingNumber: d.trackingNumber ?? null,
    lines: lines.map((l) => ({ product: l.product, quantity: plain(dec(l.quantity)) })),
  });
  await enqueueNotification(tx, { key: `${d.key}/shipment-notice`, notification, recipients });
}

export function deliveryActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /**
   * 销货单: the goods leave. In one transaction: the note and its lines, on hand
   * down, the reservation consumed, delivered quantity written back on the order.
   */
  async function issueDeliveryNote(input: IssueDeliveryNoteInput): Promise<IssuedDeliveryNote> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      // A credit block refuses the delivery before anything is written (the transaction rolls back).
      const creditWarning = input.creditCheck
        ? await creditCheckIn(tx, { orderNumber: input.orderNumber, point: 'delivery', key: `${input.key}/credit`, mayBlock: true, delivering: input.lines })
        : null;
      const today = businessDate(now(), business.BUSINESS_TIME_ZONE);
      const fxRate = await documentRate(tx, order.currency, today);
      const number = await nextDocumentNumber(tx, 'delivery_note', today);
      const [notice] = input.noticeNumber
        ? await tx<{ id: string }[]>`SELECT id FROM shipping_notices WHERE number = ${input.noticeNumber} AND order_id = ${order.id}`
        : [];
      if (input.noticeNumber && !notice) throw new DomainError('NOT_FOUND', `shipping notice ${input.noticeNumber} does not exist`, 'noticeNumber');
      const [note] = await tx<{ id: string }[]>`
        INSERT INTO delivery_notes (number, order_id, idempotency_key, carrier, tracking_number, delivered_by, shipping_notice_id, currency, fx_rate)
        VALUES (${number}, ${order.id}, ${input.key}, ${input.carrier ?? null}, ${input.trackingNumber ?? null}, ${input.deliveredBy},
                ${notice?.id ?? null}, ${order.currency}, ${fxRate})
        RETURNING id`;
      const planned = new Map(input.lines.map((l) => [l.lineNo, l]));
      const at = new Map(input.lines.map((l, i) => [l.lineNo, `lines[${i}]`]));
      const lines = await tx<
        { line_no: number; product_id: string; warehouse_id: string; quantity: string; delivered_qty: string; reserved_qty: string; batch_managed: boolean }[]
      >`
        SELECT l.line_no, l.product_id, l.warehouse_id, l.quantity::text, l.delivered_qty::text, l.reserved_qty::text, p.batch_managed
        FROM sales_order_lines l JOIN products p ON p.id = l.product_id
        WHERE l.order_id = ${order.id} AND l.line_no IN ${tx([...planned.keys()])}
        ORDER BY l.product_id, l.warehouse_id, l.line_no`;
      if (lines.length !== planned.size) throw new DomainError('NOT_FOUND', `order ${input.orderNumber} lacks a line of this delivery`, 'lines');
      // Stock rows are locked in the same order as reserveStock locks them: by product, then warehouse.
      for (const [i, line] of lines.entries()) {
        const request = planned.get(line.line_no)!;
        const qty = dec(request.quantity);
        const consumed = dec(line.reserved_qty).lessThan(qty) ? dec(line.reserved_qty) : qty;
        const [level] = await tx<{ on_hand: string; reserved: string }[]>`
          SELECT on_hand::text, reserved::text FROM stock_levels
          WHERE product_id = ${line.product_id} AND warehouse_id = ${line.warehouse_id} FOR UPDATE`;
        // Unreserved goods may only leave from stock nobody else holds.
        const free = level ? dec(level.on_hand).minus(dec(level.reserved)) : dec(0);
        if (!level || free.lessThan(qty.minus(consumed))) {
          throw new DomainError('INSUFFICIENT_STOCK', `line ${line.line_no}: not enough stock in ${request.warehouseCode} to deliver ${plain(qty)}`, 'lines');
        }
        const batches = await batchesTaken(tx, line, request, today, at.get(line.line_no)!);
        await tx`
          INSERT INTO delivery_note_lines (delivery_note_id, line_no, order_line_no, product_id, warehouse_id, quantity, unit_cost)
          VALUES (${note!.id}, ${i + 1}, ${line.line_no}, ${line.product_id}, ${line.warehouse_id}, ${plain(qty)},
                  (SELECT cost_price FROM products WHERE id = ${line.product_id}))`;
        const move = { productId: line.product_id, warehouseId: line.warehouse_id, kind: 'deliver' as const, document: number };
        if (!batches) {
          await moveStock(tx, `${input.key}/${line.line_no}`, { ...move, onHandDelta: qty.negated().toFixed(), reservedDelta: consumed.negated().toFixed() });
        }
        // One ledger row per batch; the reservation (held per line, not per batch) is consumed on the first.
        for (const [j, b] of (batches ?? []).entries()) {
          await moveStock(tx, `${input.key}/${line.line_no}/${j + 1}`, {
            ...move,
            onHandDelta: dec(b.quantity).negated().toFixed(),
            reservedDelta: j === 0 ? consumed.negated().toFixed() : '0',
            batch: { batchNo: b.batchNo, expiryDate: b.expiryDate },
          });
          await tx`
            INSERT INTO delivery_note_batches (delivery_note_id, line_no, batch_no, expiry_date, quantity)
            VALUES (${note!.id}, ${i + 1}, ${b.batchNo}, ${b.expiryDate}, ${b.quantity})`;
        }
        const delivered = dec(line.delivered_qty).plus(qty);
        const closed = delivered.greaterThanOrEqualTo(dec(line.quantity)) ? 'Y' : 'N';
        await tx`
          UPDATE sales_order_lines SET delivered_qty = ${plain(delivered)}, reserved_qty = reserved_qty - ${plain(consumed)},
                 close_status = ${closed}
          WHERE order_id = ${order.id} AND line_no = ${line.line_no}`;
        if (notice) {
          await tx`UPDATE shipping_notice_lines SET actual_qty = ${plain(qty)}
                   WHERE shipping_notice_id = ${notice.id} AND order_line_no = ${line.line_no}`;
        }
      }
      const [open] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM sales_order_lines WHERE order_id = ${order.id} AND close_status = 'N'`;
      await tx`UPDATE sales_orders SET status = ${open!.n === 0 ? 'Delivered' : 'PartiallyDelivered'}, updated_at = now() WHERE id = ${order.id}`;
      await noticeShipment(tx, { orderNumber: input.orderNumber, orderId: order.id, customerId: order.customer_id, deliveryNote: number, noteId: note!.id, key: input.key, carrier: input.carrier, trackingNumber: input.trackingNumber });
      await postDeliveryVoucher(tx, note!.id, today);
      return { number, lines: input.lines, ...(creditWarning ? { creditWarning } : {}) };
    });
  }

  return { issueDeliveryNote: asActivity(issueDeliveryNote) };
}
