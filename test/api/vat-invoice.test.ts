import { beforeAll, describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { businessDate } from '../../domain/calendar.js';
import { creditNotePrint, invoicePrint } from '../../db/documents/billing.js';
import { consoleSignIn, type ConsoleUser } from '../support/console-session.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const TAX_ID = '91350100M000100Y43';
const today = () => businessDate(new Date(), 'Asia/Shanghai');

beforeAll(async () => {
  await stack.sql`
    INSERT INTO customers (code, name, settlement_days, tax_id, invoice_address, bank_name, bank_account)
    VALUES ('C0801', '福州闽江电子有限公司', 30, ${TAX_ID}, '福州市鼓楼区五四路 1 号 0591-00000000', '工商银行福州分行', '1402000000000000000')`;
});

const invoice = (number: string, body: unknown, user = 'finance.chen') => stack.request('POST', `/orders/${number}/invoice`, { user, body });
const invoiceRows = (number: string) => stack.sql<{ number: string; order_line_no: number; quantity: string; net: string; tax: string }[]>`
  SELECT i.number, il.order_line_no, il.quantity::text, il.net_amount::text AS net, il.tax_amount::text AS tax
  FROM invoices i JOIN invoice_lines il ON il.invoice_id = i.id JOIN sales_orders o ON o.id = i.order_id
  WHERE o.number = ${number} ORDER BY i.id, il.order_line_no`;

/** Line 1: 3 m of cable at 33.333 (13%: 100.00 + 13.00 whole); line 2: 3 h at 0.335 (6%: 1.01 + 0.06 whole). */
async function deliveredOrder() {
  const created = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: {
      customerCode: 'C0801',
      lines: [
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' },
        { productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '0.335' },
      ],
    },
  });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  expect(created.body.order.totals.gross).toBe('114.07');
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
  expect(delivered.status).toBe(200);
  return { number, deliveryNote: delivered.body.deliveryNote as string };
}

let order: { number: string; deliveryNote: string };
const invoices: string[] = [];

