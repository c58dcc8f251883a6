import { beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../domain/calendar.js';
import { dec, money, sum } from '../../domain/decimal.js';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

/**
 * The sales reports net returns (销退), allowances (折让) and their credit notes, on a
 * scenario run through the API (workflows, activities and all), every figure computed by hand.
 * Products: P0001 list 120.00, cost 80.00; P0003 list 3.50, cost 2.10; tax 13 % on both.
 *
 *   SO-A C0601: L1 P0001 10 @ 120.00, L2 P0003 100 @ 3.50, delivered in full on one note, invoiced:
 *       P0001 +10  net 1200.00 tax 156.00 cost  800.00 (10 × 80)
 *       P0003 +100 net  350.00 tax  45.50 cost  210.00 (100 × 2.10)        invoice gross 1751.50
 *   P0001's cost price is raised to 90.00.
 *   SO-B C0602: L1 P0001 5 @ 120.00, delivered and invoiced:
 *       P0001 +5   net  600.00 tax  78.00 cost  450.00 (5 × 90, the cost when it left)
 *   Return of 3 P0001 from SO-A's note (all invoiced, credit note 406.80):
 *       P0001 −3   net −360.00 tax −46.80 cost −240.00 (3 × 80, the cost that delivery booked, not 90)
 *   Allowance of 50.00 on SO-A L2 (credit note 56.50):
 *       P0003      net  −50.00 tax  −6.50 cost     0
 *
 *   By product:  P0001 qty 12, net 1440.00, cost 1010.00, margin 430.00 (29.86 %)
 *                P0003 qty 100, net 300.00, cost 210.00, margin 90.00 (30.00 %)
 *   By customer: C0601 net 1140.00, cost 770.00, margin 370.00 (32.46 %), share 1140/1740 = 65.52 %
 *                C0602 net 600.00, cost 450.00, margin 150.00 (25.00 %), share 600/1740 = 34.48 %
 *   All: net 1740.00, cost 1220.00, margin 520.00.
 *   C0601's detail: 1200.00 + 350.00 − 360.00 − 50.00 = 1140.00 net, 156.00 + 45.50 − 46.80 − 6.50 = 148.20 tax,
 *   1288.20 gross = its statement's invoice 1751.50 − credit notes 406.80 and 56.50.
 */
const stack = useStack();
const web = useBrowser(stack);
const today = businessDate(new Date(), 'Asia/Shanghai');
const period = `from=${today}&to=${today}`;
let orderA = '';
let noteA = '';
let returnNo = '';
let allowanceNo = '';
let returnCredit = '';
let allowanceCredit = '';

const ok = async (res: Promise<{ status: number; body: any }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const get = (path: string) => ok(stack.request('GET', path));

async function deliveredAndInvoiced(customerCode: string, lines: { productCode: string; quantity: string; unitPrice: string }[]) {
  const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines: lines.map((l) => ({ ...l, warehouseCode: 'WH-SH' })) } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const number = created.body.order.number as string;
  await ok(stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} }));
  const note = (await ok(stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} }))).deliveryNote as string;
  await ok(stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} }));
  return { number, note };
}

