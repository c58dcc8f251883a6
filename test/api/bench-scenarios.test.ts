import { describe, expect, it } from 'vitest';
import { importScenario } from '../../bench/import.js';
import { generateReadSide, readSideCounts, readSideSize } from '../../bench/read-side/generate.js';
import { readSideReads, timeReads } from '../../bench/read-side/measure.js';
import { dec, money } from '../../domain/decimal.js';
import { AGING_BUCKETS, agingBucket } from '../../domain/receivables.js';
import { aging } from '../../db/receivables.js';
import { useStack } from '../support/stack.js';

/** The bench's read-side and import scenarios at a tiny scale, so they cannot rot: counts, never times. */
const stack = useStack({ worker: false });
const asOf = '2026-11-23';

describe('bench scenarios at a tiny scale', () => {
  it('generates the read side consistently, with every aging bucket populated, and the timed reads answer it', async () => {
    const size = readSideSize(0.001);
    expect(size).toEqual({ customers: 95, products: 200, orders: 200, receivables: 1000 });
    await generateReadSide(stack.sql, size, asOf);
    const counts = await readSideCounts(stack.sql, asOf);
    expect(counts).toMatchObject({ customers: 95, headOffices: 3, branches: 12, orders: 200, invoices: 1000 });
    expect(counts.orderLines).toBeGreaterThanOrEqual(200);
    expect(counts.openOrderLines).toBeGreaterThan(0);
    expect(counts.overdueInvoices).toBeGreaterThan(0);
    expect(counts.unmatchedReceipts).toBeGreaterThan(0);
    for (const bucket of AGING_BUCKETS) expect(counts.openByBucket[bucket], bucket).toBeGreaterThan(0);

    // By construction: an order's invoices add up to its gross, paid is what allocations gave, the ledger balances.
    const [check] = await stack.sql`
      SELECT
        (SELECT count(*)::int FROM sales_orders o WHERE o.number LIKE 'RSSO%'
           AND o.gross_amount <> (SELECT sum(gross_amount) FROM invoices i WHERE i.order_id = o.id)) AS order_mismatches,
        (SELECT count(*)::int FROM invoices i WHERE i.number LIKE 'RSINV%'
           AND i.paid_amount <> coalesce((SELECT sum(amount) FROM receipt_allocations a WHERE a.invoice_id = i.id), 0)) AS paid_mismatches,
        (SELECT count(*)::int FROM receipts r WHERE r.number LIKE 'RSRC%'
           AND r.allocated_amount <> coalesce((SELECT sum(amount) FROM receipt_allocations a WHERE a.receipt_id = r.id), 0)) AS allocated_mismatches,
        (SELECT sum(amount) FROM receivable_entries WHERE idempotency_key LIKE 'bench/read-side/%')
          - (SELECT sum(gross_amount - paid_amount - written_off_amount - credited_amount) FROM invoices WHERE number LIKE 'RSINV%')
          + (SELECT sum(amount - allocated_amount) FROM receipts WHERE number LIKE 'RSRC%') AS ledger_difference`;
    expect(check).toEqual({ order_mismatches: 0, paid_mismatches: 0, allocated_mismatches: 0, ledger_difference: '0.00' });

    const timings = await timeReads(readSideReads(stack.sql, asOf, 'Asia/Shanghai'), 1);
    const [payers] = await stack.sql`SELECT count(DISTINCT payer_customer_id)::int AS n FROM invoices WHERE paid_amount + written_off_amount + credited_amount < gross_amount`;
    const [overdueOrders] = await stack.sql`
      SELECT count(DISTINCT order_id)::int AS n FROM invoices WHERE paid_amount + written_off_amount + credited_amount < gross_amount AND due_on < ${asOf}::date`;
    expect(timings.aging!.rows).toBe(payers!.n);
    expect(timings.expectedShipments!.rows).toBe(counts.openOrderLines);
    // Per invoice or per order, stuck payments lists at least every order whose money is overdue.
    expect(timings.stuckPayments!.rows).toBeGreaterThanOrEqual(overdueOrders!.n);
  });

  it('aging summed in Postgres equals summing each open invoice into its bucket', async () => {
    const open = await stack.sql<{ code: string; open: string; days: number }[]>`
      SELECT c.code, (i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount)::text AS open, (${asOf}::date - i.due_on) AS days
      FROM invoices i JOIN customers c ON c.id = i.payer_customer_id WHERE i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount`;
    expect(open.length).toBeGreaterThan(100);
    const expected = new Map<string, Record<string, string>>();
    for (const r of open) {
      const row = expected.get(r.code) ?? { total: '0.00', ...Object.fromEntries(AGING_BUCKETS.map((b) => [b, '0.00'])) };
      const bucket = agingBucket(Number(r.days));
      row[bucket] = money(dec(row[bucket]!).plus(dec(r.open)));
      row.total = money(dec(row.total!).plus(dec(r.open)));
      expected.set(r.code, row);
    }
    const rows = await aging(stack.sql, asOf);
    expect(rows.map((r) => r.customerCode)).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      expect({ ...r, customerCode: undefined, customerName: undefined, documentOpen: undefined }).toEqual({ ...expected.get(r.customerCode), customerCode: undefined, customerName: undefined });
      // All in CNY here: what is open in the document currency is the base total.
      expect(r.documentOpen).toEqual([{ currency: 'CNY', open: r.total }]);
    }
  });

  it('imports a product file whole through the API, and refuses one with a bad row in the middle writing nothing', async () => {
    const post = (csv: string) => stack.request('POST', '/import/products', { user: 'admin.root', body: csv, headers: { 'content-type': 'text/csv' } });
    const result = await importScenario(post, stack.sql, 200, 'SMK');
    expect(result).toMatchObject({ rows: 200, written: 200, refused: { status: 422, code: 'IMPORT_REJECTED', errorLine: 101, written: 0 } });
  });
});
