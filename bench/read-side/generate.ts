import type { Sql, Tx } from '../../db/client.js';

/**
 * The read side at scale: customers (head offices with branches), orders with
 * lines, invoices (the receivables), settlement receipts with their allocations,
 * advances waiting to be matched, dunning reminders and the receivable ledger,
 * generated straight in Postgres with set-based SQL (generate_series), NOT through
 * the workflow: the point is the volume the finance views and reports read.
 *
 * By construction: an order's invoices add up to its gross; an invoice's paid
 * amount is what allocations from its payer's receipts give it; written off is the
 * rest of a settled bad debt; the ledger holds an entry per invoice, receipt and
 * write-off. Quantities are not tied to invoices (no invoice lines), and stock is not
 * moved: nothing timed here reads either.
 */
export interface ReadSideSize {
  customers: number;
  products: number;
  orders: number;
  receivables: number;
}

/** 1,000,000 receivables over 200,000 orders at scale 1; customers grow with the square root. */
export function readSideSize(scale: number): ReadSideSize {
  const receivables = Math.max(1, Math.round(1_000_000 * scale));
  const orders = Math.max(1, Math.min(receivables, Math.round(200_000 * scale)));
  return { customers: Math.max(50, Math.round(3000 * Math.sqrt(Math.min(scale, 1)))), products: 200, orders, receivables };
}

export interface ReadSideCounts {
  customers: number;
  headOffices: number;
  branches: number;
  orders: number;
  orderLines: number;
  openOrderLines: number;
  invoices: number;
  openInvoices: number;
  overdueInvoices: number;
  writtenOffInvoices: number;
  receipts: number;
  unmatchedReceipts: number;
  allocations: number;
  ledgerEntries: number;
  dunningNotices: number;
  openByBucket: Record<string, number>;
}

/** Open share by days past due: most of what is not due yet is open, little of what is old. */
const OPEN_SHARE = `CASE WHEN days <= 0 THEN 0.75 WHEN days <= 30 THEN 0.25 WHEN days <= 60 THEN 0.10 WHEN days <= 90 THEN 0.05 ELSE 0.01 END`;
const SALESPEOPLE = ['clerk.li', 'clerk.zhang', 'sales.zhou', 'sales.wu', 'sales.zheng', 'sales.feng'];

async function nextId(tx: Tx, table: string): Promise<number> {
  const [r] = await tx`SELECT coalesce(max(id), 0)::bigint AS base FROM ${tx(table)}`;
  return Number(r!.base);
}

