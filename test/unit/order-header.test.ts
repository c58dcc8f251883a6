import { describe, expect, it } from 'vitest';
import { checkSalesperson, defaultDeliveryDate, depositRequired, paymentTermsOf, shipToOf, type CustomerAddress } from '../../domain/order/header.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return { code: (err as { code?: string }).code, field: (err as { field?: string }).field };
  }
  return undefined;
};

const ADDRESSES: CustomerAddress[] = [
  { label: 'A', address: 'first street 1', contact: 'Ann', phone: '1', isDefault: false },
  { label: 'B', address: 'second street 2', contact: null, phone: null, isDefault: true },
];

describe('order header rules (domain/order/header.ts)', () => {
  it('a line without a date is expected seven days after the order, across a month and a year', () => {
    expect(defaultDeliveryDate('2026-12-28')).toBe('2027-01-04');
    expect(defaultDeliveryDate('2028-02-25')).toBe('2028-03-03');
  });

  it("ships to the named address, else the default, else the first; the named contact wins over the address's", () => {
    expect(shipToOf('C1', ADDRESSES, [], { shipTo: 'A' })).toEqual({ label: 'A', address: 'first street 1', contact: 'Ann', phone: '1' });
    expect(shipToOf('C1', ADDRESSES, [], {})).toMatchObject({ label: 'B', contact: null });
    expect(shipToOf('C1', [ADDRESSES[0]!], [], {})).toMatchObject({ label: 'A' });
    expect(shipToOf('C1', [], [], {})).toEqual({ label: null, address: null, contact: null, phone: null });
    expect(shipToOf('C1', ADDRESSES, [{ name: 'Bob', phone: '9' }], { shipTo: 'A', contact: 'Bob' })).toMatchObject({ contact: 'Bob', phone: '9' });
    expect(refusal(() => shipToOf('C1', ADDRESSES, [], { shipTo: 'Z' }))).toEqual({ code: 'VALIDATION_FAILED', field: 'shipTo' });
    expect(refusal(() => shipToOf('C1', [...ADDRESSES, { ...ADDRESSES[0]!, isDefault: false }], [], { shipTo: 'A' }))).toEqual({ code: 'VALIDATION_FAILED', field: 'shipTo' });
    expect(refusal(() => shipToOf('C1', ADDRESSES, [{ name: 'Bob' }], { contact: 'Eve' }))).toEqual({ code: 'VALIDATION_FAILED', field: 'contact' });
  });

  it('a deposit is a ratio of the gross (half-up to cents) or an amount up to the gross, never both', () => {
    expect(depositRequired('113.00', {}, '0.3')).toBe('33.90');
    expect(depositRequired('0.05', { depositRatio: '0.5' }, '0')).toBe('0.03');
    expect(depositRequired('113.00', { depositAmount: '113' }, '0.3')).toBe('113.00');
    expect(depositRequired('113.00', { depositAmount: '0' }, '0.3')).toBe('0.00');
    expect(refusal(() => depositRequired('113.00', { depositAmount: '113.01' }, '0'))).toEqual({ code: 'VALIDATION_FAILED', field: 'depositAmount' });
    expect(refusal(() => depositRequired('113.00', { depositRatio: '0', depositAmount: '0' }, '0'))).toEqual({ code: 'VALIDATION_FAILED', field: 'depositAmount' });
  });

  it('a salesperson is an active user who takes orders', () => {
    expect(checkSalesperson('clerk.li', { role: 'clerk', active: true })).toBe('clerk.li');
    expect(refusal(() => checkSalesperson('x', undefined))).toEqual({ code: 'VALIDATION_FAILED', field: 'salesperson' });
    expect(refusal(() => checkSalesperson('x', { role: 'clerk', active: false }))).toEqual({ code: 'VALIDATION_FAILED', field: 'salesperson' });
    expect(refusal(() => checkSalesperson('x', { role: 'warehouse', active: true }))).toEqual({ code: 'VALIDATION_FAILED', field: 'salesperson' });
  });

  it("the order's own payment terms win over the payer's", () => {
    const payer = { settlementTerms: 'net' as const, settlementDays: 60 };
    expect(paymentTermsOf(payer, null)).toEqual(payer);
    expect(paymentTermsOf(payer, { settlementTerms: 'cash', settlementDays: 0 })).toEqual({ settlementTerms: 'cash', settlementDays: 0 });
  });
});
