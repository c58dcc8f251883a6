import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { uploadFile, workbook, XLSX } from '../support/import-file.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ worker: false });
const upload = (kind: string, bytes: Uint8Array, contentType: string) => uploadFile(stack, `/import/${kind}`, bytes, contentType);

async function download(path: string) {
  const res = await stack.app.request(path, { headers: { authorization: `Bearer ${devToken('admin.root')}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const nameOf = async (q: string) => (await stack.request('GET', `/customers?q=${encodeURIComponent(q)}`)).body.items.map((c: { name: string }) => c.name);
const customerCount = async () => Number((await stack.sql`SELECT count(*)::int AS n FROM customers`)[0]!.n);

describe('imports as Excel in China saves them', () => {
  it('reads a GB18030 CSV (Excel\'s "CSV" there) and keeps the Chinese names exact', async () => {
    const csv = 'code,name,settlementTerms,settlementDays,deliveryAddress\nGB1,广州市天河区粤海贸易有限公司,net,30,"广州市天河区, 体育西路 1 号"\nGB2,䶮镕堃·喆（测试）,net,30,\n';
    const bytes = iconv.encode(csv, 'gb18030');
    expect(new TextDecoder().decode(bytes)).not.toContain('粤海'); // really not UTF-8
    const res = await upload('customers', bytes, 'text/csv');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await nameOf('粤海贸易')).toEqual(['广州市天河区粤海贸易有限公司']);
    expect(await nameOf('喆')).toEqual(['䶮镕堃·喆（测试）']);
    expect((await stack.request('GET', '/customers/GB1')).body.addresses[0].address).toBe('广州市天河区, 体育西路 1 号');
  });

  it('reads the first sheet of an .xlsx, numbers and dates as typed', async () => {
    const file = await workbook([
      ['code', 'name', 'settlementTerms', 'settlementDays', 'creditLimit'],
      ['XL1', '北京京西五金机电有限公司', 'net', 45, 120000.5],
      [],
      ['XL2', { richText: [{ text: '上海' }, { text: '浦江仪表' }] }, 'net', 30],
    ]);
    const res = await upload('customers', file, XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.rows).toBe(2);
    expect((await stack.request('GET', '/customers/XL1')).body).toMatchObject({ name: '北京京西五金机电有限公司', settlementDays: 45, creditLimit: '120000.50' });
    expect((await stack.request('GET', '/customers/XL2')).body.name).toBe('上海浦江仪表');

    const prices = await workbook([
      ['customerCode', 'productCode', 'unitPrice', 'effectiveFrom'],
      ['XL1', 'P0001', 99.9, new Date(Date.UTC(2026, 0, 1))],
    ]);
    expect((await upload('customer_prices', prices, 'application/octet-stream')).status).toBe(201);
    const [price] = await stack.sql`SELECT unit_price::text AS p, effective_from::text AS f FROM customer_prices cp JOIN customers c ON c.id = cp.customer_id WHERE c.code = 'XL1'`;
    expect(price).toEqual({ p: expect.stringMatching(/^99\.90*$/), f: '2026-01-01' });
  });

  it('names the sheet row and column of a bad cell, and writes nothing', async () => {
    const before = await customerCount();
    const file = await workbook([
      ['code', 'name', 'settlementTerms', 'settlementDays'],
      ['XB1', '好的', 'net', 30],
      ['XB2', '坏的', 'net', 'thirty'],
    ]);
    const res = await upload('customers', file, XLSX);
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([{ line: 3, field: 'settlementDays', reason: expect.any(String) }]);
    expect(await customerCount()).toBe(before);
  });

  it('offers every template as CSV UTF-8 with a BOM and as .xlsx, and both import once filled', async () => {
    for (const kind of ['customers', 'products', 'opening_stock', 'customer_prices', 'opening_orders', 'stock_counts']) {
      const csv = await download(`/import/${kind}/template`);
      expect([csv.status, csv.type, [...csv.bytes.subarray(0, 3)]]).toEqual([200, 'text/csv; charset=utf-8', [0xef, 0xbb, 0xbf]]);
      const xlsx = await download(`/import/${kind}/template?format=xlsx`);
      expect([xlsx.status, xlsx.type, xlsx.bytes.subarray(0, 2).toString()]).toEqual([200, XLSX, 'PK']);
    }
    const csvTemplate = (await download('/import/customers/template')).bytes.toString('utf8');
    const filledCsv = csvTemplate.replace(/\r\n,深圳新锐科技 Shenzhen Xinrui Tech,/, '\r\nTC1,深圳新锐科技（模板）,');
    expect(filledCsv).not.toBe(csvTemplate);
    expect((await upload('customers', Buffer.from(filledCsv), 'text/csv')).status).toBe(201);
    expect((await stack.request('GET', '/customers/TC1')).body.name).toBe('深圳新锐科技（模板）');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download('/import/products/template?format=xlsx')).bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('code');
    sheet.getRow(2).getCell(1).value = 'PT-XLSX';
    sheet.addRow(['PT-XLSX2', '压力变送器', 'PT-1', 'pcs', 'Sensors', '10', '20.5', '0.13', '0.8', '0', '0', 'false', '']);
    const filled = Buffer.from(await book.xlsx.writeBuffer());
    const res = await upload('products', filled, XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await stack.request('GET', '/products/PT-XLSX')).body).toMatchObject({ name: '温度传感器 Temperature sensor', listPrice: '98.5' });
    expect((await stack.request('GET', '/products/PT-XLSX2')).body).toMatchObject({ name: '压力变送器', listPrice: '20.5' });
  });

  it('refuses a cut .xlsx, a broken multi-byte character, a zip bomb and a million-row sheet with a 4xx, writing nothing', async () => {
    const before = await customerCount();
    const whole = await workbook([['code', 'name'], ['CUT1', '截断']]);
    const cut = await upload('customers', whole.subarray(0, Math.floor(whole.length / 2)), XLSX);
    expect([cut.status, cut.body.error.code, cut.body.error.field]).toEqual([422, 'IMPORT_REJECTED', 'file']);
    expect(cut.body.error.details.errors[0].reason).toMatch(/not a readable \.xlsx/);

    const gb = iconv.encode('code,name\nBR1,深圳\nBR2,', 'gb18030');
    const broken = await upload('customers', Buffer.concat([gb, Buffer.from([0xd6, 0x0a])]), 'text/csv');
    expect([broken.status, broken.body.error.details.errors]).toEqual([422, [{ line: 3, field: 'file', reason: expect.stringMatching(/neither UTF-8 nor GB18030/) }]]);
    const utf8 = Buffer.concat([Buffer.from('\uFEFFcode,name\nBR1,深圳\nBR2,'), Buffer.from('圳').subarray(0, 2), Buffer.from('\n')]);
    const brokenUtf8 = await upload('customers', utf8, 'text/csv');
    expect([brokenUtf8.status, brokenUtf8.body.error.details.errors]).toEqual([422, [{ line: 3, field: 'file', reason: expect.stringMatching(/broken UTF-8/) }]]);

    const bomb = zipSync({ '[Content_Types].xml': new Uint8Array(80 * 1024 * 1024) }, { level: 9 });
    const bombed = await upload('customers', bomb, XLSX);
    expect([bombed.status, bombed.body.error.details.errors[0].reason]).toEqual([422, expect.stringMatching(/unpacks to more than 64 MB/)]);
    // The same bomb declaring 10 bytes unpacked, in its local header and its central directory: the bytes are counted, not believed.
    const liar = Buffer.from(bomb);
    liar.writeUInt32LE(10, 22);
    liar.writeUInt32LE(10, liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    const lied = await upload('customers', liar, XLSX);
    expect([lied.status, lied.body.error.details.errors[0].reason]).toEqual([422, expect.stringMatching(/unpacks to more than 64 MB/)]);
    const rows = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(1_000_000);
    const tall = zipSync({ 'xl/worksheets/sheet1.xml': new TextEncoder().encode(`<worksheet><sheetData>${rows}</sheetData></worksheet>`) }, { level: 9 });
    const tallRes = await upload('customers', tall, XLSX);
    expect([tallRes.status, tallRes.body.error.details.errors[0].reason]).toEqual([422, expect.stringMatching(/more than 100000 rows/)]);

    const xls = await upload('customers', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'application/vnd.ms-excel');
    expect([xls.status, xls.body.error.details.errors[0].reason]).toEqual([422, expect.stringMatching(/97-2003 \.xls/)]);
    const declared = await upload('customers', Buffer.from('code,name\nLT1,x\n'), 'text/csv; charset=latin1');
    expect([declared.status, declared.body.error.field]).toEqual([400, 'content-type']);
    expect(await customerCount()).toBe(before);
  });
});
