import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { seedDemoData } from '../db/seed.js';
import { stuckPayments, type StuckPaymentFilter } from '../db/stuck-payments.js';
import { startEmbeddedPostgres } from '../runtime/dev/postgres.js';
import { freePort } from '../runtime/dev/ports.js';

/**
 * npm run bench:finance — finance's stuck payments on RECEIVABLES invoices (default
 * 1,000,000, OPEN_SHARE of them open) on half as many orders, 2,000 customers, some
 * deposits and unmatched receipts; prints the median of each listing. FINANCE_DB_URL
 * uses a running database, FINANCE_DB_DIR keeps the embedded one's data between runs.
 */
async function generate(sql: Sql, receivables: number, openShare: number): Promise<void> {
  const orders = Math.round(receivables / 2);
  await sql.unsafe(`
    INSERT INTO customers (code, name, settlement_days) SELECT 'G' || g, 'Generated ' || g, 30 FROM generate_series(1, 2000) g;
    UPDATE customers SET bill_to_customer_id = (SELECT id FROM customers WHERE code = 'G1') WHERE code IN ('G2', 'G3');
    INSERT INTO sales_orders (number, customer_id, currency, status, net_amount, tax_amount, gross_amount, created_by, workflow_started, deposit_required)
    SELECT 'SO-G-' || g, c.id, 'CNY', CASE WHEN g % 50 = 0 THEN 'Approved' ELSE 'Delivered' END, 100, 13, 113, 'bench', true,
           CASE WHEN g % 50 = 0 THEN 50 ELSE 0 END
    FROM generate_series(1, ${orders}) g JOIN customers c ON c.code = 'G' || (1 + g % 2000);
    INSERT INTO invoices (number, order_id, customer_id, payer_customer_id, idempotency_key, currency, net_amount, tax_amount, gross_amount,
                          paid_amount, issued_on, due_on, issued_by)
    SELECT 'INV-G-' || g, o.id, o.customer_id, coalesce(c.bill_to_customer_id, c.id), 'inv-g-' || g, 'CNY', 100, 13, 113,
           CASE WHEN random() < ${openShare} THEN 0 ELSE 113 END, date '2026-01-01' + (g % 300), date '2026-01-31' + (g % 300), 'bench'
    FROM generate_series(1, ${receivables}) g JOIN sales_orders o ON o.number = 'SO-G-' || (1 + g % ${orders}) JOIN customers c ON c.id = o.customer_id;
    INSERT INTO receipts (number, customer_id, idempotency_key, method, amount, received_on, recorded_by)
    SELECT 'RC-G-' || g, c.id, 'rc-g-' || g, 'cash', 10, date '2026-10-01', 'bench' FROM generate_series(1, 200) g JOIN customers c ON c.code = 'G' || g;`);
  await sql.unsafe('VACUUM ANALYZE');
}

async function median(sql: Sql, f: Omit<StuckPaymentFilter, 'limit' | 'offset' | 'asOf'>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await stuckPayments(sql, { asOf: '2026-11-23', limit: 50, offset: 0, ...f });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[3]!;
}

const receivables = Number(process.env.RECEIVABLES ?? 1_000_000);
let stop = async () => {};
let url = process.env.FINANCE_DB_URL;
if (!url) {
  // FINANCE_DB_DIR keeps the generated data for the next run (and for EXPLAIN in psql).
  const keep = process.env.FINANCE_DB_DIR;
  const dir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'finance-bench-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: Number(process.env.FINANCE_DB_PORT ?? (await freePort())), persistent: Boolean(keep) });
  stop = () => pg.stop();
  url = pg.url('postgres');
  console.log(`database ${url}`);
}
const sql = createSql(url, { max: 2 });
try {
  await migrate(sql);
  const [generated] = await sql`SELECT 1 FROM customers WHERE code = 'G1'`;
  if (!generated) {
    await seedDemoData(sql);
    const t = performance.now();
    await generate(sql, receivables, Number(process.env.OPEN_SHARE ?? 0.3));
    console.log(`generated ${receivables} receivables in ${Math.round(performance.now() - t)} ms`);
  }
  const [n] = await sql`SELECT (SELECT count(*) FROM invoices)::int AS invoices, (SELECT count(*) FROM order_open_receivables)::int AS open_orders`;
  console.log(`${n!.invoices} receivables, ${n!.open_orders} orders with open receivables`);
  const cases: [string, Omit<StuckPaymentFilter, 'limit' | 'offset' | 'asOf'>][] = [
    ['first page, oldest due first', {}],
    ['largest amount first', { sort: '-amountDue' }],
    ['one head office and its branches', { customerCode: 'G1' }],
    ['over 90 days overdue', { minDaysOverdue: 90 }],
    ['waiting for a deposit', { step: 'awaiting_deposit' }],
    ['receipt to match', { step: 'receipt_to_match' }],
  ];
  for (const [name, f] of cases) console.log(`stuck payments, ${name}: median ${(await median(sql, f)).toFixed(1)} ms`);
} finally {
  await sql.end();
  await stop();
}
