import { checkAllocationShape, type BatchTake } from '../batches.js';
import { D, dec, plain } from '../decimal.js';
import { DomainError } from '../errors.js';
import { checkDepositReceived } from './billing.js';
import { lineOf, refuseState, remainingQty, type OrderLineState, type OrderStatus, type SalesOrderState } from './state.js';

/** Reservation, shipping notices, delivery and closing lines (锁定库存, 出货通知单, 销货单, 指定结束). */

// ---- reservation (锁定库存) -------------------------------------------------

/** The reservation each line holds now (absolute quantities, as the stock activities report them). */
export function applyReserved(state: SalesOrderState, reserved: { lineNo: number; quantity: string }[]): void {
  for (const r of reserved) lineOf(state, r.lineNo).reservedQty = r.quantity;
}

/** What an open line still lacks: ordered, less delivered, less reserved. */
export function backorderedQty(line: OrderLineState): D {
  if (line.closeStatus !== 'N') return new D(0);
  const rest = remainingQty(line).minus(dec(line.reservedQty));
  return rest.isNegative() ? new D(0) : rest;
}

export function backorders(state: SalesOrderState): { lineNo: number; quantity: string }[] {
  return state.lines.filter((l) => backorderedQty(l).greaterThan(0)).map((l) => ({ lineNo: l.lineNo, quantity: plain(backorderedQty(l)) }));
}

export function checkRetryReservation(state: SalesOrderState): void {
  if (!DELIVERABLE.includes(state.status)) refuseState(state, 'reserve stock');
  if (backorders(state).length === 0) {
    throw new DomainError('INVALID_STATE', `order ${state.orderNumber} has no back-ordered quantity`, 'lines');
  }
}

// ---- close a line (指定结束) --------------------------------------------------

export function checkCloseLine(state: SalesOrderState, lineNo: number): void {
  if (!DELIVERABLE.includes(state.status)) refuseState(state, 'close a line');
  if (lineOf(state, lineNo).closeStatus !== 'N') {
    throw new DomainError('INVALID_STATE', `line ${lineNo} is already closed`, 'lineNo');
  }
}

/** The remainder is cancelled; the line's reservation has been released. */
export function applyCloseLine(state: SalesOrderState, lineNo: number): void {
  const line = lineOf(state, lineNo);
  line.reservedQty = '0';
  line.closeStatus = 'y';
  settleDeliveryStatus(state);
}

// ---- deliver ---------------------------------------------------------------

export interface DeliveryRequestLine {
  lineNo: number;
  quantity?: string;
  /** The warehouse's own batch choice for a batch-tracked product; without it the delivery takes FEFO. */
  batches?: BatchTake[];
}

export interface PlannedDeliveryLine {
  lineNo: number;
  productCode: string;
  warehouseCode: string;
  quantity: string;
  batches?: BatchTake[];
}

const DELIVERABLE: OrderStatus[] = ['Approved', 'PartiallyDelivered'];

/** 超交率: a line's deliveries together may reach the ordered quantity plus this share. */
export function deliverableQty(line: OrderLineState): D {
  const ceiling = dec(line.quantity).times(dec(line.overDeliveryRate).plus(1));
  const rest = ceiling.minus(dec(line.deliveredQty));
  return rest.isNegative() ? new D(0) : rest;
}

/**
 * Checks requested quantities against the open lines. A line without a quantity
 * takes `fallback` (its undelivered quantity unless given). Over the ordered
 * quantity only within the product's over-delivery rate, counted across all notes.
 */