beforeAll(async () => {
  await stack.sql`INSERT INTO customers (code, name, settlement_days) VALUES ('C0601', 'Netting buyer', 30), ('C0602', 'Plain buyer', 30)`;
  ({ number: orderA, note: noteA } = await deliveredAndInvoiced('C0601', [
    { productCode: 'P0001', quantity: '10', unitPrice: '120.00' },
    { productCode: 'P0003', quantity: '100', unitPrice: '3.50' },
  ]));
  await stack.sql`UPDATE products SET cost_price = 90.00 WHERE code = 'P0001'`;
  await deliveredAndInvoiced('C0602', [{ productCode: 'P0001', quantity: '5', unitPrice: '120.00' }]);
  const ret = await ok(
    stack.request('POST', `/orders/${orderA}/returns`, {
      user: 'warehouse.zhao',
      body: { deliveryNote: noteA, disposition: 'cancel_remainder', reason: 'damaged', lines: [{ lineNo: 1, quantity: '3' }] },
    }),
  );
  const allow = await ok(stack.request('POST', `/orders/${orderA}/allowances`, { user: 'clerk.li', body: { reason: 'late', lines: [{ lineNo: 2, amount: '50.00' }] } }));
  expect([ret.creditGross, allow.creditGross]).toEqual(['406.80', '56.50']);
  [returnNo, allowanceNo, returnCredit, allowanceCredit] = [ret.salesReturn, allow.salesReturn, ret.creditNote, allow.creditNote];
  expect(returnNo).toMatch(/^SR/);
  // Still to deliver, for the expected-shipments page: 2 × 2500.00 expected on 2030-06-15.
  const open = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode: 'C0602', lines: [{ productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '2500.00', expectedDeliveryDate: '2030-06-15' }] },
  });
  expect(open.status, JSON.stringify(open.body)).toBe(201);
  expect(returnCredit).toMatch(/^CN/);
  expect(allowanceCredit).toMatch(/^CN/);
});

describe('sales reports net of returns, allowances and credit notes', () => {
  it('ranks products and customers by net sales: deliveries less returns and allowances', async () => {
    const byProduct = await get(`/reports/sales-ranking?by=product&${period}`);
    expect(byProduct.items.map((i: any) => [i.rank, i.code, i.quantity, i.net])).toEqual([
      [1, 'P0001', '12', '1440.00'],
      [2, 'P0003', '100', '300.00'],
    ]);
    expect(byProduct.totals).toEqual({ net: '1740.00', cost: '1220.00', margin: '520.00' });
    expect(byProduct.basis.en).toMatch(/^Delivered net of returns, allowances and their credit notes, excluding tax/);
    expect(byProduct.basis.zh).toMatch(/^出货减销退、折让/);
    const byCustomer = await get(`/reports/sales-ranking?by=customer&${period}`);
    expect(byCustomer.items.map((i: any) => [i.rank, i.code, i.net])).toEqual([
      [1, 'C0601', '1140.00'],
      [2, 'C0602', '600.00'],
    ]);
  });

  it('gives each customer its share of net sales', async () => {
    const r = await get(`/reports/customer-contribution?${period}`);
    expect(r.items.map((i: any) => [i.code, i.net, i.sharePercent, i.cumulativeSharePercent])).toEqual([
      ['C0601', '1140.00', '65.52', '65.52'],
      ['C0602', '600.00', '34.48', '100.00'],
    ]);
    expect(r.totals.net).toBe('1740.00');
  });

  it('takes a return back at the cost its delivery booked, and an allowance off net but not off cost', async () => {
    const byProduct = await get(`/reports/gross-margin?by=product&${period}`);
    expect(byProduct.items.map((i: any) => [i.code, i.net, i.cost, i.margin, i.marginPercent])).toEqual([
      ['P0001', '1440.00', '1010.00', '430.00', '29.86'],
      ['P0003', '300.00', '210.00', '90.00', '30.00'],
    ]);
    const byCustomer = await get(`/reports/gross-margin?by=customer&${period}`);
    expect(byCustomer.items.map((i: any) => [i.code, i.net, i.cost, i.margin, i.marginPercent])).toEqual([
      ['C0601', '1140.00', '770.00', '370.00', '32.46'],
      ['C0602', '600.00', '450.00', '150.00', '25.00'],
    ]);
    expect(byCustomer.totals).toEqual({ net: '1740.00', cost: '1220.00', margin: '520.00' });
  });

  it('lists a customer\'s deliveries, returns and allowances with their credit notes', async () => {
    const r = await get(`/reports/customer-sales-detail?customerCode=C0601&${period}`);
    expect(r.items.map((i: any) => [i.kind, i.document, i.deliveryNote, i.creditNote, i.orderLineNo, i.productCode, i.quantity, i.net, i.tax, i.gross])).toEqual([
      ['delivery', noteA, noteA, null, 1, 'P0001', '10', '1200.00', '156.00', '1356.00'],
      ['delivery', noteA, noteA, null, 2, 'P0003', '100', '350.00', '45.50', '395.50'],
      ['return', returnNo, noteA, returnCredit, 1, 'P0001', '-3', '-360.00', '-46.80', '-406.80'],
      ['allowance', allowanceNo, null, allowanceCredit, 2, 'P0003', '0', '-50.00', '-6.50', '-56.50'],
    ]);
    expect(r.items.every((i: any) => i.date === today && i.orderNumber === orderA)).toBe(true);
    expect(r.totals).toEqual({ net: '1140.00', tax: '148.20', gross: '1288.20' });
  });

  it('reconciles the customer sales detail with the customer\'s statement for the same period', async () => {
    const detail = await get(`/reports/customer-sales-detail?customerCode=C0601&${period}`);
    const statement = await get(`/finance/statement?customer=C0601&${period}`);
    // Sales movements on the statement: its invoices and credit notes (receipts and write-offs are money, not sales).
    expect(statement.totals).toMatchObject({ invoices: '1751.50', creditNotes: '-463.30' });
    const sales = statement.lines.filter((l: any) => l.kind === 'invoice' || l.kind === 'credit_note');
    expect(sales.map((l: any) => l.amount)).toEqual(['1751.50', '-406.80', '-56.50']);
    expect(detail.totals.gross).toBe('1288.20');
    expect(money(sum(sales.map((l: any) => dec(l.amount))))).toBe(detail.totals.gross);
    // Each credit note on the statement is named on the detail row it came from.
    const credits = statement.lines.filter((l: any) => l.kind === 'credit_note').map((l: any) => l.document);
    expect(credits).toEqual([returnCredit, allowanceCredit]);
  });
});