describe('partial invoicing (部分开票)', () => {
  it('invoices chosen parts of two lines, then the rest; each invoice exact to the cent and all of them add up to the lines', async () => {
    order = await deliveredOrder();
    expect((await invoice(order.number, { lines: [{ lineNo: 1, quantity: '1' }, { lineNo: 2, quantity: '1' }] }, 'clerk.li')).status).toBe(403);

    const first = await invoice(order.number, { lines: [{ lineNo: 1, quantity: '1' }, { lineNo: 2, quantity: '1' }] });
    expect(first.status).toBe(200);
    // 33.333 → 33.33 + 4.33; 0.335 → 0.34 + 0.02.
    expect(first.body.gross).toBe('38.02');
    invoices.push(first.body.invoice);
    const second = await invoice(order.number, { lines: [{ lineNo: 2, quantity: '1' }] });
    // Two hours come to 0.67 + 0.04; the first took 0.34 + 0.02.
    expect(second.body.gross).toBe('0.35');
    invoices.push(second.body.invoice);

    // More than delivered and not yet invoiced (2 left on line 1): refused whole, naming the field; nothing invoiced.
    const over = await invoice(order.number, { lines: [{ lineNo: 2, quantity: '1' }, { lineNo: 1, quantity: '2.0001' }] });
    expect([over.status, over.body.error.code, over.body.error.field]).toEqual([422, 'OVER_INVOICE', 'lines[1].quantity']);
    expect(over.body.error.details).toMatchObject({ lineNo: 1, uninvoicedQty: '2' });
    const zero = await invoice(order.number, { lines: [{ lineNo: 1, quantity: '0' }] });
    expect([zero.status, zero.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await invoice(order.number, { lines: [{ lineNo: 7, quantity: '1' }] });
    expect([unknown.status, unknown.body.error.field]).toEqual([404, 'lines[0].lineNo']);
    expect((await invoiceRows(order.number)).length).toBe(3);

    // The rest, as before partial invoicing existed: everything delivered and not yet invoiced.
    const rest = await invoice(order.number, {});
    expect(rest.status).toBe(200);
    expect(rest.body.gross).toBe('75.70');
    invoices.push(rest.body.invoice);
    const rows = await invoiceRows(order.number);
    expect(rows.map((r) => [r.order_line_no, r.quantity, r.net, r.tax])).toEqual([
      [1, '1.0000', '33.33', '4.33'],
      [2, '1.0000', '0.34', '0.02'],
      [2, '1.0000', '0.33', '0.02'],
      [1, '2.0000', '66.67', '8.67'],
      [2, '1.0000', '0.34', '0.02'],
    ]);
    // Sum of the invoices = the order, to the cent (three separately rounded hours would be 1.02, not 1.01).
    const live = (await stack.request('GET', `/orders/${order.number}`)).body;
    expect(live.live.invoicedTotal).toBe('114.07');
    expect(live.live.lines.map((l: { invoicedQty: string }) => l.invoicedQty)).toEqual(['3', '3']);
    expect((await invoice(order.number, {})).body.error.code).toBe('NOTHING_TO_INVOICE');
  });
});

describe('VAT invoice data (增值税发票信息)', () => {
  const patch = (number: string, body: unknown, user = 'finance.chen') => stack.request('PATCH', `/invoices/${number}/tax-data`, { user, body });

  it('records the type with the buyer from the payer master, then the tax number; checks the tax id; a tax number is one invoice', async () => {
    const [first, second] = invoices as [string, string];
    expect((await patch(first, { vatType: 'special' }, 'clerk.li')).status).toBe(403);
    const typed = await patch(first, { vatType: 'special' });
    expect(typed.status).toBe(200);
    expect(typed.body).toMatchObject({ vatType: 'special', buyerTaxId: TAX_ID, buyerBankName: '工商银行福州分行', taxNumber: null, recordedBy: 'finance.chen' });

    const badId = await patch(second, { vatType: 'special', buyerTaxId: '91350100M000100Y44' });
    expect([badId.status, badId.body.error.code, badId.body.error.field]).toEqual([400, 'VALIDATION_FAILED', 'buyerTaxId']);
    const noDate = await patch(first, { taxNumber: '26352000000012345678' });
    expect([noDate.status, noDate.body.error.field]).toEqual([400, 'taxDate']);

    const numbered = await patch(first, { taxNumber: '26352000000012345678', taxDate: today() });
    expect(numbered.status).toBe(200);
    expect((await stack.request('GET', `/invoices/${first}/tax-data`)).body).toMatchObject({ taxNumber: '26352000000012345678', taxDate: today() });

    const twice = await patch(second, { vatType: 'ordinary', taxNumber: '26352000000012345678', taxDate: today() });
    expect([twice.status, twice.body.error.code, twice.body.error.field]).toEqual([409, 'DUPLICATE', 'taxNumber']);
    const changed = await patch(first, { buyerAddress: '别的地址' });
    expect([changed.status, changed.body.error.code]).toEqual([409, 'CONFLICT']);
    expect((await patch(second, { vatType: 'ordinary', unknown: 1 })).status).toBe(400);
    expect((await patch(second, { vatType: 'ordinary', buyerAddress: 'a\u0000b' })).status).toBe(400);
    expect((await stack.request('GET', `/invoices/${second}/tax-data`)).body.vatType).toBeNull();
  });

  it('imports a batch as CSV: a file with a bad row is refused whole, by line and field; a good one records every row', async () => {
    const [, second, third] = invoices as [string, string, string];
    const post = (csv: string) => stack.request('POST', '/invoices/tax-data/import', { user: 'finance.chen', body: csv, headers: { 'content-type': 'text/csv' } });
    const header = 'invoice,vatType,buyerTaxId,taxNumber,taxDate';
    const bad = await post(`${header}\n${second},ordinary,,11110001,${today()}\n${third},e_special,91350100M000100Y4X,11110002,${today()}\n`);
    expect([bad.status, bad.body.error.code]).toEqual([422, 'IMPORT_REJECTED']);
    expect(bad.body.error.details.errors).toEqual([expect.objectContaining({ line: 3, field: 'buyerTaxId' })]);
    // Every bad row at once, whether the file's text is wrong (line 2) or what it names (lines 3 and 4): finance fixes the file once.
    const several = await post(`${header}\n${second},ordinary,,123,${today()}\n${third},e_special,91350100M000100Y4X,11110002,${today()}\nINV-20000101-9999,ordinary,,,\n`);
    expect(several.body.error.details.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([[2, 'taxNumber'], [3, 'buyerTaxId'], [4, 'invoice']]);
    const sameNumber = await post(`${header}\n${second},ordinary,,11110001,${today()}\n${third},e_ordinary,,11110001,${today()}\n`);
    expect(sameNumber.body.error.details.errors).toEqual([expect.objectContaining({ line: 3, field: 'taxNumber' })]);
    expect((await stack.request('GET', `/invoices/${second}/tax-data`)).body.taxNumber).toBeNull();

    const good = await post(`${header}\n${second},ordinary,,11110001,${today()}\n${third},e_special,,11110002,${today()}\n`);
    expect([good.status, good.body.rows]).toEqual([200, 2]);
    expect((await stack.request('GET', `/invoices/${third}/tax-data`)).body).toMatchObject({ vatType: 'e_special', buyerTaxId: TAX_ID, taxNumber: '11110002' });
    expect((await stack.request('POST', '/invoices/tax-data/import', { user: 'clerk.li', body: `${header}\n`, headers: { 'content-type': 'text/csv' } })).status).toBe(403);
    // An import takes a file larger than an ordinary request's 1 MB (a month of invoices); a bad one is refused by its rows.
    const big = `${header}\n${`${second},ordinary,,,\n`.repeat(60_000)}`;
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const answer = await post(big);
    expect([answer.status, answer.body.error.code]).toEqual([422, 'IMPORT_REJECTED']);
  });

  it("is offered on the console's 批量导入 page to finance, with its template; a refused file shows its row and column", async () => {
    const finance = await consoleSignIn(stack, 'finance.chen');
    const page = await (await stack.app.request('/console/imports', { headers: { cookie: finance.cookie } })).text();
    expect(page).toContain('data-import="invoice_tax_data"');
    const template = await stack.app.request('/console/imports/invoice_tax_data/template?format=csv', { headers: { cookie: finance.cookie } });
    expect((await template.text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe('invoice,vatType,buyerTaxId,buyerAddress,buyerBankName,buyerBankAccount,taxNumber,taxDate');
    const form = new FormData();
    form.set('_csrf', finance.csrf);
    form.set('file', new Blob([`invoice,vatType,taxNumber,taxDate\nINV-NOPE,ordinary,1,${today()}\n`], { type: 'text/csv' }), 'tax.csv');
    const res = await stack.app.request('/console/imports/invoice_tax_data', { method: 'POST', headers: { cookie: finance.cookie, origin: 'http://localhost' }, body: form });
    const answer = res.status === 303
      ? await (await stack.app.request(res.headers.get('location')!, { headers: { cookie: `${finance.cookie}; ${(res.headers.get('set-cookie') ?? '').split(';')[0]}` } })).text()
      : await res.text();
    expect(answer).toContain('data-import-errors="invoice_tax_data"');
    expect(answer).toContain('<code>invoice</code>');
  });

  it('prints the VAT data on the invoice, and marks a credit note red-letter with its original invoice and tax number', async () => {
    const [first] = invoices as [string];
    const printed = await invoicePrint(stack.sql, first);
    expect(printed!.facts).toEqual(expect.arrayContaining([
      { key: 'vatType', value: 'special' },
      { key: 'buyerTaxId', value: TAX_ID },
      { key: 'buyerBank', value: '工商银行福州分行 1402000000000000000' },
      { key: 'taxNumber', value: '26352000000012345678' },
    ]));
    const res = await stack.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ user: 'finance.chen', token: devToken('finance.chen'), next: '/console' }) });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await (await stack.app.request(`/console/documents/invoice/${first}`, { headers: { cookie } })).text();
    expect(page).toContain('增值税专用发票');
    expect(page).toContain('26352000000012345678');

    const returned = await stack.request('POST', `/orders/${order.number}/returns`, {
      user: 'warehouse.zhao',
      body: { deliveryNote: order.deliveryNote, warehouseCode: 'WH-SH', disposition: 'cancel_remainder', reason: '质量问题', lines: [{ lineNo: 1, quantity: '1' }] },
    });
    expect(returned.status).toBe(200);
    const note = await creditNotePrint(stack.sql, returned.body.creditNote as string);
    const fact = (key: string) => note!.facts.find((f) => f.key === key)?.value;
    expect(fact('redLetter')).toBe('red_letter');
    const original = fact('invoice')!;
    expect(invoices).toContain(original);
    const taxNumbers: Record<string, string> = { [invoices[0]!]: '26352000000012345678', [invoices[1]!]: '11110001', [invoices[2]!]: '11110002' };
    expect(fact('originalTaxNumber')).toBe(taxNumbers[original]);
  });
});

describe('the console: invoice form with quantities, tax data form on the invoice page', () => {
  async function post(b: ConsoleUser, path: string, fields: Record<string, string>) {
    const res = await stack.app.request(path, { method: 'POST', headers: { cookie: b.cookie, origin: 'http://localhost' }, body: new URLSearchParams({ _csrf: b.csrf, ...fields }) });
    expect(res.status).toBe(303);
    const flash = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return (await stack.app.request(res.headers.get('location')!, { headers: { cookie: `${b.cookie}; ${flash}` } })).text();
  }

  it('offers each line prefilled with what is left, invoices what is typed, and records the tax data from the invoice page', async () => {
    const { number } = await deliveredOrder();
    const finance = await consoleSignIn(stack, 'finance.chen');
    const page = await (await stack.app.request(`/console/orders/${number}`, { headers: { cookie: finance.cookie } })).text();
    expect(page).toMatch(/name="inv_1"[^>]*value="3"/);
    expect(page).toMatch(/name="inv_2"[^>]*value="3"/);

    const over = await post(finance, `/console/orders/${number}/invoice`, { inv_1: '4', inv_2: '' });
    expect(over).toContain('OVER_INVOICE');
    await post(finance, `/console/orders/${number}/invoice`, { inv_1: '1', inv_2: '' });
    const [made] = await invoiceRows(number);
    expect([made!.order_line_no, made!.quantity, made!.net, made!.tax]).toEqual([1, '1.0000', '33.33', '4.33']);

    const docPage = await (await stack.app.request(`/console/documents/invoice/${made!.number}`, { headers: { cookie: finance.cookie } })).text();
    expect(docPage).toContain(`action="/console/documents/invoice/${made!.number}/tax-data"`);
    const clerk = await consoleSignIn(stack, 'clerk.li');
    expect(await (await stack.app.request(`/console/documents/invoice/${made!.number}`, { headers: { cookie: clerk.cookie } })).text()).not.toContain('/tax-data"');

    const refused = await post(finance, `/console/documents/invoice/${made!.number}/tax-data`, { vatType: 'special', buyerTaxId: '91350100M000100Y44' });
    expect(refused).toContain('buyerTaxId');
    const saved = await post(finance, `/console/documents/invoice/${made!.number}/tax-data`, { vatType: 'e_ordinary', taxNumber: '22220001', taxDate: today() });
    expect(saved).toContain('22220001');
    expect(saved).not.toContain(`action="/console/documents/invoice/${made!.number}/tax-data"`);
    expect((await stack.request('GET', `/invoices/${made!.number}/tax-data`)).body).toMatchObject({ vatType: 'e_ordinary', buyerTaxId: TAX_ID, taxNumber: '22220001', recordedBy: 'finance.chen' });
  });
});

describe('the same tax number sent for two invoices at once', () => {
  it('the one that waits for the other is told, by field, which invoice has it', async () => {
    const { number } = await deliveredOrder();
    const a = (await invoice(number, { lines: [{ lineNo: 1, quantity: '1' }] })).body.invoice as string;
    const b = (await invoice(number, {})).body.invoice as string;
    // Finance's colleague records 90000001 on A; until it commits, B's request passes its own check and waits on the index.
    const other = await stack.sql.reserve();
    try {
      await other`BEGIN`;
      await other`UPDATE invoices SET vat_type = 'ordinary', tax_number = '90000001', tax_date = ${today()} WHERE number = ${a}`;
      const racing = stack.request('PATCH', `/invoices/${b}/tax-data`, { user: 'finance.zhou', body: { vatType: 'ordinary', taxNumber: '90000001', taxDate: today() } });
      await expect.poll(async () => (await stack.sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)[0]!.n).toBeGreaterThan(0);
      await other`COMMIT`;
      const res = await racing;
      expect([res.status, res.body.error.code, res.body.error.field, res.body.error.details]).toEqual([409, 'DUPLICATE', 'taxNumber', { invoice: a }]);
    } finally {
      other.release();
    }
    expect((await stack.request('GET', `/invoices/${b}/tax-data`)).body).toMatchObject({ vatType: null, taxNumber: null });
  });
});
