import { describe, expect, it } from 'vitest';
import { dec, money } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import { baseTotals, isKnownCurrency, missingRate, rateOf, receiptAllocationFx, settledInBase, toBase } from '../../domain/fx.js';

describe('the rate of a document date', () => {
  const usd = [
    { on: '2026-11-02', rate: '7.1' },
    { on: '2026-11-20', rate: '7.2' },
    { on: '2026-11-10', rate: '7.15' },
  ];
  it('takes the latest rate on or before the date', () => {
    expect(rateOf('USD', '2026-11-20', 'CNY', usd)?.toFixed()).toBe('7.2');
    expect(rateOf('USD', '2026-11-19', 'CNY', usd)?.toFixed()).toBe('7.15');
    expect(rateOf('USD', '2026-11-02', 'CNY', usd)?.toFixed()).toBe('7.1');
  });
  it('has none before the first rate', () => {
    expect(rateOf('USD', '2026-11-01', 'CNY', usd)).toBeNull();
  });
  it('is 1 in the base currency, without a rate row', () => {
    expect(rateOf('CNY', '2020-01-01', 'CNY', [])?.toFixed()).toBe('1');
  });
  it('refuses with the currency and the date named', () => {
    const e = missingRate('USD', '2026-11-01');
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('EXCHANGE_RATE_MISSING');
    expect(e.details).toEqual({ currency: 'USD', date: '2026-11-01' });
  });
  it('knows ISO 4217 codes and nothing else', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
  });
});

describe('base amounts, rounded half-up to the cent per document total', () => {
  it('converts one amount', () => {
    expect(money(toBase('1130.00', '7.1234'))).toBe('8049.44'); // 8049.442
    expect(money(toBase('0.50', '7.11'))).toBe('3.56'); // 3.555 → up
  });
  it('converts tax and gross and makes net their difference, so base totals add up', () => {
    // 1000.00 × 7.12345 = 7123.45; 130.00 × 7.12345 = 926.0485 → 926.05; 1130.00 × 7.12345 = 8049.4985 → 8049.50
    expect(baseTotals({ net: '1000.00', tax: '130.00', gross: '1130.00' }, '7.12345')).toEqual({ net: '7123.45', tax: '926.05', gross: '8049.50' });
  });
  it('counts settlements cumulatively, so a fully settled document clears exactly its base total', () => {
    const rate = '7.12345';
    const parts = ['0.01', '0.01', '1129.98'];
    let before = '0';
    const bases = parts.map((p) => {
      const b = settledInBase(rate, before, p);
      before = money(dec(before).plus(dec(p)));
      return b;
    });
    expect(money(bases.reduce((a, b) => a.plus(b)))).toBe(money(toBase('1130.00', rate)));
  });
});

describe('exchange differences on 核销', () => {
  it('is a gain when the money is worth more in base than the receivable it clears', () => {
    // invoice USD 1130.00 booked at 7.10 = 8023.00; paid at 7.20 = 8136.00 → gain 113.00
    expect(receiptAllocationFx({ amount: '1130.00', invoiceRate: '7.1', invoiceSettledBefore: '0', receiptRate: '7.2', receiptAllocatedBefore: '0' })).toEqual({
      invoiceBase: '8023.00',
      receiptBase: '8136.00',
      exchangeDifference: '113.00',
    });
  });
  it('is a loss the other way, to the cent', () => {
    // 333.33 at 7.1234 = 2374.443… → 2374.44 cleared; at 7.0011 = 2333.6766… → 2333.68 received
    expect(receiptAllocationFx({ amount: '333.33', invoiceRate: '7.1234', invoiceSettledBefore: '0', receiptRate: '7.0011', receiptAllocatedBefore: '0' }).exchangeDifference).toBe('-40.76');
  });
  it('is nothing at the same rate', () => {
    expect(receiptAllocationFx({ amount: '10', invoiceRate: '7.1', invoiceSettledBefore: '5', receiptRate: '7.1', receiptAllocatedBefore: '5' }).exchangeDifference).toBe('0.00');
  });
});
