import { lineAmountsOf, moneyTotals, totals, type MoneyTotals } from '../amounts.js';
import { D, dec, money, plain, sum } from '../decimal.js';
import { DomainError } from '../errors.js';
import type { InvoiceMode } from '../receivables.js';
import { newOrderMoney, type OrderMoney } from './money-state.js';
import type { ApprovalRequirement, GivenApproval } from './approval.js';
import type { OrderCheck } from './checks.js';
import type { ChangeRecord, PendingChange } from './changes.js';
import type { ReturnRecord } from './returns.js';
import type { RejectionRecord } from './drafts.js';

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
  | 'Cancelled'
  | 'Rejected';

/** What the clerk chose for a stock shortfall at approval: refuse, or reserve what exists and back-order the rest. */
export type ShortfallPolicy = 'block' | 'backorder';

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
  /** 预交货日 (YYYY-MM-DD). */
  expectedDeliveryDate?: string;
  /** 超交率: deliveries may exceed the ordered quantity by this share. */
  overDeliveryRate: string;
  /** Came back on returns (销退); delivered quantity is already net of it. */
  returnedQty?: string;
  /** Net amount given back by allowances (折让) on this line. */
  allowanceNet?: string;
}

/** 出货通知单 as the order knows it: planned quantities and, once delivered, the actual ones. */
export interface ShippingNoticeState {
  number: string;
  lines: { lineNo: number; plannedQty: string; actualQty: string }[];
  requiresQualityCheck: boolean;
  qualityResult?: 'pass' | 'fail';
  qualityCheckedOn?: string;
  delivered: boolean;
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
  rejectedBy?: string;
  rejectReason?: string;
  shortfallPolicy: ShortfallPolicy;
  /** What the checks before approval found, as the approver sees it (rerun at each approval). */
  checks: OrderCheck[];
  /** The approvals the rules ask for, as of the last approval attempt. */
  requiredApprovals: ApprovalRequirement[];
  approvals: GivenApproval[];
  /**
   * While it waits for approval: when the reminder and the escalation go out
   * (epoch ms, set when the order starts) and whether they went, so a continued
   * run keeps the same instants and sends nothing twice.
   */
  approvalReminders: { reminded: boolean; escalated: boolean; remindAt?: number; escalateAt?: number };
  /** The approval request was posted to chat, and the message was updated with the decision. */
  approvalAnnounced?: { request: boolean; decision: boolean };
  /** Bank notices refused (bad data, or a step that could not book them), as recorded. */
  refusedBankNotices?: { noticeId: string; reason: string }[];
  deliveryNotes: string[];
  shippingNotices: ShippingNoticeState[];
  invoices: string[];
  receipts: string[];
  /** Counters that make each step's idempotency key; they only ever grow. */
  steps: { delivery: number; invoice: number; receipt: number; approval: number; reserve: number; notice: number; close: number; returns?: number };
  /** Receivables, deposit, advance and write-offs (billing.ts). */
  money: OrderMoney;
  /** 订单变更单: the last change number used, the change waiting for approval, and every decided change. */
  changeVersion?: number;
  pendingChange?: PendingChange;
  changes?: ChangeRecord[];
  /** 销退单: returns and allowances, each with the credit note it produced. */
  returns?: ReturnRecord[];
  /** How many times a completed order was reopened by a late return (keys its completion step). */
  reopened?: number;
  /** 草稿: how many times the order was edited before approval (or revised after a rejection); absent: never. */
  revision?: number;
  /** Every rejection, oldest first, kept when the order is revised (rejectedBy/rejectReason: the current one). */
  rejections?: RejectionRecord[];
}

export interface NewOrderLine {
  lineNo: number;
  productCode: string;
  warehouseCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  expectedDeliveryDate?: string;
  overDeliveryRate?: string;
  /** 期初开账: delivered (and settled) in the old system before this order was loaded. */
  openingDeliveredQty?: string;
}

