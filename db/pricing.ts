import { dec } from '../domain/decimal.js';
import type { CustomerPrice, QuantityTier } from '../domain/pricing.js';
import type { Sql } from './client.js';

export interface PricingTables {
  gradeDiscounts: Map<string, ReturnType<typeof dec>>;
  quantityTiers: QuantityTier[];
}

/** The company-wide price strategies: grade discounts and the quantity tier scale. */
export async function pricingTables(sql: Sql): Promise<PricingTables> {
  const [grades, tiers] = await Promise.all([
    sql<{ grade: string; rate: string }[]>`SELECT grade, rate FROM grade_discounts`,
    sql<{ above: string; up_to: string | null; rate: string }[]>`SELECT above, up_to, rate FROM quantity_tiers ORDER BY above`,
  ]);
  return {
    gradeDiscounts: new Map(grades.map((g) => [g.grade, dec(g.rate)])),
    quantityTiers: tiers.map((t) => ({ above: dec(t.above), upTo: t.up_to === null ? null : dec(t.up_to), rate: dec(t.rate) })),
  };
}

/**
 * Every active agreed price of one customer for the given products, by product id;
 * of two taking effect the same day, the newer agreement comes first and wins.
 */
export async function customerPricesOf(sql: Sql, customerId: string, productIds: string[]): Promise<Map<string, CustomerPrice[]>> {
  const byProduct = new Map<string, CustomerPrice[]>();
  if (productIds.length === 0) return byProduct;
  const rows = await sql<{ id: string; product_id: string; unit_price: string; effective_from: string; effective_to: string | null }[]>`
    SELECT id, product_id, unit_price, effective_from::text, effective_to::text FROM customer_prices
    WHERE customer_id = ${customerId} AND product_id IN ${sql(productIds)} AND active
    ORDER BY effective_from DESC, id DESC`;
  for (const r of rows) {
    const list = byProduct.get(r.product_id) ?? [];
    list.push({ id: String(r.id), unitPrice: dec(r.unit_price), effectiveFrom: r.effective_from, effectiveTo: r.effective_to });
    byProduct.set(r.product_id, list);
  }
  return byProduct;
}

export interface LastPricePaid {
  unitPrice: string;
  orderNumber: string;
  orderedAt: string;
}

/** 历史价格: the price on this customer's latest order line for the product (cancelled orders left out). */
export async function lastPricePaid(sql: Sql, customerId: string, productId: string): Promise<LastPricePaid | null> {
  const [row] = await sql<{ unit_price: string; number: string; created_at: Date }[]>`
    SELECT l.unit_price, o.number, o.created_at FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id
    WHERE o.customer_id = ${customerId} AND l.product_id = ${productId} AND o.status <> 'Cancelled'
    ORDER BY o.id DESC, l.line_no DESC LIMIT 1`;
  return row ? { unitPrice: dec(row.unit_price).toFixed(), orderNumber: row.number, orderedAt: new Date(row.created_at).toISOString() } : null;
}
