import { lineAmounts, lineAmountsOf, moneyTotals, totals, type LineAmounts, type MoneyTotals } from '../amounts.js';
import { D, dec, isDecimalText, money, plain, QUANTITY_SCALE } from '../decimal.js';
import { DomainError } from '../errors.js';
import { amountDue, lineOf, refuseState, type SalesOrderState } from './state.js';
import type { OrderReceivable } from './money-state.js';

/** Invoicing, receipts, deposit and write-offs of one order (发票, 收款单, 订金, 核销). */

// ---- invoice ---------------------------------------------------------------

export interface InvoiceLinePlan {
  lineNo: number;
  productCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
}

/** A part of one line that finance chose to invoice (部分开票). */
export interface InvoiceLineChoice {
  lineNo: number;
  quantity: string;
}

/**
 * What an invoice takes: by default every line's delivered quantity not yet invoiced;
 * or the parts finance chose, each more than zero and at most what the line has
 * delivered and not invoiced. A quantity is never invoiced twice.
 */
export function planInvoice(state: SalesOrderState, chosen?: readonly InvoiceLineChoice[]): InvoiceLinePlan[] {
  if (state.status === 'Unapproved' || state.status === 'Cancelled' || state.status === 'Completed') {
    refuseState(state, 'be invoiced');
  }
  const open = uninvoicedLines(state);
  if (open.length === 0) {
    throw new DomainError('NOTHING_TO_INVOICE', `order ${state.orderNumber} has no delivered quantity left to invoice`, 'lines');
  }
  return chosen === undefined ? open : chosenLines(state, open, chosen);
}

