import { addDays, businessDate } from '../domain/calendar.js';
import { lineAmountsOf } from '../domain/amounts.js';
import { money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { invoiceTotals, type InvoiceLinePlan } from '../domain/order/index.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';

export interface IssueInvoiceInput {
  orderNumber: string;
  key: string;
  issuedBy: string;
  lines: InvoiceLinePlan[];
}

export interface IssuedInvoice {
  number: string;
  net: string;
  tax: string;
  gross: string;
  issuedOn: string;
  dueOn: string;
}

export function invoicingActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /** 发票: invoices the given delivered quantities and books the receivable. */
  async function issueInvoice(input: IssueInvoiceInput): Promise<IssuedInvoice> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      const [customer] = await tx<{ settlement_days: number }[]>`SELECT settlement_days FROM customers WHERE id = ${order.customer_id}`;
      const issuedOn = businessDate(now(), business.BUSINESS_TIME_ZONE);
      const dueOn = addDays(issuedOn, customer!.settlement_days);
      const number = await nextDocumentNumber(tx, 'invoice', issuedOn);
      const t = invoiceTotals(input.lines);
      const [invoice] = await tx<{ id: string }[]>`
        INSERT INTO invoices (number, order_id, customer_id, idempotency_key, currency, net_amount, tax_amount, gross_amount, issued_on, due_on, issued_by)
        VALUES (${number}, ${order.id}, ${order.customer_id}, ${input.key}, ${order.currency}, ${t.net}, ${t.tax}, ${t.gross}, ${issuedOn}, ${dueOn}, ${input.issuedBy})
        RETURNING id`;
      for (const [i, line] of input.lines.entries()) {
        const a = lineAmountsOf(line);
        const updated = await tx`
          UPDATE sales_order_lines SET invoiced_qty = invoiced_qty + ${line.quantity}
          WHERE order_id = ${order.id} AND line_no = ${line.lineNo} AND invoiced_qty + ${line.quantity} <= delivered_qty
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
        INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, invoice_id, kind, amount)
        VALUES (${input.key}, ${order.customer_id}, ${order.id}, ${invoice!.id}, 'invoice', ${t.gross})`;
      return { number, ...t, issuedOn, dueOn };
    });
  }

  return { issueInvoice: asActivity(issueInvoice) };
}
