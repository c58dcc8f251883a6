import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import {
  amountRaised,
  applyChangeRejected,
  applyReturn,
  checkChangeAllowed,
  checkDecideChange,
  newOrderState,
  planAllowance,
  planChange,
  planReturn,
  repricedLines,
  statusOfLines,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { dec } from '../../domain/decimal.js';
import { checkRefundWithinCredit } from '../../domain/receivables.js';

/** An approved order of 10 m cable at 33.333 and 2 panels at 2,375, 13% tax. */
function approvedOrder(): SalesOrderState {
  const state = newOrderState({
    orderNumber: 'SO-1',
    customerCode: 'C0002',
    currency: 'CNY',
    createdBy: 'clerk.li',
    lines: [
      { lineNo: 1, productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '33.333', taxRate: '0.13' },
      { lineNo: 2, productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '2375', taxRate: '0.13' },
    ],
  });
  state.status = 'Approved';
  return state;
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, field: err.field };
    throw err;
  }
  throw new Error('expected a refusal');
};

const ask = (lines: Parameters<typeof planChange>[1]['lines']) => ({ reason: 'r', requestedBy: 'clerk.li', lines });

describe('order change rules (订单变更单)', () => {
  it('computes before/after totals from rounded lines and knows when the amount rises', () => {
    const state = approvedOrder();
    // 10 × 33.333 = 333.33 + 43.33; 2 × 2375 = 4750 + 617.50
    expect(state.totals.gross).toBe('5744.16');
    const up = planChange(state, ask([{ action: 'change', lineNo: 1, quantity: '11' }]), 1);
    // 11 × 33.333 = 366.663 → 366.66, tax 47.6658 → 47.67
    expect(up.after.totals).toEqual({ net: '5116.66', tax: '665.17', gross: '5781.83' });
    expect(amountRaised(up)).toBe(true);
    const down = planChange(state, ask([{ action: 'cancel', lineNo: 2 }]), 1);
    expect(down.after.totals.gross).toBe('376.66');
    expect(amountRaised(down)).toBe(false);
    expect(down.diff).toEqual([{ lineNo: 2, action: 'cancel', before: expect.objectContaining({ closeStatus: 'N' }), after: expect.objectContaining({ closeStatus: 'y' }) }]);
  });

  it('re-checks the floor only for new or repriced lines', () => {
    const plan = planChange(
      approvedOrder(),
      ask([
        { action: 'change', lineNo: 1, quantity: '12' },
        { action: 'change', lineNo: 2, unitPrice: '1999' },
        { action: 'add', productCode: 'P0001', warehouseCode: 'WH-BJ', quantity: '1', unitPrice: '120', taxRate: '0.13' },
      ]),
      1,
    );
    expect(repricedLines(plan)).toEqual([
      { lineNo: 2, productCode: 'P0002', unitPrice: '1999' },
      { lineNo: 3, productCode: 'P0001', unitPrice: '120' },
    ]);
  });

  it('refuses a quantity below delivered, a price change on an invoiced line, no change at all, and a closed line', () => {
    const state = approvedOrder();
    state.lines[0]!.deliveredQty = '6';
    state.lines[0]!.invoicedQty = '6';
    expect(refusal(() => planChange(state, ask([{ action: 'change', lineNo: 1, quantity: '5.9999' }]), 1))).toEqual({ code: 'QUANTITY_BELOW_DELIVERED', field: 'lines[0].quantity' });
    expect(refusal(() => planChange(state, ask([{ action: 'change', lineNo: 1, unitPrice: '30' }]), 1))).toEqual({ code: 'PRICE_LOCKED', field: 'lines[0].unitPrice' });
    expect(refusal(() => planChange(state, ask([{ action: 'change', lineNo: 2, quantity: '2' }]), 1))).toEqual({ code: 'NOTHING_CHANGED', field: 'lines' });
    expect(refusal(() => planChange(state, ask([{ action: 'change', lineNo: 3, quantity: '2' }]), 1))).toEqual({ code: 'NOT_FOUND', field: 'lines[0].lineNo' });
    state.lines[1]!.closeStatus = 'y';
    expect(refusal(() => planChange(state, ask([{ action: 'change', lineNo: 2, quantity: '3' }]), 1))).toEqual({ code: 'VALIDATION_FAILED', field: 'lines[0].lineNo' });
    // Down to exactly what was delivered closes the line.
    const closing = planChange(state, ask([{ action: 'change', lineNo: 1, quantity: '6' }]), 1);
    expect(closing.lines[0]!.closeStatus).toBe('Y');
  });

  it('numbers versions to 9999, one change waiting at a time, and only approved orders change', () => {
    const state = approvedOrder();
    state.changeVersion = 9998;
    expect(() => checkChangeAllowed(state)).not.toThrow();
    state.changeVersion = 9999;
    expect(refusal(() => checkChangeAllowed(state))).toEqual({ code: 'CHANGE_LIMIT_REACHED', field: 'version' });
    state.changeVersion = 3;
    state.pendingChange = { version: 4, request: ask([]), grossAfter: '1', reasons: [], requiredApprovals: [], approvals: [] };
    expect(refusal(() => checkChangeAllowed(state))).toEqual({ code: 'CHANGE_PENDING', field: 'version' });
    applyChangeRejected(state, 'manager.wang');
    expect(state.changeVersion).toBe(4);
    expect(state.pendingChange).toBeUndefined();
    expect(state.changes).toEqual([{ version: 4, status: 'rejected', requestedBy: 'clerk.li', decidedBy: 'manager.wang' }]);
    state.status = 'Unapproved';
    expect(refusal(() => checkChangeAllowed(state))).toEqual({ code: 'INVALID_STATE', field: 'status' });
  });

  it('deciding a change decided already is a conflict naming who decided it; one that never was is not found', () => {
    const state = approvedOrder();
    state.changes = [
      { version: 1, status: 'applied', requestedBy: 'clerk.li', decidedBy: 'director.liu' },
      { version: 2, status: 'rejected', requestedBy: 'clerk.li', decidedBy: 'manager.wang' },
      { version: 3, status: 'applied', requestedBy: 'clerk.li' },
    ];
    const details = (version: number) => {
      try {
        checkDecideChange(state, version, 'credit.sun');
      } catch (err) {
        if (err instanceof DomainError) return { code: err.code, ...err.details };
      }
      return undefined;
    };
    expect(details(1)).toEqual({ code: 'CONFLICT', status: 'approved', decidedBy: 'director.liu' });
    expect(details(2)).toEqual({ code: 'CONFLICT', status: 'rejected', decidedBy: 'manager.wang' });
    expect(details(3)).toEqual({ code: 'CONFLICT', status: 'applied' });
    expect(details(4)).toEqual({ code: 'NOT_FOUND' });
  });
});