describe('历史交易记录表 with a return', () => {
  it('names the customer behind a return, as it does behind a delivery', async () => {
    const r = await get(`/reports/product-transactions?productCode=P0001&warehouseCode=WH-SH&${period}`);
    const moves = r.items.filter((i: any) => i.document === noteA || i.document === returnNo);
    expect(moves.map((i: any) => [i.kind, i.document, i.customerCode, i.onHandChange])).toEqual([
      ['deliver', noteA, 'C0601', '-10'],
      ['return', returnNo, 'C0601', '3'],
    ]);
    expect(r.basis.en).toMatch(/^Every stock move of the product/);
  });
});

describe('the report pages on the console', () => {
  it('state their basis and show returns and allowances as rows, in Chinese', async () => {
    const page = await web.browser.newPage();
    await signInAs(web, page, 'finance.chen', 'zh-CN');
    await page.goto(`${web.base}/console/reports/customer-sales-detail?customerCode=C0601&${period}`);
    expect(await page.locator('[data-basis]').innerText()).toMatch(/^口径：该客户（订单客户）的每笔出货、销退、折让一行/);
    const rows = await page.locator('main table tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(1, 2)[0])).toEqual(['出货', '出货', '销退', '折让']);
    expect(rows[2]).toContain(returnCredit);
    expect(rows[2]).toContain('-406.80');
    expect(await page.locator('[data-totals]').innerText()).toContain('1,140.00');
    await shot(page, 'console-report-customer-sales-detail-netted');
    await page.goto(`${web.base}/console/reports/gross-margin?by=product&${period}`);
    expect(await page.locator('[data-basis]').innerText()).toMatch(/^口径：出货减销退、折让/);
    await page.close();
  });

  it('show expected shipments by 预交货日 with its filters, in English', async () => {
    const page = await web.browser.newPage();
    await signInAs(web, page, 'clerk.li', 'en');
    await page.goto(`${web.base}/console/reports/expected-shipments`);
    await page.getByLabel('Expected from').fill('2030-06-01');
    await page.getByLabel('Expected to').fill('2030-06-30');
    await page.getByLabel('Customer').fill('C0602');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('main table thead').innerText()).toMatch(/^Expected delivery/);
    const rows = await page.locator('main table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^2030-06-15\t/);
    expect(rows[0]).toContain('5,000.00');
    expect(await page.locator('[data-basis]').innerText()).toMatch(/^Basis: Open quantity/);
    await shot(page, 'console-report-expected-shipments');
    await page.getByLabel('Expected from').fill('2030-07-01');
    await page.getByLabel('Expected to').fill('');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('main table tbody tr').count()).toBe(0);
    await page.close();
  });
});

