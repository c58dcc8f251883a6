import { describe, expect, it } from 'vitest';
import { allocateFefo, checkAllocation, expiryState, returnIntoBatches, suggestFefo, type BatchBalance } from '../../domain/batches.js';
import { planDelivery } from '../../domain/order/index.js';
import { twoLineOrder } from '../support/order-state.js';
import { refusal } from '../support/refusal.js';

const TODAY = '2026-12-02';
const balances: BatchBalance[] = [
  { batchNo: 'LATE', expiryDate: '2027-09-30', onHand: '10' },
  { batchNo: 'GONE', expiryDate: '2026-12-01', onHand: '50' },
  { batchNo: 'SOON-B', expiryDate: '2027-01-15', onHand: '0.3333' },
  { batchNo: 'SOON-A', expiryDate: '2027-01-15', onHand: '1.25' },
  { batchNo: 'EMPTY', expiryDate: '2026-12-20', onHand: '0' },
];

describe('FEFO (first expiry, first out)', () => {
  it('takes the earliest usable expiry first, ties by batch number, skipping expired and empty batches, exact in decimals', () => {
    expect(allocateFefo(balances, '2.0833', TODAY, 'lines[0].quantity')).toEqual([
      { batchNo: 'SOON-A', expiryDate: '2027-01-15', quantity: '1.25' },
      { batchNo: 'SOON-B', expiryDate: '2027-01-15', quantity: '0.3333' },
      { batchNo: 'LATE', expiryDate: '2027-09-30', quantity: '0.5' },
    ]);
  });

  it('treats a batch as usable through its expiry date and expired the day after', () => {
    const one = [{ batchNo: 'X', expiryDate: TODAY, onHand: '1' }];
    expect(allocateFefo(one, '1', TODAY, 'q')).toEqual([{ batchNo: 'X', expiryDate: TODAY, quantity: '1' }]);
    expect(refusal(() => allocateFefo(one, '1', '2026-12-03', 'lines[2].quantity'))).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'lines[2].quantity' });
  });

  it('refuses what the usable batches cannot cover (expired stock does not count) and suggests what is short', () => {
    const r = refusal(() => allocateFefo(balances, '11.5834', TODAY, 'lines[0].quantity'));
    expect(r).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'lines[0].quantity', details: { available: '11.5833', requested: '11.5834' } });
    expect(suggestFefo(balances, '12', TODAY).short).toBe('0.4167');
    expect(suggestFefo(balances, '1', TODAY)).toEqual({ batches: [{ batchNo: 'SOON-A', expiryDate: '2027-01-15', quantity: '1' }], short: '0' });
  });
});

describe('a batch allocation the warehouse chooses', () => {
  const field = 'lines[1].batches';
  it('is taken as asked when each batch is known, unexpired, holds enough and together they make the line', () => {
    expect(checkAllocation([{ batchNo: 'LATE', quantity: '2.5' }, { batchNo: 'SOON-B', quantity: '0.3333' }], balances, '2.8333', TODAY, field)).toEqual([
      { batchNo: 'LATE', expiryDate: '2027-09-30', quantity: '2.5' },
      { batchNo: 'SOON-B', expiryDate: '2027-01-15', quantity: '0.3333' },
    ]);
  });

  it('is refused naming the field: wrong sum, unknown, expired, over the balance, named twice, zero', () => {
    const cases: [Parameters<typeof checkAllocation>[0], string, string, string][] = [
      [[{ batchNo: 'LATE', quantity: '2' }], '2.0001', 'VALIDATION_FAILED', field],
      [[{ batchNo: 'NOPE', quantity: '1' }], '1', 'VALIDATION_FAILED', `${field}[0].batchNo`],
      [[{ batchNo: 'LATE', quantity: '1' }, { batchNo: 'GONE', quantity: '1' }], '2', 'VALIDATION_FAILED', `${field}[1].batchNo`],
      [[{ batchNo: 'SOON-B', quantity: '0.3334' }], '0.3334', 'INSUFFICIENT_STOCK', `${field}[0].quantity`],
      [[{ batchNo: 'LATE', quantity: '1' }, { batchNo: 'LATE', quantity: '1' }], '2', 'VALIDATION_FAILED', `${field}[1].batchNo`],
      [[{ batchNo: 'LATE', quantity: '0' }], '0', 'VALIDATION_FAILED', `${field}[0].quantity`],
    ];
    for (const [asked, quantity, code, at] of cases) {
      expect(refusal(() => checkAllocation(asked, balances, quantity, TODAY, field))).toMatchObject({ code, field: at });
    }
  });

  it('must add up to the line the order plans, before the delivery reaches the warehouse', () => {
    const s = twoLineOrder('10');
    s.status = 'Approved';
    const r = refusal(() => planDelivery(s, [{ lineNo: 1, quantity: '3', batches: [{ batchNo: 'A', quantity: '2.9999' }] }]));
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines[0].batches', details: { allocated: '2.9999', quantity: '3' } });
    expect(planDelivery(s, [{ lineNo: 1, quantity: '3', batches: [{ batchNo: 'A', quantity: '1.5' }, { batchNo: 'B', quantity: '1.50' }] }])[0]!.batches).toEqual([
      { batchNo: 'A', quantity: '1.5' },
      { batchNo: 'B', quantity: '1.5' },
    ]);
  });
});

describe('a return by batch', () => {
  it('goes back into the latest-expiring batch the note line took first, then the earlier ones', () => {
    const delivered = [
      { batchNo: 'EARLY', expiryDate: '2027-01-01', open: '4' },
      { batchNo: 'LATER', expiryDate: '2027-06-01', open: '1.5' },
    ];
    expect(returnIntoBatches(delivered, '1', 'q')).toEqual([{ batchNo: 'LATER', expiryDate: '2027-06-01', quantity: '1' }]);
    expect(returnIntoBatches(delivered, '2.25', 'q')).toEqual([
      { batchNo: 'LATER', expiryDate: '2027-06-01', quantity: '1.5' },
      { batchNo: 'EARLY', expiryDate: '2027-01-01', quantity: '0.75' },
    ]);
    expect(refusal(() => returnIntoBatches(delivered, '5.5001', 'lines[0].quantity'))).toMatchObject({ code: 'OVER_RETURN', field: 'lines[0].quantity' });
  });
});

describe('expiry warnings (效期预警)', () => {
  it('warns of expired batches and of those expiring within the days, inclusive', () => {
    expect(expiryState('2026-12-01', TODAY, 30)).toBe('expired');
    expect(expiryState(TODAY, TODAY, 0)).toBe('expiring');
    expect(expiryState('2027-01-01', TODAY, 30)).toBe('expiring');
    expect(expiryState('2027-01-02', TODAY, 30)).toBeNull();
  });
});
