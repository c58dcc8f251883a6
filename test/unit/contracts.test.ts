import { describe, expect, it } from 'vitest';
import { Money, PositiveMoney, Price, Quantity, Rate } from '../../contracts/numbers.js';
import { FreeText, Reason, SingleLine } from '../../contracts/text.js';
import { checkAmountsFit, lineAmounts } from '../../domain/amounts.js';
import { dec } from '../../domain/decimal.js';
import { DOCUMENT_NUMBER, formatDocumentNumber, NUMBER_SEPARATORS, numberingPeriod, type DatePart } from '../../domain/numbering.js';
import { refusal } from '../support/refusal.js';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => schema.safeParse(v).success;

describe('text that can be stored', () => {
  it('a single line refuses every control character (C0, DEL, C1) and lone surrogates; trims', () => {
    const line = SingleLine(100);
    for (const bad of ['a\u0000b', 'a\tb', 'a\nb', 'a\rb', 'a\u001fb', 'a\u007fb', 'a\u0080b', 'a\u009fb', 'a\ud800b', 'a\udc00b']) {
      expect(ok(line, bad), JSON.stringify(bad)).toBe(false);
    }
    expect(line.parse('  ACME 上海  ')).toBe('ACME 上海');
    expect(ok(line, '😀 a pair is fine')).toBe(true);
    expect(ok(line, '   ')).toBe(false);
    expect(ok(SingleLine(100, 0), '')).toBe(true);
  });

  it('free text allows tab and line breaks only; a blank reason is refused', () => {
    const text = FreeText(500);
    expect(text.parse(' a\tb\r\nc ')).toBe('a\tb\r\nc');
    for (const bad of ['a\u0000', 'a\u0007', 'a\u000bb', 'a\u001b[31m', 'a\u0085', 'x\udfff']) expect(ok(text, bad), JSON.stringify(bad)).toBe(false);
    expect(ok(Reason, ' \n\t ')).toBe(false);
    expect(ok(Reason, 'x'.repeat(501))).toBe(false);
  });

  it('refuses text that reads otherwise than it is stored (bidi overrides, line separators), and invisible-only text as blank', () => {
    for (const bad of ['abc\u202Egnp.exe', 'a\u2066b', 'a\u2028b', 'a\u2029b']) {
      expect(ok(Reason, bad), JSON.stringify(bad)).toBe(false);
      expect(ok(SingleLine(100), bad), JSON.stringify(bad)).toBe(false);
    }
    expect(ok(Reason, '\u200b\u200b')).toBe(false);
    expect(ok(Reason, '\u3000\u00a0\u200b')).toBe(false);
    expect(ok(Reason, '客户破产 \u200b')).toBe(true);
    expect(ok(SingleLine(100, 0), '')).toBe(true);
  });

});

describe('amounts bounded by their column', () => {
  it('numeric(18,4) quantities, (18,6) prices, (18,2) money, (9,6) rates: at the bound accepted, just past refused', () => {
    expect(ok(Quantity, '99999999999999.9999')).toBe(true);
    expect(ok(Quantity, '100000000000000')).toBe(false);
    expect(ok(Quantity, '1.00001')).toBe(false);
    expect(ok(Quantity, '0')).toBe(false);
    expect(ok(Price, '999999999999.999999')).toBe(true);
    expect(ok(Price, '1000000000000')).toBe(false);
    expect(ok(Money, '9999999999999999.99')).toBe(true);
    expect(ok(Money, '10000000000000000')).toBe(false);
    expect(ok(Money, `${'0'.repeat(100)}1`)).toBe(false);
    expect(ok(PositiveMoney, '0.00')).toBe(false);
    expect(ok(PositiveMoney, '-1')).toBe(false);
    expect(ok(PositiveMoney, '0.01')).toBe(true);
    expect(ok(Rate(), '1')).toBe(true);
    expect(ok(Rate(), '1.000001')).toBe(false);
  });

  it('refuses a line whose amount, or a document whose total, an amount column cannot hold', () => {
    const line = (q: string, p: string) => lineAmounts(dec(q), dec(p), dec('0.13'));
    const tooBig = refusal(() => checkAmountsFit([{ amounts: line('1', '1'), field: 'lines[0].quantity' }, { amounts: line('9999999999', '999999'), field: 'lines[1].quantity' }]));
    expect({ code: tooBig.code, field: tooBig.field }).toEqual({ code: 'VALIDATION_FAILED', field: 'lines[1].quantity' });
    const many = Array.from({ length: 500 }, (_, i) => ({ amounts: line('2000', '9999999999'), field: `lines[${i}].quantity` }));
    expect(refusal(() => checkAmountsFit(many)).field).toBe('lines');
    expect(checkAmountsFit(many.slice(0, 400)).gross.toFixed(2)).toBe('9039999999096000.00');
  });
});

describe('document numbers', () => {
  it('every number a numbering rule can produce is one the routes accept; "/" is no separator', () => {
    expect(NUMBER_SEPARATORS).not.toContain('/');
    for (const separator of NUMBER_SEPARATORS) {
      for (const datePart of ['none', 'yyyy', 'yyyymm', 'yyyymmdd'] as DatePart[]) {
        for (const prefix of ['SO', 'Q1', 'MINV']) {
          const rule = { prefix, datePart, digits: 4, separator };
          const number = formatDocumentNumber(rule, numberingPeriod(rule, '2026-11-23'), 17);
          expect(DOCUMENT_NUMBER.test(number), number).toBe(true);
        }
      }
    }
    for (const bad of ['SO/2026/0001', 'so-1', 'SO-1\u0000', 'SO--1', '-1', '']) expect(DOCUMENT_NUMBER.test(bad), bad).toBe(false);
  });
});
