import { checkAmountsFit, lineAmountsOf, moneyTotals, totals, type MoneyTotals } from '../amounts.js';
import { dec, plain } from '../decimal.js';
import { DomainError } from '../errors.js';
import type { ApprovalRequirement, GivenApproval } from './approval.js';
import { lineOf, refuseState, type CloseStatus, type OrderLineState, type OrderStatus, type SalesOrderState } from './state.js';

/**
 * 订单变更单: a change to an approved order is its own document, numbered per
 * order 0001..9999, with line-level before/after. These rules decide what a
 * change may do and what the order looks like after it; whether it needs
 * approval again is decided from its amount and the checks (approval.ts rules).
 */
export const MAX_CHANGE_VERSION = 9999;

export type ChangeAction = 'change' | 'add' | 'cancel';

export interface ChangeLineRequest {
  action: ChangeAction;
  /** The line changed or cancelled; absent for a new line. */
  lineNo?: number;
  quantity?: string;
  unitPrice?: string;
  expectedDeliveryDate?: string;
  warehouseCode?: string;
  /** A new line: the product, its tax and over-delivery rate (from the product master). */
  productCode?: string;
  taxRate?: string;
  overDeliveryRate?: string;
}

export interface OrderChangeRequest {
  reason: string;
  requestedBy: string;
  lines: ChangeLineRequest[];
}

/** The terms of one line as a change shows them before and after. */
export interface LineTerms {
  productCode: string;
  warehouseCode: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  expectedDeliveryDate: string | null;
  closeStatus: CloseStatus;
}

export interface ChangeDiffLine {
  lineNo: number;
  action: ChangeAction;
  before: LineTerms | null;
  after: LineTerms | null;
}

export interface PlannedChange {
  version: number;
  lines: OrderLineState[];
  diff: ChangeDiffLine[];
  before: OrderSnapshot;
  after: OrderSnapshot;
}

/** The order's terms at one version (the as-of-version view). */
export interface OrderSnapshot {
  totals: MoneyTotals;
  lines: (LineTerms & { lineNo: number })[];
}

export interface PendingChange {
  version: number;
  request: OrderChangeRequest;
  grossAfter: string;
  /** Why it went back to approval, and the approvals that gives. */
  reasons: string[];
  requiredApprovals: ApprovalRequirement[];
  approvals: GivenApproval[];
  /** When the approvers still needed are reminded, and when it escalates; absent on changes asked before reminders. */
  notices?: ChangeNotices;
}

export interface ChangeNotices {
  remindAt: number;
  escalateAt: number;
  reminded: boolean;
  escalated: boolean;
}

export type ChangeNoticeKind = 'change_approval_reminder' | 'change_approval_escalation';

/** Fixes when a change waiting for approval reminds and escalates, the same delays as an order's approval. */
export function armChangeNotices(pending: PendingChange, nowMs: number, remindAfterMs: number, escalateAfterMs: number): void {
  pending.notices ??= { remindAt: nowMs + remindAfterMs, escalateAt: nowMs + remindAfterMs + escalateAfterMs, reminded: false, escalated: false };
}

/** The notice a waiting change owes by now, if any: the reminder first, then the escalation. */
export function changeNoticeDue(state: SalesOrderState, nowMs: number): ChangeNoticeKind | undefined {
  const at = nextChangeNoticeInstant(state);
  if (at === undefined || at > nowMs) return undefined;
  return state.pendingChange!.notices!.reminded ? 'change_approval_escalation' : 'change_approval_reminder';
}

/** The next instant a waiting change's notice falls due. */
export function nextChangeNoticeInstant(state: SalesOrderState): number | undefined {
  const n = state.pendingChange?.notices;
  if (!n) return undefined;
  return !n.reminded ? n.remindAt : !n.escalated ? n.escalateAt : undefined;
}

/** Records that the notice went out. */
export function changeNoticeSent(state: SalesOrderState, kind: ChangeNoticeKind): void {
  const n = state.pendingChange?.notices;
  if (!n) return;
  if (kind === 'change_approval_reminder') n.reminded = true;
  else n.escalated = true;
}

