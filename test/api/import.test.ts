import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const stack = useStack({ worker: false });
const admin = 'admin.root';

const post = (kind: string, csv: string) => stack.request('POST', `/import/${kind}`, { user: admin, body: csv, headers: { 'content-type': 'text/csv' } });
const count = async (table: string) => Number((await stack.sql`SELECT count(*)::int AS n FROM ${stack.sql(table)}`)[0]!.n);

const PRODUCT_HEADER = 'code,name,spec,unit,category,costPrice,listPrice,taxRate,priceFloorRate,overDeliveryRate,safetyStock,batchManaged,shelfLifeDays';

describe('CSV import (批量导入)', () => {
  it('offers a template per kind that itself imports', async () => {
    for (const kind of ['customers', 'products', 'opening_stock', 'customer_prices']) {
      const res = await stack.request('GET', `/import/${kind}/template`);
      expect(res.status).toBe(200);
      expect(String(res.body).split('\r\n')).toHaveLength(3);
    }
    const template = await stack.request('GET', '/import/products/template');
    // (reading the body as text drops the template's BOM; import-formats.test.ts checks the bytes)
    expect(String(template.body).startsWith(`${PRODUCT_HEADER}\r\n`)).toBe(true);
    expect((await post('products', String(template.body))).status).toBe(201);
    expect((await stack.request('GET', '/products/P0100')).body).toMatchObject({ listPrice: '98.5', category: 'Sensors' });
    expect((await stack.request('GET', '/import/invoices/template')).status).toBe(400);
  });

  it('refuses a file with bad rows in the middle, reports each by line, field and reason, and writes nothing', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `PX${String(i).padStart(3, '0')},Item ${i},,pcs,Bulk,1,${10 + i},0.13,0.8,0,0,false,`);
    rows[14] = 'PX014,Item 14,,pcs,Bulk,1,-5,0.13,0.8,0,0,false,'; // negative list price
    rows[20] = 'PX001,Item dup,,pcs,Bulk,1,5,0.13,0.8,0,0,false,'; // same code as line 3
    rows[22] = 'PX022,"Item, with comma",,pcs,Bulk,1,5,0.13,1.5,0,0,maybe,'; // floor above 100%, bad flag
    const before = [await count('products'), await count('imports')];
    const res = await post('products', [PRODUCT_HEADER, ...rows].join('\n'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_REJECTED');
    expect(res.body.error.details.errors).toEqual([
      { line: 16, field: 'listPrice', reason: expect.stringMatching(/non-negative/) },
      { line: 22, field: 'code', reason: 'PX001 already appears on line 3' },
      { line: 24, field: 'priceFloorRate', reason: 'at most 1 (100%)' },
      { line: 24, field: 'batchManaged', reason: expect.any(String) },
    ]);
    expect([await count('products'), await count('imports')]).toEqual(before);
    expect(await stack.sql`SELECT 1 FROM products WHERE code LIKE 'PX%'`).toHaveLength(0);
  });

  it('refuses codes that exist, unknown columns and ragged rows', async () => {
    const taken = await post('products', `${PRODUCT_HEADER}\nP0001,Again,,pcs,,1,5,0.13,0,0,0,false,`);
    expect(taken.body.error.details.errors).toEqual([{ line: 2, field: 'code', reason: 'code P0001 is taken' }]);
    const column = await post('products', 'code,name,listPrice,colour\nPQ1,Q,1,red');
    expect(column.body.error.details.errors).toEqual([{ line: 1, field: 'colour', reason: expect.stringMatching(/unknown column/) }]);
    // A huge "column name" is named, not echoed whole.
    const huge = await post('products', `code,name,listPrice,${'x'.repeat(200_000)}\nPQ1,Q,1,red`);
    expect(huge.body.error.details.errors).toEqual([{ line: 1, field: `${'x'.repeat(64)}…`, reason: expect.stringMatching(/unknown column/) }]);
    expect(JSON.stringify(huge.body).length).toBeLessThan(2000);
    const ragged = await post('products', 'code,name,listPrice\nPQ1,Q\nPQ2,Q,2');
    expect(ragged.body.error.details.errors).toEqual([{ line: 2, field: 'row', reason: 'has 2 fields, the header has 3' }]);
    expect(await stack.sql`SELECT 1 FROM products WHERE code LIKE 'PQ%'`).toHaveLength(0);
  });

  it('imports 2,500 products in one go (several batches, one transaction)', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `BULK${String(i).padStart(5, '0')},Bulk item ${i},,pcs,Bulk,1.5,${(i % 97) + 0.25},0.13,0.8,0.05,0,false,`);
    const res = await post('products', [PRODUCT_HEADER, ...rows].join('\r\n'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'products', rows: 2500 });
    const [row] = await stack.sql`SELECT count(*)::int AS n, sum(list_price)::text AS total FROM products WHERE code LIKE 'BULK%'`;
    // Σ (i mod 97) over 0..2499 = 25 full cycles × 4656 + Σ 0..74 = 116400 + 2775; plus 2500 × 0.25
    expect(row).toEqual({ n: 2500, total: '119800.000000' });
  });

  it('imports customers with numbered codes, head offices from the same file, contacts and addresses', async () => {
    const header = 'code,name,grade,settlementTerms,settlementDays,billToCode,creditControl,creditLimit,creditOverrunRate,contactName,contactPhone,deliveryAddress';
    const ok = await post('customers', [
      header,
      'HQ9,Head office,vip,monthly,30,,customer,800000,0.1,Wang Li,123,"上海市, 浦东"',
      ',Branch of HQ9,regular,net,60,HQ9,company,0,0,,,',
    ].join('\n'));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const hq = (await stack.request('GET', '/customers/HQ9')).body;
    expect(hq).toMatchObject({ grade: 'vip', creditLimit: '800000.00', creditOverrunRate: '0.1', contacts: [{ name: 'Wang Li', phone: '123' }] });
    expect(hq.addresses).toEqual([expect.objectContaining({ address: '上海市, 浦东', isDefault: true })]);
    const branch = (await stack.request('GET', '/customers?q=Branch of HQ9')).body.items[0];
    expect(branch).toMatchObject({ code: 'C0004', billToCode: 'HQ9', settlementDays: 60 });

    const bad = await post('customers', [header, ',Fine,regular,net,30,,company,0,0,,,', ',Bad,regular,net,30,NOPE,company,-1,2,,,'].join('\n'));
    expect(bad.body.error.details.errors).toEqual([
      { line: 3, field: 'creditLimit', reason: expect.any(String) },
      { line: 3, field: 'creditOverrunRate', reason: 'at most 1 (100%)' },
    ]);
    expect(await stack.sql`SELECT 1 FROM customers WHERE name = 'Fine'`).toHaveLength(0);
  });

  it('loads opening stock into levels and the ledger, all or nothing', async () => {
    const bad = await post('opening_stock', 'productCode,warehouseCode,quantity\nP0002,WH-BJ,10\nP0002,WH-XX,5\nP0002,WH-SH,0');
    expect(bad.body.error.details.errors).toEqual([
      { line: 3, field: 'warehouseCode', reason: 'warehouse WH-XX does not exist' },
      { line: 4, field: 'quantity', reason: 'must be greater than zero' },
    ]);
    expect((await stack.request('GET', '/stock?productCode=P0002&warehouseCode=WH-BJ')).body.items).toEqual([]);
    const ok = await post('opening_stock', 'productCode,warehouseCode,quantity\nP0002,WH-BJ,10\nP0002,WH-SH,5.5');
    expect(ok.status).toBe(201);
    const levels = (await stack.request('GET', '/stock?productCode=P0002')).body.items;
    expect(levels.map((l: { warehouseCode: string; onHand: string; available: string }) => [l.warehouseCode, l.onHand, l.available])).toEqual([
      ['WH-BJ', '10', '10'],
      ['WH-SH', '45.5', '45.5'],
    ]);
    const moves = (await stack.request('GET', `/stock/moves?productCode=P0002&documentNumber=IMPORT-${ok.body.importId}`)).body.items;
    expect(moves).toHaveLength(2);
    expect((await stack.request('GET', '/stock/verify')).body.consistent).toBe(true);
  });

  it('imports customer prices that order entry then uses', async () => {
    const bad = await post('customer_prices', 'customerCode,productCode,unitPrice,effectiveFrom,effectiveTo\nC0002,P0004,700,2020-01-01,\nC9999,P0004,700,2020-01-01,');
    expect(bad.body.error.details.errors).toEqual([{ line: 3, field: 'customerCode', reason: 'customer C9999 does not exist' }]);
    expect(await count('customer_prices')).toBe(0);
    expect((await post('customer_prices', 'customerCode,productCode,unitPrice,effectiveFrom,effectiveTo\nC0002,P0004,700,2020-01-01,')).status).toBe(201);
    const quote = await stack.request('GET', '/prices/resolve?customerCode=C0002&productCode=P0004&quantity=3');
    expect([quote.body.unitPrice, quote.body.rule]).toEqual(['700', 'customer_price']);
  });
});
