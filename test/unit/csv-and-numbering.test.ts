import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from '../../domain/csv.js';
import { formatDocumentNumber, numberingPeriod } from '../../domain/numbering.js';

describe('CSV as spreadsheets write it', () => {
  it('keeps quoted commas, quotes and line breaks, and the line each record starts on', () => {
    const text = '\ufeffcode,name\r\nP1,"Cable, 3 m"\r\nP2,"He said ""hi"""\nP3,"two\nlines"\n\nP4,last';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['code', 'name'] },
      { line: 2, fields: ['P1', 'Cable, 3 m'] },
      { line: 3, fields: ['P2', 'He said "hi"'] },
      { line: 4, fields: ['P3', 'two\nlines'] },
      { line: 7, fields: ['P4', 'last'] },
    ]);
  });

  it('writes fields back so they read the same', () => {
    const values = ['a,b', 'say "x"', 'plain', ''];
    expect(parseCsv(csvLine(values))[0]!.fields).toEqual(values);
  });

  it('refuses an unclosed quote with the line, as an import error', () => {
    expect(() => parseCsv('code,name\nP1,"open\nP2,x')).toThrow(expect.objectContaining({ code: 'IMPORT_REJECTED', details: expect.objectContaining({ line: 3 }) }));
  });
});

describe('numbering rules (编码原则)', () => {
  it('continues seeded customer codes without a separator and numbers orders per day', () => {
    const customer = { prefix: 'C', datePart: 'none' as const, digits: 4, separator: '' };
    expect(formatDocumentNumber(customer, numberingPeriod(customer, '2026-11-23'), 4)).toBe('C0004');
    const order = { prefix: 'SO', datePart: 'yyyymmdd' as const, digits: 4 };
    expect(formatDocumentNumber(order, numberingPeriod(order, '2026-11-23'), 12)).toBe('SO-20261123-0012');
    expect(formatDocumentNumber(customer, '', 10000)).toBe('C10000');
  });
});