export interface ChangeRecord {
  version: number;
  status: 'applied' | 'rejected';
  requestedBy: string;
  decidedBy?: string;
}

const CHANGEABLE: OrderStatus[] = ['Approved', 'PartiallyDelivered', 'Delivered'];

const fail = (code: 'VALIDATION_FAILED' | 'QUANTITY_BELOW_DELIVERED' | 'PRICE_LOCKED' | 'NOT_FOUND', message: string, field: string): never => {
  throw new DomainError(code, message, field);
};

/** A line's amounts count what it will really deliver: a cancelled remainder no longer counts. */
function effectiveQty(line: OrderLineState): string {
  return line.closeStatus === 'y' ? line.deliveredQty : line.quantity;
}

export function orderTotalsOf(lines: OrderLineState[]): MoneyTotals {
  return moneyTotals(
    totals(
      lines
        .filter((l) => dec(effectiveQty(l)).greaterThan(0))
        .map((l) => lineAmountsOf({ quantity: effectiveQty(l), unitPrice: l.unitPrice, taxRate: l.taxRate })),
    ),
  );
}

export function termsOf(line: OrderLineState): LineTerms {
  return {
    productCode: line.productCode,
    warehouseCode: line.warehouseCode,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    taxRate: line.taxRate,
    expectedDeliveryDate: line.expectedDeliveryDate ?? null,
    closeStatus: line.closeStatus,
  };
}

export function snapshotOf(lines: OrderLineState[]): OrderSnapshot {
  return { totals: orderTotalsOf(lines), lines: lines.map((l) => ({ lineNo: l.lineNo, ...termsOf(l) })) };
}

const sameTerms = (a: LineTerms, b: LineTerms) =>
  a.warehouseCode === b.warehouseCode &&
  dec(a.quantity).equals(dec(b.quantity)) &&
  dec(a.unitPrice).equals(dec(b.unitPrice)) &&
  a.expectedDeliveryDate === b.expectedDeliveryDate &&
  a.closeStatus === b.closeStatus;

/** State-only rules a change must meet before it is recorded (the validator and the handler both run them). */
export function checkChangeAllowed(state: SalesOrderState): void {
  if (!CHANGEABLE.includes(state.status)) refuseState(state, 'be changed');
  if (state.pendingChange) {
    throw new DomainError('CHANGE_PENDING', `change ${versionLabel(state.pendingChange.version)} of order ${state.orderNumber} still waits for approval`, 'version', {
      version: versionLabel(state.pendingChange.version),
    });
  }
  if ((state.changeVersion ?? 0) >= MAX_CHANGE_VERSION) {
    throw new DomainError('CHANGE_LIMIT_REACHED', `order ${state.orderNumber} has had ${MAX_CHANGE_VERSION} changes, the most a change number allows`, 'version');
  }
}

/**
 * The order's lines after the change: quantities never below what was delivered,
 * prices fixed once anything on the line was invoiced (an allowance corrects those),
 * a cancelled line keeps what it delivered and closes its remainder (指定结束).
 */
