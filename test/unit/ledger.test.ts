import { describe, expect, it } from 'vitest';
import { accountFor, buildVoucher, checkBalanced, creditTakenInBase, LedgerError, takeCredit, toBase, type MappingRow, type VoucherDraft } from '../../domain/ledger.js';

const row = (purpose: MappingRow['purpose'], accountCode: string, narrow: Partial<MappingRow> = {}): MappingRow => ({
  purpose,
  accountCode,
  taxRate: null,
  customerGroup: null,
  productCategory: null,
  ...narrow,
});

const MAPPING: MappingRow[] = [
  row('receivable', '1122'),
  row('receivable', '112201', { customerGroup: 'vip' }),
  row('revenue', '6001'),
  row('revenue', '600101', { productCategory: '电子' }),
  row('revenue', '600102', { productCategory: '电子', taxRate: '0.09' }),
  row('output_vat', '22210106'),
  row('output_vat', '2221010609', { taxRate: '0.09' }),
  row('fx_gain', '660302'),
  row('fx_loss', '660303'),
];

const invoice = (postings: VoucherDraft['postings'], exchangeRate = '1'): VoucherDraft => ({
  date: '2026-12-01',
  source: 'invoice',
  sourceNumber: 'INV-1',
  orderNumber: 'SO-1',
  currency: 'CNY',
  exchangeRate,
  postings,
});

describe('account mapping: the most specific row that matches wins', () => {
  it('falls back to the default and narrows by group, category and tax rate', () => {
    expect(accountFor(MAPPING, 'receivable', { customerGroup: 'regular' })).toBe('1122');
    expect(accountFor(MAPPING, 'receivable', { customerGroup: 'vip' })).toBe('112201');
    expect(accountFor(MAPPING, 'revenue', { productCategory: '电子', taxRate: '0.13' })).toBe('600101');
    expect(accountFor(MAPPING, 'revenue', { productCategory: '电子', taxRate: '0.0900' })).toBe('600102');
    expect(accountFor(MAPPING, 'revenue', { productCategory: null, taxRate: '0.09' })).toBe('6001');
    expect(accountFor(MAPPING, 'output_vat', { taxRate: '0.09' })).toBe('2221010609');
  });

  it('a row narrowing by more dimensions wins over one narrowing by fewer, whichever they are', () => {
    const mapping = [
      row('revenue', '6001'),
      row('revenue', '600101', { taxRate: '0.13' }),
      row('revenue', '600102', { customerGroup: 'vip', productCategory: '传感器' }),
    ];
    // A VIP's sensor at 13%: the row naming group and category is more specific than the one naming the rate alone.
    expect(accountFor(mapping, 'revenue', { taxRate: '0.13', customerGroup: 'vip', productCategory: '传感器' })).toBe('600102');
    // With one dimension each, the tax rate decides.
    expect(accountFor([...mapping, row('revenue', '600103', { productCategory: '传感器' })], 'revenue', { taxRate: '0.13', productCategory: '传感器' })).toBe('600101');
  });

  it('refuses a purpose nobody mapped', () => {
    expect(() => accountFor(MAPPING, 'bank', {})).toThrow(LedgerError);
  });
});

