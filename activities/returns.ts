import { businessDate } from '../domain/calendar.js';
import { returnIntoBatches, type AllocatedBatch } from '../domain/batches.js';
import { dec, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { ReturnDisposition, ReturnPlan, ReturnRecorded } from '../domain/order/index.js';
import type { Tx } from '../db/client.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { postReturnVoucher } from '../db/ledger/documents.js';
import { statusFromLines } from './changes.js';
import { issueCreditNote } from './credit-notes.js';
import { releaseExcess, moveStock } from './stock.js';
import { asActivity, lockOrder, once, type ActivityDeps, type OrderRow } from './support.js';

export interface RecordReturnInput {
  orderNumber: string;
  key: string;
  recordedBy: string;
  deliveryNote: string;
  warehouseCode?: string;
  disposition: ReturnDisposition;
  reason: string;
  plan: ReturnPlan;
}

export interface RecordAllowanceInput {
  orderNumber: string;
  key: string;
  recordedBy: string;
  reason: string;
  plan: ReturnPlan;
}

async function insertReturn(
  tx: Tx,
  order: OrderRow,
  p: { key: string; kind: 'return' | 'allowance'; number: string; noteId: string | null; warehouseId: string | null; disposition: ReturnDisposition | null; reason: string; recordedBy: string; plan: ReturnPlan },
): Promise<string> {
  const t = p.plan.credit;
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO sales_returns (number, order_id, kind, idempotency_key, delivery_note_id, warehouse_id, disposition, reason, recorded_by,
                               net_amount, tax_amount, gross_amount)
    VALUES (${p.number}, ${order.id}, ${p.kind}, ${p.key}, ${p.noteId}, ${p.warehouseId}, ${p.disposition}, ${p.reason}, ${p.recordedBy},
            ${t.net}, ${t.tax}, ${t.gross})
    RETURNING id`;
  for (const [i, l] of p.plan.lines.entries()) {
    await tx`
      INSERT INTO sales_return_lines (sales_return_id, line_no, order_line_no, product_id, quantity, invoiced_qty, unit_price, tax_rate, net_amount, tax_amount)
      VALUES (${row!.id}, ${i + 1}, ${l.lineNo}, (SELECT id FROM products WHERE code = ${l.productCode}), ${l.quantity}, ${l.invoicedQty},
              ${l.unitPrice}, ${l.taxRate}, ${l.net}, ${l.tax})`;
  }
  return row!.id;
}

/**
 * A line delivered by batch comes back into its batches (domain/batches.ts returnIntoBatches says which), each
 * batch's returned quantity remembered on the note. Null for a line delivered without batches.
 */
async function backIntoBatches(tx: Tx, noteId: string, noteLineNo: number, quantity: string, field: string): Promise<AllocatedBatch[] | null> {
  const rows = await tx<{ batch_no: string; expiry_date: string; open: string }[]>`
    SELECT batch_no, expiry_date::text, (quantity - returned_qty)::text AS open FROM delivery_note_batches
    WHERE delivery_note_id = ${noteId} AND line_no = ${noteLineNo} ORDER BY batch_no FOR UPDATE`;
  if (rows.length === 0) return null;
  const back = returnIntoBatches(rows.map((r) => ({ batchNo: r.batch_no, expiryDate: r.expiry_date, open: r.open })), quantity, field);
  for (const b of back) {
    await tx`UPDATE delivery_note_batches SET returned_qty = returned_qty + ${b.quantity}
             WHERE delivery_note_id = ${noteId} AND line_no = ${noteLineNo} AND batch_no = ${b.batchNo}`;
  }
  return back;
}

export function returnActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  const today = () => businessDate(now(), business.BUSINESS_TIME_ZONE);

  async function creditFor(tx: Tx, order: OrderRow, returnId: string, key: string, plan: ReturnPlan, issuedBy: string) {
    if (dec(plan.credit.gross).isZero()) return { creditNote: null, applied: [] };
    const note = await issueCreditNote(tx, {
      order,
      salesReturnId: returnId,
      key: `${key}/credit-note`,
      orderLineNos: plan.lines.map((l) => l.lineNo),
      totals: plan.credit,
      issuedOn: today(),
      issuedBy,
    });
    return { creditNote: note.number, applied: note.applied };
  }

  /**
   * 销退: in one transaction the goods come back into the warehouse (on hand up),
   * the delivery note line and the order line remember it, a cancelled remainder
   * gives its reservation back, and the invoiced part becomes a credit note.
   */
  async function recordReturn(input: RecordReturnInput): Promise<ReturnRecorded> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      const [note] = await tx<{ id: string }[]>`SELECT id FROM delivery_notes WHERE number = ${input.deliveryNote} AND order_id = ${order.id}`;
      if (!note) throw new DomainError('NOT_FOUND', `delivery note ${input.deliveryNote} is not one of order ${input.orderNumber}`, 'deliveryNote');
      let warehouseId: string | null = null;
      if (input.warehouseCode) {
        const [w] = await tx<{ id: string }[]>`SELECT id FROM warehouses WHERE code = ${input.warehouseCode} AND active`;
        if (!w) throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${input.warehouseCode} does not exist or is inactive`, 'warehouseCode');
        warehouseId = w.id;
      }
      const noteLines = await tx<{ line_no: number; order_line_no: number; product_id: string; warehouse_id: string; open: string }[]>`
        SELECT line_no, order_line_no, product_id, warehouse_id, (quantity - returned_qty)::text AS open FROM delivery_note_lines
        WHERE delivery_note_id = ${note.id} ORDER BY product_id, warehouse_id FOR UPDATE`;
      const number = await nextDocumentNumber(tx, 'sales_return', today());
      const id = await insertReturn(tx, order, {
        key: input.key,
        kind: 'return',
        number,
        noteId: note.id,
        warehouseId: warehouseId ?? noteLines[0]?.warehouse_id ?? null,
        disposition: input.disposition,
        reason: input.reason,
        recordedBy: input.recordedBy,
        plan: input.plan,
      });
      for (const [i, l] of input.plan.lines.entries()) {
        const delivered = noteLines.find((n) => n.order_line_no === l.lineNo);
        if (!delivered) {
          throw new DomainError('NOT_FOUND', `delivery note ${input.deliveryNote} delivered nothing of line ${l.lineNo}`, `lines[${i}].lineNo`);
        }
        // Never more than this note delivered of the line, less what already came back from it.
        if (dec(l.quantity).greaterThan(dec(delivered.open))) {
          throw new DomainError(
            'OVER_RETURN',
            `line ${l.lineNo}: ${l.quantity} is more than the ${plain(dec(delivered.open))} delivered on ${input.deliveryNote} and not yet returned`,
            `lines[${i}].quantity`,
            { returnable: plain(dec(delivered.open)) },
          );
        }
        await tx`UPDATE delivery_note_lines SET returned_qty = returned_qty + ${l.quantity}
                 WHERE delivery_note_id = ${note.id} AND order_line_no = ${l.lineNo}`;
        const into = warehouseId ?? delivered.warehouse_id;
        await tx`INSERT INTO stock_levels (product_id, warehouse_id, on_hand, reserved) VALUES (${delivered.product_id}, ${into}, 0, 0)
                 ON CONFLICT (product_id, warehouse_id) DO NOTHING`;
        await tx`SELECT 1 FROM stock_levels WHERE product_id = ${delivered.product_id} AND warehouse_id = ${into} FOR UPDATE`;
        const move = { productId: delivered.product_id, warehouseId: into, kind: 'return' as const, reservedDelta: '0', document: number };
        const batches = await backIntoBatches(tx, note.id, delivered.line_no, l.quantity, `lines[${i}].quantity`);
        if (!batches) await moveStock(tx, `${input.key}/${l.lineNo}`, { ...move, onHandDelta: l.quantity });
        for (const [j, b] of (batches ?? []).entries()) {
          await moveStock(tx, `${input.key}/${l.lineNo}/${j + 1}`, { ...move, onHandDelta: b.quantity, batch: { batchNo: b.batchNo, expiryDate: b.expiryDate } });
        }
        await tx`
          UPDATE sales_order_lines SET delivered_qty = delivered_qty - ${l.quantity}, invoiced_qty = invoiced_qty - ${l.invoicedQty},
                 returned_qty = returned_qty + ${l.quantity},
                 close_status = ${l.closeStatusAfter ?? 'N'}
          WHERE order_id = ${order.id} AND line_no = ${l.lineNo}`;
      }
      if (input.disposition === 'cancel_remainder') await releaseExcess(tx, order, input.key);
      await tx`UPDATE sales_orders SET status = ${await statusFromLines(tx, order.id)}, updated_at = now() WHERE id = ${order.id}`;
      const credit = await creditFor(tx, order, id, input.key, input.plan, input.recordedBy);
      // Last, as in every document: the voucher counter is the one lock all postings share (after the credit note's).
      await postReturnVoucher(tx, id, today());
      return { number, ...credit };
    });
  }

  /** 折让: the amount only; no goods move. */
  async function recordAllowance(input: RecordAllowanceInput): Promise<ReturnRecorded> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      const number = await nextDocumentNumber(tx, 'sales_return', today());
      const id = await insertReturn(tx, order, {
        key: input.key,
        kind: 'allowance',
        number,
        noteId: null,
        warehouseId: null,
        disposition: null,
        reason: input.reason,
        recordedBy: input.recordedBy,
        plan: input.plan,
      });
      return { number, ...(await creditFor(tx, order, id, input.key, input.plan, input.recordedBy)) };
    });
  }

  return { recordReturn: asActivity(recordReturn), recordAllowance: asActivity(recordAllowance) };
}