export function planChange(state: SalesOrderState, request: OrderChangeRequest, version: number): PlannedChange {
  if (request.lines.length === 0) fail('VALIDATION_FAILED', 'a change needs at least one line', 'lines');
  const lines = state.lines.map((l) => ({ ...l }));
  const touched = new Set<number>();
  const diff: ChangeDiffLine[] = [];
  let nextLineNo = Math.max(0, ...state.lines.map((l) => l.lineNo)) + 1;
  // Which request line made each order line, to name it when its amount cannot be stored.
  const requestIndex = new Map<number, number>();
  request.lines.forEach((req, i) => {
    const at = (field: string) => `lines[${i}].${field}`;
    requestIndex.set(req.action === 'add' ? nextLineNo : (req.lineNo ?? -1), i);
    if (req.action === 'add') {
      if (!req.productCode || !req.warehouseCode || !req.quantity || req.unitPrice === undefined || !req.taxRate) {
        fail('VALIDATION_FAILED', 'a new line needs product, warehouse, quantity, price and tax rate', at('productCode'));
      }
      if (!dec(req.quantity!).isPositive() || dec(req.quantity!).isZero()) fail('VALIDATION_FAILED', 'quantity must be greater than zero', at('quantity'));
      const line: OrderLineState = {
        lineNo: nextLineNo++,
        productCode: req.productCode!,
        warehouseCode: req.warehouseCode!,
        quantity: plain(dec(req.quantity!)),
        unitPrice: plain(dec(req.unitPrice!)),
        taxRate: req.taxRate!,
        reservedQty: '0',
        deliveredQty: '0',
        invoicedQty: '0',
        closeStatus: 'N',
        overDeliveryRate: req.overDeliveryRate ?? '0',
        ...(req.expectedDeliveryDate ? { expectedDeliveryDate: req.expectedDeliveryDate } : {}),
      };
      lines.push(line);
      diff.push({ lineNo: line.lineNo, action: 'add', before: null, after: termsOf(line) });
      return;
    }
    if (req.lineNo === undefined) return fail('VALIDATION_FAILED', `a ${req.action} names the line it changes`, at('lineNo'));
    if (touched.has(req.lineNo)) fail('VALIDATION_FAILED', `line ${req.lineNo} appears twice in the change`, at('lineNo'));
    touched.add(req.lineNo);
    if (!state.lines.some((l) => l.lineNo === req.lineNo)) fail('NOT_FOUND', `order ${state.orderNumber} has no line ${req.lineNo}`, at('lineNo'));
    const current = lineOf(state, req.lineNo);
    const line = lines.find((l) => l.lineNo === req.lineNo)!;
    if (current.closeStatus === 'y') fail('VALIDATION_FAILED', `line ${req.lineNo} is closed; add a new line instead`, at('lineNo'));
    const before = termsOf(current);
    if (req.action === 'cancel') {
      line.closeStatus = 'y';
    } else {
      if (req.quantity !== undefined) {
        const qty = dec(req.quantity);
        if (!qty.isPositive() || qty.isZero()) fail('VALIDATION_FAILED', 'quantity must be greater than zero', at('quantity'));
        if (qty.lessThan(dec(current.deliveredQty))) {
          fail('QUANTITY_BELOW_DELIVERED', `line ${req.lineNo}: ${plain(qty)} is below the ${plain(dec(current.deliveredQty))} already delivered`, at('quantity'));
        }
        line.quantity = plain(qty);
        line.closeStatus = qty.lessThanOrEqualTo(dec(current.deliveredQty)) ? 'Y' : 'N';
      }
      if (req.unitPrice !== undefined && !dec(req.unitPrice).equals(dec(current.unitPrice))) {
        if (dec(current.invoicedQty).greaterThan(0)) {
          fail('PRICE_LOCKED', `line ${req.lineNo} is already invoiced at ${current.unitPrice}; grant an allowance instead`, at('unitPrice'));
        }
        line.unitPrice = plain(dec(req.unitPrice));
      }
      if (req.warehouseCode !== undefined) line.warehouseCode = req.warehouseCode;
      if (req.expectedDeliveryDate !== undefined) line.expectedDeliveryDate = req.expectedDeliveryDate;
    }
    diff.push({ lineNo: req.lineNo, action: req.action, before, after: termsOf(line) });
  });
  if (diff.every((d) => d.before !== null && d.after !== null && sameTerms(d.before, d.after))) {
    throw new DomainError('NOTHING_CHANGED', 'the change leaves the order as it is', 'lines');
  }
  checkAmountsFit(
    lines.map((l) => ({
      amounts: lineAmountsOf({ quantity: effectiveQty(l), unitPrice: l.unitPrice, taxRate: l.taxRate }),
      field: requestIndex.has(l.lineNo) ? `lines[${requestIndex.get(l.lineNo)}].quantity` : 'lines',
    })),
  );
  return { version, lines, diff, before: snapshotOf(state.lines), after: snapshotOf(lines) };
}

