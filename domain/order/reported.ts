import { DomainError } from '../errors.js';
import type { InvoiceIssued, InvoiceLinePlan, PaymentApplied } from './billing.js';
import type { SalesOrderState } from './state.js';

/**
 * Payments and invoices another workflow reports to this order arrive as signals:
 * a signal's payload is whatever its sender sent, and a handler that trusts it can
 * fail every workflow task of the order from then on. So each is checked here
 * before it touches the state; one that does not hold is refused (and logged),
 * the state left as it was.
 */

const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;
const DOCUMENT = /^[\x21-\x7e]{1,60}$/;
const DECIMAL = /^\d{1,14}(\.\d{1,6})?$/;

const refuse = (what: string, field: string) => new DomainError('VALIDATION_FAILED', `a reported ${what}`, field);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, pattern: RegExp) => typeof v === 'string' && pattern.test(v);

function payment(v: unknown, field: string): PaymentApplied {
  if (!isObject(v) || !text(v.receipt, DOCUMENT) || !text(v.invoice, DOCUMENT) || !text(v.amount, AMOUNT)) {
    throw refuse('payment needs a receipt, an invoice and an amount with at most 2 decimals', field);
  }
  if (v.writtenOff !== undefined && !text(v.writtenOff, AMOUNT)) throw refuse('payment’s written-off part must be an amount', `${field}.writtenOff`);
  for (const flag of ['fromOrderAdvance', 'credit'] as const) {
    if (v[flag] !== undefined && typeof v[flag] !== 'boolean') throw refuse(`payment’s ${flag} must be true or false`, `${field}.${flag}`);
  }
  return v as unknown as PaymentApplied;
}

/** The payments a payer's receipt (or a credit note) put on this order's invoices. */
export function checkReportedPayments(value: unknown): PaymentApplied[] {
  if (!Array.isArray(value)) throw refuse('payment list must be a list', 'payments');
  return value.map((p, i) => payment(p, `payments[${i}]`));
}

/** An invoice issued elsewhere (monthly invoicing) for lines this order has. */
export function checkReportedInvoice(state: SalesOrderState, value: unknown): { invoice: InvoiceIssued; lines: InvoiceLinePlan[] } {
  if (!isObject(value) || !isObject(value.invoice) || !Array.isArray(value.lines)) throw refuse('invoice needs an invoice and its lines', 'invoice');
  const { invoice, lines } = value;
  if (!text(invoice.number, DOCUMENT) || !text(invoice.gross, AMOUNT) || typeof invoice.dueOn !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(invoice.dueOn)) {
    throw refuse('invoice needs a number, a gross amount and a due date', 'invoice');
  }
  if (!Number.isSafeInteger(invoice.overdueAt) || !Array.isArray(invoice.dunningAt) || !invoice.dunningAt.every((t) => Number.isSafeInteger(t))) {
    throw refuse('invoice needs its overdue and dunning instants', 'invoice.overdueAt');
  }
  if (!Array.isArray(invoice.applied)) throw refuse('invoice needs the advances applied to it (a list)', 'invoice.applied');
  invoice.applied.forEach((p, i) => payment(p, `invoice.applied[${i}]`));
  lines.forEach((l, i) => {
    const ok =
      isObject(l) &&
      Number.isSafeInteger(l.lineNo) &&
      state.lines.some((o) => o.lineNo === l.lineNo) &&
      typeof l.productCode === 'string' &&
      text(l.quantity, DECIMAL) &&
      text(l.unitPrice, DECIMAL) &&
      text(l.taxRate, DECIMAL);
    if (!ok) throw refuse('invoice line must name a line of this order with its quantity, price and tax rate', `lines[${i}]`);
  });
  return { invoice: invoice as unknown as InvoiceIssued, lines: lines as InvoiceLinePlan[] };
}
