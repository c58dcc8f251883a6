import { dec, money, sum } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { AGING_BUCKET_LAST_DAYS, AGING_BUCKETS, depositFor, type AgingBucket, type InvoiceMode } from '../domain/receivables.js';
import type { Sql, Tx } from './client.js';

/** The read side of receivables: what finance looks at. All amounts come from Postgres. */

/** How a new order of this customer is invoiced, and the deposit (订金) it needs before release. */
export async function orderBillingTerms(
  sql: Sql | Tx,
  customerCode: string,
  gross: string,
  depositRatio?: string,
): Promise<{ invoiceMode: InvoiceMode; depositRequired: string }> {
  const [c] = await sql<{ invoice_mode: InvoiceMode; deposit_ratio: string }[]>`
    SELECT invoice_mode, deposit_ratio::text FROM customers WHERE code = ${customerCode}`;
  return { invoiceMode: c?.invoice_mode ?? 'per_order', depositRequired: depositFor(gross, depositRatio ?? c?.deposit_ratio ?? '0') };
}

export interface StuckPayment {
  kind: 'overdue' | 'unmatched_receipt';
  orderNumber: string | null;
  document: string;
  customerCode: string;
  customerName: string;
  amountDue: string;
  dueOn: string | null;
  daysOverdue: number;
  /** The collection step it waits at: "due", "reminder 2 sent", or "matching". */
  waitingAt: string;
}

/** Every order whose money is overdue, and every receipt whose money waits to be matched. */
export async function stuckPayments(sql: Sql, asOf: string): Promise<StuckPayment[]> {
  const overdue = await sql`
    SELECT o.number AS order_number, i.number AS invoice, c.code, c.name, i.due_on::text,
           (i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount)::text AS open,
           (${asOf}::date - i.due_on) AS days,
           (SELECT count(*) FROM notifications n WHERE n.document_number = i.number AND n.kind = 'dunning')::int AS reminders
    FROM invoices i JOIN sales_orders o ON o.id = i.order_id JOIN customers c ON c.id = i.payer_customer_id
    WHERE i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount AND i.due_on < ${asOf}::date
    ORDER BY i.due_on, i.id`;
  const unmatched = await sql`
    SELECT r.number, o.number AS order_number, c.code, c.name, (r.amount - r.allocated_amount)::text AS open,
           (${asOf}::date - r.received_on) AS days
    FROM receipts r JOIN customers c ON c.id = r.customer_id LEFT JOIN sales_orders o ON o.id = r.order_id
    WHERE r.allocated_amount < r.amount
      AND EXISTS (SELECT 1 FROM invoices i WHERE i.payer_customer_id = r.customer_id
                    AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount
                    AND (r.order_id IS NULL OR i.order_id = r.order_id))
    ORDER BY r.received_on, r.id`;
  return [
    ...overdue.map((r) => ({
      kind: 'overdue' as const,
      orderNumber: r.order_number as string,
      document: r.invoice as string,
      customerCode: r.code as string,
      customerName: r.name as string,
      amountDue: r.open as string,
      dueOn: r.due_on as string,
      daysOverdue: Number(r.days),
      waitingAt: r.reminders > 0 ? `reminder ${r.reminders} sent` : 'overdue, no reminder yet',
    })),
    ...unmatched.map((r) => ({
      kind: 'unmatched_receipt' as const,
      orderNumber: (r.order_number as string | null) ?? null,
      document: r.number as string,
      customerCode: r.code as string,
      customerName: r.name as string,
      amountDue: money(dec(r.open as string).negated()),
      dueOn: null,
      daysOverdue: Number(r.days),
      waitingAt: 'matching',
    })),
  ];
}

export type AgingRow = { customerCode: string; customerName: string; total: string } & Record<AgingBucket, string>;

/**
 * 账龄分析: each payer's open invoices by days past due. Summed in Postgres (exact
 * NUMERIC) per payer, one column per bucket, straight from the partial index of open
 * invoices in payer order, so a million receivables never travel to Node;
 * width_bucket numbers the buckets as agingBucket does (0: current … 4: over 90).
 */