describe('vouchers', () => {
  it('builds a balanced invoice voucher, joining lines to the same account', () => {
    const v = buildVoucher(
      invoice([
        { purpose: 'receivable', side: 'debit', amount: '226.00', customerCode: 'C1', memo: 'ar' },
        { purpose: 'revenue', side: 'credit', amount: '100.00', memo: 'rev' },
        { purpose: 'revenue', side: 'credit', amount: '100.00', memo: 'rev' },
        { purpose: 'output_vat', side: 'credit', amount: '26.00', memo: 'vat' },
        { purpose: 'receivable', side: 'credit', amount: '0', customerCode: 'C1', memo: 'nothing' },
      ]),
      MAPPING,
    )!;
    expect(v.lines.map((l) => [l.accountCode, l.debit, l.credit, l.docAmount])).toEqual([
      ['1122', '226.00', '0.00', '226.00'],
      ['6001', '0.00', '200.00', '-200.00'],
      ['22210106', '0.00', '26.00', '-26.00'],
    ]);
  });

  it('refuses postings that do not balance, and writes nothing for all-zero ones', () => {
    const unbalanced = invoice([
      { purpose: 'receivable', side: 'debit', amount: '113.00', memo: 'ar' },
      { purpose: 'revenue', side: 'credit', amount: '100.00', memo: 'rev' },
      { purpose: 'output_vat', side: 'credit', amount: '13.01', memo: 'vat' },
    ]);
    expect(() => buildVoucher(unbalanced, MAPPING)).toThrow(/does not balance: debit 113.00, credit 113.01/);
    expect(buildVoucher(invoice([{ purpose: 'receivable', side: 'debit', amount: '0.00', memo: '' }, { purpose: 'revenue', side: 'credit', amount: '0', memo: '' }]), MAPPING)).toBeNull();
    expect(() => checkBalanced({ source: 'x', sourceNumber: '1', lines: [{ debit: '1.00', credit: '0' }] })).toThrow(LedgerError);
  });

  it('converts at the document rate, one rounding per line, the rounding left as an exchange difference', () => {
    expect(toBase('10.01', '7.12345').toFixed(2)).toBe('71.31');
    const v = buildVoucher(
      invoice(
        [
          { purpose: 'receivable', side: 'debit', amount: '0.03', memo: 'ar' },
          { purpose: 'revenue', side: 'credit', amount: '0.01', memo: 'rev' },
          { purpose: 'revenue', side: 'credit', amount: '0.01', dims: { productCategory: '电子' }, memo: 'rev' },
          { purpose: 'output_vat', side: 'credit', amount: '0.01', memo: 'vat' },
        ],
        '1.5',
      ),
      MAPPING,
    )!;
    // 0.03 × 1.5 = 0.045 → 0.05 debit; three credits of 0.015 → 0.02 each = 0.06: a cent short on the debit side.
    expect(v.lines.at(-1)).toMatchObject({ accountCode: '660303', debit: '0.01', credit: '0.00' });
    checkBalanced(v);
  });

  it('books nothing for a line worth less than a cent at the rate, and a receivable cleared at its own base amount', () => {
    // ¥0.50 at JPY 0.048: the tax line (0.07 → 0.00336) is worth nothing in CNY; the rest balances through fx.
    const tiny = buildVoucher(
      invoice(
        [
          { purpose: 'receivable', side: 'debit', amount: '0.57', memo: 'ar' },
          { purpose: 'revenue', side: 'credit', amount: '0.50', memo: 'rev' },
          { purpose: 'output_vat', side: 'credit', amount: '0.07', memo: 'vat' },
        ],
        '0.048',
      ),
      MAPPING,
    )!;
    expect(tiny.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['1122', '0.03', '0.00'],
      ['6001', '0.00', '0.02'],
      ['660302', '0.00', '0.01'],
    ]);
    const cleared = buildVoucher(
      { ...invoice([
        { purpose: 'bank', side: 'debit', amount: '500.00', base: '3650.00', memo: 'bank' },
        { purpose: 'receivable', side: 'credit', amount: '500.00', base: '3561.70', memo: 'ar' },
      ], '7.3'), source: 'receipt' },
      [...MAPPING, row('bank', '1002')],
    )!;
    expect(cleared.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['1002', '3650.00', '0.00'],
      ['1122', '0.00', '3561.70'],
      ['660302', '0.00', '88.30'],
    ]);
  });

  it('a refund takes the credit at the average it was booked at, and all of its base when it takes it all', () => {
    // 113.00 USD of credit booked as 804.94 CNY: 40.00 of it is 284.9345 → 284.93; the rest of it, 520.01.
    expect(creditTakenInBase('40.00', { doc: '113.00', base: '804.94' })).toBe('284.93');
    expect(creditTakenInBase('73.00', { doc: '73.00', base: '520.01' })).toBe('520.01');
    expect(creditTakenInBase('10.00', { doc: '0.00', base: '0.00' })).toBeUndefined();
  });

  it('a customer\'s credit is taken off the accounts that hold it, oldest first, each at its own average; the rest goes to the mapping', () => {
    // 2203 holds 40.00 USD booked as 280.00 CNY (rate 7.00); 220302, after the mapping changed, 30.00 USD as 216.00 (7.20).
    const held = [{ account: '2203', doc: '40.00', base: '280.00' }, { account: '220302', doc: '30.00', base: '216.00' }];
    const refund = takeCredit(held, '50.00', 'held', '7.10');
    expect(refund.parts).toEqual([{ account: '2203', amount: '40.00', base: '280.00' }, { account: '220302', amount: '10.00', base: '72.00' }]);
    expect(refund.held).toEqual([{ account: '2203', doc: '0.00', base: '0.00' }, { account: '220302', doc: '20.00', base: '144.00' }]);
    // A given base (an invoice's advances, at their receipts' rates) is shared by amount, the last part taking the rest.
    expect(takeCredit(held, '70.00', '500.01', '7.10').parts).toEqual([{ account: '2203', amount: '40.00', base: '285.72' }, { account: '220302', amount: '30.00', base: '214.29' }]);
    // More than the accounts hold: the rest on the mapping's account, at the document's rate (no base, no account).
    expect(takeCredit(held, '75.00', undefined, '7.10').parts).toEqual([{ account: '2203', amount: '40.00' }, { account: '220302', amount: '30.00' }, { amount: '5.00' }]);
    expect(takeCredit([{ account: '2203', doc: '-5.00', base: '-35.00' }], '5.00', 'held', '7.10').parts).toEqual([{ amount: '5.00' }]);
    expect(takeCredit(held, '0.00', '0.00', '7.10').parts).toEqual([]);
  });

  it('each voucher line says what it is for, so a customer\'s credit is found on its account after the mapping changed', () => {
    const v = buildVoucher(
      invoice([
        { purpose: 'bank', side: 'debit', amount: '10.00', memo: '' },
        { purpose: 'advance', side: 'credit', amount: '10.00', customerCode: 'C1', memo: '' },
      ]),
      [...MAPPING, row('bank', '1002'), row('advance', '2203')],
    )!;
    expect(v.lines.map((l) => [l.accountCode, l.purpose])).toEqual([['1002', 'bank'], ['2203', 'advance']]);
  });
});
