import { describe, expect, it } from 'vitest';
import { dec, money, sum } from '../../domain/decimal.js';
import {
  agingBucket,
  allocateChosen,
  allocateOldestFirst,
  checkWriteOffTolerance,
  depositFor,
  dueDate,
  endOfNextMonth,
} from '../../domain/receivables.js';
import {
  amountDue,
  applyDelivery,
  applyInvoice,
  applyPayment,
  applyReceipt,
  checkDepositReceived,
  checkReceipt,
  invoiceTotals,
  isSettled,
  newOrderState,
  openReceivables,
  paymentState,
  planDelivery,
  planInvoice,
  receivableOpen,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { refusal } from '../support/refusal.js';
import { prng } from '../support/random.js';

describe('due dates from settlement terms', () => {
  it('cash is due the same day, net N after N days, monthly at the end of next month', () => {
    expect(dueDate('cash', 30, '2026-11-23')).toBe('2026-11-23');
    expect(dueDate('net', 30, '2026-11-23')).toBe('2026-12-23');
    expect(dueDate('transfer', 60, '2026-11-23')).toBe('2027-01-22');
    expect(dueDate('monthly', 0, '2026-11-23')).toBe('2026-12-31');
    expect(dueDate('monthly', 0, '2026-12-01')).toBe('2027-01-31');
    expect(endOfNextMonth('2027-01-31')).toBe('2027-02-28');
    expect(endOfNextMonth('2028-01-15')).toBe('2028-02-29');
  });
});

describe('invoice amounts', () => {
  it('tax per line at the product rate; totals are sums of rounded lines', () => {
    const t = invoiceTotals([
      { lineNo: 1, productCode: 'P0001', quantity: '3', unitPrice: '33.333', taxRate: '0.13' },
      { lineNo: 2, productCode: 'P0004', quantity: '1', unitPrice: '0.335', taxRate: '0.06' },
      { lineNo: 3, productCode: 'P0001', quantity: '1', unitPrice: '0.045', taxRate: '0.13' },
    ]);
    // 99.999 → 100.00, tax 13.00; 0.335 → 0.34, tax 0.0204 → 0.02; 0.045 → 0.05, tax 0.0065 → 0.01.
    expect(t).toEqual({ net: '100.39', tax: '13.03', gross: '113.42' });
  });
});

describe('matching receipts to invoices (核销)', () => {
  const items = [
    { id: 'INV-1', open: '100.00' },
    { id: 'INV-2', open: '50.00' },
    { id: 'INV-3', open: '25.00' },
  ];

  it('oldest first pays whole invoices, then part of the next; the rest is an advance', () => {
    expect(allocateOldestFirst(items, '120.00')).toEqual({
      allocations: [
        { id: 'INV-1', amount: '100.00' },
        { id: 'INV-2', amount: '20.00' },
      ],
      rest: '0.00',
    });
    expect(allocateOldestFirst(items, '200.01').rest).toBe('25.01');
  });

  it('chosen matching pays what was asked and refuses more than is open or than the receipt', () => {
    expect(allocateChosen(items, [{ id: 'INV-3', amount: '25' }], '30.00')).toEqual({ allocations: [{ id: 'INV-3', amount: '25.00' }], rest: '5.00' });
    expect(refusal(() => allocateChosen(items, [{ id: 'INV-2', amount: '50.01' }], '60.00'))).toMatchObject({ code: 'OVER_PAYMENT', field: 'allocations[0].amount' });
    expect(refusal(() => allocateChosen(items, [{ id: 'INV-1', amount: '10' }, { id: 'INV-2', amount: '10' }], '19.99'))).toMatchObject({
      code: 'OVER_PAYMENT',
      field: 'allocations',
    });
    expect(refusal(() => allocateChosen(items, [{ id: 'INV-9', amount: '1' }], '1'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refusal(() => allocateChosen(items, [{ id: 'INV-1', amount: '1' }, { id: 'INV-1', amount: '1' }], '2'))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'allocations[1].invoiceNumber',
    });
  });

  it('a difference at the tolerance is accepted, one cent over is refused', () => {
    expect(() => checkWriteOffTolerance('1.00', '1.00')).not.toThrow();
    expect(refusal(() => checkWriteOffTolerance('1.01', '1.00'))).toMatchObject({ code: 'OVER_TOLERANCE', details: { difference: '1.01', tolerance: '1.00' } });
  });
});

describe('aging buckets and deposits', () => {
  it.each([
    [-5, 'current'],
    [0, 'current'],
    [1, 'days1to30'],
    [30, 'days1to30'],
    [31, 'days31to60'],
    [60, 'days31to60'],
    [61, 'days61to90'],
    [90, 'days61to90'],
    [91, 'over90'],
  ])('%i days overdue → %s', (days, bucket) => expect(agingBucket(days)).toBe(bucket));

  it('the deposit is the gross at the ratio, half-up to cents', () => {
    expect(depositFor('113.00', '0.3')).toBe('33.90');
    expect(depositFor('0.05', '0.5')).toBe('0.03');
  });
});

function approvedOrder(quantity: string, unitPrice: string, depositRequired?: string): SalesOrderState {
  const state = newOrderState({
    orderNumber: 'SO-1',
    customerCode: 'C0001',
    currency: 'CNY',
    createdBy: 'clerk.li',
    lines: [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity, unitPrice, taxRate: '0.13' }],
    ...(depositRequired ? { depositRequired } : {}),
  });
  state.status = 'Approved';
  return state;
}

const noSchedule = { overdueAt: 0, dunningAt: [] };

describe('the order state', () => {
  it('a deposit gates delivery, may be paid before any invoice, and is applied to the invoice later', () => {
    const state = approvedOrder('3', '33.333', '33.90');
    expect(refusal(() => planDelivery(state, undefined))).toMatchObject({ code: 'DEPOSIT_NOT_RECEIVED', details: { depositOutstanding: '33.90' } });
    expect(paymentState(state)).toBe('DepositDue');
    expect(refusal(() => checkReceipt(state, '33.91'))).toMatchObject({ code: 'OVER_PAYMENT', details: { amountDue: '33.90' } });
    applyReceipt(state, { number: 'RC-1', amount: '33.90', applied: [], advance: '33.90' });
    expect(() => checkDepositReceived(state)).not.toThrow();
    applyDelivery(state, 'DN-1', planDelivery(state, undefined));
    const lines = planInvoice(state);
    applyInvoice(state, { number: 'INV-1', gross: '113.00', dueOn: '2026-12-23', ...noSchedule, applied: [{ receipt: 'RC-1', invoice: 'INV-1', amount: '33.90', fromOrderAdvance: true }] }, lines);
    expect(amountDue(state)).toBe('79.10');
    expect(state.money.advance).toBe('0.00');
    applyPayment(state, { receipt: 'RC-2', invoice: 'INV-1', amount: '79.10' });
    applyPayment(state, { receipt: 'RC-2', invoice: 'INV-1', amount: '79.10' });
    expect(amountDue(state)).toBe('0.00');
    expect(isSettled(state)).toBe(true);
    expect(paymentState(state)).toBe('Paid');
  });

  it('a deposit paid in two receipts: the second may bring exactly the rest, not a cent more', () => {
    const state = approvedOrder('3', '33.333', '33.90');
    applyReceipt(state, { number: 'RC-1', amount: '20.00', applied: [], advance: '20.00' });
    expect(refusal(() => checkReceipt(state, '13.91'))).toMatchObject({ code: 'OVER_PAYMENT', details: { amountDue: '13.90' } });
    expect(() => checkReceipt(state, '13.90')).not.toThrow();
    applyReceipt(state, { number: 'RC-2', amount: '13.90', applied: [], advance: '13.90' });
    expect(() => checkDepositReceived(state)).not.toThrow();
    expect(state.money.advance).toBe('33.90');
  });

  it('a payment reported before its invoice is applied when the invoice arrives', () => {
    const state = approvedOrder('1', '100');
    applyDelivery(state, 'DN-1', planDelivery(state, undefined));
    applyPayment(state, { receipt: 'RC-9', invoice: 'INV-7', amount: '100.00', writtenOff: '13.00' });
    expect(amountDue(state)).toBe('0.00');
    applyInvoice(state, { number: 'INV-7', gross: '113.00', dueOn: '2026-12-01', ...noSchedule, applied: [] }, planInvoice(state));
    expect(amountDue(state)).toBe('0.00');
    expect(state.money.writtenOffTotal).toBe('13.00');
    expect(paymentState(state)).toBe('Settled');
  });
});

describe('property: the receivable always balances to the cent', () => {
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('sequence %i of deliveries, invoices, receipts and write-offs', (seed) => {
    const rnd = prng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const state = approvedOrder(String(10 + Math.floor(rnd() * 90)), pick(['33.333', '0.335', '19.995', '120', '7.777']));
    let receipts = 0;
    let advance = dec(0);
    let received = dec(0);
    let writtenOff = dec(0);
    for (let step = 0; step < 25; step++) {
      const action = pick(['deliver', 'invoice', 'receive', 'receive', 'writeOff']);
      if (action === 'deliver' && state.lines[0]!.closeStatus === 'N') {
        const rest = dec(state.lines[0]!.quantity).minus(dec(state.lines[0]!.deliveredQty));
        const qty = rest.times(rnd()).toDecimalPlaces(0).plus(1);
        applyDelivery(state, `DN-${step}`, planDelivery(state, [{ lineNo: 1, quantity: (qty.greaterThan(rest) ? rest : qty).toFixed() }]));
      } else if (action === 'invoice' && state.lines[0]!.deliveredQty !== state.lines[0]!.invoicedQty) {
        const lines = planInvoice(state);
        const gross = invoiceTotals(lines).gross;
        // Advances pay the new invoice first, as the database does.
        const { allocations, rest } = allocateOldestFirst([{ id: `INV-${step}`, open: gross }], money(advance));
        const applied = allocations.map((a) => ({ receipt: `ADV-${step}`, invoice: a.id, amount: a.amount }));
        advance = dec(rest);
        applyInvoice(state, { number: `INV-${step}`, gross, dueOn: '2026-12-31', ...noSchedule, applied }, lines);
      } else if (action === 'receive') {
        const amount = money(dec(rnd() * 3000));
        if (dec(amount).isZero()) continue;
        received = received.plus(dec(amount));
        const open = openReceivables(state).map((r) => ({ id: r.invoice, open: money(receivableOpen(r)) }));
        const { allocations, rest } = allocateOldestFirst(open, amount);
        for (const a of allocations) applyPayment(state, { receipt: `RC-${++receipts}`, invoice: a.id, amount: a.amount });
        advance = advance.plus(dec(rest));
      } else if (action === 'writeOff') {
        const last = openReceivables(state).at(-1);
        if (last && receivableOpen(last).lessThanOrEqualTo(dec('1.00'))) {
          writtenOff = writtenOff.plus(receivableOpen(last));
          applyPayment(state, { receipt: `WO-${step}`, invoice: last.invoice, amount: '0.00', writtenOff: money(receivableOpen(last)) });
        }
      }
      const invoiced = dec(state.invoicedTotal);
      const applied = dec(state.receivedTotal);
      const open = sum(openReceivables(state).map(receivableOpen));
      expect(money(invoiced.minus(applied).minus(dec(state.money.writtenOffTotal)))).toBe(money(open));
      expect(amountDue(state)).toBe(money(open));
      expect(money(dec(state.money.writtenOffTotal))).toBe(money(writtenOff));
      // Money in is either applied to an invoice or still held as an advance; it never pays twice.
      expect(money(applied.plus(advance))).toBe(money(received));
      expect(advance.isNegative()).toBe(false);
    }
  });
});