function planLines(
  state: SalesOrderState,
  asked: DeliveryRequestLine[],
  fallback: (line: OrderLineState) => D = remainingQty,
): PlannedDeliveryLine[] {
  const seen = new Set<number>();
  return asked.map((req, i) => {
    const field = `lines[${i}]`;
    if (seen.has(req.lineNo)) throw new DomainError('VALIDATION_FAILED', `line ${req.lineNo} is named twice`, `${field}.lineNo`);
    seen.add(req.lineNo);
    const line = state.lines.find((l) => l.lineNo === req.lineNo);
    if (!line) throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no line ${req.lineNo}`, `${field}.lineNo`);
    if (line.closeStatus !== 'N') {
      throw new DomainError('INVALID_STATE', `line ${line.lineNo} is closed`, `${field}.lineNo`);
    }
    const qty = req.quantity === undefined ? fallback(line) : dec(req.quantity);
    if (!qty.isPositive() || qty.isZero()) {
      throw new DomainError('VALIDATION_FAILED', 'quantity must be greater than zero', `${field}.quantity`);
    }
    const allowed = deliverableQty(line);
    if (qty.greaterThan(allowed)) {
      throw new DomainError(
        'OVER_DELIVERY',
        `line ${line.lineNo}: ${plain(qty)} is more than the ${plain(remainingQty(line))} still to deliver` +
          (dec(line.overDeliveryRate).isZero() ? '' : ` plus the ${plain(dec(line.overDeliveryRate).times(100))}% over-delivery allowed`),
        `${field}.quantity`,
        { remaining: plain(remainingQty(line)), allowed: plain(allowed) },
      );
    }
    // Whether the batches exist and hold enough is the delivery's check, in its transaction (activities/delivery.ts).
    if (req.batches) checkAllocationShape(req.batches, plain(qty), `${field}.batches`);
    const planned = { lineNo: line.lineNo, productCode: line.productCode, warehouseCode: line.warehouseCode, quantity: plain(qty) };
    return req.batches ? { ...planned, batches: req.batches.map((b) => ({ batchNo: b.batchNo, quantity: plain(dec(b.quantity)) })) } : planned;
  });
}

function openLines(state: SalesOrderState): DeliveryRequestLine[] {
  return state.lines.filter((l) => l.closeStatus === 'N').map((l) => ({ lineNo: l.lineNo }));
}

/**
 * What a delivery request ships: from a shipping notice (its planned quantities
 * unless lines are given) or directly (no lines: everything still open).
 */
export function planDelivery(
  state: SalesOrderState,
  request: DeliveryRequestLine[] | undefined,
  noticeNumber?: string,
): PlannedDeliveryLine[] {
  if (!DELIVERABLE.includes(state.status)) refuseState(state, 'be delivered');
  checkDepositReceived(state);
  if (noticeNumber !== undefined) {
    const notice = deliverableNotice(state, noticeNumber);
    const planned = new Map(notice.lines.map((l) => [l.lineNo, dec(l.plannedQty)]));
    const asked = request && request.length > 0 ? request : notice.lines.map((l) => ({ lineNo: l.lineNo }));
    asked.forEach((r, i) => {
      if (!planned.has(r.lineNo)) {
        throw new DomainError('VALIDATION_FAILED', `shipping notice ${noticeNumber} has no order line ${r.lineNo}`, `lines[${i}].lineNo`);
      }
    });
    return planLines(state, asked, (line) => planned.get(line.lineNo)!);
  }
  return planLines(state, request && request.length > 0 ? request : openLines(state));
}

/** Delivered once no line is open; partially delivered once anything left. */
export function settleDeliveryStatus(state: SalesOrderState): void {
  const anyDelivered = state.lines.some((l) => dec(l.deliveredQty).greaterThan(0));
  if (state.lines.every((l) => l.closeStatus !== 'N')) state.status = 'Delivered';
  else if (anyDelivered) state.status = 'PartiallyDelivered';
}

export function applyDelivery(state: SalesOrderState, noteNumber: string, delivered: PlannedDeliveryLine[], noticeNumber?: string): void {
  for (const d of delivered) {
    const line = lineOf(state, d.lineNo);
    const qty = dec(d.quantity);
    line.deliveredQty = plain(dec(line.deliveredQty).plus(qty));
    const reserved = dec(line.reservedQty);
    line.reservedQty = plain(reserved.greaterThan(qty) ? reserved.minus(qty) : new D(0));
    if (dec(line.deliveredQty).greaterThanOrEqualTo(dec(line.quantity))) line.closeStatus = 'Y';
  }
  if (noticeNumber !== undefined) {
    const notice = state.shippingNotices.find((n) => n.number === noticeNumber)!;
    for (const l of notice.lines) l.actualQty = delivered.find((d) => d.lineNo === l.lineNo)?.quantity ?? '0';
    notice.delivered = true;
  }
  state.deliveryNotes.push(noteNumber);
  settleDeliveryStatus(state);
}

// ---- shipping notice (出货通知单) ---------------------------------------------

export interface ShippingNoticeRequest {
  lines?: DeliveryRequestLine[];
  requiresQualityCheck?: boolean;
}

/** Planned quantities default to what is still undelivered; the same limits as a delivery. */
export function planShippingNotice(state: SalesOrderState, request: ShippingNoticeRequest): PlannedDeliveryLine[] {
  if (!DELIVERABLE.includes(state.status)) refuseState(state, 'take a shipping notice');
  return planLines(state, request.lines && request.lines.length > 0 ? request.lines : openLines(state));
}

export function applyShippingNotice(state: SalesOrderState, number: string, lines: PlannedDeliveryLine[], requiresQualityCheck: boolean): void {
  state.shippingNotices.push({
    number,
    lines: lines.map((l) => ({ lineNo: l.lineNo, plannedQty: l.quantity, actualQty: '0' })),
    requiresQualityCheck,
    delivered: false,
  });
}

function noticeOf(state: SalesOrderState, number: string) {
  const notice = state.shippingNotices.find((n) => n.number === number);
  if (!notice) throw new DomainError('NOT_FOUND', `order ${state.orderNumber} has no shipping notice ${number}`, 'noticeNumber');
  return notice;
}

/** A notice delivers once, and only after a passed quality re-check (出货复核) when it asks for one. */
export function deliverableNotice(state: SalesOrderState, number: string) {
  const notice = noticeOf(state, number);
  if (notice.delivered) throw new DomainError('INVALID_STATE', `shipping notice ${number} has been delivered`, 'noticeNumber');
  if (notice.requiresQualityCheck && notice.qualityResult !== 'pass') {
    throw new DomainError(
      'QUALITY_CHECK_REQUIRED',
      `shipping notice ${number} needs a passed quality re-check before delivery` + (notice.qualityResult ? ' (it failed)' : ''),
      'noticeNumber',
      { qualityResult: notice.qualityResult ?? null },
    );
  }
  return notice;
}

export function checkQualityCheck(state: SalesOrderState, number: string): void {
  if (!DELIVERABLE.includes(state.status)) refuseState(state, 'take a quality re-check');
  const notice = noticeOf(state, number);
  if (notice.delivered) throw new DomainError('INVALID_STATE', `shipping notice ${number} has been delivered`, 'noticeNumber');
}

export function applyQualityCheck(state: SalesOrderState, number: string, result: 'pass' | 'fail', checkedOn: string): void {
  const notice = noticeOf(state, number);
  notice.qualityResult = result;
  notice.qualityCheckedOn = checkedOn;
}