/** Generates the data set into `sql`'s database (which must not hold it already); `asOf` is the business date it is aged against. */
export async function generateReadSide(sql: Sql, size: ReadSideSize, asOf: string): Promise<{ seconds: number }> {
  if (size.receivables < size.orders) throw new Error('every order needs at least one receivable');
  const started = performance.now();
  const { customers: K, products: P, orders: M, receivables: N } = size;
  await sql.begin(async (tx) => {
    const [role] = await tx`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`;
    // Foreign keys hold by construction; as superuser skip their per-row checks (and the
    // allocation trigger), else only the trigger, since paid amounts are written directly.
    if (role!.rolsuper) await tx`SET LOCAL session_replication_role = replica`;
    else await tx`ALTER TABLE receipt_allocations DISABLE TRIGGER receipt_allocations_apply`;
    await tx`SET LOCAL work_mem = '256MB'`;
    await tx`SELECT setseed(0.42)`;

    await tx`
      INSERT INTO customers (code, name, grade, settlement_days, settlement_terms, credit_control, region)
      SELECT 'RSC' || lpad(g::text, 5, '0'), 'Read-side customer ' || g, CASE WHEN g % 10 = 0 THEN 'vip' ELSE 'regular' END,
             (1 + g % 3) * 30, 'net', 'none', (ARRAY['East', 'North', 'South', 'West'])[1 + g % 4]
      FROM generate_series(1, ${K}::int) g`;
    // Every 25th customer is a head office; the four after it (from the second group on) are its branches.
    await tx`
      CREATE TEMP TABLE rs_customers ON COMMIT DROP AS
      WITH c AS (SELECT substr(code, 4)::int AS g, id, settlement_days FROM customers WHERE code LIKE 'RSC%')
      SELECT c.g, c.id, c.settlement_days, h.id AS head_id, coalesce(h.id, c.id) AS payer_id
      FROM c LEFT JOIN c h ON c.g % 25 BETWEEN 1 AND 4 AND c.g > 25 AND h.g = c.g - c.g % 25`;
    await tx`UPDATE customers SET bill_to_customer_id = r.head_id FROM rs_customers r WHERE customers.id = r.id AND r.head_id IS NOT NULL`;

    await tx`
      INSERT INTO products (code, name, unit, list_price, cost_price, tax_rate, category)
      SELECT 'RSP' || lpad(g::text, 4, '0'), 'Read-side product ' || g, 'pcs', 10 + (g % 50) * 7.5, (10 + (g % 50) * 7.5) * 0.6, 0.13, 'Cat ' || (g % 8)
      FROM generate_series(1, ${P}::int) g`;
    await tx`CREATE TEMP TABLE rs_products ON COMMIT DROP AS SELECT substr(code, 4)::int AS g, id, list_price, tax_rate FROM products WHERE code LIKE 'RSP%'`;

    // Orders over the past year, numbered in date order as the application would; a share of the last three weeks' orders is still being delivered.
    const orderBase = await nextId(tx, 'sales_orders');
    await tx`
      CREATE TEMP TABLE rs_orders ON COMMIT DROP AS
      SELECT g, ${orderBase}::bigint + row_number() OVER (ORDER BY order_on, g) AS id, customer_g, order_on, line_count,
             order_on > ${asOf}::date - 21 AND r < 0.6 AS open_shipment
      FROM (SELECT g, 1 + floor(random() * ${K}::int)::int AS customer_g,
                   ${asOf}::date - floor(random() * 365)::int AS order_on, 1 + floor(random() * 4)::int AS line_count, random() AS r
            FROM generate_series(1, ${M}::int) g) o`;
    await tx`
      CREATE TEMP TABLE rs_lines ON COMMIT DROP AS
      SELECT o.id AS order_id, l AS line_no, p.id AS product_id, w.id AS warehouse_id, q AS quantity, p.list_price AS unit_price, p.tax_rate,
             round(q * p.list_price, 2) AS net_amount, round(round(q * p.list_price, 2) * p.tax_rate, 2) AS tax_amount,
             CASE WHEN NOT o.open_shipment THEN q WHEN l % 2 = 0 THEN 0 ELSE floor(q / 2) END AS delivered_qty,
             o.order_on + 14 AS expected_delivery_date
      FROM rs_orders o
      CROSS JOIN LATERAL generate_series(1, o.line_count) l
      CROSS JOIN LATERAL (SELECT (1 + (o.g * 7 + l * 13) % 50)::numeric AS q) qty
      JOIN rs_products p ON p.g = 1 + (o.g * 31 + l * 17) % ${P}::int
      JOIN warehouses w ON w.code = CASE WHEN l % 3 = 0 THEN 'WH-BJ' ELSE 'WH-SH' END`;
    await tx`CREATE TEMP TABLE rs_order_totals ON COMMIT DROP AS SELECT order_id, sum(net_amount) AS net, sum(tax_amount) AS tax FROM rs_lines GROUP BY order_id`;

    // Invoice k belongs to order 1 + (k-1) mod M: each order is invoiced in equal parts (the last takes the cents left);
    // ids and numbers follow the issue date, so the table's physical order is time order, as in production.
    const invoiceBase = await nextId(tx, 'invoices');
    await tx`
      CREATE TEMP TABLE rs_invoices ON COMMIT DROP AS
      WITH base AS (
        SELECT k, 1 + (k - 1) % ${M}::int AS order_g, (k - 1) / ${M}::int AS part,
               ${Math.floor(N / M)}::int + CASE WHEN 1 + (k - 1) % ${M}::int <= ${N % M}::int THEN 1 ELSE 0 END AS parts,
               random() AS r, random() AS r2
        FROM generate_series(1, ${N}::int) k),
      amounts AS (
        SELECT b.k, o.id AS order_id, c.id AS customer_id, c.payer_id, b.r, b.r2,
               CASE WHEN b.part = b.parts - 1 THEN t.net - round(t.net / b.parts, 2) * (b.parts - 1) ELSE round(t.net / b.parts, 2) END AS net,
               CASE WHEN b.part = b.parts - 1 THEN t.tax - round(t.tax / b.parts, 2) * (b.parts - 1) ELSE round(t.tax / b.parts, 2) END AS tax,
               least(o.order_on + 2 + b.part * 5, ${asOf}::date) AS issued_on, c.settlement_days
        FROM base b JOIN rs_orders o ON o.g = b.order_g JOIN rs_order_totals t ON t.order_id = o.id JOIN rs_customers c ON c.g = o.customer_g),
      aged AS (SELECT a.*, a.net + a.tax AS gross, a.issued_on + a.settlement_days AS due_on, ${asOf}::date - (a.issued_on + a.settlement_days) AS days FROM amounts a),
      settled AS (SELECT aged.*, r < ${tx.unsafe(OPEN_SHARE)} AS is_open, r < ${tx.unsafe(OPEN_SHARE)} * 0.3 AS part_paid, days > 180 AND r2 < 0.005 AS bad_debt FROM aged)
      SELECT ${invoiceBase}::bigint + row_number() OVER (ORDER BY issued_on, k) AS id, order_id, customer_id, payer_id, net, tax, gross,
             issued_on, due_on, days, is_open,
             CASE WHEN part_paid THEN round(gross / 2, 2) WHEN is_open THEN 0 WHEN bad_debt THEN round(gross * 0.4, 2) ELSE gross END AS paid,
             CASE WHEN NOT is_open AND bad_debt THEN gross - round(gross * 0.4, 2) ELSE 0 END AS written_off,
             least(${asOf}::date, greatest(issued_on, due_on - 15 + floor(r2 * 30)::int)) AS paid_on
      FROM settled`;

    await tx`
      INSERT INTO sales_orders (id, number, customer_id, currency, status, net_amount, tax_amount, gross_amount, created_by, approved_by,
                                workflow_started, created_at, updated_at, fx_rate, base_net_amount, base_tax_amount, base_gross_amount)
      SELECT o.id, 'RSSO' || lpad((o.id - ${orderBase}::bigint)::text, 7, '0'), c.id, 'CNY',
             CASE WHEN o.open_shipment AND l.any_delivered THEN 'PartiallyDelivered' WHEN o.open_shipment THEN 'Approved'
                  WHEN i.money_open THEN 'Delivered' ELSE 'Completed' END,
             t.net, t.tax, t.net + t.tax, (${SALESPEOPLE}::text[])[1 + o.g % ${SALESPEOPLE.length}::int], 'manager.wang', true,
             ((o.order_on + time '09:00') AT TIME ZONE 'Asia/Shanghai') + (o.g % 480) * interval '1 minute',
             ((o.order_on + time '09:00') AT TIME ZONE 'Asia/Shanghai') + (o.g % 480) * interval '1 minute',
             1, t.net, t.tax, t.net + t.tax
      FROM rs_orders o JOIN rs_customers c ON c.g = o.customer_g JOIN rs_order_totals t ON t.order_id = o.id
      JOIN (SELECT order_id, bool_or(delivered_qty > 0) AS any_delivered FROM rs_lines GROUP BY 1) l ON l.order_id = o.id
      JOIN (SELECT order_id, bool_or(paid + written_off < gross) AS money_open FROM rs_invoices GROUP BY 1) i ON i.order_id = o.id
      ORDER BY o.id`;
    await tx`
      INSERT INTO sales_order_lines (order_id, line_no, product_id, warehouse_id, quantity, unit_price, tax_rate, net_amount, tax_amount,
                                     delivered_qty, invoiced_qty, close_status, expected_delivery_date, price_rule)
      SELECT order_id, line_no, product_id, warehouse_id, quantity, unit_price, tax_rate, net_amount, tax_amount,
             delivered_qty, delivered_qty, CASE WHEN delivered_qty >= quantity THEN 'Y' ELSE 'N' END, expected_delivery_date, 'list_price'
      FROM rs_lines ORDER BY order_id, line_no`;
    await tx`
      INSERT INTO invoices (id, number, order_id, customer_id, payer_customer_id, idempotency_key, currency, net_amount, tax_amount, gross_amount,
                            paid_amount, written_off_amount, issued_on, due_on, issued_by, fx_rate, base_net_amount, base_tax_amount, base_gross_amount)
      SELECT id, 'RSINV' || lpad((id - ${invoiceBase}::bigint)::text, 8, '0'), order_id, customer_id, payer_id, 'bench/read-side/invoice/' || id, 'CNY', net, tax, gross,
             paid, written_off, issued_on, due_on, 'finance.chen', 1, net, tax, gross
      FROM rs_invoices ORDER BY id`;

    // 收款单: one settlement per payer and month, allocated (核销) to the invoices it paid; a few advances wait to be matched.
    const receiptBase = await nextId(tx, 'receipts');
    await tx`
      CREATE TEMP TABLE rs_receipts ON COMMIT DROP AS
      SELECT ${receiptBase}::bigint + row_number() OVER (ORDER BY payer_id, month) AS id, payer_id, month, received_on, amount, amount AS allocated
      FROM (SELECT payer_id, date_trunc('month', paid_on) AS month, max(paid_on) AS received_on, sum(paid) AS amount
            FROM rs_invoices WHERE paid > 0 GROUP BY 1, 2) s`;
    const [last] = await tx`SELECT coalesce(max(id), ${receiptBase}::bigint) AS id FROM rs_receipts`;
    await tx`
      INSERT INTO rs_receipts (id, payer_id, month, received_on, amount, allocated)
      SELECT ${last!.id}::bigint + row_number() OVER (ORDER BY id), payer_id, month, received_on, 500 + round((random() * 20000)::numeric, 2), 0
      FROM rs_receipts WHERE random() < 0.03`;
    await tx`
      INSERT INTO receipts (id, number, customer_id, idempotency_key, method, amount, allocated_amount, received_on, recorded_by, currency, fx_rate, base_amount)
      SELECT id, 'RSRC' || lpad((id - ${receiptBase}::bigint)::text, 7, '0'), payer_id, 'bench/read-side/receipt/' || id, 'bank_transfer',
             amount, allocated, received_on, 'finance.chen', 'CNY', 1, amount
      FROM rs_receipts ORDER BY id`;
    await tx`
      INSERT INTO receipt_allocations (receipt_id, invoice_id, amount, created_at, base_amount, exchange_difference)
      SELECT r.id, i.id, i.paid, i.paid_on, i.paid, 0
      FROM rs_invoices i JOIN rs_receipts r ON r.payer_id = i.payer_id AND r.month = date_trunc('month', i.paid_on) AND r.allocated > 0
      WHERE i.paid > 0`;

    await tx`
      INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, invoice_id, receipt_id, kind, amount, entry_on, currency, fx_rate, base_amount)
      SELECT *, 'CNY', 1, amount FROM (
        SELECT 'bench/read-side/ledger/invoice/' || id, payer_id, order_id, id, NULL::bigint, 'invoice', gross AS amount, issued_on FROM rs_invoices
        UNION ALL
        SELECT 'bench/read-side/ledger/receipt/' || id, payer_id, NULL, NULL, id, 'receipt', -amount, received_on FROM rs_receipts
        UNION ALL
        SELECT 'bench/read-side/ledger/write-off/' || id, payer_id, order_id, id, NULL, 'write_off', -written_off, least(${asOf}::date, due_on + 180)
        FROM rs_invoices WHERE written_off > 0) e`;
    // 催款: a reminder 7, 30 and 60 days after the due date of what is still open.
    await tx`
      INSERT INTO notifications (idempotency_key, order_number, document_number, kind, message)
      SELECT 'bench/read-side/dunning/' || i.id || '/' || s, 'RSSO' || lpad((i.order_id - ${orderBase}::bigint)::text, 7, '0'),
             'RSINV' || lpad((i.id - ${invoiceBase}::bigint)::text, 8, '0'), 'dunning',
             'Reminder ' || s || ': invoice RSINV' || lpad((i.id - ${invoiceBase}::bigint)::text, 8, '0') || ' is overdue'
      FROM rs_invoices i CROSS JOIN LATERAL generate_series(1, (i.days >= 7)::int + (i.days >= 30)::int + (i.days >= 60)::int) s
      WHERE i.is_open AND i.days >= 7`;

    // Finance's per-order sums (migration 010) are kept by triggers the replica role skipped: fill them once.
    if (role!.rolsuper) {
      await tx`SELECT refresh_order_open_receivables(ARRAY(SELECT DISTINCT order_id FROM invoices WHERE paid_amount + written_off_amount + credited_amount < gross_amount))`;
    }
    for (const table of ['sales_orders', 'invoices', 'receipts']) {
      await tx`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${tx(table)}))`;
    }
    if (!role!.rolsuper) await tx`ALTER TABLE receipt_allocations ENABLE TRIGGER receipt_allocations_apply`;
  });
  // VACUUM as autovacuum would after a bulk insert (it sets the visibility map index-only scans rely on), and ANALYZE.
  await sql`VACUUM (ANALYZE) customers, products, sales_orders, sales_order_lines, invoices, receipts, receipt_allocations, receivable_entries, notifications, order_open_receivables`;
  return { seconds: (performance.now() - started) / 1000 };
}

