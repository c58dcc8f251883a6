import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';
import { advanceHeldByAccount } from '../../db/ledger/documents.js';

/**
 * The books through the API, figures computed by hand: one VIP customer's order of 10 × P0001 at
 * 100.00 (13% VAT, cost 80.00) delivered, invoiced, paid 1,000.00, 2 returned, the credit left refunded.
 * VIP receivables go to their own account (112201) by the mapping finance sets first.
 */
const stack = useStack();
let period: string;
let from: string;
let to: string;

const ok = async (method: string, path: string, user: string, body?: unknown) => {
  const res = await stack.request(method, path, { user, ...(body === undefined ? {} : { body }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  await stack.sql`INSERT INTO customers (code, name, grade, settlement_days) VALUES ('C0901', 'Books buyer', 'vip', 30)`;
  await ok('PUT', '/finance/accounts/112201', 'finance.chen', { nameZh: '应收账款-VIP客户', nameEn: 'Receivables - VIP', normalSide: 'debit' });
  await ok('PUT', '/finance/account-mapping', 'finance.chen', { purpose: 'receivable', customerGroup: 'vip', accountCode: '112201' });

  const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0901', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '100.00' }] } });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  await ok('POST', `/orders/${number}/approve`, 'manager.wang', {});
  const note = (await ok('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {})).deliveryNote as string;
  expect((await ok('POST', `/orders/${number}/invoice`, 'finance.chen', {})).gross).toBe('1130.00');
  await ok('POST', '/receipts', 'finance.chen', { payerCode: 'C0901', amount: '1000.00', method: 'bank_transfer' });
  await ok('POST', `/orders/${number}/returns`, 'warehouse.zhao', { deliveryNote: note, disposition: 'redeliver', reason: 'two broken', lines: [{ lineNo: 1, quantity: '2' }] });
  expect((await ok('POST', '/finance/refunds', 'finance.chen', { payerCode: 'C0901', amount: '96.00', method: 'bank_transfer' })).creditLeft).toBe('0.00');
  const [days] = await stack.sql<{ from: string; to: string }[]>`SELECT min(voucher_date)::text AS from, max(voucher_date)::text AS to FROM vouchers`;
  ({ from, to } = days!);
  period = from.slice(0, 7);
});

describe('the books (总账)', () => {
  it('the journal holds each document\'s voucher, in base currency, with the customer on its receivable lines', async () => {
    const j = await ok('GET', `/finance/journal?from=${from}&to=${to}`, 'finance.chen');
    expect(j.totals).toEqual({ vouchers: '6', debit: '3412.00', credit: '3412.00' });
    const lines = (j.items as { sourceType: string; accountCode: string; debit: string; credit: string; customerCode: string | null; currency: string; docAmount: string }[]).map(
      (l) => [l.sourceType, l.accountCode, l.debit, l.credit, l.customerCode],
    );
    expect(lines).toEqual([
      ['delivery', '6401', '800.00', '0.00', null],
      ['delivery', '1405', '0.00', '800.00', null],
      ['invoice', '112201', '1130.00', '0.00', 'C0901'],
      ['invoice', '6001', '0.00', '1000.00', null],
      ['invoice', '22210106', '0.00', '130.00', null],
      ['receipt', '1002', '1000.00', '0.00', null],
      ['receipt', '112201', '0.00', '1000.00', 'C0901'],
      ['credit_note', '6001', '200.00', '0.00', null],
      ['credit_note', '22210106', '26.00', '0.00', null],
      ['credit_note', '112201', '0.00', '130.00', 'C0901'],
      ['credit_note', '2203', '0.00', '96.00', 'C0901'],
      ['return', '1405', '160.00', '0.00', null],
      ['return', '6401', '0.00', '160.00', null],
      ['refund', '2203', '96.00', '0.00', 'C0901'],
      ['refund', '1002', '0.00', '96.00', null],
    ]);
    expect(j.items[2]).toMatchObject({ currency: 'CNY', exchangeRate: '1', docAmount: '1130.00', accountName: '应收账款-VIP客户' });
    const page = await ok('GET', `/finance/journal?from=${from}&to=${to}&limit=2&offset=2`, 'finance.chen');
    expect(page.total).toBe(15);
    expect(page.items.map((l: { accountCode: string }) => l.accountCode)).toEqual(['112201', '6001']);
  });

  it('the trial balance of the month: opening, movements and closing per account, both sides equal', async () => {
    const tb = await ok('GET', `/finance/trial-balance?period=${period}`, 'finance.chen');
    const rows = Object.fromEntries((tb.items as { accountCode: string; debit: string; credit: string; closingDebit: string; closingCredit: string }[]).map((r) => [r.accountCode, [r.debit, r.credit, r.closingDebit, r.closingCredit]]));
    expect(rows).toEqual({
      '1002': ['1000.00', '96.00', '904.00', '0.00'],
      '112201': ['1130.00', '1130.00', '0.00', '0.00'],
      '1405': ['160.00', '800.00', '0.00', '640.00'],
      '2203': ['96.00', '96.00', '0.00', '0.00'],
      '22210106': ['26.00', '130.00', '0.00', '104.00'],
      '6001': ['200.00', '1000.00', '0.00', '800.00'],
      '6401': ['800.00', '160.00', '640.00', '0.00'],
    });
    expect(tb.totals).toEqual({ openingDebit: '0.00', openingCredit: '0.00', debit: '3412.00', credit: '3412.00', closingDebit: '1544.00', closingCredit: '1544.00' });
    // The next month opens with this month's closing balances and has no movement.
    const [y, m] = period.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    const after = await ok('GET', `/finance/trial-balance?period=${next}`, 'finance.chen');
    expect(after.totals).toEqual({ openingDebit: '1544.00', openingCredit: '1544.00', debit: '0.00', credit: '0.00', closingDebit: '1544.00', closingCredit: '1544.00' });
  });

  it('exports both as CSV with a totals row', async () => {
    const tb = await stack.request('GET', `/finance/trial-balance?period=${period}&format=csv`, { user: 'finance.chen' });
    expect(tb.status).toBe(200);
    const lines = String(tb.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('accountCode,accountName,openingDebit,openingCredit,debit,credit,closingDebit,closingCredit');
    expect(lines).toContain('1002,银行存款,0.00,0.00,1000.00,96.00,904.00,0.00');
    expect(lines.at(-1)).toBe('total,,0.00,0.00,3412.00,3412.00,1544.00,1544.00');
    const j = await stack.request('GET', `/finance/journal?from=${from}&to=${to}&format=csv`, { user: 'finance.chen' });
    const jl = String(j.body).trim().split('\r\n');
    expect(jl).toHaveLength(1 + 15 + 1);
    expect(jl.at(-1)).toBe('total,,,,,,,,3412.00,3412.00,,,,,');
  });

  it('only finance reads the books and changes the mapping; the change is audited; a bad account or rate is refused', async () => {
    const refused = await stack.request('GET', `/finance/journal?from=${from}&to=${to}`, { user: 'clerk.li' });
    // Refused for what was asked (the books), not for another finance read.
    expect([refused.status, refused.body.error.details.command]).toEqual([403, 'readBooks']);
    expect((await stack.request('PUT', '/finance/account-mapping', { user: 'warehouse.zhao', body: { purpose: 'bank', accountCode: '1001' } })).status).toBe(403);
    const unknown = await stack.request('PUT', '/finance/account-mapping', { user: 'finance.chen', body: { purpose: 'bank', accountCode: '9999' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'accountCode' });
    const badRate = await stack.request('PUT', '/finance/account-mapping', { user: 'finance.chen', body: { purpose: 'output_vat', taxRate: '1.5', accountCode: '22210106' } });
    expect(badRate.status).toBe(400);
    expect(badRate.body.error.field).toBe('taxRate');
    const extra = await stack.request('PUT', '/finance/account-mapping', { user: 'finance.chen', body: { purpose: 'bank', accountCode: '1001', debit: '1' } });
    expect(extra.status).toBe(400);
    const wrongMonth = await stack.request('GET', '/finance/trial-balance?period=2026-13', { user: 'finance.chen' });
    expect(wrongMonth.status).toBe(400);
    const [audit] = await stack.sql`SELECT actor, outcome FROM audit_entries WHERE command = 'PUT /finance/account-mapping' ORDER BY id LIMIT 1`;
    expect(audit).toMatchObject({ actor: 'finance.chen', outcome: 'ok' });
    const chart = await ok('GET', '/finance/account-mapping', 'finance.chen');
    expect(chart.mapping).toContainEqual(expect.objectContaining({ purpose: 'receivable', customerGroup: 'vip', accountCode: '112201', updatedBy: 'finance.chen' }));
  });

  it('a receivable is cleared on the account its invoice was booked to, even after the mapping changed', async () => {
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0901', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '100.00' }] } });
    const number = created.body.order.number as string;
    await ok('POST', `/orders/${number}/approve`, 'manager.wang', {});
    await ok('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {});
    const invoice = (await ok('POST', `/orders/${number}/invoice`, 'finance.chen', {})).invoice as string;
    await ok('PUT', '/finance/accounts/112202', 'finance.chen', { nameZh: '应收账款-VIP新', nameEn: 'Receivables - VIP (new)', normalSide: 'debit' });
    await ok('PUT', '/finance/account-mapping', 'finance.chen', { purpose: 'receivable', customerGroup: 'vip', accountCode: '112202' });
    try {
      await ok('POST', `/orders/${number}/receipts`, 'finance.chen', { amount: '113.00', method: 'bank_transfer' });
      const lines = await stack.sql<{ account_code: string; credit: string }[]>`
        SELECT l.account_code, l.credit::text FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
        WHERE v.source_type = 'receipt' AND v.order_number = ${number} AND l.credit > 0`;
      expect(lines).toEqual([{ account_code: '112201', credit: '113.00' }]);
      const [left] = await stack.sql`
        SELECT (sum(l.debit) - sum(l.credit))::text AS open FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
        WHERE l.account_code = '112201' AND (v.source_number = ${invoice} OR (v.source_type = 'receipt' AND v.order_number = ${number}))`;
      expect(left!.open).toBe('0.00');
    } finally {
      await ok('PUT', '/finance/account-mapping', 'finance.chen', { purpose: 'receivable', customerGroup: 'vip', accountCode: '112201' });
    }
  });

  it("a customer's credit is cleared on the account it was booked to, even after the mapping changed; new credit goes to the new account", async () => {
    await stack.sql`INSERT INTO customers (code, name, grade, settlement_days) VALUES ('C0902', 'Credit buyer', 'vip', 30)`;
    const held = async () => {
      const rows = await stack.sql<{ account_code: string; held: string }[]>`
        SELECT account_code, (sum(credit) - sum(debit))::text AS held FROM voucher_lines
        WHERE customer_code = 'C0902' AND account_code IN ('2203', '220302') GROUP BY account_code ORDER BY account_code`;
      return Object.fromEntries(rows.map((r) => [r.account_code, r.held]));
    };
    const order = async () => {
      const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0902', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '100.00' }] } });
      expect(created.status).toBe(201);
      const number = created.body.order.number as string;
      await ok('POST', `/orders/${number}/approve`, 'manager.wang', {});
      const note = (await ok('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {})).deliveryNote as string;
      return { number, note };
    };
    // Credit booked to 2203: a paid invoice's goods returned (credit note 113.00), and an unallocated receipt (20.00).
    const a = await order();
    expect((await ok('POST', `/orders/${a.number}/invoice`, 'finance.chen', {})).gross).toBe('113.00');
    await ok('POST', `/orders/${a.number}/receipts`, 'finance.chen', { amount: '113.00', method: 'bank_transfer' });
    await ok('POST', `/orders/${a.number}/returns`, 'warehouse.zhao', { deliveryNote: a.note, disposition: 'redeliver', reason: 'broken', lines: [{ lineNo: 1, quantity: '1' }] });
    await ok('POST', '/receipts', 'finance.chen', { payerCode: 'C0902', amount: '20.00', method: 'bank_transfer' });
    expect(await held()).toEqual({ '2203': '133.00' });

    await ok('PUT', '/finance/accounts/220302', 'finance.chen', { nameZh: '预收账款-新', nameEn: 'Customer advances (new)', normalSide: 'credit' });
    await ok('PUT', '/finance/account-mapping', 'finance.chen', { purpose: 'advance', accountCode: '220302' });
    try {
      // A refund of part of the credit takes it off 2203, where it sits; the new account is not touched.
      expect((await ok('POST', '/finance/refunds', 'finance.chen', { payerCode: 'C0902', amount: '40.12', method: 'bank_transfer' })).creditLeft).toBe('72.88');
      expect(await held()).toEqual({ '2203': '92.88' });
      // An invoice taking the advance (20.00) and the credit (72.88) clears both on 2203.
      const b = await order();
      await ok('POST', `/orders/${b.number}/invoice`, 'finance.chen', {});
      expect(await held()).toEqual({ '2203': '0.00' });
      // New credit goes to the account the mapping names now, and is cleared there.
      await ok('POST', '/receipts', 'finance.chen', { payerCode: 'C0902', amount: '30.00', method: 'bank_transfer' });
      expect(await held()).toEqual({ '2203': '0.00', '220302': '9.88' });
      const c = await order();
      await ok('POST', `/orders/${c.number}/invoice`, 'finance.chen', {});
      expect(await held()).toEqual({ '2203': '0.00', '220302': '0.00' });

      // Lines posted before lines kept their purpose are found by their account: 2203 is a credit account, 1122 a receivable.
      await stack.sql.begin(async (tx) => {
        const [v] = await tx<{ id: string }[]>`
          INSERT INTO vouchers (number, voucher_date, source_type, source_number, currency, exchange_rate)
          VALUES ('JZ-LEGACY-00001', ${to}, 'receipt', 'RC-LEGACY', 'CNY', 1) RETURNING id`;
        await tx`INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, customer_code, doc_amount) VALUES
          (${v!.id}, 1, '1122', 5, 0, 'C0903', 5), (${v!.id}, 2, '2203', 0, 5, 'C0903', -5)`;
        expect(await advanceHeldByAccount(tx, 'C0903')).toEqual([{ account: '2203', doc: '5.00', base: '5.00' }]);
        throw new Error('rolled back');
      }).catch((e: Error) => expect(e.message).toBe('rolled back'));

      const tb = await ok('GET', `/finance/trial-balance?period=${period}`, 'finance.chen');
      expect(tb.totals.debit).toBe(tb.totals.credit);
      expect(tb.totals.closingDebit).toBe(tb.totals.closingCredit);
      const rows = Object.fromEntries((tb.items as { accountCode: string; closingDebit: string; closingCredit: string }[]).map((r) => [r.accountCode, [r.closingDebit, r.closingCredit]]));
      expect(rows['2203']).toEqual(['0.00', '0.00']);
      expect(rows['220302']).toEqual(['0.00', '0.00']);
    } finally {
      await ok('PUT', '/finance/account-mapping', 'finance.chen', { purpose: 'advance', accountCode: '2203' });
    }
  });

  it('the database refuses an unbalanced voucher at commit, and any change to a posted one', async () => {
    await expect(
      stack.sql.begin(async (tx) => {
        const [v] = await tx<{ id: string }[]>`
          INSERT INTO vouchers (number, voucher_date, source_type, source_number, currency, exchange_rate)
          VALUES ('JZ-TEST-00001', '2026-12-01', 'receipt', 'RC-TEST', 'CNY', 1) RETURNING id`;
        await tx`INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, doc_amount) VALUES (${v!.id}, 1, '1002', 10, 10)`;
      }),
    ).rejects.toThrow(/does not balance/);
    await expect(stack.sql`UPDATE voucher_lines SET memo = 'changed'`).rejects.toThrow(/append-only/);
    await expect(stack.sql`DELETE FROM vouchers`).rejects.toThrow(/append-only/);
  });
});
