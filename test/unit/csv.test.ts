import { describe, expect, it } from 'vitest';
import { toCsv } from '../../api/reports/csv.js';

describe('toCsv', () => {
  it('quotes cells with commas, quotes and line breaks, leaves numbers and empty cells plain', () => {
    const csv = toCsv(['a', 'b', 'c'], [{ a: '上海, 华东', b: 'say "hi"', c: null }, { a: '-12.50', b: 'two\nlines', c: 3 }]);
    expect(csv).toBe('\uFEFFa,b,c\r\n"上海, 华东","say ""hi""",\r\n-12.50,"two\nlines",3\r\n');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(toCsv(['x'], [{ x: '=HYPERLINK("http://x")' }, { x: '-cmd' }, { x: '@SUM(A1)' }])).toBe(
      '\uFEFFx\r\n"\'=HYPERLINK(""http://x"")"\r\n\'-cmd\r\n\'@SUM(A1)\r\n',
    );
  });
});
