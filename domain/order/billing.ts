import { lineAmountsOf, moneyTotals, totals, type MoneyTotals } from '../amounts.js';
import { dec, money, plain } from '../decimal.js';
import { DomainError } from '../errors.js';
import { amountDue, lineOf, refuseState, type SalesOrderState } from './state.js';

/** Invoicing and receipts (发票, 收款单). */

// ---- invoice ---------------------------------------------------------------

export interface InvoiceLinePlan {
  lineNo: number;
  productCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
}

/** Delivered quantity not yet invoiced, per line: a quantity is never invoiced twice. */
export function planInvoice(state: SalesOrderState): InvoiceLinePlan[] {
  if (state.status === 'Unapproved' || state.status === 'Cancelled' || state.status === 'Completed') {
    refuseState(state, 'be invoiced');
  }
  const lines = state.lines
    .map((l) => ({ line: l, qty: dec(l.deliveredQty).minus(dec(l.invoicedQty)) }))
    .filter(({ qty }) => qty.isPositive() && !qty.isZero())
    .map(({ line, qty }) => ({
      lineNo: line.lineNo,
      productCode: line.productCode,
      quantity: plain(qty),
      unitPrice: line.unitPrice,
      taxRate: line.taxRate,
    }));
  if (lines.length === 0) {
    throw new DomainError('NOTHING_TO_INVOICE', `order ${state.orderNumber} has no delivered quantity left to invoice`, 'lines');
  }
  return lines;
}

export function invoiceTotals(lines: InvoiceLinePlan[]): MoneyTotals {
  return moneyTotals(totals(lines.map(lineAmountsOf)));
}

export function applyInvoice(state: SalesOrderState, invoiceNumber: string, lines: InvoiceLinePlan[], gross: string): void {
  for (const il of lines) {
    const line = lineOf(state, il.lineNo);
    line.invoicedQty = plain(dec(line.invoicedQty).plus(dec(il.quantity)));
  }
  state.invoices.push(invoiceNumber);
  state.invoicedTotal = money(dec(state.invoicedTotal).plus(dec(gross)));
}

// ---- receipt ---------------------------------------------------------------

export function checkReceipt(state: SalesOrderState, amount: string): void {
  if (state.status === 'Cancelled' || state.status === 'Completed') refuseState(state, 'take a receipt');
  const value = dec(amount);
  if (!value.isPositive() || value.isZero()) {
    throw new DomainError('VALIDATION_FAILED', 'amount must be greater than zero', 'amount');
  }
  if (value.decimalPlaces() > 2) throw new DomainError('VALIDATION_FAILED', 'amount has more than two decimals', 'amount');
  const due = dec(amountDue(state));
  if (value.greaterThan(due)) {
    throw new DomainError('OVER_PAYMENT', `amount ${money(value)} is more than the ${money(due)} due`, 'amount', {
      amountDue: money(due),
    });
  }
}

export function applyReceipt(state: SalesOrderState, receiptNumber: string, amount: string): void {
  state.receipts.push(receiptNumber);
  state.receivedTotal = money(dec(state.receivedTotal).plus(dec(amount)));
}

