import { describe, expect, it } from 'vitest';
import { applyApproved, applyDelivery, applyInvoice, invoiceLineAmounts, planInvoice } from '../../domain/order/index.js';
import { money } from '../../domain/decimal.js';
import { twoLineOrder } from '../support/order-state.js';
import { refusal } from '../support/refusal.js';

/** Line 1: 3 × 33.333 at 13%; line 2: 2 × 2500 at 13% (test/support/order-state.ts). */
function delivered() {
  const s = twoLineOrder('33.333');
  applyApproved(s, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
  applyDelivery(s, 'DN-1', [
    { lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3' },
    { lineNo: 2, productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2' },
  ]);
  return s;
}

describe('partial invoicing (部分开票)', () => {
  it('takes the chosen lines and quantities; without a choice, everything delivered and not invoiced', () => {
    const s = delivered();
    expect(planInvoice(s).map((l) => [l.lineNo, l.quantity])).toEqual([[1, '3'], [2, '2']]);
    const part = planInvoice(s, [{ lineNo: 2, quantity: '0.5' }]);
    expect(part).toEqual([expect.objectContaining({ lineNo: 2, quantity: '0.5', productCode: 'P0002' })]);
    applyInvoice(s, { number: 'INV-1', gross: '1412.50', dueOn: '2026-12-23', overdueAt: 0, dunningAt: [], applied: [] }, part);
    expect(planInvoice(s).map((l) => [l.lineNo, l.quantity])).toEqual([[1, '3'], [2, '1.5']]);
  });

  it('refuses more than delivered and not yet invoiced, zero, too many decimals, an unknown or repeated line, naming the field', () => {
    const s = delivered();
    expect(refusal(() => planInvoice(s, [{ lineNo: 1, quantity: '1' }, { lineNo: 2, quantity: '2.0001' }]))).toMatchObject({
      code: 'OVER_INVOICE',
      field: 'lines[1].quantity',
      details: { uninvoicedQty: '2' },
    });
    expect(refusal(() => planInvoice(s, [{ lineNo: 1, quantity: '0' }]))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].quantity' });
    expect(refusal(() => planInvoice(s, [{ lineNo: 1, quantity: '0.00001' }]))).toMatchObject({ field: 'lines[0].quantity' });
    expect(refusal(() => planInvoice(s, [{ lineNo: 1, quantity: '-1' }]))).toMatchObject({ field: 'lines[0].quantity' });
    expect(refusal(() => planInvoice(s, [{ lineNo: 9, quantity: '1' }]))).toMatchObject({ code: 'NOT_FOUND', field: 'lines[0].lineNo' });
    expect(refusal(() => planInvoice(s, [{ lineNo: 1, quantity: '1' }, { lineNo: 1, quantity: '1' }]))).toMatchObject({ field: 'lines[1].lineNo' });
    expect(refusal(() => planInvoice(s, []))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines' });
  });

  it('prices each invoice as the remainder, so a split line adds up to the line to the cent', () => {
    const line = { unitPrice: '33.333', taxRate: '0.13' };
    // Whole: 3 × 33.333 = 99.999 → 100.00, tax 13.00.
    const first = invoiceLineAmounts({ quantity: '0', net: '0', tax: '0' }, { ...line, quantity: '1' });
    expect([money(first.net), money(first.tax)]).toEqual(['33.33', '4.33']);
    const second = invoiceLineAmounts({ quantity: '1', net: '33.33', tax: '4.33' }, { ...line, quantity: '1' });
    expect([money(second.net), money(second.tax)]).toEqual(['33.34', '4.34']);
    const last = invoiceLineAmounts({ quantity: '2', net: '66.67', tax: '8.67' }, { ...line, quantity: '1' });
    expect([money(last.net), money(last.tax), money(last.gross)]).toEqual(['33.33', '4.33', '37.66']);
    expect(first.net.plus(second.net).plus(last.net).toFixed(2)).toBe('100.00');
    expect(first.tax.plus(second.tax).plus(last.tax).toFixed(2)).toBe('13.00');
  });
});
