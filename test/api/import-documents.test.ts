import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { uploadFile, workbook, XLSX } from '../support/import-file.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const OPENING = '/orders/opening/import';
const COUNTS = '/stock/counts/import';
const gb18030 = (text: string) => {
  const bytes = iconv.encode(text, 'gb18030');
  expect(new TextDecoder().decode(bytes)).not.toContain('单'); // really not UTF-8
  return bytes;
};
const orderCount = async () => Number((await stack.sql`SELECT count(*)::int AS n FROM sales_orders`)[0]!.n);
const countSheets = async () => Number((await stack.sql`SELECT count(*)::int AS n FROM stock_counts`)[0]!.n);
const orderOf = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body.order;
const linesOf = (order: any) => order.lines.map((l: any) => [l.productCode, l.warehouseCode, l.quantity, l.unitPrice, l.net, l.tax, l.deliveredQty, l.expectedDeliveryDate]);

describe('opening orders import (期初未结订单导入)', () => {
  const file = gb18030(
    'orderRef,customerCode,productCode,warehouseCode,quantity,unitPrice,expectedDeliveryDate,deliveredQty\r\n' +
      '旧单-华东-001,C0001,P0003,WH-SH,100,3.456,2026-02-01,40\r\n' +
      '旧单-北方-002,C0002,P0001,WH-BJ,3,118.55,2026-02-10,0\r\n' +
      '旧单-华东-001,,P0004,WH-SH,5,800,2026-02-01,2\r\n',
  );

  it('loads a GB18030 CSV as one approved order per orderRef, lines, amounts and deliveries exact, and loads it once', async () => {
    const res = await uploadFile(stack, OPENING, file, 'text/csv');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ created: 2, alreadyLoaded: 0 });
    expect(res.body.orders.map((o: any) => [o.orderRef, o.created, o.lines])).toEqual([['旧单-华东-001', true, 2], ['旧单-北方-002', true, 1]]);
    const [east, north] = res.body.orders.map((o: any) => o.orderNumber as string);

    const a = await orderOf(east);
    expect([a.customerCode, a.openingApprovedBy]).toEqual(['C0001', 'admin.root']);
    // 100 × 3.456 = 345.60 + 13% 44.93; 5 × 800 = 4000.00 + 6% 240.00
    expect(linesOf(a)).toEqual([
      ['P0003', 'WH-SH', '100', '3.456', '345.60', '44.93', '40', '2026-02-01'],
      ['P0004', 'WH-SH', '5', '800', '4000.00', '240.00', '2', '2026-02-01'],
    ]);
    expect(a.totals).toEqual({ net: '4345.60', tax: '284.93', gross: '4630.53' });
    const b = await orderOf(north);
    expect(linesOf(b)).toEqual([['P0001', 'WH-BJ', '3', '118.55', '355.65', '46.23', '0', '2026-02-10']]);
    expect(b.totals).toEqual({ net: '355.65', tax: '46.23', gross: '401.88' });
    // Loaded through the opening-order path: approved by the admin who imported, the open rest reserved.
    await expect.poll(async () => (await stack.request('GET', `/orders/${east}`)).body.live?.status).toBe('PartiallyDelivered');
    const live = (await stack.request('GET', `/orders/${east}`)).body.live;
    expect([live.approvedBy, live.lines.map((l: any) => l.reservedQty)]).toEqual(['admin.root', ['60', '3']]);

    const before = await orderCount();
    const again = await uploadFile(stack, OPENING, file, 'text/csv');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, alreadyLoaded: 2 });
    expect(again.body.orders.map((o: any) => [o.orderNumber, o.created])).toEqual([[east, false], [north, false]]);
    expect(await orderCount()).toBe(before);

    // The same orders with other figures are not silently taken for the loaded ones: each differing cell is named.
    const changed = gb18030(
      'orderRef,customerCode,productCode,warehouseCode,quantity,unitPrice,expectedDeliveryDate,deliveredQty\r\n' +
        '旧单-华东-001,C0001,P0003,WH-SH,150,3.456,2026-02-01,40\r\n' +
        '旧单-北方-002,C0002,P0001,WH-BJ,3,120,2026-02-10,0\r\n' +
        '旧单-华东-001,,P0004,WH-SH,5,800,2026-02-01,2\r\n',
    );
    const refused = await uploadFile(stack, OPENING, changed, 'text/csv');
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors.map((e: any) => [e.line, e.field])).toEqual([[2, 'quantity'], [3, 'unitPrice']]);
    expect(refused.body.error.details.errors[0].reason).toContain(`already loaded as ${east} with quantity 100`);
    expect(linesOf(await orderOf(east))[0]![2]).toBe('100');
  });

  it('reads an .xlsx with typed cells (numbers, a date) and a Chinese order reference', async () => {
    const book = await workbook([
      ['orderRef', 'customerCode', 'productCode', 'warehouseCode', 'quantity', 'unitPrice', 'expectedDeliveryDate', 'deliveredQty', 'depositRatio'],
      ['旧单-西南-003', 'C0001', 'P0002', 'WH-SH', 2, 2480.5, new Date(Date.UTC(2026, 2, 15)), 1, '0'],
      ['旧单-西南-003', 'C0001', 'P0003', 'WH-SH', 250.5, 3.5, new Date(Date.UTC(2026, 2, 20)), 0, ''],
    ], '期初订单');
    const res = await uploadFile(stack, OPENING, book, XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.orders).toEqual([{ orderRef: '旧单-西南-003', orderNumber: expect.any(String), created: true, lines: 2 }]);
    const order = await orderOf(res.body.orders[0].orderNumber);
    // 2 × 2480.50 = 4961.00 + 644.93; 250.5 × 3.50 = 876.75 + 113.98
    expect(linesOf(order)).toEqual([
      ['P0002', 'WH-SH', '2', '2480.5', '4961.00', '644.93', '1', '2026-03-15'],
      ['P0003', 'WH-SH', '250.5', '3.5', '876.75', '113.98', '0', '2026-03-20'],
    ]);
    expect(order.totals).toEqual({ net: '5837.75', tax: '758.91', gross: '6596.66' });
  });

  it('refuses a file with bad rows whole, naming each row and column, and loads nothing', async () => {
    const before = await orderCount();
    const bad = Buffer.from(
      'orderRef,customerCode,productCode,warehouseCode,quantity,unitPrice,deliveredQty\n' +
        '坏单-1,C0001,P0001,WH-SH,5,100,0\n' +
        '坏单-1,,P9999,WH-SH,5,100,0\n' +
        '坏单-2,C0002,P0001,WH-SH,5,100,6\n' +
        '坏单-3,C0001,P0001,WH-SH,abc,100,0\n' +
        '坏单-2,C0001,P0003,WH-SH,5,3.5,0\n' +
        ',C0001,P0003,WH-SH,5,3.5,0\n',
    );
    const res = await uploadFile(stack, OPENING, bad, 'text/csv');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_REJECTED');
    expect(res.body.error.details.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'productCode'],
      [4, 'deliveredQty'],
      [5, 'quantity'],
      [6, 'customerCode'],
      [7, 'orderRef'],
    ]);
    expect(await orderCount()).toBe(before);

    const many = Array.from({ length: 1001 }, (_, i) => `旧单-${i},C0001,P0003,WH-SH,1,3.5,0`).join('\n');
    const tooMany = await uploadFile(stack, OPENING, Buffer.from(`orderRef,customerCode,productCode,warehouseCode,quantity,unitPrice,deliveredQty\n${many}\n`), 'text/csv');
    expect([tooMany.status, tooMany.body.error.details.errors]).toEqual([422, [{ line: 1002, field: 'orderRef', reason: expect.stringMatching(/1001 orders, more than 1000; split it/) }]]);
    expect(await orderCount()).toBe(before);
  });

  it('is for the admin only, as POST /orders/opening', async () => {
    const res = await uploadFile(stack, OPENING, file, 'text/csv', 'clerk.li');
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('templates of the two imports', () => {
  const download = async (path: string) => Buffer.from(await (await stack.app.request(path, { headers: { authorization: `Bearer ${devToken('admin.root')}` } })).arrayBuffer());

  it('import as they are downloaded, the CSV and the .xlsx', async () => {
    const orders = await uploadFile(stack, OPENING, await download('/import/opening_orders/template'), 'text/csv');
    expect(orders.status, JSON.stringify(orders.body)).toBe(201);
    expect(orders.body.orders).toEqual([{ orderRef: '旧系统-2025-0888', orderNumber: expect.any(String), created: true, lines: 1 }]);
    expect(linesOf(await orderOf(orders.body.orders[0].orderNumber))).toEqual([['P0001', 'WH-SH', '10', '105', '1050.00', '136.50', '4', '2026-01-20']]);
    const xlsxOrders = await uploadFile(stack, OPENING, await download('/import/opening_orders/template?format=xlsx'), XLSX);
    expect(xlsxOrders.body.orders.map((o: any) => [o.orderNumber, o.created])).toEqual([[orders.body.orders[0].orderNumber, false]]);

    const counts = await uploadFile(stack, COUNTS, await download('/import/stock_counts/template?format=xlsx'), XLSX, 'warehouse.zhao');
    expect(counts.status, JSON.stringify(counts.body)).toBe(201);
    expect(counts.body.counts.map((c: any) => [c.warehouseCode, c.lines[0].productCode, c.lines[0].countedQuantity])).toEqual([['WH-SH', 'P0001', '48']]);
  });
});

describe('stock count import (盘点单导入)', () => {
  const sheetLines = (sheet: any) => sheet.lines.map((l: any) => [l.productCode, l.bookQuantity, l.countedQuantity, l.difference]);

  it('makes one count sheet per warehouse from a GB18030 CSV, waiting for another person; the same figures again answer the open sheet', async () => {
    expect((await stack.request('POST', '/warehouses', { user: 'admin.root', body: { code: '广州仓', name: '广州仓 Guangzhou' } })).status).toBe(201);
    const file = gb18030('warehouseCode,productCode,countedQuantity\r\nWH-SH,P0001,488.5\r\n广州仓,P0003,120\r\nWH-SH,P0004,1000\r\n');
    const res = await uploadFile(stack, COUNTS, file, 'text/csv', 'warehouse.zhao');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [sh, gz] = res.body.counts;
    expect([sh.warehouseCode, sh.status, sh.countedBy, sh.created]).toEqual(['WH-SH', 'counted', 'warehouse.zhao', true]);
    expect(sheetLines(sh)).toEqual([['P0001', '500', '488.5', '-11.5'], ['P0004', '1000', '1000', '0']]);
    expect([gz.warehouseCode, sheetLines(gz)]).toEqual(['广州仓', [['P0003', '0', '120', '120']]]);
    expect((await stack.request('GET', `/stock/counts/${gz.number}`)).body.warehouseCode).toBe('广州仓');

    const again = await uploadFile(stack, COUNTS, file, 'text/csv', 'warehouse.zhao');
    expect(again.body.counts.map((c: any) => [c.number, c.created])).toEqual([[sh.number, false], [gz.number, false]]);

    // Approval as for any count: never by its counter.
    const self = await stack.request('POST', `/stock/counts/${gz.number}/approve`, { user: 'warehouse.zhao' });
    expect([self.status, self.body.error.code]).toEqual([403, 'SELF_APPROVAL']);
    expect((await stack.request('POST', `/stock/counts/${gz.number}/approve`, { user: 'admin.root' })).body.status).toBe('approved');
    const [level] = await stack.sql`SELECT s.on_hand::text FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id JOIN products p ON p.id = s.product_id WHERE w.code = '广州仓' AND p.code = 'P0003'`;
    expect(Number(level!.on_hand)).toBe(120);
    // Once approved, the same figures are a new count; the sheet still waiting is answered again.
    const third = await uploadFile(stack, COUNTS, file, 'text/csv', 'warehouse.zhao');
    expect(third.body.counts.map((c: any) => [c.number === sh.number, c.number === gz.number, c.created])).toEqual([[true, false, false], [false, false, true]]);
  });

  it('reads an .xlsx count with a Chinese warehouse code and a decimal count', async () => {
    const book = await workbook([['warehouseCode', 'productCode', 'countedQuantity'], ['广州仓', 'P0001', 7.25]], '盘点');
    const res = await uploadFile(stack, COUNTS, book, XLSX, 'warehouse.zhao');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.counts.map((c: any) => [c.warehouseCode, sheetLines(c)])).toEqual([['广州仓', [['P0001', '0', '7.25', '7.25']]]]);
  });

  it('refuses a file with bad rows whole, naming each row and column, and records nothing', async () => {
    await stack.sql`UPDATE products SET batch_managed = true WHERE code = 'P0002'`;
    const before = await countSheets();
    const bad = Buffer.from(
      'warehouseCode,productCode,countedQuantity\n' +
        'WH-SH,P0003,39\n' +
        'WH-SH,P9999,1\n' +
        '无此仓,P0001,1\n' +
        'WH-SH,P0001,-1\n' +
        'WH-SH,P0003,40\n' +
        'WH-SH,P0002,1\n',
    );
    const res = await uploadFile(stack, COUNTS, bad, 'text/csv', 'warehouse.zhao');
    await stack.sql`UPDATE products SET batch_managed = false WHERE code = 'P0002'`;
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'productCode'],
      [4, 'warehouseCode'],
      [5, 'countedQuantity'],
      [6, 'productCode'],
      // A batch-tracked product is counted per batch: the row names none.
      [7, 'batchNo'],
    ]);
    expect(await countSheets()).toBe(before);
  });

  it('is for the roles that count stock', async () => {
    const res = await uploadFile(stack, COUNTS, Buffer.from('warehouseCode,productCode,countedQuantity\nWH-SH,P0001,1\n'), 'text/csv', 'clerk.li');
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
