import { D, dec, plain } from '../decimal.js';
import { DomainError } from '../errors.js';
import { checkDepositReceived } from './billing.js';
import { lineOf, refuseState, remainingQty, type OrderStatus, type SalesOrderState } from './state.js';

/** Approval, reservation and delivery (审核, 锁定库存, 销货单). */

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
  checkDepositReceived(state);
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

