import { businessDate } from '../domain/calendar.js';
import { moneyTotals, totals } from '../domain/amounts.js';
import { dec, money, plain, sum } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { dueDate } from '../domain/receivables.js';
import { invoiceLineAmounts, type InvoiceIssued, type InvoiceLinePlan, type OrderCheck } from '../domain/order/index.js';
import type { MoneyTotals } from '../domain/amounts.js';
import type { Tx } from '../db/client.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { postInvoiceVoucher } from '../db/ledger/documents.js';
import { documentRate } from '../db/fx.js';
import { baseTotals } from '../domain/fx.js';
import { asActivity, lockOrder, once, type ActivityDeps, type OrderRow } from './support.js';
import { applyAdvances, collectionSchedule, orderDueDate, payerOf } from './receivables.js';
import { applyCustomerCredit } from './credit-notes.js';
import { creditCheckIn } from './checks.js';

export interface IssueInvoiceInput {
  orderNumber: string;
  key: string;
  issuedBy: string;
  lines: InvoiceLinePlan[];
  /**
   * 信用控制 at invoicing in the same transaction, when the settings
   * check there; `mayBlock: false` for an invoice nobody waits on (a breach is then a warning).
   */
  creditCheck?: { mayBlock: boolean };
}

export interface IssuedInvoice extends InvoiceIssued, MoneyTotals {
  issuedOn: string;
  /** A credit breach in warn mode (or not allowed to block), recorded with the invoice. */
  creditWarning?: OrderCheck;
}

export interface IssueMonthlyInvoiceInput {
  customerCode: string;
  /** YYYY-MM: deliveries up to the end of this month that are not invoiced yet. */
  period: string;
  key: string;
  issuedBy: string;
}

export interface MonthlyInvoice {
  number: string;
  customerCode: string;
  period: string;
  totals: MoneyTotals;
  dueOn: string;
  /** Each order's part; `customerCode` is the ordering customer (a branch, on a head office's invoice). */
  orders: { orderNumber: string; customerCode: string; invoice: IssuedInvoice; lines: InvoiceLinePlan[] }[];
}

interface Issue {
  order: OrderRow;
  key: string;
  issuedBy: string;
  lines: InvoiceLinePlan[];
  issuedOn: string;
  dueOn: string;
  monthlyInvoiceId: string | null;
  /** Now, and the business time zone: the receivable's overdue and dunning instants come from them. */
  clock: { nowMs: number; timeZone: string };
}

/**
 * One order's invoice: the document and its lines (tax per line, totals from the
 * rounded lines), invoiced quantity written back (never beyond delivered), the
 * receivable booked on the payer, and the payer's advances applied at once.
 */
async function insertInvoice(tx: Tx, p: Issue, payerId: string): Promise<IssuedInvoice & { id: string }> {
  const fxRate = await documentRate(tx, p.order.currency, p.issuedOn);
  const number = await nextDocumentNumber(tx, 'invoice', p.issuedOn);
  const lines = await pricedLines(tx, p.order.id, p.lines);
  const t = moneyTotals(totals(lines.map((l) => l.amounts)));
  const b = baseTotals(t, fxRate);
  const [invoice] = await tx<{ id: string }[]>`
    INSERT INTO invoices (number, order_id, customer_id, payer_customer_id, idempotency_key, currency, net_amount, tax_amount, gross_amount,
                          issued_on, due_on, issued_by, monthly_invoice_id, fx_rate, base_net_amount, base_tax_amount, base_gross_amount)
    VALUES (${number}, ${p.order.id}, ${p.order.customer_id}, ${payerId}, ${p.key}, ${p.order.currency}, ${t.net}, ${t.tax}, ${t.gross},
            ${p.issuedOn}, ${p.dueOn}, ${p.issuedBy}, ${p.monthlyInvoiceId}, ${fxRate}, ${b.net}, ${b.tax}, ${b.gross})
    RETURNING id`;
  for (const [i, { line, amounts: a }] of lines.entries()) {
    const updated = await tx`
      UPDATE sales_order_lines SET invoiced_qty = invoiced_qty + ${line.quantity}
      WHERE order_id = ${p.order.id} AND line_no = ${line.lineNo} AND invoiced_qty + ${line.quantity} <= delivered_qty
      RETURNING product_id`;
    if (updated.length === 0) {
      throw new DomainError('NOTHING_TO_INVOICE', `line ${line.lineNo}: ${line.quantity} exceeds the delivered quantity not yet invoiced`, 'lines');
    }
    await tx`
      INSERT INTO invoice_lines (invoice_id, line_no, order_line_no, product_id, quantity, unit_price, tax_rate, net_amount, tax_amount)
      VALUES (${invoice!.id}, ${i + 1}, ${line.lineNo}, ${updated[0]!.product_id}, ${line.quantity}, ${line.unitPrice}, ${line.taxRate},
              ${money(a.net)}, ${money(a.tax)})`;
  }
  await tx`
    INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, invoice_id, kind, amount, entry_on, currency, fx_rate, base_amount)
    VALUES (${p.key}, ${payerId}, ${p.order.id}, ${invoice!.id}, 'invoice', ${t.gross}, ${p.issuedOn}, ${p.order.currency}, ${fxRate}, ${b.gross})`;
  const advances = await applyAdvances(tx, p.key, { id: invoice!.id, number, open: t.gross, currency: p.order.currency }, payerId, p.order.id);
  const taken = advances.reduce((s, a) => s.plus(dec(a.amount)), dec(0));
  const open = { id: invoice!.id, number, open: money(dec(t.gross).minus(taken)), currency: p.order.currency };
  const applied = [...advances, ...(await applyCustomerCredit(tx, open, payerId))];
  return { id: invoice!.id, number, ...t, issuedOn: p.issuedOn, dueOn: p.dueOn, ...(await collectionSchedule(tx, p.dueOn, p.clock)), applied };
}

