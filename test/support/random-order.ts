import { lineAmounts } from '../../domain/amounts.js';
import { dec, money } from '../../domain/decimal.js';
import type { Sql } from '../../db/client.js';
import { insertSalesOrder } from '../../db/orders.js';
import { plainHeader } from '../../db/order-header.js';

/** Prices whose tax and totals round awkwardly: where a cent goes missing, the property tests see it. */
export const AWKWARD_PRICES = ['33.333', '0.335', '19.995', '3.5', '7.777'];

/**
 * An order written straight to the database (no workflow), one line per product at a random quantity (5..24) and
 * one of the awkward prices, with the products' tax rates as given: the property tests drive its documents themselves.
 */
export async function insertRandomOrder(sql: Sql, customerCode: string, rnd: () => number, products: { code: string; taxRate: string }[]) {
  const [c] = await sql`SELECT id FROM customers WHERE code = ${customerCode}`;
  const [w] = await sql`SELECT id FROM warehouses WHERE code = 'WH-SH'`;
  const lines: Parameters<typeof insertSalesOrder>[1]['lines'] = [];
  for (const [i, product] of products.entries()) {
    const [p] = await sql`SELECT id FROM products WHERE code = ${product.code}`;
    const quantity = String(5 + Math.floor(rnd() * 20));
    const unitPrice = AWKWARD_PRICES[Math.floor(rnd() * AWKWARD_PRICES.length)]!;
    const a = lineAmounts(dec(quantity), dec(unitPrice), dec(product.taxRate));
    lines.push({
      lineNo: i + 1, productId: p!.id, warehouseId: w!.id, quantity, unitPrice, taxRate: product.taxRate, net: money(a.net), tax: money(a.tax),
      priceRule: 'manual' as const, belowFloor: false, expectedDeliveryDate: '2026-11-30',
    });
  }
  const net = lines.reduce((t, l) => t.plus(dec(l.net)), dec(0));
  const tax = lines.reduce((t, l) => t.plus(dec(l.tax)), dec(0));
  return sql.begin((tx) =>
    insertSalesOrder(tx, {
      customerId: c!.id,
      currency: 'CNY',
      fxRate: '1',
      createdBy: 'clerk.li',
      createKey: null,
      orderDate: '2026-11-23',
      shortfallPolicy: 'block',
      header: plainHeader('clerk.li'),
      totals: { net: money(net), tax: money(tax), gross: money(net.plus(tax)) },
      lines,
    }),
  );
}
