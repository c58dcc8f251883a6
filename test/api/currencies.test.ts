import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.js';
import { consoleSignIn } from '../support/console-session.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

// The business day is the UTC day or the next one (Asia/Shanghai): rates dated before the UTC day hold for it.
const utcToday = new Date().toISOString().slice(0, 10);
const day = (n: number) => addDays(utcToday, n);
const LINES = [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '100' }]; // 1,000.00 + 13% = 1,130.00

const putRates = (rates: unknown, user = 'finance.chen') => stack.request('PUT', '/finance/exchange-rates', { user, body: { rates } });

async function createOrder(customerCode: string) {
  return stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines: LINES } });
}

async function deliveredOrder(customerCode: string): Promise<string> {
  const created = await createOrder(customerCode);
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
  return number;
}

const counts = async () =>
  (
    await stack.sql<{ orders: number; invoices: number; receipts: number; entries: number; allocations: number }[]>`
      SELECT (SELECT count(*) FROM sales_orders)::int AS orders, (SELECT count(*) FROM invoices)::int AS invoices,
             (SELECT count(*) FROM receipts)::int AS receipts, (SELECT count(*) FROM receivable_entries)::int AS entries,
             (SELECT count(*) FROM receipt_allocations)::int AS allocations`
  )[0]!;

beforeAll(async () => {
  await stack.sql`
    INSERT INTO customers (code, name, currency, settlement_days, credit_control, credit_limit)
    VALUES ('CU01', 'Pacific Imports (USD)', 'USD', 30, 'customer', 1000000), ('CF01', 'Zürich Werkzeug (CHF)', 'CHF', 30, 'customer', 1000000),
           ('CJ01', 'Osaka Parts (JPY)', 'JPY', 30, 'customer', 1000000)`;
  // USD: 7.30 from five days ago, 7.1234 from yesterday (after the demo's rates). No CHF rate at all.
  const res = await putRates([
    { currency: 'USD', date: day(-5), rate: '7.30' },
    { currency: 'USD', date: day(-1), rate: '7.1234' },
    { currency: 'JPY', date: day(-1), rate: '0.0481' },
  ]);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ baseCurrency: 'CNY', saved: 3 });
});

