import { dec, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import {
  checkAdjustment,
  checkBatch,
  checkBatchHolds,
  checkOnHandFits,
  checkPositive,
  checkProduct,
  checkReceiptLine,
  checkTransfer,
  checkWarehouse,
  type Level,
  type ProductFacts,
} from '../domain/stock-moves.js';
import { changeBatch } from './batches.js';
import type { Sql, Tx } from './client.js';
import { nextDocumentNumber } from './numbering.js';

/** Who writes the move and under which key (each ledger row's key is this plus its place in the document). */
export interface MoveContext {
  key: string;
  businessDate: string;
}

export interface ReceiptInput {
  warehouseCode: string;
  lines: { productCode: string; quantity: string; batchNo?: string | undefined; expiryDate?: string | undefined }[];
}
export interface AdjustmentInput {
  warehouseCode: string;
  productCode: string;
  quantity: string;
  reason: string;
  batchNo?: string | undefined;
}
export interface TransferInput {
  fromWarehouseCode: string;
  toWarehouseCode: string;
  lines: { productCode: string; quantity: string; batchNo?: string | undefined }[];
}

type Product = ProductFacts & { id: string };
type Warehouse = { id: string; code: string; active: boolean };

async function productsByCode(tx: Tx, codes: string[]): Promise<Map<string, Product>> {
  const rows = await tx<{ id: string; code: string; active: boolean; batch_managed: boolean }[]>`
    SELECT id, code, active, batch_managed FROM products WHERE code = ANY(${codes}::text[])`;
  return new Map(rows.map((r) => [r.code, { id: String(r.id), code: r.code, active: r.active, batchManaged: r.batch_managed }]));
}

async function warehouse(tx: Tx, code: string, field: string): Promise<Warehouse> {
  const [w] = await tx<{ id: string; code: string; active: boolean }[]>`SELECT id, code, active FROM warehouses WHERE code = ${code}`;
  const facts = w && { id: String(w.id), code: w.code, active: w.active };
  checkWarehouse(facts, code, field);
  return facts!;
}

/** The level row, created empty if new, locked for the rest of the transaction. */
async function lockedLevel(tx: Tx, productId: string, warehouseId: string): Promise<Level> {
  await tx`INSERT INTO stock_levels (product_id, warehouse_id) VALUES (${productId}, ${warehouseId}) ON CONFLICT DO NOTHING`;
  const [row] = await tx<{ on_hand: string; reserved: string }[]>`
    SELECT on_hand::text, reserved::text FROM stock_levels WHERE product_id = ${productId} AND warehouse_id = ${warehouseId} FOR UPDATE`;
  return { onHand: row!.on_hand, reserved: row!.reserved };
}

async function lockedBatch(tx: Tx, productId: string, warehouseId: string, batchNo: string) {
  const [row] = await tx<{ on_hand: string; expiry_date: string }[]>`
    SELECT on_hand::text, expiry_date::text FROM stock_batches
    WHERE product_id = ${productId} AND warehouse_id = ${warehouseId} AND batch_no = ${batchNo} FOR UPDATE`;
  return row && { onHand: row.on_hand, expiryDate: row.expiry_date };
}

interface Move {
  key: string;
  productId: string;
  warehouseId: string;
  kind: 'receive' | 'adjust' | 'transfer';
  delta: string;
  document: string;
  batchNo?: string | undefined;
  expiryDate?: string | undefined;
  reason?: string | undefined;
}

/** One ledger row and the level (and batch) it changes; the tables' CHECKs are the last word on every balance. */
async function writeMove(tx: Tx, m: Move): Promise<void> {
  await tx`UPDATE stock_levels SET on_hand = on_hand + ${m.delta} WHERE product_id = ${m.productId} AND warehouse_id = ${m.warehouseId}`;
  await tx`
    INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number, batch_no, expiry_date, reason)
    VALUES (${m.key}, ${m.productId}, ${m.warehouseId}, ${m.kind}, ${m.delta}, 0, ${m.document}, ${m.batchNo ?? null}, ${m.expiryDate ?? null}, ${m.reason ?? null})`;
  // Taking from a batch needs it to exist (the caller locked it); a batch new to the warehouse arrives with its expiry.
  if (m.batchNo) await changeBatch(tx, { productId: m.productId, warehouseId: m.warehouseId, batchNo: m.batchNo, expiryDate: m.expiryDate!, delta: m.delta });
}

/** Lines in the order every stock writer locks levels (product, then warehouse), so two writers never deadlock. */
const lockOrder = <T extends { product: Product }>(lines: T[]) =>
  [...lines].sort((a, b) => Number(a.product.id) - Number(b.product.id));

async function resolveLines<L extends { productCode: string }>(tx: Tx, lines: L[]) {
  const products = await productsByCode(tx, lines.map((l) => l.productCode));
  return lines.map((line, i) => {
    const product = products.get(line.productCode);
    checkProduct(product, line.productCode, `lines[${i}].productCode`);
    return { line, at: `lines[${i}]`, index: i, product: product as Product };
  });
}

export interface MoveResult {
  documentNumber: string;
  /** What came in or moved, per product and warehouse: the receipt's back-orders are looked up from these. */
  received: { productCode: string; warehouseCode: string; quantity: string }[];
}

/** 入库: every line in, under one GR number, or nothing. */
export async function receiveStock(sql: Sql, input: ReceiptInput, ctx: MoveContext): Promise<MoveResult> {
  return sql.begin(async (tx) => {
    const wh = await warehouse(tx, input.warehouseCode, 'warehouseCode');
    const lines = await resolveLines(tx, input.lines);
    for (const { line, at, product } of lines) {
      checkPositive(line.quantity, `${at}.quantity`);
      checkReceiptLine(product, line, at, ctx.businessDate);
    }
    const document = await nextDocumentNumber(tx, 'stock_receipt', ctx.businessDate);
    for (const { line, at, index, product } of lockOrder(lines)) {
      checkOnHandFits(await lockedLevel(tx, product.id, wh.id), line.quantity, `${at}.quantity`);
      if (line.batchNo) {
        const batch = await lockedBatch(tx, product.id, wh.id, line.batchNo);
        if (batch && batch.expiryDate !== line.expiryDate) {
          throw new DomainError('VALIDATION_FAILED', `batch ${line.batchNo} expires on ${batch.expiryDate}`, `${at}.expiryDate`);
        }
      }
      await writeMove(tx, {
        key: `${ctx.key}/${index}`, productId: product.id, warehouseId: wh.id, kind: 'receive', delta: plain(dec(line.quantity)),
        document, batchNo: line.batchNo, expiryDate: line.expiryDate,
      });
    }
    const received = input.lines.map((l) => ({ productCode: l.productCode, warehouseCode: wh.code, quantity: plain(dec(l.quantity)) }));
    return { documentNumber: document, received };
  }) as Promise<MoveResult>;
}

/** 调整: on hand up or down by the quantity, with the reason on the ledger row. */
export async function adjustStock(sql: Sql, input: AdjustmentInput, ctx: MoveContext): Promise<MoveResult> {
  return sql.begin(async (tx) => {
    const wh = await warehouse(tx, input.warehouseCode, 'warehouseCode');
    const product = (await productsByCode(tx, [input.productCode])).get(input.productCode);
    checkProduct(product, input.productCode, 'productCode');
    checkBatch(product, input.batchNo, 'batchNo');
    const level = await lockedLevel(tx, product.id, wh.id);
    checkAdjustment(level, input.quantity);
    const delta = dec(input.quantity);
    let expiryDate: string | undefined;
    if (input.batchNo) {
      const batch = await lockedBatch(tx, product.id, wh.id, input.batchNo);
      if (!batch) throw new DomainError('VALIDATION_FAILED', `batch ${input.batchNo} is not in ${wh.code}`, 'batchNo');
      if (delta.isNegative()) checkBatchHolds(batch, input.batchNo, delta.negated(), 'quantity');
      expiryDate = batch.expiryDate;
    }
    const document = await nextDocumentNumber(tx, 'stock_adjustment', ctx.businessDate);
    await writeMove(tx, {
      key: `${ctx.key}/0`, productId: product.id, warehouseId: wh.id, kind: 'adjust', delta: plain(delta),
      document, batchNo: input.batchNo, expiryDate, reason: input.reason,
    });
    return { documentNumber: document, received: delta.isPositive() ? [{ productCode: product.code, warehouseCode: wh.code, quantity: plain(delta) }] : [] };
  }) as Promise<MoveResult>;
}

/** 调拨: each line out of one warehouse and into the other, both rows under one TR number. */
export async function transferStock(sql: Sql, input: TransferInput, ctx: MoveContext): Promise<MoveResult> {
  return sql.begin(async (tx) => {
    const from = await warehouse(tx, input.fromWarehouseCode, 'fromWarehouseCode');
    const to = await warehouse(tx, input.toWarehouseCode, 'toWarehouseCode');
    const lines = await resolveLines(tx, input.lines);
    for (const { line, at, product } of lines) checkBatch(product, line.batchNo, `${at}.batchNo`);
    const document = await nextDocumentNumber(tx, 'stock_transfer', ctx.businessDate);
    // Both warehouses' rows of a product are locked by warehouse id, the order reservations lock them in.
    const [first, second] = Number(from.id) < Number(to.id) ? [from, to] : [to, from];
    for (const { line, at, index, product } of lockOrder(lines)) {
      const levels = new Map([[first.id, await lockedLevel(tx, product.id, first.id)], [second.id, await lockedLevel(tx, product.id, second.id)]]);
      checkTransfer(from.code, to.code, levels.get(from.id)!, line.quantity, at);
      checkOnHandFits(levels.get(to.id)!, line.quantity, `${at}.quantity`);
      const quantity = dec(line.quantity);
      let expiryDate: string | undefined;
      if (line.batchNo) {
        const batch = await lockedBatch(tx, product.id, from.id, line.batchNo);
        checkBatchHolds(batch, line.batchNo, quantity, `${at}.quantity`);
        expiryDate = batch!.expiryDate;
      }
      const move = { productId: product.id, kind: 'transfer' as const, document, batchNo: line.batchNo, expiryDate };
      await writeMove(tx, { ...move, key: `${ctx.key}/${index}/out`, warehouseId: from.id, delta: plain(quantity.negated()) });
      await writeMove(tx, { ...move, key: `${ctx.key}/${index}/in`, warehouseId: to.id, delta: plain(quantity) });
    }
    const received = input.lines.map((l) => ({ productCode: l.productCode, warehouseCode: to.code, quantity: plain(dec(l.quantity)) }));
    return { documentNumber: document, received };
  }) as Promise<MoveResult>;
}

/**
 * Orders waiting for stock of these products in these warehouses (an open line short of its remaining quantity),
 * oldest first: the order they were placed in is the order they are served in.
 */
export async function ordersWaitingFor(sql: Sql, arrived: { productCode: string; warehouseCode: string }[]): Promise<string[]> {
  if (arrived.length === 0) return [];
  const rows = await sql<{ number: string }[]>`
    SELECT o.number FROM sales_orders o
    WHERE o.status IN ('Approved', 'PartiallyDelivered') AND EXISTS (
      SELECT 1 FROM sales_order_lines l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
      WHERE l.order_id = o.id AND l.close_status = 'N' AND l.quantity - l.delivered_qty - l.reserved_qty > 0
        AND (p.code, w.code) IN (SELECT * FROM unnest(${arrived.map((a) => a.productCode)}::text[], ${arrived.map((a) => a.warehouseCode)}::text[])))
    ORDER BY o.created_at, o.id`;
  return rows.map((r) => r.number);
}
