import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { businessDate } from '../../domain/calendar.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const dir = mkdtempSync(path.join(tmpdir(), 'documents-test-'));
const CUSTOMER = '杭州西湖机械有限公司';
const DEBIAN_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const LONG_NAME = '高精度温湿度传感器模组（含安装支架、防水外壳与五米屏蔽线缆，适用于冷链仓储与工业现场长期监测）';

async function signIn(user: string) {
  const res = await stack.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ user, token: devToken(user), next: '/console' }) });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const get = (url: string, cookie: string) => stack.app.request(url, { headers: { cookie } });

/** Downloads the PDF through the console, checks it is an attachment named by the number, and returns its text as pdftotext lays it out. */
async function pdfText(url: string, cookie: string, filename: string) {
  const res = await get(url, cookie);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${filename}\\.pdf"`));
  const file = path.join(dir, `${filename}.pdf`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  return { text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }), file, pages };
}

/** The first page as a PNG at 50 dpi: something came out, of A4's shape. */
function firstPagePng(file: string) {
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, file.replace(/\.pdf$/, '')]);
  const png = file.replace(/\.pdf$/, '.png');
  const bytes = readFileSync(png);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  // Width and height from the IHDR chunk: A4 (8.27 × 11.69 in) at 50 dpi is 414 × 585 pixels.
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([414, 585]);
  expect(statSync(png).size).toBeGreaterThan(3000);
  return png;
}

/** The line of the text that holds this product code, with its runs of spaces made one. */
const lineOf = (text: string, code: string) => text.split('\n').find((l) => l.includes(code))?.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  // Debian's poppler-utils reads the PDFs back.
  for (const tool of ['pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts']) {
    if (!existsSync(`/usr/bin/${tool}`)) throw new Error(`/usr/bin/${tool} is missing: install it with "apt-get install -y poppler-utils"`);
  }
  await stack.sql`INSERT INTO customers (code, name, settlement_days, tax_id) VALUES ('C0901', ${CUSTOMER}, 30, '91330100MA2CX0001K')`;
  await stack.sql`INSERT INTO customer_addresses (customer_id, label, address, is_default)
                  SELECT id, '总部', '浙江省杭州市西湖区文三路 88 号', true FROM customers WHERE code = 'C0901'`;
  await stack.sql`UPDATE products SET name = ${LONG_NAME} WHERE code = 'P0004'`;
});

