import { dec } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { baseCurrency } from './fx.js';
import type { Sql } from './client.js';
import { whenGiven } from './listing.js';
import type { Paging, ReportPage } from './reports/common.js';

/**
 * Where an order's money waits: its deposit (订金) before the warehouse may ship, payment
 * of invoices not yet due, payment of overdue invoices (with the dunning step reached),
 * or a receipt of its payer that waits to be matched (核销) to its invoices.
 */
export const PAYMENT_STEPS = ['awaiting_deposit', 'receipt_to_match', 'overdue', 'awaiting_payment'] as const;
export type PaymentStep = (typeof PAYMENT_STEPS)[number];

export const STUCK_PAYMENT_SORTS = ['oldestDueOn', '-oldestDueOn', 'amountDue', '-amountDue'] as const;
export type StuckPaymentSort = (typeof STUCK_PAYMENT_SORTS)[number];

export interface StuckPaymentFilter extends Paging {
  asOf: string;
  /** The order's customer or its paying head office. */
  customerCode?: string | undefined;
  step?: PaymentStep | undefined;
  minDaysOverdue?: number | undefined;
  sort?: StuckPaymentSort | undefined;
}

export interface OpenInvoice {
  invoice: string;
  dueOn: string;
  amountDue: string;
  daysOverdue: number;
  remindersSent: number;
}

export interface StuckPaymentOrder {
  orderNumber: string;
  orderStatus: string;
  customerCode: string;
  customerName: string;
  payerCode: string;
  payerName: string;
  currency: string;
  /** The sum of the order's open receivables, or the deposit still to be paid. */
  amountDue: string;
  /** The oldest due date of an open receivable (null while only a deposit is due). */
  oldestDueOn: string | null;
  daysOverdue: number;
  step: PaymentStep;
  /** The last dunning reminder sent for an open receivable of the order (0: none). */
  remindersSent: number;
  /** Receipts of the payer not yet matched that could pay this order. */
  unmatchedReceipts: string;
  /** For people: "overdue, reminder 2 sent", "receipt RC-… waits to be matched", … */
  waitingAt: string;
  invoices: OpenInvoice[];
}

/** The page's order, on the columns of the row source `alias`. */
function sortSql(sort: StuckPaymentSort, alias: string): string {
  const [column, direction] = sort.startsWith('-') ? [sort.slice(1), 'DESC'] : [sort, 'ASC'];
  const first = column === 'amountDue' ? `${alias}.amount_due ${direction}` : `${alias}.oldest_due_on ${direction} NULLS ${direction === 'ASC' ? 'LAST' : 'FIRST'}`;
  return `${first}, ${alias}.order_id ${direction}`;
}

/** Where an order's money waits, in words for people (the API's `waitingAt` is English; the console asks for Chinese). */
export function waitingAt(step: PaymentStep, daysOverdue: number, reminders: number, unmatched: string, lang: 'zh' | 'en' = 'en'): string {
  const zh = lang === 'zh';
  switch (step) {
    case 'awaiting_deposit':
      return zh ? '订金未收' : 'deposit not received';
    case 'receipt_to_match':
      return zh ? `收款 ${unmatched} 待核销` : `receipt of ${unmatched} waits to be matched`;
    case 'overdue': {
      if (zh) return `逾期 ${daysOverdue} 天，${reminders > 0 ? `已催款 ${reminders} 次` : '尚未催款'}`;
      const days = `overdue ${daysOverdue} day${daysOverdue === 1 ? '' : 's'}`;
      return reminders > 0 ? `${days}, reminder ${reminders} sent` : `${days}, no reminder yet`;
    }
    case 'awaiting_payment':
      return zh ? '未到期' : 'payment not yet due';
  }
}

/**
 * Finance's stuck payments: one row per order whose money is not in, read from the
 * per-order sums the database keeps (order_open_receivables) and the orders waiting
 * for a deposit; the page's rows then get their names, invoices and reminders.
 */