describe('return and allowance rules (销退单)', () => {
  function delivered(deliveredQty: string, invoicedQty: string): SalesOrderState {
    const state = approvedOrder();
    state.status = 'PartiallyDelivered';
    state.deliveryNotes = ['DN-1'];
    state.lines[0]!.deliveredQty = deliveredQty;
    state.lines[0]!.invoicedQty = invoicedQty;
    return state;
  }
  const goodsBack = (qty: string) => ({ deliveryNote: 'DN-1', disposition: 'redeliver' as const, reason: 'damaged', lines: [{ lineNo: 1, quantity: qty }] });

  it('takes back the uninvoiced part first; only the invoiced rest is credited, taxed per line', () => {
    const state = delivered('8', '5');
    const plan = planReturn(state, goodsBack('4'));
    // 3 of the 4 were never invoiced: the credit note is 1 × 33.333 = 33.33 + 4.33.
    expect(plan.lines[0]).toMatchObject({ quantity: '4', invoicedQty: '1', net: '33.33', tax: '4.33' });
    expect(plan.credit).toEqual({ net: '33.33', tax: '4.33', gross: '37.66' });
    applyReturn(state, plan, { number: 'SR-1', creditNote: 'CN-1', applied: [] });
    expect(state.lines[0]).toMatchObject({ deliveredQty: '4', invoicedQty: '4', returnedQty: '4', closeStatus: 'N' });
    expect(state.returns).toEqual([{ number: 'SR-1', kind: 'return', creditNote: 'CN-1', creditGross: '37.66', customerCredit: '37.66' }]);
    // The same return reported twice counts once.
    applyReturn(state, plan, { number: 'SR-1', creditNote: 'CN-1', applied: [] });
    expect(state.lines[0]!.deliveredQty).toBe('4');
  });

  it('refuses more than delivered, a note of another order, and nothing to return', () => {
    const state = delivered('8', '0');
    expect(refusal(() => planReturn(state, goodsBack('8.0001')))).toEqual({ code: 'OVER_RETURN', field: 'lines[0].quantity' });
    expect(refusal(() => planReturn(state, { ...goodsBack('1'), deliveryNote: 'DN-9' }))).toEqual({ code: 'NOT_FOUND', field: 'deliveryNote' });
    expect(refusal(() => planReturn(state, goodsBack('0')))).toEqual({ code: 'VALIDATION_FAILED', field: 'lines[0].quantity' });
    expect(refusal(() => planReturn(state, { ...goodsBack('1'), lines: [] }))).toEqual({ code: 'VALIDATION_FAILED', field: 'lines' });
  });

  it('a rejection return cancels the remainder instead of reopening the line', () => {
    const state = delivered('10', '10');
    state.lines[0]!.closeStatus = 'Y';
    state.lines[1]!.closeStatus = 'Y';
    const plan = planReturn(state, { ...goodsBack('2'), disposition: 'cancel_remainder' });
    applyReturn(state, plan, { number: 'SR-2', creditNote: 'CN-2', applied: [] });
    expect(state.lines[0]).toMatchObject({ deliveredQty: '8', closeStatus: 'y' });
    expect(state.status).toBe('Delivered');
  });

  it('allows back at most what was invoiced on the line, less earlier allowances', () => {
    const state = delivered('10', '10');
    // Invoiced net 333.33.
    const plan = planAllowance(state, { reason: 'late', lines: [{ lineNo: 1, amount: '333.00' }] });
    expect(plan.credit).toEqual({ net: '333.00', tax: '43.29', gross: '376.29' });
    applyReturn(state, plan, { number: 'SR-3', creditNote: 'CN-3', applied: [] });
    expect(refusal(() => planAllowance(state, { reason: 'more', lines: [{ lineNo: 1, amount: '0.34' }] }))).toEqual({ code: 'OVER_ALLOWANCE', field: 'lines[0].amount' });
    expect(() => planAllowance(state, { reason: 'last cents', lines: [{ lineNo: 1, amount: '0.33' }] })).not.toThrow();
    expect(refusal(() => planAllowance(state, { reason: 'nothing invoiced', lines: [{ lineNo: 2, amount: '1' }] }))).toEqual({ code: 'OVER_ALLOWANCE', field: 'lines[0].amount' });
  });
});

describe('what the lines make of the order, and refunds', () => {
  it('derives the status from open lines and deliveries', () => {
    expect(statusOfLines([{ closeStatus: 'N', deliveredQty: '0' }])).toBe('Approved');
    expect(statusOfLines([{ closeStatus: 'N', deliveredQty: '0' }, { closeStatus: 'Y', deliveredQty: '2' }])).toBe('PartiallyDelivered');
    expect(statusOfLines([{ closeStatus: 'y', deliveredQty: '0' }, { closeStatus: 'Y', deliveredQty: '2' }])).toBe('Delivered');
  });

  it('refunds at most the credit, to the cent', () => {
    expect(() => checkRefundWithinCredit('C0001', dec('37.66'), dec('37.66'))).not.toThrow();
    expect(refusal(() => checkRefundWithinCredit('C0001', dec('37.66'), dec('37.67')))).toEqual({ code: 'OVER_REFUND', field: 'amount' });
  });
});