/**
 * Each line priced as the remainder of what the order line's invoices at this price come to (domain
 * invoiceLineAmounts): an order line split over several invoices adds up to it to the cent.
 */
async function pricedLines(tx: Tx, orderId: string, lines: InvoiceLinePlan[]) {
  const before = await tx<{ order_line_no: number; unit_price: string; tax_rate: string; quantity: string; net: string; tax: string }[]>`
    SELECT il.order_line_no, il.unit_price::text, il.tax_rate::text, sum(il.quantity)::text AS quantity,
           sum(il.net_amount)::text AS net, sum(il.tax_amount)::text AS tax
    FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
    WHERE i.order_id = ${orderId} AND il.order_line_no IN ${tx(lines.map((l) => l.lineNo))}
    GROUP BY il.order_line_no, il.unit_price, il.tax_rate`;
  const none = { quantity: '0', net: '0', tax: '0' };
  return lines.map((line) => {
    const same = before.find((b) => b.order_line_no === line.lineNo && dec(b.unit_price).equals(dec(line.unitPrice)) && dec(b.tax_rate).equals(dec(line.taxRate)));
    return { line, amounts: invoiceLineAmounts(same ?? none, line) };
  });
}

function lastDayOf(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function invoicingActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  const today = () => businessDate(now(), business.BUSINESS_TIME_ZONE);
  const clock = () => ({ nowMs: now().getTime(), timeZone: business.BUSINESS_TIME_ZONE });

  /** 发票: invoices the given delivered quantities; due date from the payer's settlement terms. */
  async function issueInvoice(input: IssueInvoiceInput): Promise<IssuedInvoice> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      // A credit block refuses the invoice before anything is written (the transaction rolls back).
      const creditWarning = input.creditCheck
        ? await creditCheckIn(tx, { orderNumber: input.orderNumber, point: 'invoice', key: `${input.key}/credit`, mayBlock: input.creditCheck.mayBlock })
        : null;
      const payer = await payerOf(tx, order.customer_id);
      const issuedOn = today();
      const dueOn = await orderDueDate(tx, order.id, payer, issuedOn);
      const { id, ...invoice } = await insertInvoice(tx, { order, key: input.key, issuedBy: input.issuedBy, lines: input.lines, issuedOn, dueOn, monthlyInvoiceId: null, clock: clock() }, payer.payerId);
      await postInvoiceVoucher(tx, id);
      return creditWarning ? { ...invoice, creditWarning } : invoice;
    });
  }

  /**
   * 月结发票: one invoice document for all of a customer's deliveries up to the end
   * of the month not yet invoiced, across its orders and those of the branches it pays
   * for (总公司付款: the head office gets one invoice for its branches); each order's
   * part is its own receivable so each order workflow learns exactly what it owes.
   */
  async function issueMonthlyInvoice(input: IssueMonthlyInvoiceInput): Promise<MonthlyInvoice> {
    return once(sql, input.key, async (tx) => {
      // No customer lock: locks go order first, then payer (as receipts take them); two runs
      // racing for the same lines meet at the invoiced-within-delivered guard instead.
      const [customer] = await tx<{ id: string; code: string; head_office: string | null }[]>`
        SELECT c.id, c.code, h.code AS head_office FROM customers c LEFT JOIN customers h ON h.id = c.bill_to_customer_id
        WHERE c.code = ${input.customerCode}`;
      if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${input.customerCode} does not exist`, 'customerCode');
      if (customer.head_office) {
        throw new DomainError(
          'BILLED_TO_HEAD_OFFICE',
          `customer ${customer.code} is a branch paid for by ${customer.head_office}: its deliveries are on the monthly invoice of ${customer.head_office}`,
          'customerCode',
          { headOffice: customer.head_office },
        );
      }
      const periodEnd = lastDayOf(input.period);
      const rows = await tx<{ number: string; customer_code: string; line_no: number; product_code: string; unit_price: string; tax_rate: string; qty: string }[]>`
        SELECT o.number, oc.code AS customer_code, l.line_no, p.code AS product_code, l.unit_price::text, l.tax_rate::text,
               (coalesce(d.delivered, 0) - l.invoiced_qty)::text AS qty
        FROM sales_orders o
        JOIN customers oc ON oc.id = o.customer_id
        JOIN sales_order_lines l ON l.order_id = o.id
        JOIN products p ON p.id = l.product_id
        LEFT JOIN LATERAL (
          SELECT sum(dl.quantity) AS delivered FROM delivery_note_lines dl JOIN delivery_notes dn ON dn.id = dl.delivery_note_id
          WHERE dn.order_id = o.id AND dl.order_line_no = l.line_no
            AND (dn.created_at AT TIME ZONE ${business.BUSINESS_TIME_ZONE})::date <= ${periodEnd}
        ) d ON true
        WHERE (oc.id = ${customer.id} OR oc.bill_to_customer_id = ${customer.id}) AND o.status NOT IN ('Cancelled', 'Completed')
          AND coalesce(d.delivered, 0) > l.invoiced_qty
        ORDER BY o.id, l.line_no`;
      if (rows.length === 0) {
        throw new DomainError('NOTHING_TO_INVOICE', `customer ${input.customerCode} has no uninvoiced delivery up to ${periodEnd}`, 'period');
      }
      const issuedOn = today();
      const payer = await payerOf(tx, customer.id);
      // Monthly terms fall due at the end of the month after the invoiced month.
      const dueOn = dueDate(payer.terms, payer.settlementDays, payer.terms === 'monthly' ? `${input.period}-01` : issuedOn);
      const number = await nextDocumentNumber(tx, 'monthly_invoice', issuedOn);
      const [doc] = await tx<{ id: string }[]>`
        INSERT INTO monthly_invoices (number, customer_id, period, idempotency_key, net_amount, tax_amount, gross_amount, issued_on, due_on, issued_by)
        VALUES (${number}, ${customer.id}, ${input.period}, ${input.key}, 0, 0, 0, ${issuedOn}, ${dueOn}, ${input.issuedBy}) RETURNING id`;
      const byOrder = new Map<string, InvoiceLinePlan[]>();
      const customerOf = new Map(rows.map((r) => [r.number, r.customer_code]));
      for (const r of rows) {
        const lines = byOrder.get(r.number) ?? [];
        lines.push({ lineNo: r.line_no, productCode: r.product_code, quantity: plain(dec(r.qty)), unitPrice: plain(dec(r.unit_price)), taxRate: plain(dec(r.tax_rate)) });
        byOrder.set(r.number, lines);
      }
      const orders: MonthlyInvoice['orders'] = [];
      const invoiceIds: string[] = [];
      for (const [orderNumber, lines] of byOrder) {
        const order = await lockOrder(tx, orderNumber);
        // Each order's part is its own receivable: an order with terms of its own falls due by them.
        const orderDue = await orderDueDate(tx, order.id, payer, issuedOn, `${input.period}-01`);
        const { id, ...invoice } = await insertInvoice(
          tx,
          { order, key: `${input.key}/${orderNumber}`, issuedBy: input.issuedBy, lines, issuedOn, dueOn: orderDue, monthlyInvoiceId: doc!.id, clock: clock() },
          payer.payerId,
        );
        orders.push({ orderNumber, customerCode: customerOf.get(orderNumber)!, invoice, lines });
        invoiceIds.push(id);
      }
      // Each order's part posts its voucher once every order is locked: the voucher counter, the lock every
      // posting shares, is taken last, so a delivery holding one of these orders never waits on it in a cycle.
      for (const id of invoiceIds) await postInvoiceVoucher(tx, id);
      const totals = {
        net: money(sum(orders.map((o) => dec(o.invoice.net)))),
        tax: money(sum(orders.map((o) => dec(o.invoice.tax)))),
        gross: money(sum(orders.map((o) => dec(o.invoice.gross)))),
      };
      await tx`UPDATE monthly_invoices SET net_amount = ${totals.net}, tax_amount = ${totals.tax}, gross_amount = ${totals.gross} WHERE id = ${doc!.id}`;
      return { number, customerCode: customer.code, period: input.period, totals, dueOn, orders };
    });
  }

  return { issueInvoice: asActivity(issueInvoice), issueMonthlyInvoice: asActivity(issueMonthlyInvoice) };
}
