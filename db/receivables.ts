import { dec, money, sum } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { AGING_BUCKET_LAST_DAYS, AGING_BUCKETS, type AgingBucket, type InvoiceMode } from '../domain/receivables.js';
import type { Sql, Tx } from './client.js';
import { baseCurrency } from './fx.js';

/** The read side of receivables: what finance looks at. All amounts come from Postgres. */

/**
 * How a customer's orders are invoiced and its deposit ratio (订金, the deposit rule is domain/order/header.ts).
 * A branch is invoiced the way its paying head office is (总公司付款): a monthly-invoiced head
 * office gets its branches' deliveries on its monthly invoice, not invoiced at each delivery.
 */
export async function customerBillingTerms(sql: Sql | Tx, customerCode: string): Promise<{ invoiceMode: InvoiceMode; depositRatio: string }> {
  const [c] = await sql<{ invoice_mode: InvoiceMode; deposit_ratio: string }[]>`
    SELECT coalesce(h.invoice_mode, c.invoice_mode) AS invoice_mode, c.deposit_ratio::text
    FROM customers c LEFT JOIN customers h ON h.id = c.bill_to_customer_id WHERE c.code = ${customerCode}`;
  return { invoiceMode: c?.invoice_mode ?? 'per_order', depositRatio: c?.deposit_ratio ?? '0' };
}

/** A payer's open receivables in one document currency, in that currency. */
export interface OpenInCurrency {
  currency: string;
  open: string;
}

/** Buckets and total in the base currency; `documentOpen` the same receivables in each document currency. */
export type AgingRow = { customerCode: string; customerName: string; total: string; documentOpen: OpenInCurrency[] } & Record<AgingBucket, string>;

/**
 * 账龄分析: each payer's open invoices by days past due, in the base currency. Summed in Postgres
 * (exact NUMERIC) per payer, one column per bucket, straight from the partial index of open
 * invoices in payer order, so a million receivables never travel to Node;
 * width_bucket numbers the buckets as agingBucket does (0: current … 4: over 90).
 * An invoice's open base is its base gross less what is settled at its own rate, rounded as
 * domain/fx.ts settledInBase counts it (round half-up to the cent of the settled total).
 */
export async function aging(sql: Sql, asOf: string): Promise<AgingRow[]> {
  const firstDays = AGING_BUCKET_LAST_DAYS.map((last) => last + 1);
  const bucketSums = AGING_BUCKETS.map((bucket, n) => sql`coalesce(sum(x.open) FILTER (WHERE x.bucket = ${n}), 0)::text AS ${sql(bucket)}`).reduce(
    (all, one) => sql`${all}, ${one}`,
  );
  const openInvoices = sql`
    SELECT i.payer_customer_id, i.currency, i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount AS document_open,
           i.base_gross_amount - round((i.paid_amount + i.written_off_amount + i.credited_amount) * i.fx_rate, 2) AS open,
           width_bucket(${asOf}::date - i.due_on, ${firstDays}::int[]) AS bucket
    FROM invoices i WHERE i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount`;
  const [rows, perCurrency] = await Promise.all([
    sql<({ payer_customer_id: string; code: string; name: string; total: string } & Record<AgingBucket, string>)[]>`
      SELECT c.code, c.name, a.*
      FROM (SELECT x.payer_customer_id, sum(x.open)::text AS total, ${bucketSums} FROM (${openInvoices}) x GROUP BY x.payer_customer_id) a
      JOIN customers c ON c.id = a.payer_customer_id
      ORDER BY c.code`,
    sql<{ payer_customer_id: string; currency: string; open: string }[]>`
      SELECT x.payer_customer_id, x.currency, sum(x.document_open)::text AS open FROM (${openInvoices}) x
      GROUP BY x.payer_customer_id, x.currency ORDER BY x.currency`,
  ]);
  return rows.map(
    (r) =>
      ({
        customerCode: r.code,
        customerName: r.name,
        total: money(dec(r.total)),
        ...Object.fromEntries(AGING_BUCKETS.map((b) => [b, money(dec(r[b]))])),
        documentOpen: perCurrency.filter((p) => p.payer_customer_id === r.payer_customer_id).map((p) => ({ currency: p.currency, open: money(dec(p.open)) })),
      }) as AgingRow,
  );
}

export interface StatementLine {
  date: string;
  kind: 'invoice' | 'credit_note' | 'receipt' | 'write_off' | 'refund' | 'exchange_difference';
  document: string | null;
  orderNumber: string | null;
  /** The document's own currency, amount and rate (an exchange difference has amount 0: it exists in base only). */
  currency: string;
  documentAmount: string;
  fxRate: string;
  /** In the base currency. Positive: the customer owes more; negative: less. */
  amount: string;
  balance: string;
}

/** 对账单 in the base currency: opening balance, every entry of the period in date order, closing balance. */
export async function statement(sql: Sql, customerCode: string, from: string, to: string) {
  const [customer] = await sql<{ id: string; code: string; name: string }[]>`SELECT id, code, name FROM customers WHERE code = ${customerCode}`;
  if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${customerCode} does not exist`, 'customer');
  const [opening] = await sql<{ amount: string }[]>`
    SELECT coalesce(sum(base_amount), 0)::text AS amount FROM receivable_entries WHERE customer_id = ${customer.id} AND entry_on < ${from}::date`;
  const entries = await sql<
    { entry_on: string; kind: StatementLine['kind']; amount: string; base_amount: string; currency: string; fx_rate: string; invoice: string | null; receipt: string | null; credit_note: string | null; note: string | null; order_number: string | null }[]
  >`
    SELECT e.entry_on::text, e.kind, e.amount::text, e.base_amount::text, e.currency, e.fx_rate::text,
           i.number AS invoice, r.number AS receipt, cn.number AS credit_note, e.note, o.number AS order_number
    FROM receivable_entries e LEFT JOIN invoices i ON i.id = e.invoice_id LEFT JOIN receipts r ON r.id = e.receipt_id
    LEFT JOIN sales_orders o ON o.id = e.order_id
    LEFT JOIN credit_notes cn ON e.kind = 'credit_note' AND cn.idempotency_key = e.idempotency_key
    WHERE e.customer_id = ${customer.id} AND e.entry_on BETWEEN ${from}::date AND ${to}::date
    ORDER BY e.entry_on, e.id`;
  let balance = dec(opening!.amount);
  const lines: StatementLine[] = entries.map((e) => {
    balance = balance.plus(dec(e.base_amount));
    return {
      date: e.entry_on,
      kind: e.kind,
      document: e.kind === 'receipt' || e.kind === 'exchange_difference' ? e.receipt : e.kind === 'credit_note' ? e.credit_note : e.kind === 'refund' ? e.note : e.invoice,
      orderNumber: e.order_number,
      currency: e.currency,
      documentAmount: money(dec(e.amount)),
      fxRate: dec(e.fx_rate).toFixed(),
      amount: money(dec(e.base_amount)),
      balance: money(balance),
    };
  });
  const total = (kind: StatementLine['kind']) => money(sum(lines.filter((l) => l.kind === kind).map((l) => dec(l.amount))));
  return {
    customerCode: customer.code,
    customerName: customer.name,
    currency: await baseCurrency(sql),
    from,
    to,
    openingBalance: money(dec(opening!.amount)),
    lines,
    totals: {
      invoices: total('invoice'),
      creditNotes: total('credit_note'),
      receipts: total('receipt'),
      writeOffs: total('write_off'),
      refunds: total('refund'),
      exchangeDifferences: total('exchange_difference'),
    },
    closingBalance: money(balance),
  };
}
