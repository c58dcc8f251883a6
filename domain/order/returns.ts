import { lineAmountsOf, moneyTotals, totals, lineAmounts, type MoneyTotals } from '../amounts.js';
import { D, dec, money, plain } from '../decimal.js';
import { DomainError } from '../errors.js';
import { applyPayment, type PaymentApplied } from './billing.js';
import { settleOpenStatus } from './changes.js';
import { lineOf, refuseState, type CloseStatus, type OrderStatus, type SalesOrderState } from './state.js';

/**
 * 销退单: a return brings goods of one delivery note back (delivered quantity
 * down, on hand up); an allowance (折让) only gives money back. The invoiced part
 * of either becomes a credit note: it settles this order's open invoices first, and
 * what they no longer owe (the order was already paid) is the payer's credit.
 */
export type ReturnDisposition = 'redeliver' | 'cancel_remainder';

export interface ReturnRequest {
  deliveryNote: string;
  /** Where the goods come back to; the delivery's own warehouse when absent. */
  warehouseCode?: string;
  /** The line reopens for delivery again, or its remainder is cancelled (a rejection must not be redelivered). */
  disposition: ReturnDisposition;
  reason: string;
  lines: { lineNo: number; quantity: string }[];
}

export interface AllowanceRequest {
  reason: string;
  /** Net amount (before tax) given back per order line; tax follows at the line's rate. */
  lines: { lineNo: number; amount: string }[];
}

/** One line of a return or allowance, with the part the credit note gives back. */
export interface ReturnLinePlan {
  lineNo: number;
  productCode: string;
  /** Returned quantity (0 for an allowance). */
  quantity: string;
  /** Of that quantity, what had been invoiced: the credit note's quantity. */
  invoicedQty: string;
  unitPrice: string;
  taxRate: string;
  net: string;
  tax: string;
  /** A return's line afterwards: cancelled remainder (y), or open again (N) unless still fully delivered (Y). */
  closeStatusAfter?: CloseStatus;
}

export interface ReturnPlan {
  kind: 'return' | 'allowance';
  lines: ReturnLinePlan[];
  /** What the credit note is for (zero when nothing returned had been invoiced). */
  credit: MoneyTotals;
}

export interface ReturnRecord {
  number: string;
  kind: 'return' | 'allowance';
  creditNote: string | null;
  creditGross: string;
  /** Of the credit note, what is left as the payer's credit after this order's invoices. */
  customerCredit: string;
}

const TAKES_RETURNS: OrderStatus[] = ['Approved', 'PartiallyDelivered', 'Delivered', 'Completed'];

function checkOpenForReturns(state: SalesOrderState, what: string): void {
  if (!TAKES_RETURNS.includes(state.status)) refuseState(state, what);
}

function positive(value: string, field: string): D {
  const v = dec(value);
  if (!v.isPositive() || v.isZero()) throw new DomainError('VALIDATION_FAILED', 'must be greater than zero', field);
  return v;
}

