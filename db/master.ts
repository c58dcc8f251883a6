import { numericText } from '../domain/decimal.js';
import type { Sql } from './client.js';

export interface CustomerRef {
  id: string;
  code: string;
  name: string;
  approvalStatus: 'approved' | 'pending' | 'blocked';
  currency: string;
  active: boolean;
}

export interface ProductRef {
  id: string;
  code: string;
  name: string;
  listPrice: string;
  taxRate: string;
  overDeliveryRate: string;
  active: boolean;
}

export interface WarehouseRef {
  id: string;
  code: string;
  active: boolean;
}

export async function customerByCode(sql: Sql, code: string): Promise<CustomerRef | undefined> {
  const [c] = await sql`SELECT id, code, name, approval_status, currency, active FROM customers WHERE code = ${code}`;
  return c && { id: c.id, code: c.code, name: c.name, approvalStatus: c.approval_status, currency: c.currency, active: c.active };
}

export async function productsByCode(sql: Sql, codes: string[]): Promise<Map<string, ProductRef>> {
  if (codes.length === 0) return new Map();
  const rows = await sql`SELECT id, code, name, list_price, tax_rate, over_delivery_rate, active FROM products WHERE code IN ${sql(codes)}`;
  return new Map(
    rows.map((p) => [
      p.code,
      { id: p.id, code: p.code, name: p.name, listPrice: p.list_price, taxRate: p.tax_rate, overDeliveryRate: p.over_delivery_rate, active: p.active },
    ]),
  );
}

export async function warehousesByCode(sql: Sql, codes: string[]): Promise<Map<string, WarehouseRef>> {
  if (codes.length === 0) return new Map();
  const rows = await sql`SELECT id, code, active FROM warehouses WHERE code IN ${sql(codes)}`;
  return new Map(rows.map((w) => [w.code, { id: w.id, code: w.code, active: w.active }]));
}

export async function stockLevels(sql: Sql, filter: { productCode?: string; warehouseCode?: string }) {
  const rows = await sql`
    SELECT p.code AS product_code, w.code AS warehouse_code, s.on_hand, s.reserved, (s.on_hand - s.reserved) AS available
    FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
    WHERE (${filter.productCode ?? null}::text IS NULL OR p.code = ${filter.productCode ?? null})
      AND (${filter.warehouseCode ?? null}::text IS NULL OR w.code = ${filter.warehouseCode ?? null})
    ORDER BY p.code, w.code`;
  return rows.map((r) => ({
    productCode: r.product_code as string,
    warehouseCode: r.warehouse_code as string,
    onHand: numericText(r.on_hand),
    reserved: numericText(r.reserved),
    available: numericText(r.available),
  }));
}