function chosenLines(state: SalesOrderState, open: InvoiceLinePlan[], chosen: readonly InvoiceLineChoice[]): InvoiceLinePlan[] {
  if (chosen.length === 0) throw new DomainError('VALIDATION_FAILED', 'choose at least one line to invoice, or leave lines out to invoice everything', 'lines');
  const seen = new Set<number>();
  return chosen.map((c, i) => {
    if (seen.has(c.lineNo)) throw new DomainError('VALIDATION_FAILED', `line ${c.lineNo} is chosen twice`, `lines[${i}].lineNo`);
    seen.add(c.lineNo);
    if (!state.lines.some((l) => l.lineNo === c.lineNo)) {
      throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no line ${c.lineNo}`, `lines[${i}].lineNo`);
    }
    const field = `lines[${i}].quantity`;
    if (typeof c.quantity !== 'string' || !isDecimalText(c.quantity)) throw new DomainError('VALIDATION_FAILED', 'quantity must be a decimal number as a string', field);
    const qty = dec(c.quantity);
    if (!qty.isPositive() || qty.isZero()) throw new DomainError('VALIDATION_FAILED', 'quantity must be greater than zero', field);
    if (qty.decimalPlaces() > QUANTITY_SCALE) throw new DomainError('VALIDATION_FAILED', `quantity has more than ${QUANTITY_SCALE} decimals`, field);
    const left = open.find((l) => l.lineNo === c.lineNo);
    const available = left ? dec(left.quantity) : new D(0);
    if (qty.greaterThan(available)) {
      throw new DomainError('OVER_INVOICE', `line ${c.lineNo}: ${plain(qty)} is more than the ${plain(available)} delivered and not yet invoiced`, field, {
        lineNo: c.lineNo,
        uninvoicedQty: plain(available),
      });
    }
    return { ...left!, quantity: plain(qty) };
  });
}

/**
 * One invoice line's amounts as what the order line's invoices come to with it, less what they came to
 * before it: each invoice is exact to the cent, and however the line is split, its invoices add up to
 * its whole invoiced quantity priced and rounded once (the last invoice takes the remainder).
 */
export function invoiceLineAmounts(
  before: { quantity: string; net: string; tax: string },
  line: { quantity: string; unitPrice: string; taxRate: string },
): LineAmounts {
  const after = lineAmounts(dec(before.quantity).plus(dec(line.quantity)), dec(line.unitPrice), dec(line.taxRate));
  const net = after.net.minus(dec(before.net));
  const tax = after.tax.minus(dec(before.tax));
  return { net, tax, gross: net.plus(tax) };
}

export function uninvoicedLines(state: SalesOrderState): InvoiceLinePlan[] {
  return state.lines
    .map((l) => ({ line: l, qty: dec(l.deliveredQty).minus(dec(l.invoicedQty)) }))
    .filter(({ qty }) => qty.isPositive() && !qty.isZero())
    .map(({ line, qty }) => ({
      lineNo: line.lineNo,
      productCode: line.productCode,
      quantity: plain(qty),
      unitPrice: line.unitPrice,
      taxRate: line.taxRate,
    }));
}

/** 直接开票: a per-delivery customer's order invoices on its own as soon as something delivered is uninvoiced. */
export function wantsAutomaticInvoice(state: SalesOrderState): boolean {
  return state.money.invoiceMode === 'per_delivery' && state.status !== 'Cancelled' && uninvoicedLines(state).length > 0;
}

export function invoiceTotals(lines: InvoiceLinePlan[]): MoneyTotals {
  return moneyTotals(totals(lines.map(lineAmountsOf)));
}

/** A receipt's money that went onto an invoice (核销), or a difference written off. */
export interface PaymentApplied {
  receipt: string;
  invoice: string;
  amount: string;
  /** A difference within tolerance written off with this payment. */
  writtenOff?: string;
  /** The money came out of this order's own advance (its deposit). */
  fromOrderAdvance?: boolean;
  /** `receipt` is a credit note (a return's or allowance's, or the payer's credit from one), not money received. */
  credit?: boolean;
}

export interface InvoiceIssued {
  number: string;
  gross: string;
  dueOn: string;
  /** From when it is overdue, and when each dunning reminder goes out (absolute, domain/due.ts). */
  overdueAt: number;
  dunningAt: number[];
  /** Advances (预收, deposits) applied to it at once. */
  applied: PaymentApplied[];
}

export function applyInvoice(state: SalesOrderState, invoice: InvoiceIssued, lines: InvoiceLinePlan[]): void {
  if (state.invoices.includes(invoice.number)) return;
  for (const il of lines) {
    const line = lineOf(state, il.lineNo);
    line.invoicedQty = plain(dec(line.invoicedQty).plus(dec(il.quantity)));
  }
  state.invoices.push(invoice.number);
  state.invoicedTotal = money(dec(state.invoicedTotal).plus(dec(invoice.gross)));
  state.money.receivables.push({
    invoice: invoice.number,
    gross: invoice.gross,
    paid: '0.00',
    writtenOff: '0.00',
    dueOn: invoice.dueOn,
    overdueAt: invoice.overdueAt,
    dunningAt: [...invoice.dunningAt],
    overdue: false,
    reminders: 0,
  });
  for (const p of invoice.applied) applyPayment(state, p);
  const early = state.money.early.filter((p) => p.invoice === invoice.number);
  state.money.early = state.money.early.filter((p) => p.invoice !== invoice.number);
  for (const p of early) applyPayment(state, p);
}

// ---- receipts and payments -------------------------------------------------

/** What is still to be paid as deposit before the goods may leave. */
export function depositOutstanding(state: SalesOrderState): D {
  const rest = dec(state.money.depositRequired).minus(dec(state.money.depositReceived));
  return rest.isPositive() ? rest : new D(0);
}

/** 订金: an order with a deposit is not released to the warehouse until the deposit is in. */
export function checkDepositReceived(state: SalesOrderState): void {
  const rest = depositOutstanding(state);
  if (!rest.isZero()) {
    throw new DomainError('DEPOSIT_NOT_RECEIVED', `order ${state.orderNumber} waits for a deposit of ${money(rest)}`, 'deposit', {
      depositRequired: state.money.depositRequired,
      depositOutstanding: money(rest),
    });
  }
}

/** A receipt on the order pays what is due, or its outstanding deposit in advance; never more. */
export function checkReceipt(state: SalesOrderState, amount: string): void {
  if (state.status === 'Cancelled' || state.status === 'Completed') refuseState(state, 'take a receipt');
  const value = dec(amount);
  if (!value.isPositive() || value.isZero()) {
    throw new DomainError('VALIDATION_FAILED', 'amount must be greater than zero', 'amount');
  }
  if (value.decimalPlaces() > 2) throw new DomainError('VALIDATION_FAILED', 'amount has more than two decimals', 'amount');
  // Money held as this order's deposit already lowers the deposit outstanding; only an advance beyond it lowers what is due.
  const advanceBeyondDeposit = dec(state.money.advance).minus(D.min(dec(state.money.advance), dec(state.money.depositReceived)));
  const due = dec(amountDue(state)).plus(depositOutstanding(state)).minus(advanceBeyondDeposit);
  const limit = due.isPositive() ? due : new D(0);
  if (value.greaterThan(limit)) {
    throw new DomainError('OVER_PAYMENT', `amount ${money(value)} is more than the ${money(limit)} due`, 'amount', {
      amountDue: money(limit),
    });
  }
}

export interface ReceiptRecorded {
  number: string;
  amount: string;
  applied: PaymentApplied[];
  /** Left as an advance on this order (a deposit). */
  advance: string;
}

/** A receipt recorded on this order: its payments, its rest as advance, and the deposit it covers. */
export function applyReceipt(state: SalesOrderState, receipt: ReceiptRecorded): void {
  if (!state.receipts.includes(receipt.number)) state.receipts.push(receipt.number);
  const deposit = D.min(depositOutstanding(state), dec(receipt.amount));
  state.money.depositReceived = money(dec(state.money.depositReceived).plus(deposit));
  state.money.advance = money(dec(state.money.advance).plus(dec(receipt.advance)));
  for (const p of receipt.applied) applyPayment(state, p);
}

export function receivableOf(state: SalesOrderState, invoice: string): OrderReceivable | undefined {
  return state.money.receivables.find((r) => r.invoice === invoice);
}

/** Money put on one of this order's invoices, from wherever it came; a repeated report counts once. */
export function applyPayment(state: SalesOrderState, p: PaymentApplied): void {
  const pair = `${p.receipt}/${p.invoice}`;
  if (state.money.applied.includes(pair)) return;
  const r = receivableOf(state, p.invoice);
  if (!r) {
    state.money.early.push({ receipt: p.receipt, invoice: p.invoice, amount: p.amount, writtenOff: p.writtenOff ?? '0.00' });
    return;
  }
  state.money.applied.push(pair);
  if (p.credit) {
    r.credited = money(dec(r.credited ?? '0').plus(dec(p.amount)));
    state.money.creditedTotal = money(dec(state.money.creditedTotal ?? '0').plus(dec(p.amount)));
    return;
  }
  if (!state.receipts.includes(p.receipt)) state.receipts.push(p.receipt);
  r.paid = money(dec(r.paid).plus(dec(p.amount)));
  state.receivedTotal = money(dec(state.receivedTotal).plus(dec(p.amount)));
  if (p.fromOrderAdvance) state.money.advance = money(dec(state.money.advance).minus(dec(p.amount)));
  if (p.writtenOff && !dec(p.writtenOff).isZero()) writeOffOn(state, r, p.writtenOff);
}

function writeOffOn(state: SalesOrderState, r: OrderReceivable, amount: string): void {
  r.writtenOff = money(dec(r.writtenOff).plus(dec(amount)));
  state.money.writtenOffTotal = money(dec(state.money.writtenOffTotal).plus(dec(amount)));
}

export function receivableOpen(r: OrderReceivable): D {
  return dec(r.gross).minus(dec(r.paid)).minus(dec(r.writtenOff)).minus(dec(r.credited ?? '0'));
}

export function isReceivableClosed(state: SalesOrderState, invoice: string): boolean {
  const r = receivableOf(state, invoice);
  return !r || !receivableOpen(r).isPositive();
}

export function openReceivables(state: SalesOrderState): OrderReceivable[] {
  return state.money.receivables.filter((r) => receivableOpen(r).isPositive() && !receivableOpen(r).isZero());
}

// ---- bad debt ----------------------------------------------------------------

export interface WriteOffCommandInput {
  actor: string;
  approver: string;
  reason: string;
}

/** Bad-debt write-off (坏账): something must be open, and someone other than the requester approves. */
export function checkWriteOff(state: SalesOrderState, cmd: WriteOffCommandInput): void {
  if (state.status === 'Cancelled' || state.status === 'Completed') refuseState(state, 'write off a bad debt');
  if (openReceivables(state).length === 0) {
    throw new DomainError('INVALID_STATE', `order ${state.orderNumber} has no open receivable to write off`, 'amountDue');
  }
  if (!cmd.approver) throw new DomainError('VALIDATION_FAILED', 'a write-off needs a finance approver', 'approver');
  if (cmd.approver === cmd.actor) {
    throw new DomainError('SELF_APPROVAL', `${cmd.actor} cannot approve their own write-off`, 'approver');
  }
  if (!cmd.reason.trim()) throw new DomainError('VALIDATION_FAILED', 'a write-off needs a reason', 'reason');
}

export function applyWriteOff(state: SalesOrderState, writeOffs: { invoice: string; amount: string }[]): void {
  for (const w of writeOffs) {
    const r = receivableOf(state, w.invoice);
    if (r) writeOffOn(state, r, w.amount);
  }
}