describe('a USD order, invoiced at one rate and paid at another', () => {
  let number: string;
  let invoice: string;

  it('the order and its invoice keep their totals in CNY at the rate of their date', async () => {
    number = await deliveredOrder('CU01');
    const [o] = await stack.sql`SELECT currency, fx_rate::text, base_net_amount::text, base_tax_amount::text, base_gross_amount::text FROM sales_orders WHERE number = ${number}`;
    // 1,130.00 × 7.1234 = 8,049.4442 → 8,049.44; tax 130.00 × 7.1234 = 926.042 → 926.04; net the difference.
    expect(o).toEqual({ currency: 'USD', fx_rate: '7.12340000', base_net_amount: '7123.40', base_tax_amount: '926.04', base_gross_amount: '8049.44' });
    const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(inv.status).toBe(200);
    invoice = inv.body.invoice;
    expect(inv.body.gross).toBe('1130.00');
    const [i] = await stack.sql`SELECT currency, fx_rate::text, base_gross_amount::text FROM invoices WHERE number = ${invoice}`;
    expect(i).toEqual({ currency: 'USD', fx_rate: '7.12340000', base_gross_amount: '8049.44' });
    const [d] = await stack.sql`SELECT d.currency, d.fx_rate::text FROM delivery_notes d JOIN sales_orders o ON o.id = d.order_id WHERE o.number = ${number}`;
    expect(d).toEqual({ currency: 'USD', fx_rate: '7.12340000' });
  });

  it("the sales reports count it in CNY at its delivery note's rate, with the USD amount beside in the detail", async () => {
    const period = `from=${day(-30)}&to=${day(2)}`;
    const detail = await stack.request('GET', `/reports/customer-sales-detail?customerCode=CU01&${period}`, { user: 'manager.wang' });
    // 1,000.00 × 7.1234 = 7,123.40 net; 130.00 × 7.1234 = 926.042 → 926.04 tax.
    expect(detail.body.items.map((i: Record<string, string>) => [i.kind, i.net, i.tax, i.gross, i.currency, i.documentGross])).toEqual([
      ['delivery', '7123.40', '926.04', '8049.44', 'USD', '1130.00'],
    ]);
    const contribution = await stack.request('GET', `/reports/customer-contribution?${period}`, { user: 'manager.wang' });
    expect(contribution.body.items.find((i: { code: string }) => i.code === 'CU01')).toMatchObject({ net: '7123.40' });
  });

  it('a receipt dated when USD stood at 7.30 books its exchange gain to the cent, and shows it', async () => {
    const res = await stack.request('POST', '/receipts', {
      user: 'finance.chen',
      body: { payerCode: 'CU01', amount: '500.00', method: 'bank_transfer', receivedOn: day(-5), allocations: [{ invoiceNumber: invoice, amount: '500.00' }] },
    });
    expect(res.status).toBe(200);
    // 500.00 × 7.30 = 3,650.00 received; it clears 500.00 × 7.1234 = 3,561.70 of the invoice: a gain of 88.30.
    expect(res.body).toMatchObject({ currency: 'USD', fxRate: '7.3', baseAmount: '3650.00', exchangeDifference: '88.30' });
    const [a] = await stack.sql`
      SELECT a.base_amount::text, a.exchange_difference::text FROM receipt_allocations a JOIN receipts r ON r.id = a.receipt_id WHERE r.number = ${res.body.number}`;
    expect(a).toEqual({ base_amount: '3561.70', exchange_difference: '88.30' });

    // Its voucher: the bank at the receipt's rate, the receivable cleared at the invoice's, the gain to 汇兑损益.
    const lines = await stack.sql<{ account_code: string; debit: string; credit: string; doc_amount: string }[]>`
      SELECT l.account_code, l.debit::text, l.credit::text, l.doc_amount::text FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
      WHERE v.source_type = 'receipt' AND v.source_number = ${res.body.number} ORDER BY l.line_no`;
    expect(lines).toEqual([
      { account_code: '1002', debit: '3650.00', credit: '0.00', doc_amount: '500.00' },
      { account_code: '1122', debit: '0.00', credit: '3561.70', doc_amount: '-500.00' },
      { account_code: '660302', debit: '0.00', credit: '88.30', doc_amount: '0.00' },
    ]);
  });

  it('aging, the statement and credit exposure are in CNY, with the USD amounts shown', async () => {
    const aging = await stack.request('GET', '/finance/aging', { user: 'finance.chen' });
    const row = aging.body.customers.find((c: { customerCode: string }) => c.customerCode === 'CU01');
    // 8,049.44 − 3,561.70 in CNY; 630.00 in USD.
    expect(row).toMatchObject({ total: '4487.74', current: '4487.74', documentOpen: [{ currency: 'USD', open: '630.00' }] });
    // Stuck payments add orders up in CNY too (630.00 USD at the order's 7.1234), the USD amount on the order's row.
    const stuck = await stack.request('GET', '/finance/stuck-payments?customerCode=CU01', { user: 'finance.chen' });
    expect(stuck.body.totals).toEqual({ amountDue: '4487.74', currency: 'CNY' });
    expect(stuck.body.items.map((i: Record<string, string>) => [i.currency, i.amountDue])).toEqual([['USD', '630.00']]);
    // The books' receivables for this customer are what aging says is open, in CNY.
    const [books] = await stack.sql`SELECT (sum(debit) - sum(credit))::text AS balance FROM voucher_lines WHERE account_code = '1122' AND customer_code = 'CU01'`;
    expect(books!.balance).toBe('4487.74');

    const st = await stack.request('GET', `/finance/statement?customer=CU01&from=${day(-30)}&to=${day(2)}`, { user: 'finance.chen' });
    expect(st.status).toBe(200);
    expect(st.body.currency).toBe('CNY');
    expect(st.body.lines.map((l: Record<string, string>) => [l.kind, l.currency, l.documentAmount, l.amount])).toEqual([
      ['receipt', 'USD', '-500.00', '-3650.00'],
      ['invoice', 'USD', '1130.00', '8049.44'],
      ['exchange_difference', 'USD', '0.00', '88.30'],
    ]);
    // The statement's CNY balance is what aging says is open: the gain bridges the two rates.
    expect(st.body.closingBalance).toBe('4487.74');
    expect(st.body.totals.exchangeDifferences).toBe('88.30');

    // A second USD order sees the open receivable in CNY, and itself at its CNY value.
    const second = await createOrder('CU01');
    expect(second.status).toBe(201);
    const credit = second.body.order.checks.find((c: { code: string }) => c.code === 'CREDIT_LIMIT_EXCEEDED');
    expect(credit.details).toMatchObject({ openReceivables: '4487.74', newOrder: '8049.44' });
  });
});

