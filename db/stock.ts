import { numericText } from '../domain/decimal.js';
import type { Sql } from './client.js';
import { whenGiven } from './listing.js';

export interface StockFilter {
  productCode?: string | undefined;
  warehouseCode?: string | undefined;
  belowSafetyStock?: boolean | undefined;
  limit: number;
  offset: number;
}

/** 可用库存 = 总库存 − 已占用, per product and warehouse. */
export async function listStockLevels(sql: Sql, f: StockFilter) {
  const rows = await sql`
    SELECT p.code AS product_code, w.code AS warehouse_code, s.on_hand, s.reserved, (s.on_hand - s.reserved) AS available,
           p.safety_stock, count(*) OVER () AS total
    FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
    WHERE true
      ${whenGiven(sql, f.productCode, (v) => sql`AND p.code = ${v}`)}
      ${whenGiven(sql, f.warehouseCode, (v) => sql`AND w.code = ${v}`)}
      ${f.belowSafetyStock ? sql`AND s.on_hand - s.reserved < p.safety_stock` : sql``}
    ORDER BY p.code, w.code LIMIT ${f.limit} OFFSET ${f.offset}`;
  return {
    total: rows.length ? Number(rows[0]!.total) : 0,
    items: rows.map((r) => ({
      productCode: r.product_code as string,
      warehouseCode: r.warehouse_code as string,
      onHand: numericText(r.on_hand),
      reserved: numericText(r.reserved),
      available: numericText(r.available),
      safetyStock: numericText(r.safety_stock),
    })),
  };
}

export interface MoveFilter {
  productCode?: string | undefined;
  warehouseCode?: string | undefined;
  kind?: string | undefined;
  documentNumber?: string | undefined;
  limit: number;
  offset: number;
}

/** The append-only stock ledger, oldest first. */
export async function listStockMoves(sql: Sql, f: MoveFilter) {
  const rows = await sql`
    SELECT m.id, p.code AS product_code, w.code AS warehouse_code, m.kind, m.on_hand_delta, m.reserved_delta,
           m.document_number, m.batch_no, m.expiry_date::text, m.reason, m.created_at, count(*) OVER () AS total
    FROM stock_moves m JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id
    WHERE true
      ${whenGiven(sql, f.productCode, (v) => sql`AND p.code = ${v}`)}
      ${whenGiven(sql, f.warehouseCode, (v) => sql`AND w.code = ${v}`)}
      ${whenGiven(sql, f.kind, (v) => sql`AND m.kind = ${v}`)}
      ${whenGiven(sql, f.documentNumber, (v) => sql`AND m.document_number = ${v}`)}
    ORDER BY m.id LIMIT ${f.limit} OFFSET ${f.offset}`;
  return {
    total: rows.length ? Number(rows[0]!.total) : 0,
    items: rows.map((r) => ({
      id: String(r.id),
      productCode: r.product_code as string,
      warehouseCode: r.warehouse_code as string,
      kind: r.kind as string,
      onHandDelta: numericText(r.on_hand_delta),
      reservedDelta: numericText(r.reserved_delta),
      documentNumber: r.document_number as string | null,
      batchNo: r.batch_no as string | null,
      expiryDate: r.expiry_date as string | null,
      reason: r.reason as string | null,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/**
 * Recomputes every level from the ledger and lists where the stored level
 * differs (it never should: each move and its level change share a transaction).
 */
export async function verifyStockLevels(sql: Sql) {
  const rows = await sql`
    WITH ledger AS (
      SELECT product_id, warehouse_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
      FROM stock_moves GROUP BY product_id, warehouse_id)
    SELECT p.code AS product_code, w.code AS warehouse_code,
           coalesce(s.on_hand, 0) AS stored_on_hand, coalesce(s.reserved, 0) AS stored_reserved,
           coalesce(l.on_hand, 0) AS ledger_on_hand, coalesce(l.reserved, 0) AS ledger_reserved
    FROM stock_levels s FULL JOIN ledger l USING (product_id, warehouse_id)
    JOIN products p ON p.id = coalesce(s.product_id, l.product_id) JOIN warehouses w ON w.id = coalesce(s.warehouse_id, l.warehouse_id)
    WHERE coalesce(s.on_hand, 0) <> coalesce(l.on_hand, 0) OR coalesce(s.reserved, 0) <> coalesce(l.reserved, 0)
    ORDER BY p.code, w.code`;
  const [{ levels }] = (await sql`SELECT count(*)::int AS levels FROM stock_levels`) as unknown as [{ levels: number }];
  return {
    levelsChecked: levels,
    consistent: rows.length === 0,
    differences: rows.map((r) => ({
      productCode: r.product_code as string,
      warehouseCode: r.warehouse_code as string,
      stored: { onHand: numericText(r.stored_on_hand), reserved: numericText(r.stored_reserved) },
      fromLedger: { onHand: numericText(r.ledger_on_hand), reserved: numericText(r.ledger_reserved) },
    })),
  };
}
