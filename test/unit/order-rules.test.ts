import { describe, expect, it } from 'vitest';
import {
  amountDue,
  applyApproved,
  applyCancel,
  applyDelivery,
  applyInvoice,
  applyReceipt,
  checkApprove,
  checkCancel,
  checkReceipt,
  invoiceTotals,
  isSettled,
  planDelivery,
  planInvoice,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { twoLineOrder } from '../support/order-state.js';
import { refusal } from '../support/refusal.js';

const order = (): SalesOrderState => twoLineOrder('33.333');

describe('a new order', () => {
  it('is unapproved with totals from rounded lines', () => {
    const s = order();
    expect(s.status).toBe('Unapproved');
    expect(s.totals).toEqual({ net: '5100.00', tax: '663.00', gross: '5763.00' });
    expect(amountDue(s)).toBe('0.00');
  });
});

describe('approval', () => {
  it('refuses the creator, and refuses a second approval', () => {
    const s = order();
    expect(refusal(() => checkApprove(s, 'clerk.li'))).toMatchObject({ code: 'SELF_APPROVAL', field: 'actor' });
    checkApprove(s, 'manager.wang');
    applyApproved(s, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
    expect(s.status).toBe('Approved');
    expect(refusal(() => checkApprove(s, 'director.liu'))).toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('delivery', () => {
  function approved() {
    const s = order();
    applyApproved(s, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
    return s;
  }

  it('is refused before approval', () => {
    expect(refusal(() => planDelivery(order(), undefined))).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('defaults to everything still open', () => {
    expect(planDelivery(approved(), undefined).map((l) => [l.lineNo, l.quantity])).toEqual([
      [1, '3'],
      [2, '2'],
    ]);
  });

  it('refuses more than remains, naming the line quantity', () => {
    const s = approved();
    applyDelivery(s, 'DN-1', [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2' }]);
    const err = refusal(() => planDelivery(s, [{ lineNo: 1, quantity: '1.0001' }]));
    expect(err).toMatchObject({ code: 'OVER_DELIVERY', field: 'lines[0].quantity', details: { remaining: '1' } });
  });

  it('refuses a zero quantity, an unknown line and a line named twice', () => {
    const s = approved();
    expect(refusal(() => planDelivery(s, [{ lineNo: 1, quantity: '0' }]))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(refusal(() => planDelivery(s, [{ lineNo: 7 }]))).toMatchObject({ code: 'NOT_FOUND', field: 'lines[0].lineNo' });
    expect(refusal(() => planDelivery(s, [{ lineNo: 1 }, { lineNo: 1 }]))).toMatchObject({ field: 'lines[1].lineNo' });
  });

  it('consumes the reservation, auto-closes full lines and moves the status', () => {
    const s = approved();
    applyDelivery(s, 'DN-1', [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3' }]);
    expect(s.lines[0]).toMatchObject({ deliveredQty: '3', reservedQty: '0', closeStatus: 'Y' });
    expect(s.status).toBe('PartiallyDelivered');
    applyDelivery(s, 'DN-2', [{ lineNo: 2, productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2' }]);
    expect(s.status).toBe('Delivered');
    expect(refusal(() => planDelivery(s, undefined))).toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('invoice and receipt', () => {
  it('invoices only what was delivered and not yet invoiced, and settles when paid', () => {
    const s = order();
    applyApproved(s, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
    expect(refusal(() => planInvoice(s))).toMatchObject({ code: 'NOTHING_TO_INVOICE' });
    applyDelivery(s, 'DN-1', [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3' }]);
    const first = planInvoice(s);
    expect(first).toEqual([expect.objectContaining({ lineNo: 1, quantity: '3' })]);
    const t1 = invoiceTotals(first);
    expect(t1).toEqual({ net: '100.00', tax: '13.00', gross: '113.00' });
    const issued = (number: string, gross: string) => ({ number, gross, dueOn: '2026-12-23', overdueAt: 0, dunningAt: [], applied: [] });
    applyInvoice(s, issued('INV-1', t1.gross), first);
    expect(refusal(() => planInvoice(s))).toMatchObject({ code: 'NOTHING_TO_INVOICE' });
    applyDelivery(s, 'DN-2', [{ lineNo: 2, productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2' }]);
    const second = planInvoice(s);
    applyInvoice(s, issued('INV-2', invoiceTotals(second).gross), second);
    expect(amountDue(s)).toBe('5763.00');
    expect(refusal(() => checkReceipt(s, '5763.01'))).toMatchObject({ code: 'OVER_PAYMENT', field: 'amount' });
    expect(refusal(() => checkReceipt(s, '0'))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'amount' });
    expect(refusal(() => checkReceipt(s, '1.001'))).toMatchObject({ field: 'amount' });
    applyReceipt(s, { number: 'RC-1', amount: '5000.00', advance: '0.00', applied: [{ receipt: 'RC-1', invoice: 'INV-1', amount: '113.00' }, { receipt: 'RC-1', invoice: 'INV-2', amount: '4887.00' }] });
    expect(isSettled(s)).toBe(false);
    applyReceipt(s, { number: 'RC-2', amount: '763.00', advance: '0.00', applied: [{ receipt: 'RC-2', invoice: 'INV-2', amount: '763.00' }] });
    expect(amountDue(s)).toBe('0.00');
    expect(isSettled(s)).toBe(true);
  });
});

describe('cancel', () => {
  it('releases everything of an approved order; a delivered one cannot be cancelled', () => {
    const s = order();
    applyApproved(s, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
    checkCancel(s);
    const d = order();
    applyApproved(d, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
    applyDelivery(d, 'DN-1', [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }]);
    expect(refusal(() => checkCancel(d))).toMatchObject({ code: 'INVALID_STATE' });
    applyCancel(s, 'clerk.li', 'customer withdrew');
    expect(s.status).toBe('Cancelled');
    expect(s.lines.every((l) => l.reservedQty === '0' && l.closeStatus === 'y')).toBe(true);
    expect(isSettled(s)).toBe(false);
    expect(refusal(() => checkCancel(s))).toMatchObject({ code: 'INVALID_STATE' });
  });
});
