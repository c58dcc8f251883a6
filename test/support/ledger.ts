import { numericText } from '../../domain/decimal.js';
import type { Sql } from '../../db/client.js';

/** Stock levels that differ from the sums of the move ledger (should always be none). */
export async function stockLedgerMismatches(sql: Sql) {
  return sql`
    SELECT s.product_id, s.warehouse_id, s.on_hand, s.reserved, m.on_hand AS ledger_on_hand, m.reserved AS ledger_reserved
    FROM stock_levels s
    LEFT JOIN (SELECT product_id, warehouse_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
               FROM stock_moves GROUP BY product_id, warehouse_id) m USING (product_id, warehouse_id)
    WHERE s.on_hand <> coalesce(m.on_hand, 0) OR s.reserved <> coalesce(m.reserved, 0)`;
}

export async function stockOf(sql: Sql, productCode: string, warehouseCode: string) {
  const [row] = await sql<{ on_hand: string; reserved: string }[]>`
    SELECT s.on_hand::text AS on_hand, s.reserved::text AS reserved FROM stock_levels s
    JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
    WHERE p.code = ${productCode} AND w.code = ${warehouseCode}`;
  return row ? { onHand: numericText(row.on_hand), reserved: numericText(row.reserved) } : undefined;
}
