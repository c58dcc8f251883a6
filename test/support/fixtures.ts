import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';

/** A fresh product (its own code) so a test owns its stock; returns the code. */
export async function freshProduct(
  sql: Sql,
  options: { listPrice?: string; safetyStock?: string; overDeliveryRate?: string; taxRate?: string } = {},
): Promise<string> {
  const code = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  await sql`
    INSERT INTO products (code, name, list_price, tax_rate, over_delivery_rate, safety_stock)
    VALUES (${code}, ${`test product ${code}`}, ${options.listPrice ?? '10'}, ${options.taxRate ?? '0.13'},
            ${options.overDeliveryRate ?? '0'}, ${options.safetyStock ?? '0'})`;
  return code;
}

/** Stock arrives (an adjustment in the move ledger and the level in one transaction). */
export async function addStock(sql: Sql, productCode: string, warehouseCode: string, qty: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [ref] = await tx<{ product_id: string; warehouse_id: string }[]>`
      SELECT p.id AS product_id, w.id AS warehouse_id FROM products p, warehouses w WHERE p.code = ${productCode} AND w.code = ${warehouseCode}`;
    await tx`
      INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number)
      VALUES (${`test/${randomBytes(8).toString('hex')}`}, ${ref!.product_id}, ${ref!.warehouse_id}, 'adjust', ${qty}, 0, 'TEST')`;
    await tx`
      INSERT INTO stock_levels (product_id, warehouse_id, on_hand, reserved) VALUES (${ref!.product_id}, ${ref!.warehouse_id}, ${qty}, 0)
      ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand`;
  });
}
