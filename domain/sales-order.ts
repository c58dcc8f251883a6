import { lineAmountsOf, moneyTotals, totals, type MoneyTotals } from './amounts.js';
import { D, dec, money, plain, sum } from './decimal.js';
import { DomainError } from './errors.js';

/**
 * The sales order's process state and the pure rules over it. The workflow holds
 * one `SalesOrderState`; every command is checked here first (so the update
 * validator and the handler agree) and then applied here.
 */
export type OrderStatus =
  | 'Unapproved'
  | 'Approved'
  | 'PartiallyDelivered'
  | 'Delivered'
  | 'Completed'
  | 'Cancelled';

/** 客户订单 line close status: open (N), auto-closed when fully delivered (Y), closed by hand (y). */
export type CloseStatus = 'N' | 'Y' | 'y';

export interface OrderLineState {
  lineNo: number;
  productCode: string;
  warehouseCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  reservedQty: string;
  deliveredQty: string;
  invoicedQty: string;
  closeStatus: CloseStatus;
}

export interface SalesOrderState {
  orderNumber: string;
  customerCode: string;
  currency: string;
  createdBy: string;
  status: OrderStatus;
  lines: OrderLineState[];
  totals: MoneyTotals;
  invoicedTotal: string;
  receivedTotal: string;
  approvedBy?: string;
  cancelledBy?: string;
  cancelReason?: string;
  deliveryNotes: string[];
  invoices: string[];
  receipts: string[];
  /** Counters that make each step's idempotency key; they only ever grow. */
  steps: { delivery: number; invoice: number; receipt: number };
}

export interface NewOrderLine {
  lineNo: number;
  productCode: string;
  warehouseCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
}

export interface NewSalesOrder {
  orderNumber: string;
  customerCode: string;
  currency: string;
  createdBy: string;
  lines: NewOrderLine[];
}

export function newOrderState(order: NewSalesOrder): SalesOrderState {
  const lines: OrderLineState[] = order.lines.map((l) => ({
    ...l,
    reservedQty: '0',
    deliveredQty: '0',
    invoicedQty: '0',
    closeStatus: 'N',
  }));
  return {
    orderNumber: order.orderNumber,
    customerCode: order.customerCode,
    currency: order.currency,
    createdBy: order.createdBy,
    status: 'Unapproved',
    lines,
    totals: moneyTotals(totals(lines.map(lineAmountsOf))),
    invoicedTotal: '0.00',
    receivedTotal: '0.00',
    deliveryNotes: [],
    invoices: [],
    receipts: [],
    steps: { delivery: 0, invoice: 0, receipt: 0 },
  };
}

export function amountDue(state: SalesOrderState): string {
  return money(dec(state.invoicedTotal).minus(dec(state.receivedTotal)));
}

function remainingQty(line: OrderLineState): D {
  const rest = dec(line.quantity).minus(dec(line.deliveredQty));
  return rest.isNegative() ? new D(0) : rest;
}

function refuseState(state: SalesOrderState, command: string): never {
  throw new DomainError('INVALID_STATE', `order ${state.orderNumber} is ${state.status}; it cannot ${command}`, 'status', {
    status: state.status,
  });
}

// ---- approve ---------------------------------------------------------------

export function checkApprove(state: SalesOrderState, actor: string): void {
  if (state.status !== 'Unapproved') refuseState(state, 'be approved');
  if (actor === state.createdBy) {
    throw new DomainError('SELF_APPROVAL', `${actor} created order ${state.orderNumber} and cannot approve it`, 'actor');
  }
}

export function applyApproved(state: SalesOrderState, actor: string, reserved: { lineNo: number; quantity: string }[]): void {
  for (const r of reserved) lineOf(state, r.lineNo).reservedQty = r.quantity;
  state.status = 'Approved';
  state.approvedBy = actor;
}

// ---- deliver ---------------------------------------------------------------

export interface DeliveryRequestLine {
  lineNo: number;
  quantity?: string;
}

export interface PlannedDeliveryLine {
  lineNo: number;
  productCode: string;
  warehouseCode: string;
  quantity: string;
}

const DELIVERABLE: OrderStatus[] = ['Approved', 'PartiallyDelivered'];

/**
 * What a delivery request ships. No lines means everything still open. Each line
 * may ship at most its remaining quantity.
 */