describe('a USD credit paid back at another rate', () => {
  it("leaves the payer's credit at the rate it came in and books the difference to 汇兑损益", async () => {
    await stack.sql`INSERT INTO customers (code, name, currency, settlement_days, credit_control, credit_limit) VALUES ('CU02', 'Atlantic Goods (USD)', 'USD', 30, 'customer', 1000000)`;
    const number = await deliveredOrder('CU02');
    const invoiced = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(invoiced.status).toBe(200);
    const paid = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '1130.00', method: 'bank_transfer' } });
    expect(paid.status).toBe(200);
    await stack.client.workflow.getHandle(`order-${number}`).result();
    const [note] = await stack.sql`SELECT d.number FROM delivery_notes d JOIN sales_orders o ON o.id = d.order_id WHERE o.number = ${number}`;
    // One of ten back: 113.00 USD of credit, at the invoice's 7.1234 = 804.94 CNY.
    const returned = await stack.request('POST', `/orders/${number}/returns`, {
      user: 'warehouse.zhao', body: { deliveryNote: note!.number, disposition: 'cancel_remainder', reason: 'damaged', lines: [{ lineNo: 1, quantity: '1' }] },
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body.customerCredit).toBe('113.00');
    // Today USD stands at 7.50: 40.00 paid back is 300.00 out of the bank; the credit it takes leaves at the credit's
    // average: 40 / 113 of 804.94 = 284.9345 → 284.93; the difference, 15.07, is an exchange loss.
    expect((await putRates([{ currency: 'USD', date: day(0), rate: '7.50' }])).status).toBe(200);
    const refund = await stack.request('POST', '/finance/refunds', { user: 'finance.chen', body: { payerCode: 'CU02', amount: '40.00', method: 'bank_transfer' } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    const lines = await stack.sql<{ account_code: string; debit: string; credit: string }[]>`
      SELECT l.account_code, l.debit::text, l.credit::text FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
      WHERE v.source_type = 'refund' AND v.source_number = ${refund.body.number} ORDER BY l.line_no`;
    expect(lines).toEqual([
      { account_code: '2203', debit: '284.93', credit: '0.00' },
      { account_code: '1002', debit: '0.00', credit: '300.00' },
      { account_code: '660302', debit: '15.07', credit: '0.00' },
    ]);
    // What is left of the credit is still worth what it came in at: 804.94 − 284.93.
    const [left] = await stack.sql`SELECT (sum(credit) - sum(debit))::text AS base FROM voucher_lines WHERE account_code = '2203' AND customer_code = 'CU02'`;
    expect(left!.base).toBe('520.01');
  });
});