/** What the generated data holds, counted from the tables. */
export async function readSideCounts(sql: Sql, asOf: string): Promise<ReadSideCounts> {
  const [c] = await sql`
    SELECT count(*)::int AS customers, count(*) FILTER (WHERE bill_to_customer_id IS NOT NULL)::int AS branches,
           (SELECT count(DISTINCT bill_to_customer_id)::int FROM customers WHERE code LIKE 'RSC%') AS head_offices
    FROM customers WHERE code LIKE 'RSC%'`;
  const [o] = await sql`
    SELECT count(DISTINCT o.id)::int AS orders, count(*)::int AS lines, count(*) FILTER (WHERE l.close_status = 'N')::int AS open_lines
    FROM sales_orders o JOIN sales_order_lines l ON l.order_id = o.id WHERE o.number LIKE 'RSSO%'`;
  const [i] = await sql`
    SELECT count(*)::int AS invoices, count(*) FILTER (WHERE open)::int AS open, count(*) FILTER (WHERE open AND due_on < ${asOf}::date)::int AS overdue,
           count(*) FILTER (WHERE written_off_amount > 0)::int AS written_off,
           count(*) FILTER (WHERE open AND due_on >= ${asOf}::date)::int AS current,
           count(*) FILTER (WHERE open AND ${asOf}::date - due_on BETWEEN 1 AND 30)::int AS days1to30,
           count(*) FILTER (WHERE open AND ${asOf}::date - due_on BETWEEN 31 AND 60)::int AS days31to60,
           count(*) FILTER (WHERE open AND ${asOf}::date - due_on BETWEEN 61 AND 90)::int AS days61to90,
           count(*) FILTER (WHERE open AND ${asOf}::date - due_on > 90)::int AS over90
    FROM (SELECT *, paid_amount + written_off_amount + credited_amount < gross_amount AS open FROM invoices WHERE number LIKE 'RSINV%') x`;
  const [r] = await sql`
    SELECT count(*)::int AS receipts, count(*) FILTER (WHERE allocated_amount < amount)::int AS unmatched,
           (SELECT count(*)::int FROM receipt_allocations a JOIN receipts rr ON rr.id = a.receipt_id WHERE rr.number LIKE 'RSRC%') AS allocations,
           (SELECT count(*)::int FROM receivable_entries WHERE idempotency_key LIKE 'bench/read-side/%') AS ledger,
           (SELECT count(*)::int FROM notifications WHERE idempotency_key LIKE 'bench/read-side/%') AS dunning
    FROM receipts WHERE number LIKE 'RSRC%'`;
  return {
    customers: c!.customers,
    headOffices: c!.head_offices,
    branches: c!.branches,
    orders: o!.orders,
    orderLines: o!.lines,
    openOrderLines: o!.open_lines,
    invoices: i!.invoices,
    openInvoices: i!.open,
    overdueInvoices: i!.overdue,
    writtenOffInvoices: i!.written_off,
    receipts: r!.receipts,
    unmatchedReceipts: r!.unmatched,
    allocations: r!.allocations,
    ledgerEntries: r!.ledger,
    dunningNotices: r!.dunning,
    openByBucket: { current: i!.current, days1to30: i!.days1to30, days31to60: i!.days31to60, days61to90: i!.days61to90, over90: i!.over90 },
  };
}