export interface NewSalesOrder {
  orderNumber: string;
  customerCode: string;
  currency: string;
  createdBy: string;
  shortfallPolicy?: ShortfallPolicy;
  /** 期初开账: loaded as already approved in the old system (no approval here). */
  openingApprovedBy?: string;
  lines: NewOrderLine[];
  /** From the customer (billing.ts): how the order is invoiced, and the deposit (订金) due before delivery. */
  invoiceMode?: InvoiceMode;
  depositRequired?: string;
}

export function newOrderState(order: NewSalesOrder): SalesOrderState {
  const lines: OrderLineState[] = order.lines.map(({ openingDeliveredQty, ...l }) => {
    // What the old system delivered was invoiced there too; its money is an opening receivable, not invoiced again.
    const delivered = openingDeliveredQty ?? '0';
    return {
      ...l,
      overDeliveryRate: l.overDeliveryRate ?? '0',
      reservedQty: '0',
      deliveredQty: delivered,
      invoicedQty: delivered,
      closeStatus: dec(delivered).greaterThanOrEqualTo(dec(l.quantity)) ? 'Y' : 'N',
    };
  });
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
    shortfallPolicy: order.shortfallPolicy ?? 'block',
    checks: [],
    requiredApprovals: [],
    approvals: [],
    approvalReminders: { reminded: false, escalated: false },
    deliveryNotes: [],
    shippingNotices: [],
    invoices: [],
    receipts: [],
    steps: { delivery: 0, invoice: 0, receipt: 0, approval: 0, reserve: 0, notice: 0, close: 0 },
    money: newOrderMoney(order.invoiceMode, order.depositRequired),
  };
}

/** Invoiced, less what receipts paid on the invoices, what credit notes settled and what was written off. */
export function amountDue(state: SalesOrderState): string {
  return money(
    dec(state.invoicedTotal)
      .minus(dec(state.receivedTotal))
      .minus(dec(state.money.writtenOffTotal))
      .minus(dec(state.money.creditedTotal ?? '0')),
  );
}

export function remainingQty(line: OrderLineState): D {
  const rest = dec(line.quantity).minus(dec(line.deliveredQty));
  return rest.isNegative() ? new D(0) : rest;
}

export function refuseState(state: SalesOrderState, command: string): never {
  throw new DomainError('INVALID_STATE', `order ${state.orderNumber} is ${state.status}; it cannot ${command}`, 'status', {
    status: state.status,
  });
}

export function checkCancel(state: SalesOrderState): void {
  if (state.status === 'Cancelled' || state.status === 'Completed' || state.status === 'Rejected') refuseState(state, 'be cancelled');
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
  // A change still waiting for approval is withdrawn with the order: nothing is left to change.
  if (state.pendingChange) {
    const p = state.pendingChange;
    (state.changes ??= []).push({ version: p.version, status: 'rejected', requestedBy: p.request.requestedBy, decidedBy: actor });
    delete state.pendingChange;
  }
}

/** Complete: every line closed, everything delivered invoiced, and nothing left due. */
export function isSettled(state: SalesOrderState): boolean {
  return (
    state.lines.every((l) => l.closeStatus !== 'N') &&
    state.lines.every((l) => dec(l.invoicedQty).greaterThanOrEqualTo(dec(l.deliveredQty))) &&
    dec(amountDue(state)).isZero() &&
    state.status !== 'Cancelled' &&
    state.status !== 'Rejected'
  );
}

/** What the open lines still wait for: ordered, neither delivered nor reserved (a back-order's remaining shortfall). */
export function unreservedOpen(state: Pick<SalesOrderState, 'lines'>): string {
  return plain(sum(state.lines.filter((l) => l.closeStatus === 'N').map((l) => D.max(0, dec(l.quantity).minus(l.deliveredQty).minus(l.reservedQty)))));
}

export function reservedTotal(state: SalesOrderState): string {
  return plain(sum(state.lines.map((l) => dec(l.reservedQty))));
}

export function lineOf(state: SalesOrderState, lineNo: number): OrderLineState {
  const line = state.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no line ${lineNo}`, 'lineNo');
  return line;
}
