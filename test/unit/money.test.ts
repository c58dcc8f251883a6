import { describe, expect, it } from 'vitest';
import { lineAmounts, totals } from '../../domain/amounts.js';
import { dec, money, numericText, plain, roundMoney } from '../../domain/decimal.js';
import { DOCUMENT_NUMBER, formatDocumentNumber, numberingPeriod } from '../../domain/numbering.js';
import { addDays, businessDate } from '../../domain/calendar.js';

describe('money and quantities', () => {
  it('rounds half-up to cents, never through a float', () => {
    expect(money(dec('0.005'))).toBe('0.01');
    expect(money(dec('0.015'))).toBe('0.02'); // a float gives 0.01 here
    expect(money(dec('1.005'))).toBe('1.01'); // a float gives 1.00 here
    expect(money(dec('-0.005'))).toBe('-0.01');
    expect(roundMoney(dec('2.675')).toFixed(2)).toBe('2.68');
    expect(money(dec('0.1').plus(dec('0.2')))).toBe('0.30');
  });

  it('refuses text that is not a decimal number', () => {
    expect(() => dec('1e3')).toThrow(/not a decimal/);
    expect(() => dec('12,50')).toThrow(/not a decimal/);
    expect(() => dec('')).toThrow(/not a decimal/);
    expect(() => dec(Number.NaN)).toThrow(/finite/);
  });

  it('keeps quantities exact and shows them without trailing zeros', () => {
    expect(plain(dec('3.0000'))).toBe('3');
    expect(numericText('2.5000')).toBe('2.5');
    expect(plain(dec('0.1').times(3))).toBe('0.3');
  });

  it('rounds each line, then sums the rounded lines (3 × 33.333 at 13%)', () => {
    const line = lineAmounts(dec('3'), dec('33.333'), dec('0.13'));
    expect(money(line.net)).toBe('100.00'); // 99.999
    expect(money(line.tax)).toBe('13.00');
    const three = totals([line, line, line]);
    expect(money(three.net)).toBe('300.00');
    expect(money(three.tax)).toBe('39.00');
    expect(money(three.gross)).toBe('339.00');
  });

  it('a total is the sum of rounded lines, not the rounded sum', () => {
    const line = lineAmounts(dec('1'), dec('0.333'), dec('0'));
    const t = totals([line, line, line]);
    expect(money(t.net)).toBe('0.99'); // rounding 0.999 as a whole would say 1.00
  });

  it('taxes a half cent up: 0.05 net at 10% is 0.01 tax', () => {
    const line = lineAmounts(dec('1'), dec('0.05'), dec('0.10'));
    expect(money(line.tax)).toBe('0.01');
  });
});

describe('document numbering', () => {
  const rule = { prefix: 'SO', datePart: 'yyyymmdd' as const, digits: 4 };
  it('formats prefix, date part and running number', () => {
    expect(formatDocumentNumber(rule, numberingPeriod(rule, '2026-11-23'), 7)).toBe('SO-20261123-0007');
    expect(formatDocumentNumber({ ...rule, datePart: 'yyyymm' }, numberingPeriod({ ...rule, datePart: 'yyyymm' }, '2026-11-23'), 12)).toBe('SO-202611-0012');
    expect(formatDocumentNumber({ ...rule, datePart: 'none' }, '', 3)).toBe('SO-0003');
  });
  it('widens the running number past its digits rather than stop order entry for the rest of the day', () => {
    expect(formatDocumentNumber(rule, '20261123', 9_999)).toBe('SO-20261123-9999');
    expect(formatDocumentNumber(rule, '20261123', 10_000)).toBe('SO-20261123-10000');
    expect(formatDocumentNumber(rule, '20261123', 10_000)).toMatch(DOCUMENT_NUMBER);
  });
});

describe('business calendar', () => {
  it('takes the date in the company time zone', () => {
    const lateUtc = new Date('2026-11-23T17:30:00Z'); // already 24 Nov in Shanghai
    expect(businessDate(lateUtc, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(businessDate(lateUtc, 'UTC')).toBe('2026-11-23');
  });
  it('adds days across month ends', () => {
    expect(addDays('2026-11-23', 30)).toBe('2026-12-23');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