describe('a credit note settling an invoice booked at another rate', () => {
  it("clears it in the books at that invoice's rate, so the receivables account stays what aging says is open", async () => {
    await stack.sql`INSERT INTO customers (code, name, currency, settlement_days, credit_control, credit_limit) VALUES ('CU03', 'Baltic Traders (USD)', 'USD', 30, 'customer', 1000000)`;
    expect((await putRates([{ currency: 'USD', date: day(0), rate: '7.6' }])).status).toBe(200);
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'CU03', lines: [
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10' },
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '100' },
      ] },
    });
    const number = created.body.order.number as string;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    // Invoice A (line 1: 113.00 USD) at 7.6, invoice B (line 2: 113.00 USD) at 7.8.
    const a = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: { lines: [{ lineNo: 1, quantity: '10' }] } });
    expect((await putRates([{ currency: 'USD', date: day(0), rate: '7.8' }])).status).toBe(200);
    const b = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect([a.body.gross, b.body.gross]).toEqual(['113.00', '113.00']);
    const paid = await stack.request('POST', '/receipts', {
      user: 'finance.chen', body: { payerCode: 'CU03', amount: '113.00', method: 'bank_transfer', allocations: [{ invoiceNumber: a.body.invoice, amount: '113.00' }] },
    });
    expect(paid.status).toBe(200);
    // Half of line 1 back: A is paid, so its 56.50 USD of credit settles B, booked at 7.8.
    const returned = await stack.request('POST', `/orders/${number}/returns`, {
      user: 'warehouse.zhao', body: { deliveryNote: delivered.body.deliveryNote, disposition: 'cancel_remainder', reason: 'bad', lines: [{ lineNo: 1, quantity: '5' }] },
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    const aging = await stack.request('GET', '/finance/aging', { user: 'finance.chen' });
    const open = aging.body.customers.find((c: { customerCode: string }) => c.customerCode === 'CU03');
    // B: 113 × 7.8 = 881.40, less 56.50 × 7.8 = 440.70: 440.70 open.
    expect(open).toMatchObject({ total: '440.70', documentOpen: [{ currency: 'USD', open: '56.50' }] });
    const [books] = await stack.sql`SELECT (sum(debit) - sum(credit))::text AS balance FROM voucher_lines WHERE account_code = '1122' AND customer_code = 'CU03'`;
    expect(books!.balance).toBe('440.70');
    const stuck = await stack.request('GET', '/finance/stuck-payments?customerCode=CU03', { user: 'finance.chen' });
    expect(stuck.body.totals).toEqual({ amountDue: '440.70', currency: 'CNY' });
  });
});

describe('a missing rate refuses the document, with nothing written', () => {
  it('an order in a currency without any rate (CHF): 422 naming currency and date', async () => {
    const before = await counts();
    const res = await createOrder('CF01');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'EXCHANGE_RATE_MISSING', field: 'currency', details: { currency: 'CHF' } });
    expect(res.body.error.details.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await counts()).toEqual(before);
  });

  it('a receipt dated before the first rate', async () => {
    const before = await counts();
    // The demo's first USD rate is 2026-01-02.
    const res = await stack.request('POST', '/receipts', { user: 'finance.chen', body: { payerCode: 'CU01', amount: '10.00', method: 'cash', receivedOn: '2025-12-31' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'EXCHANGE_RATE_MISSING', details: { currency: 'USD', date: '2025-12-31' } });
    expect(await counts()).toEqual(before);
  });

  it('an invoice once its rate is gone, and it goes through when the rate is entered', async () => {
    const number = await deliveredOrder('CJ01');
    // Only a test can take a rate away (the API corrects, never deletes): the invoice then has none on or before its date.
    await stack.sql`DELETE FROM exchange_rates WHERE currency = 'JPY'`;
    const before = await counts();
    const refused = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'EXCHANGE_RATE_MISSING', details: { currency: 'JPY' } });
    expect(await counts()).toEqual(before);
    expect((await putRates([{ currency: 'JPY', date: day(-1), rate: '0.0481' }])).status).toBe(200);
    const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(inv.status).toBe(200);
    const [i] = await stack.sql`SELECT base_gross_amount::text FROM invoices WHERE number = ${inv.body.invoice}`;
    // 1,130.00 JPY × 0.0481 = 54.353 → 54.35 CNY.
    expect(i!.base_gross_amount).toBe('54.35');
  });
});