describe('printable documents (单据打印)', () => {
  it('prints each document of an order as a PDF whose text has the number, the customer in Chinese, every line and the totals to the cent', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: {
        customerCode: 'C0901',
        lines: [
          { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '120.00' },
          { productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '2500.00' },
          { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1234.5', unitPrice: '3.50' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const number = created.body.order.number as string;
    expect(created.body.order.totals).toEqual({ net: '9680.75', tax: '1258.50', gross: '10939.25' });
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    // Fewer sensors: applies at once as change 0001.
    const change = await stack.request('POST', `/orders/${number}/changes`, { user: 'clerk.li', body: { reason: '客户减少数量', lines: [{ action: 'change', lineNo: 1, quantity: '2' }] } });
    expect(change.body.change).toMatchObject({ version: '0001', status: 'applied' });
    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { carrier: '顺丰速运', trackingNumber: 'SF1234567890' } });
    expect(delivered.status).toBe(200);
    const note = delivered.body.deliveryNote as string;
    const invoiced = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(invoiced.body.gross).toBe('10803.65');
    const invoice = invoiced.body.invoice as string;
    const returned = await stack.request('POST', `/orders/${number}/returns`, {
      user: 'warehouse.zhao',
      body: { deliveryNote: note, warehouseCode: 'WH-SH', disposition: 'cancel_remainder', reason: '面板损坏', lines: [{ lineNo: 2, quantity: '1' }] },
    });
    expect(returned.status).toBe(200);
    const creditNote = returned.body.creditNote as string;
    const today = businessDate(new Date(), 'Asia/Shanghai');
    const dueOn = (await stack.request('GET', `/orders/${number}`)).body.order.invoices[0].dueOn as string;

    const clerk = await signIn('clerk.li');
    const base = '/console/documents';

    const order = await pdfText(`${base}/order/${number}/pdf`, clerk, number);
    expect(order.text).toContain('销售订单确认');
    expect(order.text).toContain('Order confirmation');
    expect(order.text).toContain(number);
    expect(order.text).toContain(`C0901 ${CUSTOMER}`);
    expect(order.text).toContain('浙江省杭州市西湖区文三路 88 号');
    expect(order.text).toContain('示例销售有限公司');
    expect(order.text).toContain(today);
    expect(lineOf(order.text, 'P0001')).toBe('1 P0001 工业传感器 Industrial sensor pcs 2 120.00 13% 240.00 31.20 271.20');
    expect(lineOf(order.text, 'P0002')).toBe('2 P0002 控制面板 Control panel pcs 2 2,500.00 13% 5,000.00 650.00 5,650.00');
    expect(lineOf(order.text, 'P0003')).toBe('3 P0003 电缆 Cable (per metre) m 1,234.5 3.50 13% 4,320.75 561.70 4,882.45');
    expect(order.text).toMatch(/未税合计\s+9,560\.75 CNY/);
    expect(order.text).toMatch(/税额合计\s+1,242\.90 CNY/);
    expect(order.text).toMatch(/含税总计\s+10,803\.65 CNY/);
    expect(order.text).toMatch(/第\s*1\s*\/\s*1\s*页/);
    firstPagePng(order.file);
    // The Chinese is set in the npm package's Noto Sans SC, embedded (a subset), not left to the reader's fonts.
    expect(execFileSync('pdffonts', [order.file], { encoding: 'utf8' })).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);

    const changeDoc = await pdfText(`${base}/change/${number}/pdf?version=1`, clerk, `${number}_0001`);
    expect(changeDoc.text).toContain('订单变更单');
    expect(changeDoc.text).toContain('客户减少数量');
    expect(lineOf(changeDoc.text, 'P0001')).toMatch(/^1 修改 P0001 工业传感器 Industrial (sensor )?3 120\.00 406\.80 2 120\.00 271\.20$/);
    expect(changeDoc.text).toMatch(/变更前含税总额\s+10,939\.25 CNY/);
    expect(changeDoc.text).toMatch(/变更后含税总额\s+10,803\.65 CNY/);
    expect(changeDoc.text).toMatch(/差额\s+-135\.60 CNY/);

    const noteDoc = await pdfText(`${base}/delivery-note/${note}/pdf`, clerk, note);
    expect(noteDoc.text).toContain('销货单');
    expect(noteDoc.text).toContain(note);
    expect(noteDoc.text).toContain(CUSTOMER);
    expect(noteDoc.text).toContain('顺丰速运');
    expect(noteDoc.text).toContain('SF1234567890');
    expect(lineOf(noteDoc.text, 'P0003')).toBe('3 P0003 电缆 Cable (per metre) m 1,234.5 3.50 13% 4,320.75 561.70 4,882.45');
    expect(noteDoc.text).toMatch(/含税总计\s+10,803\.65 CNY/);

    const invoiceDoc = await pdfText(`${base}/invoice/${invoice}/pdf`, clerk, invoice);
    expect(invoiceDoc.text).toContain('发票');
    expect(invoiceDoc.text).toContain(invoice);
    expect(invoiceDoc.text).toMatch(new RegExp(`到期日\\s+${dueOn}`));
    expect(lineOf(invoiceDoc.text, 'P0002')).toBe('2 P0002 控制面板 Control panel pcs 2 2,500.00 13% 5,000.00 650.00 5,650.00');
    expect(invoiceDoc.text).toMatch(/未税合计\s+9,560\.75 CNY/);
    expect(invoiceDoc.text).toMatch(/含税总计\s+10,803\.65 CNY/);

    const creditDoc = await pdfText(`${base}/credit-note/${creditNote}/pdf`, clerk, creditNote);
    expect(creditDoc.text).toContain('红字发票');
    expect(creditDoc.text).toContain(creditNote);
    expect(creditDoc.text).toContain(CUSTOMER);
    expect(creditDoc.text).toMatch(new RegExp(`原发票\\s+${invoice}`));
    expect(creditDoc.text).toMatch(new RegExp(`销退单\\s+${returned.body.salesReturn}`));
    expect(creditDoc.text).toContain('面板损坏');
    expect(lineOf(creditDoc.text, 'P0002')).toBe('2 P0002 控制面板 Control panel pcs 1 2,500.00 13% 2,500.00 325.00 2,825.00');
    expect(creditDoc.text).toMatch(/含税总计\s+2,825\.00 CNY/);
    firstPagePng(creditDoc.file);

    // The statement is finance's: the clerk is refused as /finance/statement refuses.
    const path = `${base}/statement/C0901/pdf?from=${today}&to=${today}`;
    expect((await get(path, clerk)).status).toBe(403);
    const finance = await signIn('finance.chen');
    const statement = await pdfText(path, finance, `C0901_${today}_${today}`);
    expect(statement.text).toContain('对账单');
    expect(statement.text).toContain(`C0901 ${CUSTOMER}`);
    expect(statement.text).toMatch(new RegExp(`${today}\\s+发票\\s+${invoice}\\s+${number}\\s+10,803\\.65\\s+10,803\\.65`));
    expect(statement.text).toMatch(new RegExp(`${today}\\s+红字发票\\s+${creditNote}\\s+${number}\\s+-2,825\\.00\\s+7,978\\.65`));
    expect(statement.text).toMatch(/期初余额\s+0\.00 CNY/);
    expect(statement.text).toMatch(/期末余额\s+7,978\.65 CNY/);

    // The page and the print view show the same document, with the links other pages use.
    const page = await (await get(`${base}/invoice/${invoice}`, clerk)).text();
    expect(page).toContain(`href="${base}/invoice/${invoice}/print"`);
    expect(page).toContain(`href="${base}/invoice/${invoice}/pdf"`);
    expect(page).toContain('10,803.65 CNY');
    const print = await get(`${base}/change/${number}/print?version=0001`, clerk);
    expect(print.status).toBe(200);
    const printHtml = await print.text();
    expect(printHtml).toContain('@page{size:A4');
    expect(printHtml).toContain(CUSTOMER);
    expect(printHtml).not.toContain('<header>');
    // English labels on request; the title keeps both languages.
    const english = await pdfText(`${base}/order/${number}/pdf?lang=en`, clerk, number);
    expect(english.text).toMatch(/Gross total\s+10,803\.65 CNY/);
    expect(english.text).toContain('销售订单确认');
    expect(english.text).toContain('Page 1 of 1');
    // The user's language (the console's switch, a cookie) is the documents' language too.
    const englishPage = await (await get(`${base}/invoice/${invoice}`, `${clerk}; sbo_lang=en`)).text();
    expect(englishPage).toContain('Download PDF');
    expect(englishPage).toContain('<dt>Due date</dt>');
  });

  it('prints a quotation at its current or an asked version', async () => {
    const lines = (quantity: string, giftQty?: string) => [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity, unitPrice: '115', ...(giftQty ? { giftQty } : {}) }];
    const created = await stack.request('POST', '/quotations', { user: 'clerk.li', body: { customerCode: 'C0901', validUntil: '2099-12-31', lines: lines('10') } });
    expect(created.status).toBe(201);
    const number = created.body.number as string;
    await stack.request('POST', `/quotations/${number}/versions`, { user: 'clerk.li', body: { validUntil: '2099-12-31', lines: lines('12', '1') } });
    const cookie = await signIn('manager.wang');
    const current = await pdfText(`/console/documents/quotation/${number}/pdf`, cookie, number);
    expect(current.text).toContain('报价单');
    expect(current.text).toContain(CUSTOMER);
    expect(current.text).toMatch(/有效期至\s+2099-12-31/);
    // With a gift column the name wraps ("sensor" on the next line); the figures stay on the product's line.
    expect(lineOf(current.text, 'P0001')).toMatch(/^1 P0001 工业传感器 Industrial .*pcs 12 1 115\.00 13% 1,380\.00 179\.40 1,559\.40$/);
    expect(current.text).toMatch(/含税总计\s+1,559\.40 CNY/);
    // Version 1 was made at 17:00 UTC, already the next day in the business time zone (Asia/Shanghai): its date is that day.
    await stack.sql`UPDATE quotation_versions SET created_at = '2026-01-15T17:00:00Z' WHERE version = 1
                    AND quotation_id = (SELECT id FROM quotations WHERE number = ${number})`;
    const first = await pdfText(`/console/documents/quotation/${number}/pdf?version=1`, cookie, number);
    expect(first.text).toMatch(/日期\s+2026-01-16/);
    expect(current.text).toMatch(new RegExp(`日期\\s+${businessDate(new Date(), 'Asia/Shanghai')}`));
    expect(lineOf(first.text, 'P0001')).toBe('1 P0001 工业传感器 Industrial sensor pcs 10 115.00 13% 1,150.00 149.50 1,299.50');
    expect((await get(`/console/documents/quotation/${number}?version=3`, cookie)).status).toBe(404);
  });

  it('a delivery note of many lines runs onto a second page with the table header repeated and long names wrapped', async () => {
    const lines = Array.from({ length: 45 }, (_, i) => ({ productCode: i === 0 ? 'P0004' : 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: i === 0 ? '800.00' : '3.50' }));
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0901', lines } });
    const number = created.body.order.number as string;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const note = (await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).body.deliveryNote as string;
    const doc = await pdfText(`/console/documents/delivery-note/${note}/pdf`, await signIn('warehouse.zhao'), note);
    expect(doc.pages).toBe(2);
    expect(doc.text.match(/品名/g)).toHaveLength(2);
    expect(doc.text).toMatch(/第\s*2\s*\/\s*2\s*页/);
    // The long name wraps inside its column: its start and its end are both there, on different lines.
    expect(lineOf(doc.text, 'P0004')).toContain('高精度温湿度');
    expect(lineOf(doc.text, 'P0004')).not.toContain('长期监测');
    expect(doc.text).toContain('长期监测');
    // 800.00 + 6% = 848.00, and 44 lines of 3.50 + 0.46 tax = 174.24
    expect(doc.text).toMatch(/含税总计\s+1,022\.24 CNY/);
    firstPagePng(doc.file);
  });

  it('answers 404 for an unknown number or one of another kind, 400 naming the field for a bad query, and refuses what an address must not hold', async () => {
    const cookie = await signIn('finance.chen');
    const status = async (url: string) => (await get(url, cookie)).status;
    const text = async (url: string) => (await get(url, cookie)).text();
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0901', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] } });
    const number = created.body.order.number as string;

    expect(await status(`/console/documents/order/${stack.orderPrefix}-20260101-0999/pdf`)).toBe(404);
    expect(await text(`/console/documents/order/${stack.orderPrefix}-20260101-0999`)).toContain('找不到单据');
    // An order number is no invoice, delivery note or quotation.
    for (const kind of ['invoice', 'delivery-note', 'credit-note', 'quotation']) expect(await status(`/console/documents/${kind}/${number}/pdf`)).toBe(404);
    expect(await status(`/console/documents/receipt/${number}`)).toBe(404);
    expect(await status(`/console/documents/statement/NOPE/pdf?from=2026-01-01&to=2026-01-31`)).toBe(404);

    expect(await text(`/console/documents/statement/C0901?from=2026-02-30&to=2026-03-31`)).toContain('from: not a day of the calendar');
    expect(await status(`/console/documents/statement/C0901?from=2026-02-30&to=2026-03-31`)).toBe(400);
    expect(await text(`/console/documents/statement/C0901/pdf?from=2026-03-01`)).toContain('to: required');
    expect(await text(`/console/documents/statement/C0901/pdf?from=2026-03-31&to=2026-03-01`)).toContain('to: must not be before from');
    expect(await text(`/console/documents/change/${number}/pdf`)).toContain('version: required');
    for (const v of ['0', '-1', '1.5', '99999999999999999999', 'abc']) {
      const res = await get(`/console/documents/change/${number}/pdf?version=${v}`, cookie);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('version: must be a whole number from 1 to 9999');
    }
    // A change that does not exist (yet) is unknown, not bad.
    expect(await status(`/console/documents/change/${number}/pdf?version=9999`)).toBe(404);
    expect(await text(`/console/documents/order/${number}?lang=fr`)).toContain('lang: one of zh-CN, en');

    // Control characters and NUL never reach SQL; a path that climbs out finds no document.
    expect(await status(`/console/documents/order/${number}%00/pdf`)).toBe(400);
    expect(await status(`/console/documents/statement/C0901/pdf?from=2026-01-01%00&to=2026-01-31`)).toBe(400);
    expect(await status(`/console/documents/order/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/pdf`)).toBe(404);
    expect(await status(`/console/documents/order/..%2F${number}/pdf`)).toBe(404);
    expect(await status(`/console/documents/statement/${'C'.repeat(41)}/pdf?from=2026-01-01&to=2026-01-31`)).toBe(404);
    expect(await status(`/console/documents/order/${'A'.repeat(5000)}/pdf`)).toBe(404);
    // Without a session the browser goes to sign in first.
    expect((await stack.app.request(`/console/documents/order/${number}/pdf`)).status).toBe(303);
  });

  const fontOverride = async (env: Record<string, string>, check: (url: string, cookie: string, number: string) => Promise<void>) => {
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0901', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] } });
    const number = created.body.order.number as string;
    Object.assign(process.env, env);
    try {
      await check(`/console/documents/order/${number}/pdf`, await signIn('clerk.li'), number);
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
    }
  };

  it('without its font the PDF says what to install instead of failing blind', () =>
    fontOverride({ DOCUMENT_FONT_PATH: path.join(dir, 'missing.ttf') }, async (url, cookie) => {
      const res = await get(url, cookie);
      expect(res.status).toBe(503);
      const page = await res.text();
      expect(page).toContain('missing.ttf');
      expect(page).toContain('@expo-google-fonts/noto-sans-sc');
      expect(page).toContain('DOCUMENT_FONT_PATH');
    }));

  it.skipIf(!existsSync(DEBIAN_CJK))('sets the Chinese in a font collection the configuration names, by its face', () =>
    fontOverride({ DOCUMENT_FONT_PATH: DEBIAN_CJK, DOCUMENT_FONT_NAME: 'NotoSansCJKsc-Regular' }, async (url, cookie, number) => {
      const doc = await pdfText(url, cookie, number);
      expect(doc.text).toContain(`C0901 ${CUSTOMER}`);
      expect(execFileSync('pdffonts', [doc.file], { encoding: 'utf8' })).toContain('NotoSansCJKsc-Regular');
    }));
});