export async function stuckPayments(sql: Sql, f: StuckPaymentFilter): Promise<ReportPage<StuckPaymentOrder, { amountDue: string; currency: string }>> {
  let customer: string | undefined;
  if (f.customerCode) {
    customer = (await sql<{ id: string }[]>`SELECT id FROM customers WHERE code = ${f.customerCode}`)[0]?.id;
    if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${f.customerCode} does not exist`, 'customerCode');
  }
  const receivables = sql`
    SELECT w.order_id, w.payer_customer_id, w.open_amount AS amount_due, w.oldest_due_on, false AS deposit
    FROM order_open_receivables w
    WHERE true ${whenGiven(sql, customer, (c) => sql`AND (w.customer_id = ${c} OR w.payer_customer_id = ${c})`)}
      ${whenGiven(sql, f.minDaysOverdue, (d) => sql`AND w.oldest_due_on <= ${f.asOf}::date - ${d}::int`)}`;
  const deposits = sql`
    SELECT o.id AS order_id, coalesce(c.bill_to_customer_id, c.id) AS payer_customer_id,
           o.deposit_required - coalesce(d.received, 0) AS amount_due, NULL::date AS oldest_due_on, true AS deposit
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id
    LEFT JOIN (
      SELECT r.order_id, sum(r.amount) AS received FROM receipts r JOIN sales_orders ro ON ro.id = r.order_id
      WHERE ro.deposit_required > 0 AND ro.status IN ('Unapproved', 'Approved') GROUP BY r.order_id
    ) d ON d.order_id = o.id
    WHERE o.deposit_required > 0 AND o.status IN ('Unapproved', 'Approved') AND coalesce(d.received, 0) < o.deposit_required
      ${whenGiven(sql, customer, (c) => sql`AND (c.id = ${c} OR c.bill_to_customer_id = ${c})`)}`;
  const sources = f.step === 'awaiting_deposit' ? [deposits] : f.step !== undefined || f.minDaysOverdue !== undefined ? [receivables] : [receivables, deposits];
  // A receipt waits to be matched to an order when it is its payer's and not held for another order.
  const unmatched = sql`
    EXISTS (SELECT 1 FROM receipts r WHERE r.customer_id = x.payer_customer_id AND r.allocated_amount < r.amount
              AND (r.order_id IS NULL OR r.order_id = x.order_id))`;
  const stepCondition =
    f.step === 'receipt_to_match'
      ? sql`WHERE ${unmatched}`
      : f.step === 'overdue'
        ? sql`WHERE x.oldest_due_on < ${f.asOf}::date AND NOT ${unmatched}`
        : f.step === 'awaiting_payment'
          ? sql`WHERE x.oldest_due_on >= ${f.asOf}::date AND NOT ${unmatched}`
          : sql``;
  const sort = f.sort ?? 'oldestDueOn';
  const matching = (source: (typeof sources)[number]) => sql`SELECT x.* FROM (${source}) x ${stepCondition}`;
  // The total is in the base currency, as aging counts it: an order in another currency by its open invoices, each at
  // the rate it was booked at (a deposit at the order's rate); its row keeps the amount in its own currency.
  const counting = sql<{ n: number; amount: string }[]>`
    SELECT count(*)::int AS n, coalesce(sum(CASE
             WHEN o.fx_rate = 1 THEN m.amount_due
             WHEN m.deposit THEN round(m.amount_due * o.fx_rate, 2)
             ELSE (SELECT sum(i.base_gross_amount - round((i.paid_amount + i.written_off_amount + i.credited_amount) * i.fx_rate, 2)) FROM invoices i
                   WHERE i.order_id = m.order_id AND i.payer_customer_id = m.payer_customer_id
                     AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount) END), 0)::numeric(18,2)::text AS amount
    FROM (${sources.map((source, i) => sql`${i > 0 ? sql`UNION ALL` : sql``} ${matching(source)}`)}) m JOIN sales_orders o ON o.id = m.order_id`;
  // Each source gives its first offset + limit rows in the page's order (an index scan with a
  // limit for the receivables), so the page never sorts every open order.
  const firstRows = sources.map(
    (source, i) => sql`${i > 0 ? sql`UNION ALL` : sql``} (${matching(source)} ORDER BY ${sql.unsafe(sortSql(sort, 'x'))} LIMIT ${f.offset + f.limit})`,
  );
  const paging = sql`
    SELECT p.order_id, p.amount_due::numeric(18,2)::text AS amount_due, p.oldest_due_on::text, p.deposit,
           greatest(0, ${f.asOf}::date - p.oldest_due_on) AS days_overdue,
           o.number, o.status, o.currency, c.code, c.name, py.code AS payer_code, py.name AS payer_name,
           (SELECT coalesce(sum(r.amount - r.allocated_amount), 0)::numeric(18,2)::text FROM receipts r
            WHERE r.customer_id = p.payer_customer_id AND r.allocated_amount < r.amount
              AND (r.order_id IS NULL OR r.order_id = p.order_id) AND NOT p.deposit) AS unmatched,
           coalesce((
             SELECT json_agg(json_build_object(
                      'invoice', i.number, 'dueOn', i.due_on, 'amountDue', (i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount)::text,
                      'daysOverdue', greatest(0, ${f.asOf}::date - i.due_on),
                      'remindersSent', (SELECT count(*) FROM notifications n WHERE n.document_number = i.number AND n.kind = 'dunning'))
                    ORDER BY i.due_on, i.id)
             FROM invoices i WHERE i.order_id = p.order_id AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount), '[]') AS invoices
    FROM (SELECT * FROM (${firstRows}) u ORDER BY ${sql.unsafe(sortSql(sort, 'u'))} LIMIT ${f.limit} OFFSET ${f.offset}) p
    JOIN sales_orders o ON o.id = p.order_id
    JOIN customers c ON c.id = o.customer_id
    JOIN customers py ON py.id = p.payer_customer_id
    ORDER BY ${sql.unsafe(sortSql(sort, 'p'))}`;
  // The count and the page on two connections at once: the count reads every matching row.
  const [[count], rows] = await Promise.all([counting, paging]);
  return {
    total: count!.n,
    totals: { amountDue: count!.amount, currency: await baseCurrency(sql) },
    items: rows.map((r) => {
      const invoices = r.invoices as OpenInvoice[];
      const remindersSent = Math.max(0, ...invoices.map((i) => i.remindersSent));
      const daysOverdue = Number(r.days_overdue ?? 0);
      const unmatchedReceipts = r.unmatched as string;
      const step: PaymentStep = r.deposit
        ? 'awaiting_deposit'
        : !dec(unmatchedReceipts).isZero()
          ? 'receipt_to_match'
          : daysOverdue > 0
            ? 'overdue'
            : 'awaiting_payment';
      return {
        orderNumber: r.number,
        orderStatus: r.status,
        customerCode: r.code,
        customerName: r.name,
        payerCode: r.payer_code,
        payerName: r.payer_name,
        currency: r.currency,
        amountDue: r.amount_due,
        oldestDueOn: r.oldest_due_on,
        daysOverdue,
        step,
        remindersSent,
        unmatchedReceipts,
        waitingAt: waitingAt(step, daysOverdue, remindersSent, unmatchedReceipts),
        invoices,
      };
    }),
  };
}