describe('the rate API refuses what cannot be a rate', () => {
  const cases: [string, unknown, string][] = [
    ['zero', { currency: 'USD', date: day(-2), rate: '0' }, 'rates.0.rate'],
    ['negative', { currency: 'USD', date: day(-2), rate: '-7.1' }, 'rates.0.rate'],
    ['huge', { currency: 'USD', date: day(-2), rate: '1000000' }, 'rates.0.rate'],
    ['too many decimals', { currency: 'USD', date: day(-2), rate: '7.123456789' }, 'rates.0.rate'],
    ['a NUL in the currency', { currency: 'US\u0000', date: day(-2), rate: '7.1' }, 'rates.0.currency'],
    ['an unknown currency', { currency: 'XYZ', date: day(-2), rate: '7.1' }, 'rates.0.currency'],
    ['a day the calendar lacks', { currency: 'USD', date: '2026-02-30', rate: '7.1' }, 'rates.0.date'],
    ['an unknown field', { currency: 'USD', date: day(-2), rate: '7.1', note: 'x' }, 'rates.0.note'],
  ];
  it.each(cases)('%s', async (_what, rate, field) => {
    const res = await putRates([rate]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.field.replace(/\[(\d+)\]/g, '.$1')).toBe(field);
    const [n] = await stack.sql`SELECT count(*)::int AS n FROM exchange_rates WHERE rate_on = ${day(-2)}`;
    expect(n!.n).toBe(0);
  });

  it('the base currency has no rate to enter', async () => {
    const res = await putRates([{ currency: 'CNY', date: day(-2), rate: '1' }]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'rates[0].currency' });
  });

  it('a clerk may not enter rates; the command is audited', async () => {
    const res = await putRates([{ currency: 'USD', date: day(-2), rate: '7.2' }], 'clerk.li');
    expect(res.status).toBe(403);
    const [a] = await stack.sql`SELECT count(*)::int AS n FROM audit_entries WHERE path = '/finance/exchange-rates'`;
    expect(a!.n).toBeGreaterThan(0);
  });

  it('imports a CSV all or nothing', async () => {
    const post = (csv: string) => stack.request('POST', '/finance/exchange-rates/import', { user: 'finance.chen', body: csv, headers: { 'content-type': 'text/csv' } });
    const bad = await post(`currency,date,fxRate\nGBP,${day(-2)},9.1\nGBP,${day(-2)},0\n`);
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'IMPORT_REJECTED', details: { errors: [{ line: 3, field: 'fxRate' }] } });
    const [none] = await stack.sql`SELECT count(*)::int AS n FROM exchange_rates WHERE currency = 'GBP'`;
    expect(none!.n).toBe(0);
    const ok = await post(`currency,date,fxRate\nGBP,${day(-2)},9.1\nGBP,${day(-1)},9.15\n`);
    expect(ok.status).toBe(200);
    expect(ok.body.saved).toBe(2);
    const listed = await stack.request('GET', '/finance/exchange-rates?currency=GBP', { user: 'finance.chen' });
    expect(listed.body.rates.map((r: { date: string; rate: string }) => [r.date, r.rate])).toEqual([
      [day(-1), '9.15'],
      [day(-2), '9.1'],
    ]);
  });
});

describe('an amount that fits in USD but not in CNY', () => {
  it('is refused naming the field, with nothing written', async () => {
    const before = await counts();
    // 9,999,999,999,999,999.99 USD fits an amount column; at 7.1234 it is 71 quadrillion CNY, which does not.
    const receipt = await stack.request('POST', '/receipts', { user: 'finance.chen', body: { payerCode: 'CU01', amount: '9999999999999999.99', method: 'cash' } });
    expect([receipt.status, receipt.body.error.code, receipt.body.error.field]).toEqual([400, 'VALIDATION_FAILED', 'amount']);
    expect(receipt.body.error.message).toContain('in the base currency');
    // Two lines of 4,500,000,000,000,000 USD each: the order fits in USD, not in CNY.
    const lines = [1, 2].map(() => ({ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '4500', unitPrice: '884955752212' }));
    const order = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'CU01', lines } });
    expect([order.status, order.body.error?.code, order.body.error?.field]).toEqual([400, 'VALIDATION_FAILED', 'lines']);
    expect(await counts()).toEqual(before);
  });
});

describe("the console's 汇率 page", () => {
  it('leads finance to the file import of rates, which the 批量导入 page offers at that anchor', async () => {
    const finance = await consoleSignIn(stack, 'finance.chen');
    const rates = await (await stack.app.request('/console/finance/exchange-rates', { headers: { cookie: finance.cookie } })).text();
    expect(rates).toContain('href="/console/imports#exchange_rates"');
    const imports = await (await stack.app.request('/console/imports', { headers: { cookie: finance.cookie } })).text();
    expect(imports).toMatch(/<section[^>]*id="exchange_rates"/);
  });
});
