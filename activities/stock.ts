import { businessDate } from '../domain/calendar.js';
import { D, dec, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { changeBatch } from '../db/batches.js';
import type { Tx } from '../db/client.js';
import { asActivity, Ending, lockOrder, once, type ActivityDeps } from './support.js';

export interface ReserveStockInput {
  orderNumber: string;
  key: string;
  /** Marks the order approved by this user in the same transaction (the final approval). */
  approvedBy?: string;
  /** Back-order: reserve what exists per line and leave the rest open, instead of all or nothing. */
  partial?: boolean;
}

export interface ReservedLine {
  lineNo: number;
  quantity: string;
}

export interface StockMove {
  productId: string;
  warehouseId: string;
  kind: 'opening' | 'reserve' | 'release' | 'deliver' | 'return' | 'adjust';
  onHandDelta: string;
  reservedDelta: string;
  document: string;
  /** A batch-tracked product's batch: the ledger row carries it and the batch's balance moves with it. */
  batch?: { batchNo: string; expiryDate: string };
}

/**
 * Changes a stock level and appends the matching ledger row in the caller's
 * transaction; the table's CHECKs refuse on hand below zero and reserved above on hand.
 */
export async function moveStock(tx: Tx, key: string, m: StockMove): Promise<void> {
  // Both statements go out together (pipelined on the transaction's connection); a refusal of either aborts it.
  await Promise.all([
    tx`
      UPDATE stock_levels SET on_hand = on_hand + ${m.onHandDelta}, reserved = reserved + ${m.reservedDelta}
      WHERE product_id = ${m.productId} AND warehouse_id = ${m.warehouseId}`,
    tx`
      INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number, batch_no, expiry_date)
      VALUES (${key}, ${m.productId}, ${m.warehouseId}, ${m.kind}, ${m.onHandDelta}, ${m.reservedDelta}, ${m.document},
              ${m.batch?.batchNo ?? null}, ${m.batch?.expiryDate ?? null})`,
    ...(m.batch ? [changeBatch(tx, { productId: m.productId, warehouseId: m.warehouseId, ...m.batch, delta: m.onHandDelta })] : []),
  ]);
}

export async function reservedLines(tx: Tx, orderId: string): Promise<ReservedLine[]> {
  const rows = await tx<{ line_no: number; reserved_qty: string }[]>`
    SELECT line_no, reserved_qty FROM sales_order_lines WHERE order_id = ${orderId} ORDER BY line_no`;
  return rows.map((r) => ({ lineNo: r.line_no, quantity: plain(dec(r.reserved_qty)) }));
}

/** What a stock level can still promise: on hand, less what is reserved and what sits in batches past their date. */
function promisable(tx: Tx, today: string) {
  return tx`(s.on_hand - s.reserved - coalesce((
    SELECT sum(b.on_hand) FROM stock_batches b
    WHERE b.product_id = s.product_id AND b.warehouse_id = s.warehouse_id AND b.expiry_date < ${today}::date), 0))`;
}

interface OpenLine {
  line_no: number;
  product_id: string;
  warehouse_id: string;
  product_code: string;
  warehouse_code: string;
  open_qty: string;
}

interface Shortfall {
  lineNo: number;
  productCode: string;
  warehouseCode: string;
  requested: string;
  available: string;
}

function insufficient(shortfalls: Shortfall[]): DomainError {
  const text = shortfalls.map((s) => `line ${s.lineNo} ${s.productCode}@${s.warehouseCode}: needs ${s.requested}, available ${s.available}`).join('; ');
  return new DomainError('INSUFFICIENT_STOCK', `not enough stock: ${text}`, 'lines', { shortfalls });
}

/**
 * Reserves what every open line still needs (ordered − delivered − reserved) in the caller's transaction, all or
 * nothing unless `partial` (back-order the shortfall). `today` (the business date): a batch past its date is not
 * stock an order can be promised, though it is on hand until written off.
 *
 * All or nothing, the ledger rows and the lines are written now, and what is returned is the reservation itself:
 * one conditional UPDATE per stock level (it reserves only if the level can still promise the quantity), which the
 * caller runs as the transaction's last statements (activities/support.ts `Ending`). So a hot product's row is
 * locked for that statement and the commit, not for the whole step; levels are taken by product then warehouse, so
 * two orders never deadlock; the `reserved <= on_hand` CHECK is the last word against an oversell. A level that
 * cannot promise it makes the reservation throw INSUFFICIENT_STOCK naming every short line, and the whole
 * transaction rolls back. A back-order needs to know what it got before it writes its lines, so it reads each level
 * under its lock and reserves at once (returning nothing left to do).
 */
export async function reserveOpenLines(
  tx: Tx,
  order: { id: string; number: string },
  key: string,
  partial: boolean,
  today: string,
): Promise<() => Promise<void>> {
  const lines = (
    await tx<OpenLine[]>`
      SELECT l.line_no, l.product_id, l.warehouse_id, p.code AS product_code, w.code AS warehouse_code,
             (l.quantity - l.delivered_qty - l.reserved_qty)::text AS open_qty
      FROM sales_order_lines l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
      WHERE l.order_id = ${order.id} AND l.close_status = 'N'
      ORDER BY l.product_id, l.warehouse_id, l.line_no`
  ).filter((l) => dec(l.open_qty).isPositive() && !dec(l.open_qty).isZero());
  if (partial) {
    await backOrderOpenLines(tx, order, key, lines, today);
    return async () => {};
  }
  await Promise.all(
    lines.flatMap((line) => [
      tx`
        INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number)
        VALUES (${`${key}/${line.line_no}`}, ${line.product_id}, ${line.warehouse_id}, 'reserve', 0, ${line.open_qty}, ${order.number})`,
      tx`UPDATE sales_order_lines SET reserved_qty = reserved_qty + ${line.open_qty} WHERE order_id = ${order.id} AND line_no = ${line.line_no}`,
    ]),
  );
  return async () => {
    const taken = await Promise.all(
      lines.map(
        (line) => tx<{ n: number }[]>`
          WITH level AS (
            UPDATE stock_levels s SET reserved = s.reserved + ${line.open_qty}
            WHERE s.product_id = ${line.product_id} AND s.warehouse_id = ${line.warehouse_id} AND ${promisable(tx, today)} >= ${line.open_qty}
            RETURNING ${promisable(tx, today)} AS left_after
          ), warning AS (
            -- 库存预警: recorded, not refused; the warehouse decides whether to replenish.
            INSERT INTO stock_warnings (idempotency_key, product_id, warehouse_id, available, safety_stock, document_number)
            SELECT ${`${key}/${line.line_no}`}, ${line.product_id}, ${line.warehouse_id}, level.left_after, p.safety_stock, ${order.number}
            FROM level JOIN products p ON p.id = ${line.product_id} WHERE level.left_after < p.safety_stock
          )
          SELECT count(*)::int AS n FROM level`,
      ),
    );
    const short = lines.filter((_, i) => taken[i]![0]!.n === 0);
    if (short.length === 0) return;
    // Refused: read what each short level can promise, for the message (the transaction rolls back).
    const shortfalls: Shortfall[] = [];
    for (const line of short) {
      const [level] = await tx<{ available: string }[]>`
        SELECT ${promisable(tx, today)}::text AS available FROM stock_levels s
        WHERE s.product_id = ${line.product_id} AND s.warehouse_id = ${line.warehouse_id}`;
      shortfalls.push({
        lineNo: line.line_no,
        productCode: line.product_code,
        warehouseCode: line.warehouse_code,
        requested: plain(dec(line.open_qty)),
        available: plain(D.max(0, dec(level?.available ?? '0'))),
      });
    }
    throw insufficient(shortfalls.sort((a, b) => a.lineNo - b.lineNo));
  };
}

/** A back-order's reservation: each level read under its lock, what it can promise taken, the rest left open. */
async function backOrderOpenLines(tx: Tx, order: { id: string; number: string }, key: string, lines: OpenLine[], today: string): Promise<void> {
  for (const line of lines) {
    const qty = dec(line.open_qty);
    const [level] = await tx<{ available: string; safety_stock: string }[]>`
      SELECT ${promisable(tx, today)}::text AS available, p.safety_stock::text
      FROM stock_levels s JOIN products p ON p.id = s.product_id
      WHERE s.product_id = ${line.product_id} AND s.warehouse_id = ${line.warehouse_id} FOR UPDATE OF s`;
    const available = level ? D.max(0, dec(level.available)) : new D(0);
    const take = D.min(qty, available);
    if (take.isZero()) continue;
    await Promise.all([
      moveStock(tx, `${key}/${line.line_no}`, {
        productId: line.product_id,
        warehouseId: line.warehouse_id,
        kind: 'reserve',
        onHandDelta: '0',
        reservedDelta: plain(take),
        document: order.number,
      }),
      tx`UPDATE sales_order_lines SET reserved_qty = reserved_qty + ${plain(take)}
         WHERE order_id = ${order.id} AND line_no = ${line.line_no}`,
    ]);
    const left = available.minus(take);
    if (left.lessThan(dec(level!.safety_stock))) {
      await tx`
        INSERT INTO stock_warnings (idempotency_key, product_id, warehouse_id, available, safety_stock, document_number)
        VALUES (${`${key}/${line.line_no}`}, ${line.product_id}, ${line.warehouse_id}, ${plain(left)}, ${level!.safety_stock}, ${order.number})`;
    }
  }
}

/**
 * Gives back what lines hold beyond what they still need: a closed line needs
 * nothing, an open one its undelivered quantity. `lineNos` forces those lines to
 * give back everything (their warehouse is about to change).
 */
export async function releaseExcess(tx: Tx, order: { id: string; number: string }, key: string, lineNos: number[] = []): Promise<void> {
  const lines = await tx<{ line_no: number; product_id: string; warehouse_id: string; excess: string }[]>`
    SELECT line_no, product_id, warehouse_id,
           (reserved_qty - CASE WHEN close_status <> 'N' OR line_no = ANY(${lineNos}::int[]) THEN 0
                                ELSE greatest(quantity - delivered_qty, 0) END)::text AS excess
    FROM sales_order_lines WHERE order_id = ${order.id}
    ORDER BY product_id, warehouse_id, line_no`;
  for (const line of lines) {
    const excess = dec(line.excess);
    if (!excess.isPositive() || excess.isZero()) continue;
    await tx`SELECT 1 FROM stock_levels WHERE product_id = ${line.product_id} AND warehouse_id = ${line.warehouse_id} FOR UPDATE`;
    await moveStock(tx, `${key}/release/${line.line_no}`, {
      productId: line.product_id,
      warehouseId: line.warehouse_id,
      kind: 'release',
      onHandDelta: '0',
      reservedDelta: excess.negated().toFixed(),
      document: order.number,
    });
    await tx`UPDATE sales_order_lines SET reserved_qty = reserved_qty - ${plain(excess)} WHERE order_id = ${order.id} AND line_no = ${line.line_no}`;
  }
}

export function stockActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /** 锁定库存: reserves every open line of the order, all or nothing (or back-ordered), and marks it approved. */
  async function reserveStock({ orderNumber, key, approvedBy, partial = false }: ReserveStockInput): Promise<ReservedLine[]> {
    return once(sql, key, async (tx) => {
      const order = await lockOrder(tx, orderNumber);
      const reserve = await reserveOpenLines(tx, order, key, partial, businessDate(now(), business.BUSINESS_TIME_ZONE));
      if (approvedBy !== undefined) {
        await tx`UPDATE sales_orders SET status = 'Approved', approved_by = ${approvedBy}, updated_at = now() WHERE id = ${order.id}`;
      }
      return new Ending(await reservedLines(tx, order.id), reserve);
    });
  }

  /** The inverse of reserveStock: gives back whatever the order (or one of its lines) still holds. */
  async function releaseStock({ orderNumber, key, lineNo }: { orderNumber: string; key: string; lineNo?: number }): Promise<ReservedLine[]> {
    return once(sql, key, async (tx) => {
      const order = await lockOrder(tx, orderNumber);
      const lines = await tx<{ line_no: number; product_id: string; warehouse_id: string; reserved_qty: string }[]>`
        SELECT line_no, product_id, warehouse_id, reserved_qty::text FROM sales_order_lines
        WHERE order_id = ${order.id} AND reserved_qty > 0 AND (${lineNo ?? null}::int IS NULL OR line_no = ${lineNo ?? null})
        ORDER BY product_id, warehouse_id, line_no`;
      for (const line of lines) {
        await tx`SELECT 1 FROM stock_levels WHERE product_id = ${line.product_id} AND warehouse_id = ${line.warehouse_id} FOR UPDATE`;
        await moveStock(tx, `${key}/${line.line_no}`, {
          productId: line.product_id,
          warehouseId: line.warehouse_id,
          kind: 'release',
          onHandDelta: '0',
          reservedDelta: dec(line.reserved_qty).negated().toFixed(),
          document: orderNumber,
        });
        await tx`UPDATE sales_order_lines SET reserved_qty = 0 WHERE order_id = ${order.id} AND line_no = ${line.line_no}`;
      }
      return reservedLines(tx, order.id);
    });
  }

  return { reserveStock: asActivity(reserveStock), releaseStock: asActivity(releaseStock) };
}