function checkLines<T extends { lineNo: number }>(state: SalesOrderState, lines: T[]): void {
  if (lines.length === 0) throw new DomainError('VALIDATION_FAILED', 'at least one line is needed', 'lines');
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    if (seen.has(l.lineNo)) throw new DomainError('VALIDATION_FAILED', `line ${l.lineNo} appears twice`, `lines[${i}].lineNo`);
    seen.add(l.lineNo);
    if (!state.lines.some((x) => x.lineNo === l.lineNo)) {
      throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no line ${l.lineNo}`, `lines[${i}].lineNo`);
    }
  });
}

/**
 * What the order knows of a return: the note is one of its own, and no line
 * gives back more than it holds as delivered. The delivery note line's own limit
 * (delivered on that note, less returned already) is checked where the note is,
 * in the same transaction as the stock move.
 */
export function planReturn(state: SalesOrderState, req: ReturnRequest): ReturnPlan {
  checkOpenForReturns(state, 'take a return');
  if (!state.deliveryNotes.includes(req.deliveryNote)) {
    throw new DomainError('NOT_FOUND', `delivery note ${req.deliveryNote} is not one of order ${state.orderNumber}`, 'deliveryNote');
  }
  if (!req.reason.trim()) throw new DomainError('VALIDATION_FAILED', 'a return needs a reason', 'reason');
  checkLines(state, req.lines);
  const lines = req.lines.map((r, i) => {
    const qty = positive(r.quantity, `lines[${i}].quantity`);
    const line = lineOf(state, r.lineNo);
    if (qty.greaterThan(dec(line.deliveredQty))) {
      throw new DomainError('OVER_RETURN', `line ${r.lineNo}: ${plain(qty)} is more than the ${plain(dec(line.deliveredQty))} delivered and not returned`, `lines[${i}].quantity`, {
        delivered: plain(dec(line.deliveredQty)),
      });
    }
    // What was delivered and not yet invoiced comes back first; only the rest was billed.
    const uninvoiced = dec(line.deliveredQty).minus(dec(line.invoicedQty));
    const invoiced = qty.minus(D.min(qty, uninvoiced));
    const a = lineAmountsOf({ quantity: plain(invoiced), unitPrice: line.unitPrice, taxRate: line.taxRate });
    const deliveredAfter = dec(line.deliveredQty).minus(qty);
    const closeStatusAfter: CloseStatus =
      req.disposition === 'cancel_remainder' || line.closeStatus === 'y' ? 'y' : deliveredAfter.greaterThanOrEqualTo(dec(line.quantity)) ? 'Y' : 'N';
    return {
      closeStatusAfter,
      lineNo: line.lineNo,
      productCode: line.productCode,
      quantity: plain(qty),
      invoicedQty: plain(invoiced),
      unitPrice: line.unitPrice,
      taxRate: line.taxRate,
      net: money(a.net),
      tax: money(a.tax),
    };
  });
  return { kind: 'return', lines, credit: creditOf(lines) };
}

/** 折让: only what was invoiced on a line, less earlier allowances on it, can be given back. */
export function planAllowance(state: SalesOrderState, req: AllowanceRequest): ReturnPlan {
  checkOpenForReturns(state, 'grant an allowance');
  if (!req.reason.trim()) throw new DomainError('VALIDATION_FAILED', 'an allowance needs a reason', 'reason');
  checkLines(state, req.lines);
  const lines = req.lines.map((r, i) => {
    const net = positive(r.amount, `lines[${i}].amount`);
    if (net.decimalPlaces() > 2) throw new DomainError('VALIDATION_FAILED', 'an amount has at most two decimals', `lines[${i}].amount`);
    const line = lineOf(state, r.lineNo);
    const invoicedNet = lineAmountsOf({ quantity: line.invoicedQty, unitPrice: line.unitPrice, taxRate: line.taxRate }).net;
    const room = invoicedNet.minus(dec(line.allowanceNet ?? '0'));
    if (net.greaterThan(room)) {
      throw new DomainError('OVER_ALLOWANCE', `line ${r.lineNo}: ${money(net)} is more than the ${money(D.max(room, 0))} invoiced and not yet allowed`, `lines[${i}].amount`, {
        allowable: money(D.max(room, 0)),
      });
    }
    const a = lineAmounts(new D(1), net, dec(line.taxRate));
    return {
      lineNo: line.lineNo,
      productCode: line.productCode,
      quantity: '0',
      invoicedQty: '0',
      unitPrice: line.unitPrice,
      taxRate: line.taxRate,
      net: money(a.net),
      tax: money(a.tax),
    };
  });
  return { kind: 'allowance', lines, credit: creditOf(lines) };
}

function creditOf(lines: ReturnLinePlan[]): MoneyTotals {
  return moneyTotals(totals(lines.map((l) => ({ net: dec(l.net), tax: dec(l.tax), gross: dec(l.net).plus(dec(l.tax)) }))));
}

export interface ReturnRecorded {
  number: string;
  creditNote: string | null;
  /** The credit note's money put on this order's open invoices. */
  applied: PaymentApplied[];
}

/**
 * The return flows back into the order: delivered (and the invoiced part) down,
 * the line reopened for redelivery or its remainder cancelled, the state after it.
 */
export function applyReturn(state: SalesOrderState, plan: ReturnPlan, recorded: ReturnRecorded): void {
  if ((state.returns ?? []).some((r) => r.number === recorded.number)) return;
  for (const p of plan.lines) {
    const line = lineOf(state, p.lineNo);
    if (plan.kind === 'allowance') {
      line.allowanceNet = money(dec(line.allowanceNet ?? '0').plus(dec(p.net)));
      continue;
    }
    line.deliveredQty = plain(dec(line.deliveredQty).minus(dec(p.quantity)));
    line.invoicedQty = plain(dec(line.invoicedQty).minus(dec(p.invoicedQty)));
    line.returnedQty = plain(dec(line.returnedQty ?? '0').plus(dec(p.quantity)));
    line.closeStatus = p.closeStatusAfter ?? line.closeStatus;
    // A cancelled remainder gives its reservation back (the activity released it in the same step).
    if (line.closeStatus === 'y') line.reservedQty = '0';
  }
  for (const p of recorded.applied) applyPayment(state, p);
  const applied = recorded.applied.reduce((s, p) => s.plus(dec(p.amount)), new D(0));
  (state.returns ??= []).push({
    number: recorded.number,
    kind: plan.kind,
    creditNote: recorded.creditNote,
    creditGross: plan.credit.gross,
    customerCredit: money(dec(plan.credit.gross).minus(applied)),
  });
  if (plan.kind === 'return' || state.status === 'Completed') settleOpenStatus(state);
}
