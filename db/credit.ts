import { dec } from '../domain/decimal.js';
import { deliveredNotInvoicedAmount, undeliveredOrderAmount, type CreditExposure, type ExposureLine } from '../domain/credit.js';
import type { Sql, Tx } from './client.js';

/** Statuses of approved orders that still hold open lines (their undelivered part is credit in use). */
const OPEN_APPROVED = ['Approved', 'PartiallyDelivered'];

/**
 * In the base currency (the credit limit's), whatever the documents' currencies:
 * what the paying customer and every branch it pays for owe or have committed:
 * open receivables, delivered-not-invoiced goods and approved, undelivered
 * orders. `newOrderGross` (in base) is the order being checked, left out of the open orders.
 */
export async function creditExposureOf(sql: Sql | Tx, payerId: string, orderId: string | null, newOrderGross: string): Promise<CreditExposure> {
  const group = sql`SELECT id FROM customers WHERE id = ${payerId} OR bill_to_customer_id = ${payerId}`;
  const [[receivable], lines] = await Promise.all([
    sql<{ open: string }[]>`SELECT coalesce(sum(base_amount), 0)::text AS open FROM receivable_entries WHERE customer_id IN (${group})`,
    sql<(ExposureLine & { status: string })[]>`
      SELECT o.status, l.quantity::text AS "quantity", l.delivered_qty::text AS "deliveredQty", l.invoiced_qty::text AS "invoicedQty",
             l.unit_price::text AS "unitPrice", l.tax_rate::text AS "taxRate", l.close_status AS "closeStatus",
             o.fx_rate::text AS "fxRate"
      FROM sales_orders o JOIN sales_order_lines l ON l.order_id = o.id
      WHERE o.customer_id IN (${group}) AND o.status <> 'Cancelled' AND o.id IS DISTINCT FROM ${orderId}
        AND (l.delivered_qty > l.invoiced_qty OR (o.status IN ${sql(OPEN_APPROVED)} AND l.close_status = 'N'))`,
  ]);
  return {
    openReceivables: dec(receivable!.open),
    deliveredNotInvoiced: deliveredNotInvoicedAmount(lines),
    openOrders: undeliveredOrderAmount(lines.filter((l) => OPEN_APPROVED.includes(l.status))),
    newOrder: dec(newOrderGross),
  };
}
