import { addDays } from '../domain/calendar.js';
import { dec, numericText, plain } from '../domain/decimal.js';
import { byExpiry, daysBetween, expiryState, suggestFefo, type BatchBalance } from '../domain/batches.js';
import { DomainError } from '../domain/errors.js';
import type { Sql, Tx } from './client.js';
import { whenGiven } from './listing.js';

/**
 * A batch's balance moves with its ledger row (same transaction): taking needs the batch (the caller locked it;
 * on_hand >= 0 is the last word), putting creates it with its expiry when it is new to the warehouse.
 */
export async function changeBatch(tx: Tx, m: { productId: string; warehouseId: string; batchNo: string; expiryDate: string; delta: string }) {
  if (dec(m.delta).isNegative()) {
    await tx`
      UPDATE stock_batches SET on_hand = on_hand + ${m.delta}
      WHERE product_id = ${m.productId} AND warehouse_id = ${m.warehouseId} AND batch_no = ${m.batchNo}`;
  } else {
    await tx`
      INSERT INTO stock_batches (product_id, warehouse_id, batch_no, expiry_date, on_hand)
      VALUES (${m.productId}, ${m.warehouseId}, ${m.batchNo}, ${m.expiryDate}, ${m.delta})
      ON CONFLICT (product_id, warehouse_id, batch_no) DO UPDATE SET on_hand = stock_batches.on_hand + EXCLUDED.on_hand`;
  }
}

/** Every batch of a product in a warehouse, locked for the rest of the transaction (after its level, by batch). */
export async function lockedBatches(tx: Tx, productId: string, warehouseId: string): Promise<BatchBalance[]> {
  const rows = await tx<{ batch_no: string; expiry_date: string; on_hand: string }[]>`
    SELECT batch_no, expiry_date::text, on_hand::text FROM stock_batches
    WHERE product_id = ${productId} AND warehouse_id = ${warehouseId} ORDER BY batch_no FOR UPDATE`;
  return rows.map((r) => ({ batchNo: r.batch_no, expiryDate: r.expiry_date, onHand: r.on_hand }));
}

/**
 * FEFO suggestion for an order's open lines of batch-tracked products: what each still has to deliver, from which
 * batches. A line the usable batches do not cover says how much is short. Read-only; the delivery checks again.
 */
export async function batchSuggestion(sql: Sql, orderNumber: string, today: string) {
  const lines = await sql<{ line_no: number; product_id: string; warehouse_id: string; product_code: string; warehouse_code: string; open: string }[]>`
    SELECT l.line_no, l.product_id, l.warehouse_id, p.code AS product_code, w.code AS warehouse_code,
           greatest(l.quantity - l.delivered_qty, 0)::text AS open
    FROM sales_orders o JOIN sales_order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
    JOIN warehouses w ON w.id = l.warehouse_id
    WHERE o.number = ${orderNumber} AND l.close_status = 'N' AND p.batch_managed ORDER BY l.line_no`;
  const [order] = await sql`SELECT 1 FROM sales_orders WHERE number = ${orderNumber}`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'number');
  const out = [];
  for (const l of lines) {
    const balances = await sql<{ batch_no: string; expiry_date: string; on_hand: string }[]>`
      SELECT batch_no, expiry_date::text, on_hand::text FROM stock_batches
      WHERE product_id = ${l.product_id} AND warehouse_id = ${l.warehouse_id} AND on_hand > 0`;
    const s = suggestFefo(balances.map((b) => ({ batchNo: b.batch_no, expiryDate: b.expiry_date, onHand: b.on_hand })), l.open, today);
    out.push({
      lineNo: l.line_no,
      productCode: l.product_code,
      warehouseCode: l.warehouse_code,
      quantity: plain(dec(l.open)),
      batches: s.batches,
      short: s.short,
      available: balances
        .filter((b) => b.expiry_date >= today)
        .map((b) => ({ batchNo: b.batch_no, expiryDate: b.expiry_date, onHand: numericText(b.on_hand) }))
        .sort(byExpiry),
    });
  }
  return { orderNumber, today, lines: out };
}

export type BatchSuggestion = Awaited<ReturnType<typeof batchSuggestion>>;

export const EXPIRY_WARNING_DAYS_KEY = 'stock.expiry_warning_days';

export async function expiryWarningDays(sql: Sql | Tx): Promise<number> {
  const [row] = await sql<{ value: unknown }[]>`SELECT value FROM company_settings WHERE key = ${EXPIRY_WARNING_DAYS_KEY}`;
  const days = Number(row?.value ?? 30);
  return Number.isInteger(days) && days >= 0 ? days : 30;
}

export async function saveExpiryWarningDays(sql: Sql, days: number): Promise<void> {
  await sql`INSERT INTO company_settings (key, value) VALUES (${EXPIRY_WARNING_DAYS_KEY}, ${sql.json(days)})
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
}

export interface ExpiryFilter {
  today: string;
  withinDays: number;
  productCode?: string | undefined;
  warehouseCode?: string | undefined;
  limit: number;
  offset: number;
}

/** 效期预警: batches still holding stock that expired or expire within the days, soonest first. */
export async function listExpiryWarnings(sql: Sql, f: ExpiryFilter) {
  const until = addDays(f.today, f.withinDays);
  const rows = await sql`
    SELECT p.code AS product_code, p.name AS product_name, w.code AS warehouse_code, b.batch_no, b.expiry_date::text, b.on_hand::text,
           count(*) OVER () AS total
    FROM stock_batches b JOIN products p ON p.id = b.product_id JOIN warehouses w ON w.id = b.warehouse_id
    WHERE b.on_hand > 0 AND b.expiry_date <= ${until}
      ${whenGiven(sql, f.productCode, (v) => sql`AND p.code = ${v}`)}
      ${whenGiven(sql, f.warehouseCode, (v) => sql`AND w.code = ${v}`)}
    ORDER BY b.expiry_date, p.code, w.code, b.batch_no LIMIT ${f.limit} OFFSET ${f.offset}`;
  return {
    today: f.today,
    withinDays: f.withinDays,
    total: rows.length ? Number(rows[0]!.total) : 0,
    items: rows.map((r) => ({
      productCode: r.product_code as string,
      productName: r.product_name as string,
      warehouseCode: r.warehouse_code as string,
      batchNo: r.batch_no as string,
      expiryDate: r.expiry_date as string,
      quantity: numericText(r.on_hand),
      state: expiryState(r.expiry_date, f.today, f.withinDays)!,
      daysLeft: daysBetween(f.today, r.expiry_date),
    })),
  };
}