export function planDelivery(state: SalesOrderState, request: DeliveryRequestLine[] | undefined): PlannedDeliveryLine[] {
  if (!DELIVERABLE.includes(state.status)) refuseState(state, 'be delivered');
  const asked: DeliveryRequestLine[] = request && request.length > 0
    ? request
    : state.lines.filter((l) => l.closeStatus === 'N').map((l) => ({ lineNo: l.lineNo }));
  const seen = new Set<number>();
  const planned = asked.map((req, i) => {
    const field = `lines[${i}]`;
    if (seen.has(req.lineNo)) throw new DomainError('VALIDATION_FAILED', `line ${req.lineNo} is named twice`, `${field}.lineNo`);
    seen.add(req.lineNo);
    const line = state.lines.find((l) => l.lineNo === req.lineNo);
    if (!line) throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no line ${req.lineNo}`, `${field}.lineNo`);
    if (line.closeStatus !== 'N') {
      throw new DomainError('INVALID_STATE', `line ${line.lineNo} is closed`, `${field}.lineNo`);
    }
    const remaining = remainingQty(line);
    const qty = req.quantity === undefined ? remaining : dec(req.quantity);
    if (!qty.isPositive() || qty.isZero()) {
      throw new DomainError('VALIDATION_FAILED', 'quantity must be greater than zero', `${field}.quantity`);
    }
    if (qty.greaterThan(remaining)) {
      throw new DomainError(
        'OVER_DELIVERY',
        `line ${line.lineNo}: ${plain(qty)} is more than the ${plain(remaining)} still to deliver`,
        `${field}.quantity`,
        { remaining: plain(remaining) },
      );
    }
    return { lineNo: line.lineNo, productCode: line.productCode, warehouseCode: line.warehouseCode, quantity: plain(qty) };
  });
  return planned;
}

export function applyDelivery(state: SalesOrderState, noteNumber: string, delivered: PlannedDeliveryLine[]): void {
  for (const d of delivered) {
    const line = lineOf(state, d.lineNo);
    const qty = dec(d.quantity);
    line.deliveredQty = plain(dec(line.deliveredQty).plus(qty));
    const reserved = dec(line.reservedQty);
    line.reservedQty = plain(reserved.greaterThan(qty) ? reserved.minus(qty) : new D(0));
    if (dec(line.deliveredQty).greaterThanOrEqualTo(dec(line.quantity))) line.closeStatus = 'Y';
  }
  state.deliveryNotes.push(noteNumber);
  state.status = state.lines.every((l) => l.closeStatus !== 'N') ? 'Delivered' : 'PartiallyDelivered';
}

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
    throw new DomainError('NOTHING_TO_INVOICE', `order ${state.orderNumber} has no delivered quantity left to invoice`);
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

// ---- cancel & complete -----------------------------------------------------

export function checkCancel(state: SalesOrderState): void {
  if (state.status === 'Cancelled' || state.status === 'Completed') refuseState(state, 'be cancelled');
  if (state.lines.some((l) => dec(l.deliveredQty).isPositive() && !dec(l.deliveredQty).isZero())) {
    throw new DomainError('INVALID_STATE', `order ${state.orderNumber} has deliveries; return the goods before cancelling`, 'status');
  }
}

export function applyCancel(state: SalesOrderState, actor: string, reason: string): void {
  for (const l of state.lines) {
    l.reservedQty = '0';
    l.closeStatus = 'y';
  }
  state.status = 'Cancelled';
  state.cancelledBy = actor;
  state.cancelReason = reason;
}

/** Complete: every line closed, everything delivered invoiced, and nothing left due. */
export function isSettled(state: SalesOrderState): boolean {
  return (
    state.lines.every((l) => l.closeStatus !== 'N') &&
    state.lines.every((l) => dec(l.invoicedQty).greaterThanOrEqualTo(dec(l.deliveredQty))) &&
    dec(amountDue(state)).isZero() &&
    state.status !== 'Cancelled'
  );
}

export function reservedTotal(state: SalesOrderState): string {
  return plain(sum(state.lines.map((l) => dec(l.reservedQty))));
}

function lineOf(state: SalesOrderState, lineNo: number): OrderLineState {
  const line = state.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no line ${lineNo}`, 'lineNo');
  return line;
}
