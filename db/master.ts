import type { Sql } from './client.js';

export interface CustomerRef {
  id: string;
  code: string;
  name: string;
  approvalStatus: 'approved' | 'pending' | 'blocked';
  currency: string;
  active: boolean;
  grade: string;
  pricingOrder: string[];
  /** The customer that pays (the head office for a branch, else the customer itself). */
  payerCode: string;
  payerApprovalStatus: 'approved' | 'pending' | 'blocked';
}

export interface ProductRef {
  id: string;
  code: string;
  name: string;
  listPrice: string;
  taxRate: string;
  priceFloorRate: string;
  overDeliveryRate: string;
  active: boolean;
}

export interface WarehouseRef {
  id: string;
  code: string;
  active: boolean;
}

export async function customerByCode(sql: Sql, code: string): Promise<CustomerRef | undefined> {
  const [c] = await sql`
    SELECT c.id, c.code, c.name, c.approval_status, c.currency, c.active, c.grade, c.pricing_order,
           p.code AS payer_code, p.approval_status AS payer_status
    FROM customers c JOIN customers p ON p.id = coalesce(c.bill_to_customer_id, c.id) WHERE c.code = ${code}`;
  return (
    c && {
      id: c.id,
      code: c.code,
      name: c.name,
      approvalStatus: c.approval_status,
      currency: c.currency,
      active: c.active,
      grade: c.grade,
      pricingOrder: c.pricing_order,
      payerCode: c.payer_code,
      payerApprovalStatus: c.payer_status,
    }
  );
}

export async function productsByCode(sql: Sql, codes: string[]): Promise<Map<string, ProductRef>> {
  if (codes.length === 0) return new Map();
  const rows = await sql`SELECT id, code, name, list_price, tax_rate, price_floor_rate, over_delivery_rate, active FROM products WHERE code IN ${sql(codes)}`;
  return new Map(
    rows.map((p) => [
      p.code,
      {
        id: p.id,
        code: p.code,
        name: p.name,
        listPrice: p.list_price,
        taxRate: p.tax_rate,
        priceFloorRate: p.price_floor_rate,
        overDeliveryRate: p.over_delivery_rate,
        active: p.active,
      },
    ]),
  );
}

export async function warehousesByCode(sql: Sql, codes: string[]): Promise<Map<string, WarehouseRef>> {
  if (codes.length === 0) return new Map();
  const rows = await sql`SELECT id, code, active FROM warehouses WHERE code IN ${sql(codes)}`;
  return new Map(rows.map((w) => [w.code, { id: w.id, code: w.code, active: w.active }]));
}