export async function aging(sql: Sql, asOf: string): Promise<AgingRow[]> {
  const firstDays = AGING_BUCKET_LAST_DAYS.map((last) => last + 1);
  const bucketSums = AGING_BUCKETS.map((bucket, n) => sql`coalesce(sum(x.open) FILTER (WHERE x.bucket = ${n}), 0)::text AS ${sql(bucket)}`).reduce(
    (all, one) => sql`${all}, ${one}`,
  );
  const rows = await sql<({ code: string; name: string; total: string } & Record<AgingBucket, string>)[]>`
    SELECT c.code, c.name, a.*
    FROM (SELECT x.payer_customer_id, sum(x.open)::text AS total, ${bucketSums}
          FROM (SELECT i.payer_customer_id, i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount AS open,
                       width_bucket(${asOf}::date - i.due_on, ${firstDays}::int[]) AS bucket
                FROM invoices i WHERE i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount) x
          GROUP BY x.payer_customer_id) a
    JOIN customers c ON c.id = a.payer_customer_id
    ORDER BY c.code`;
  return rows.map(
    (r) =>
      ({
        customerCode: r.code,
        customerName: r.name,
        total: money(dec(r.total)),
        ...Object.fromEntries(AGING_BUCKETS.map((b) => [b, money(dec(r[b]))])),
      }) as AgingRow,
  );
}

export interface StatementLine {
  date: string;
  kind: 'invoice' | 'credit_note' | 'receipt' | 'write_off' | 'refund';
  document: string | null;
  orderNumber: string | null;
  /** Positive: the customer owes more; negative: less. */
  amount: string;
  balance: string;
}

/** 对账单: opening balance, every entry of the period in date order, closing balance. */
export async function statement(sql: Sql, customerCode: string, from: string, to: string) {
  const [customer] = await sql<{ id: string; code: string; name: string }[]>`SELECT id, code, name FROM customers WHERE code = ${customerCode}`;
  if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${customerCode} does not exist`, 'customer');
  const [opening] = await sql<{ amount: string }[]>`
    SELECT coalesce(sum(amount), 0)::text AS amount FROM receivable_entries WHERE customer_id = ${customer.id} AND entry_on < ${from}::date`;
  const entries = await sql<{ entry_on: string; kind: StatementLine['kind']; amount: string; invoice: string | null; receipt: string | null; credit_note: string | null; note: string | null; order_number: string | null }[]>`
    SELECT e.entry_on::text, e.kind, e.amount::text, i.number AS invoice, r.number AS receipt, cn.number AS credit_note, e.note, o.number AS order_number
    FROM receivable_entries e LEFT JOIN invoices i ON i.id = e.invoice_id LEFT JOIN receipts r ON r.id = e.receipt_id
    LEFT JOIN sales_orders o ON o.id = e.order_id
    LEFT JOIN credit_notes cn ON e.kind = 'credit_note' AND cn.idempotency_key = e.idempotency_key
    WHERE e.customer_id = ${customer.id} AND e.entry_on BETWEEN ${from}::date AND ${to}::date
    ORDER BY e.entry_on, e.id`;
  let balance = dec(opening!.amount);
  const lines: StatementLine[] = entries.map((e) => {
    balance = balance.plus(dec(e.amount));
    return {
      date: e.entry_on,
      kind: e.kind,
      document: e.kind === 'receipt' ? e.receipt : e.kind === 'credit_note' ? e.credit_note : e.kind === 'refund' ? e.note : e.invoice,
      orderNumber: e.order_number,
      amount: money(dec(e.amount)),
      balance: money(balance),
    };
  });
  const total = (kind: StatementLine['kind']) => money(sum(lines.filter((l) => l.kind === kind).map((l) => dec(l.amount))));
  return {
    customerCode: customer.code,
    customerName: customer.name,
    from,
    to,
    openingBalance: money(dec(opening!.amount)),
    lines,
    totals: { invoices: total('invoice'), creditNotes: total('credit_note'), receipts: total('receipt'), writeOffs: total('write_off'), refunds: total('refund') },
    closingBalance: money(balance),
  };
}