describe('a USD customer: the detail reconciles with the statement to the cent', () => {
  it("converts each document's rows to add up to its own base totals, as the statement converts the credit note", async () => {
    await stack.sql`INSERT INTO customers (code, name, currency, settlement_days, credit_control, credit_limit) VALUES ('CU19', 'Pacific (USD)', 'USD', 30, 'customer', 1000000)`;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect((await stack.request('PUT', '/finance/exchange-rates', { user: 'finance.chen', body: { rates: [{ currency: 'USD', date: yesterday, rate: '7.1102' }] } })).status).toBe(200);
    // L1 P0002 2 @ 333.33: net 666.66 tax 86.67; L2 P0001 3 @ 17.777: net 53.33 tax 6.93; invoice 813.59 USD = 5,784.79 CNY.
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'CU19', lines: [{ productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '333.33' }, { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '17.777' }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const number = created.body.order.number as string;
    await ok(stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} }));
    await ok(stack.request('POST', `/orders/${number}/approve`, { user: 'credit.sun', body: {} })); // prices under the floor
    await ok(stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} }));
    await ok(stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} }));
    // An allowance of 10.00 + 1.30 tax: credit note 11.30 USD × 7.1102 = 80.34526 → 80.35 CNY (tax 9.24, net 71.11),
    // where converting net and tax apart gives 71.10 + 9.24 = 80.34.
    const allow = await ok(stack.request('POST', `/orders/${number}/allowances`, { user: 'finance.chen', body: { reason: 'scratch', lines: [{ lineNo: 1, amount: '10.00' }] } }));
    expect(allow.creditGross).toBe('11.30');
    const statement = await get(`/finance/statement?customer=CU19&${period}`);
    expect(statement.totals).toMatchObject({ invoices: '5784.79', creditNotes: '-80.35' });
    const detail = await get(`/reports/customer-sales-detail?customerCode=CU19&${period}`);
    expect(detail.items.map((i: any) => [i.kind, i.productCode, i.net, i.tax, i.gross, i.documentGross])).toEqual([
      ['delivery', 'P0001', '379.19', '49.27', '428.46', '60.26'],
      ['delivery', 'P0002', '4740.09', '616.24', '5356.33', '753.33'],
      ['allowance', 'P0002', '-71.11', '-9.24', '-80.35', '-11.30'],
    ]);
    expect(detail.totals).toEqual({ net: '5048.17', tax: '656.27', gross: '5704.44' });
    expect(detail.totals.gross).toBe(money(dec(statement.totals.invoices).plus(dec(statement.totals.creditNotes))));
    // The CSV carries the USD amount beside the CNY ones, as the page does: a USD column beside CNY figures alone misleads.
    const csv = await stack.request('GET', `/reports/customer-sales-detail?customerCode=CU19&${period}&format=csv`);
    const rows = String(csv.body).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/,gross,currency,documentGross$/);
    expect(rows[3]).toMatch(/,-71\.11,-9\.24,-80\.35,USD,-11\.30$/);
    // The ranking counts the same net sales.
    const ranking = await get(`/reports/sales-ranking?by=customer&${period}`);
    expect(ranking.items.find((i: any) => i.code === 'CU19').net).toBe('5048.17');
  });
});
