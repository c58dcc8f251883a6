import { describe, expect, it } from 'vitest';
import { collectionInstants, overdueFrom, startOfDay } from '../../domain/due.js';
import { dueDate } from '../../domain/receivables.js';
import {
  amountOwed,
  applyInvoice,
  applyDelivery,
  applyPayment,
  applyReceipt,
  approvalNoticeDue,
  armApprovalReminders,
  checkBankNotice,
  describeRefusedNotice,
  dunningDue,
  markOverdueAsOf,
  newOrderState,
  nextApprovalInstant,
  nextCollectionInstant,
  paymentDueAt,
  paymentState,
  planDelivery,
  planInvoice,
  recordReminder,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { refusal } from '../support/refusal.js';

const SHANGHAI = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

describe('one calendar for due and overdue (domain/due.ts)', () => {
  it('a receivable is overdue from the start of the day after its due date in the business time zone', () => {
    // The example: due 2027-01-30 in Shanghai is overdue from midnight there, 16:00 UTC the day before midnight UTC.
    expect(new Date(overdueFrom('2027-01-30', SHANGHAI)).toISOString()).toBe('2027-01-30T16:00:00.000Z');
    expect(new Date(overdueFrom('2026-12-31', 'UTC')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    // A daylight-saving morning starts at its own offset.
    expect(new Date(startOfDay('2026-03-08', 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(startOfDay('2026-03-09', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('cash terms are due today and overdue tomorrow; net terms the day after the due date, not N×24h after invoicing', () => {
    const now = at('2026-12-01T20:39:00Z'); // 04:39 on 2 December in Shanghai
    const cash = collectionInstants({ dueOn: dueDate('cash', 0, '2026-12-02'), timeZone: SHANGHAI, nowMs: now, dayMs: DAY, dunningDays: [7, 30] });
    expect(new Date(cash.overdueAt).toISOString()).toBe('2026-12-02T16:00:00.000Z');
    expect(cash.dunningAt).toEqual([cash.overdueAt + 7 * DAY, cash.overdueAt + 30 * DAY]);
    const net = collectionInstants({ dueOn: dueDate('net', 30, '2026-12-02'), timeZone: SHANGHAI, nowMs: now, dayMs: DAY, dunningDays: [] });
    expect(new Date(net.overdueAt).toISOString()).toBe('2027-01-01T16:00:00.000Z');
  });

  it('a shortened day (tests) shrinks the wait in proportion; a due date already past is overdue at once', () => {
    const now = at('2026-12-02T04:00:00Z'); // 12:00 in Shanghai: 12 hours to midnight
    const short = collectionInstants({ dueOn: '2026-12-02', timeZone: SHANGHAI, nowMs: now, dayMs: 2000, dunningDays: [1, 2] });
    expect(short).toEqual({ overdueAt: now + 1000, dunningAt: [now + 3000, now + 5000] });
    expect(collectionInstants({ dueOn: '2026-11-01', timeZone: SHANGHAI, nowMs: now, dayMs: DAY, dunningDays: [] }).overdueAt).toBe(now);
  });
});

function invoicedOrder(depositRequired?: string): SalesOrderState {
  const state = newOrderState({
    orderNumber: 'SO-1',
    customerCode: 'C0001',
    currency: 'CNY',
    createdBy: 'clerk.li',
    lines: [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '100', taxRate: '0.13' }],
    ...(depositRequired ? { depositRequired } : {}),
  });
  state.status = 'Approved';
  return state;
}

describe('the collection clock and the payment search attributes (domain/order/collection.ts)', () => {
  it('marks overdue at the instant, reminds at each dunning instant once, and stops when paid', () => {
    const s = invoicedOrder();
    applyDelivery(s, 'DN-1', planDelivery(s, undefined));
    applyInvoice(s, { number: 'INV-1', gross: '226.00', dueOn: '2026-12-02', overdueAt: 1000, dunningAt: [2000, 3000], applied: [] }, planInvoice(s));
    expect([paymentState(s), paymentDueAt(s), amountOwed(s), nextCollectionInstant(s)]).toEqual(['Open', 1000, '226.00', 1000]);
    expect(markOverdueAsOf(s, 999)).toEqual([]);
    expect(markOverdueAsOf(s, 1000)).toHaveLength(1);
    expect(paymentState(s)).toBe('Overdue');
    expect(nextCollectionInstant(s)).toBe(2000);
    expect(dunningDue(s, 1999)).toEqual([]);
    expect(dunningDue(s, 5000)).toEqual([{ invoice: 'INV-1', step: 1 }]);
    recordReminder(s, 'INV-1');
    expect(dunningDue(s, 5000)).toEqual([{ invoice: 'INV-1', step: 2 }]);
    recordReminder(s, 'INV-1');
    expect([dunningDue(s, 5000), nextCollectionInstant(s), s.money.receivables[0]!.reminders]).toEqual([[], undefined, 2]);
    applyPayment(s, { receipt: 'RC-1', invoice: 'INV-1', amount: '226.00' });
    expect([paymentState(s), paymentDueAt(s), amountOwed(s)]).toEqual(['Paid', undefined, '0.00']);
  });

  it('a partly paid invoice is owed its rest; a paid one no longer wakes the clock', () => {
    const s = invoicedOrder();
    applyDelivery(s, 'DN-1', planDelivery(s, undefined));
    applyInvoice(s, { number: 'INV-1', gross: '226.00', dueOn: '2026-12-02', overdueAt: 1000, dunningAt: [2000], applied: [] }, planInvoice(s));
    applyPayment(s, { receipt: 'RC-1', invoice: 'INV-1', amount: '26.00' });
    expect(amountOwed(s)).toBe('200.00');
    applyPayment(s, { receipt: 'RC-2', invoice: 'INV-1', amount: '200.00' });
    expect(nextCollectionInstant(s)).toBeUndefined();
  });

  it('a deposit-due order owes its deposit (as finance lists it); a cancelled one owes nothing', () => {
    const s = invoicedOrder('80.00');
    expect([paymentState(s), amountOwed(s)]).toEqual(['DepositDue', '80.00']);
    applyReceipt(s, { number: 'RC-1', amount: '30.00', applied: [], advance: '30.00' });
    expect(amountOwed(s)).toBe('50.00');
    s.status = 'Cancelled';
    expect([paymentState(s), amountOwed(s)]).toEqual(['NotInvoiced', '0.00']);
  });

  it('approval reminder and escalation instants are fixed once and owed one after the other while unapproved', () => {
    const s = invoicedOrder();
    s.status = 'Unapproved';
    armApprovalReminders(s, 1000, 500, 700);
    armApprovalReminders(s, 9000, 500, 700);
    expect(s.approvalReminders).toMatchObject({ remindAt: 1500, escalateAt: 2200 });
    expect([approvalNoticeDue(s, 1499), approvalNoticeDue(s, 1500), nextApprovalInstant(s)]).toEqual([undefined, 'approval_reminder', 1500]);
    s.approvalReminders.reminded = true;
    expect([approvalNoticeDue(s, 2199), approvalNoticeDue(s, 2200), nextApprovalInstant(s)]).toEqual([undefined, 'approval_escalation', 2200]);
    s.status = 'Approved';
    expect([approvalNoticeDue(s, 9999), nextApprovalInstant(s)]).toEqual([undefined, undefined]);
  });
});

describe('a bank notice is checked before it reaches Postgres (domain/order/bank-notice.ts)', () => {
  it('accepts a well-formed notice and refuses bad data naming the field', () => {
    expect(checkBankNotice({ noticeId: 'BN-1', amount: '12.5' })).toEqual({ noticeId: 'BN-1', amount: '12.50', method: 'bank_transfer' });
    for (const amount of ['0', '0.00', '-5', 'abc', '1.001', '12345678901234567', 12, null, undefined, ' 5']) {
      expect(refusal(() => checkBankNotice({ noticeId: 'BN-1', amount })), String(amount)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'amount' });
    }
    for (const noticeId of ['', 'a\u0000b', 'with space', 'x'.repeat(65), 7]) {
      expect(refusal(() => checkBankNotice({ noticeId, amount: '1' }))).toMatchObject({ field: 'noticeId' });
    }
    expect(refusal(() => checkBankNotice({ noticeId: 'BN-1', amount: '1', receivedOn: '2026-13-45' }))).toMatchObject({ field: 'receivedOn' });
    expect(refusal(() => checkBankNotice({ noticeId: 'BN-1', amount: '1', method: 'barter' }))).toMatchObject({ field: 'method' });
  });

  it('shows what a refused notice carried without control characters, cut short', () => {
    expect(describeRefusedNotice('no\u0000pe')).toBe('"no\\u0000pe"');
    expect(describeRefusedNotice('a\u007fb')).toBe('"a?b"');
    expect(describeRefusedNotice(undefined)).toBe('undefined');
    expect(describeRefusedNotice('x'.repeat(500))).toHaveLength(80);
  });
});
