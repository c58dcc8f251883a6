import { numericText } from '../../domain/decimal.js';
import type { Sql } from '../client.js';
import { BASIS } from './basis.js';
import { businessDay, inPeriod, requireKnownCodes, total, type Paging, type Period, type ReportPage } from './common.js';

export interface ProductTransactionsFilter extends Period, Paging {
  productCode: string;
  warehouseCode?: string | undefined;
}

export interface ProductTransaction {
  at: string;
  date: string;
  warehouseCode: string;
  kind: string;
  document: string | null;
  customerCode: string | null;
  onHandChange: string;
  reservedChange: string;
  onHandAfter: string;
  reservedAfter: string;
}

/**
 * 历史交易记录表: every stock move of one product (opening, reservations, deliveries,
 * returns, adjustments) with its document, the customer behind it, and the balance
 * of its warehouse after the move (counted over the whole ledger, whatever the period).
 */
export async function productTransactions(sql: Sql, timeZone: string, f: ProductTransactionsFilter): Promise<ReportPage<ProductTransaction>> {
  await requireKnownCodes(sql, f);
  const rows = await sql`
    WITH moves AS (
      SELECT m.id, m.created_at, ${businessDay(sql, 'm.created_at', timeZone)} AS day, w.code AS warehouse_code, m.kind, m.document_number,
             m.on_hand_delta, m.reserved_delta,
             sum(m.on_hand_delta) OVER running AS on_hand_after,
             sum(m.reserved_delta) OVER running AS reserved_after
      FROM stock_moves m JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id
      WHERE p.code = ${f.productCode} AND (${f.warehouseCode ?? null}::text IS NULL OR w.code = ${f.warehouseCode ?? null})
      WINDOW running AS (PARTITION BY m.warehouse_id ORDER BY m.created_at, m.id)
    )
    SELECT mv.*, mv.day::text AS day_text, coalesce(co.code, cd.code, cr.code) AS customer_code, count(*) OVER () AS total_rows
    FROM moves mv
    LEFT JOIN sales_orders so ON so.number = mv.document_number
    LEFT JOIN customers co ON co.id = so.customer_id
    LEFT JOIN delivery_notes dn ON dn.number = mv.document_number
    LEFT JOIN sales_orders sd ON sd.id = dn.order_id
    LEFT JOIN customers cd ON cd.id = sd.customer_id
    LEFT JOIN sales_returns sr ON sr.number = mv.document_number
    LEFT JOIN sales_orders sro ON sro.id = sr.order_id
    LEFT JOIN customers cr ON cr.id = sro.customer_id
    WHERE ${inPeriod(sql, 'mv.day', f)}
    ORDER BY mv.created_at, mv.id LIMIT ${f.limit} OFFSET ${f.offset}`;
  return {
    basis: BASIS.productTransactions,
    total: total(rows),
    items: rows.map((r) => ({
      at: new Date(r.created_at).toISOString(),
      date: r.day_text,
      warehouseCode: r.warehouse_code,
      kind: r.kind,
      document: r.document_number,
      customerCode: r.customer_code,
      onHandChange: numericText(r.on_hand_delta),
      reservedChange: numericText(r.reserved_delta),
      onHandAfter: numericText(r.on_hand_after),
      reservedAfter: numericText(r.reserved_after),
    })),
  };
}