/** A change that raises the amount goes back to approval (the checks may add more reasons). */
export function amountRaised(plan: PlannedChange): boolean {
  return dec(plan.after.totals.gross).greaterThan(dec(plan.before.totals.gross));
}

/** Lines whose price is new or changed: only these are checked against the floor again. */
export function repricedLines(plan: PlannedChange): { lineNo: number; productCode: string; unitPrice: string }[] {
  return plan.diff
    .filter((d) => d.after && (d.before === null || !dec(d.before.unitPrice).equals(dec(d.after.unitPrice))))
    .map((d) => ({ lineNo: d.lineNo, productCode: d.after!.productCode, unitPrice: d.after!.unitPrice }));
}

/** The change takes effect: new terms, the reservations the stock activity reports, totals from the lines. */
export function applyChange(
  state: SalesOrderState,
  plan: PlannedChange,
  reserved: { lineNo: number; quantity: string }[],
  requestedBy: string,
  decidedBy?: string,
): void {
  state.lines = plan.lines.map((l) => ({ ...l, reservedQty: reserved.find((r) => r.lineNo === l.lineNo)?.quantity ?? '0' }));
  state.totals = orderTotalsOf(state.lines);
  state.changeVersion = Math.max(state.changeVersion ?? 0, plan.version);
  (state.changes ??= []).push({ version: plan.version, status: 'applied', requestedBy, ...(decidedBy ? { decidedBy } : {}) });
  delete state.pendingChange;
  settleOpenStatus(state);
}

/** After a change or a return: open lines make the order deliverable again; with none open it is delivered. */
export function settleOpenStatus(state: SalesOrderState): void {
  state.status = statusOfLines(state.lines);
}

/** The status an approved order's lines give it (the workflow and the activities that write the lines both use it). */
export function statusOfLines(lines: readonly { closeStatus: CloseStatus; deliveredQty: string }[]): 'Approved' | 'PartiallyDelivered' | 'Delivered' {
  const anyDelivered = lines.some((l) => dec(l.deliveredQty).greaterThan(0));
  if (lines.some((l) => l.closeStatus === 'N')) return anyDelivered ? 'PartiallyDelivered' : 'Approved';
  return 'Delivered';
}

export function versionLabel(version: number): string {
  return String(version).padStart(4, '0');
}

// ---- approving a change ------------------------------------------------------

export function checkDecideChange(state: SalesOrderState, version: number, actor: string): PendingChange {
  const pending = state.pendingChange;
  // A change decided already is a conflict with who decided it, not a change that never was.
  const decided = state.changes?.find((c) => c.version === version);
  if (decided && pending?.version !== version) {
    const by = decided.decidedBy;
    const status = decided.status === 'rejected' ? 'rejected' : by ? 'approved' : 'applied';
    throw new DomainError('CONFLICT', `change ${versionLabel(version)} of order ${state.orderNumber} was already ${status}${by ? ` by ${by}` : ''}`, 'version', {
      status,
      ...(by ? { decidedBy: by } : {}),
    });
  }
  if (!pending || pending.version !== version) {
    throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no change ${versionLabel(version)} waiting for approval`, 'version');
  }
  if (actor === pending.request.requestedBy) {
    throw new DomainError('SELF_APPROVAL', `${actor} asked for change ${versionLabel(version)} and cannot approve it`, 'actor');
  }
  if (pending.approvals.some((a) => a.actor === actor)) {
    throw new DomainError('DUPLICATE_APPROVAL', `${actor} has already approved change ${versionLabel(version)}`, 'actor');
  }
  return pending;
}

/** A rejected change leaves the order exactly as it was; only its version number is used up. */
export function applyChangeRejected(state: SalesOrderState, actor: string): void {
  const pending = state.pendingChange!;
  state.changeVersion = Math.max(state.changeVersion ?? 0, pending.version);
  (state.changes ??= []).push({ version: pending.version, status: 'rejected', requestedBy: pending.request.requestedBy, decidedBy: actor });
  delete state.pendingChange;
}
