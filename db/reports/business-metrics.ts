import type { Sql } from '../client.js';
import type { GaugeCollector } from '../../runtime/metrics.js';

/**
 * Business gauges read from Postgres at scrape time: orders per status, and the
 * money invoiced and received so far per currency. Prometheus values are floats:
 * good for a dashboard, never for accounting (the reports are exact).
 */
export function businessGauges(sql: Sql): GaugeCollector[] {
  return [
    {
      name: 'sales_orders',
      help: 'Sales orders by status',
      async collect() {
        const rows = await sql`SELECT status, count(*)::int AS n FROM sales_orders GROUP BY status ORDER BY status`;
        return rows.map((r) => ({ labels: { status: r.status }, value: r.n }));
      },
    },
    {
      name: 'sales_invoiced_amount',
      help: 'Gross amount invoiced so far, by currency',
      async collect() {
        const rows = await sql`SELECT currency, sum(gross_amount)::text AS amount FROM invoices GROUP BY currency ORDER BY currency`;
        return rows.map((r) => ({ labels: { currency: r.currency }, value: Number(r.amount) }));
      },
    },
    {
      name: 'sales_received_amount',
      help: 'Money received so far, by currency',
      async collect() {
        const rows = await sql`
          SELECT c.currency, sum(r.amount)::text AS amount FROM receipts r JOIN customers c ON c.id = r.customer_id
          GROUP BY c.currency ORDER BY c.currency`;
        return rows.map((r) => ({ labels: { currency: r.currency }, value: Number(r.amount) }));
      },
    },
  ];
}
