import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const stack = useStack({ worker: false });
const admin = 'admin.root';

describe('customers', () => {
  it('numbers a new customer after the seeded C0001–C0003 and shows every field back', async () => {
    const res = await stack.request('POST', '/customers', {
      user: admin,
      body: {
        name: '杭州西湖商贸 Hangzhou West Lake Trading',
        contacts: [{ name: 'Chen Jing', phone: '+86 571 0000 0000', email: 'chen@example.com', role: 'buyer' }],
        addresses: [
          { label: 'warehouse', address: '杭州市余杭区 1 号', isDefault: true },
          { label: 'office', address: '杭州市西湖区 2 号' },
        ],
        region: 'East',
        industry: 'Retail',
        grade: 'vip',
        settlementTerms: 'monthly',
        settlementDays: 45,
        taxId: '91330100XXXXXXXX',
        approvalStatus: 'pending',
        depositRatio: '0.3',
        creditControl: 'customer',
        creditLimit: '250000.00',
        creditOverrunRate: '0.05',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'C0004',
      grade: 'vip',
      settlementTerms: 'monthly',
      settlementDays: 45,
      approvalStatus: 'pending',
      depositRatio: '0.3',
      creditControl: 'customer',
      creditLimit: '250000.00',
      creditOverrunRate: '0.05',
      billToCode: null,
      pricingOrder: ['customer_price', 'grade_discount', 'quantity_tier'],
    });
    expect(res.body.addresses.map((a: { label: string; isDefault: boolean }) => [a.label, a.isDefault])).toEqual([
      ['warehouse', true],
      ['office', false],
    ]);
    expect(res.body.contacts[0].name).toBe('Chen Jing');
    const next = await stack.request('POST', '/customers', { user: admin, body: { name: 'Next one' } });
    expect(next.body.code).toBe('C0005');
  });

  it('links a branch to its paying head office and refuses chains and unknown payers', async () => {
    const branch = await stack.request('POST', '/customers', { user: admin, body: { code: 'C0001-SZ', name: 'East Trading Shenzhen branch', billToCode: 'C0001' } });
    expect(branch.status).toBe(201);
    expect(branch.body.billToCode).toBe('C0001');
    const chain = await stack.request('POST', '/customers', { user: admin, body: { name: 'Sub-branch', billToCode: 'C0001-SZ' } });
    expect([chain.status, chain.body.error.field]).toEqual([400, 'billToCode']);
    const unknown = await stack.request('POST', '/customers', { user: admin, body: { name: 'Orphan', billToCode: 'C9999' } });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.field]).toEqual([422, 'UNKNOWN_CUSTOMER', 'billToCode']);
  });

  it.each([
    ['a duplicate code', { code: 'C0001', name: 'Copy' }, 409, 'DUPLICATE', 'code'],
    ['a negative credit limit', { name: 'X', creditLimit: '-1' }, 400, 'VALIDATION_FAILED', 'creditLimit'],
    ['an overrun above 100%', { name: 'X', creditOverrunRate: '1.5' }, 400, 'VALIDATION_FAILED', 'creditOverrunRate'],
    ['an unknown grade', { name: 'X', grade: 'gold' }, 400, 'VALIDATION_FAILED', 'grade'],
    ['two default addresses', { name: 'X', addresses: [{ label: 'a', address: 'A', isDefault: true }, { label: 'b', address: 'B', isDefault: true }] }, 400, 'VALIDATION_FAILED', 'addresses'],
    ['an empty name', { name: '' }, 400, 'VALIDATION_FAILED', 'name'],
    ['an unknown field', { name: 'X', discount: '5' }, 400, 'VALIDATION_FAILED', 'discount'],
    ['a pricing rule twice', { name: 'X', pricingOrder: ['grade_discount', 'grade_discount'] }, 400, 'VALIDATION_FAILED', 'pricingOrder'],
  ])('refuses %s and writes nothing', async (_what, body, status, code, field) => {
    const [before] = await stack.sql`SELECT count(*)::int AS n FROM customers`;
    const res = await stack.request('POST', '/customers', { user: admin, body });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
    expect(res.body.error.message).toBeTruthy();
    const [after] = await stack.sql`SELECT count(*)::int AS n FROM customers`;
    expect(after!.n).toBe(before!.n);
  });

  it('lists with paging, filters and sort', async () => {
    const vip = await stack.request('GET', '/customers?grade=vip&sort=-code&limit=50');
    expect(vip.status).toBe(200);
    expect(vip.body.items.every((c: { grade: string }) => c.grade === 'vip')).toBe(true);
    const codes = vip.body.items.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort().reverse());
    const all = await stack.request('GET', '/customers?sort=code&limit=500');
    const page = await stack.request('GET', '/customers?limit=2&offset=1&sort=code');
    expect(page.body.items.map((c: { code: string }) => c.code)).toEqual(all.body.items.slice(1, 3).map((c: { code: string }) => c.code));
    expect(page.body.total).toBe(all.body.items.length);
    const search = await stack.request('GET', '/customers?q=Beijing');
    expect(search.body.items.map((c: { code: string }) => c.code)).toEqual(['C0002']);
    const blocked = await stack.request('GET', '/customers?approvalStatus=blocked');
    expect(blocked.body.items.map((c: { code: string }) => c.code)).toEqual(['C0003']);
    const badSort = await stack.request('GET', '/customers?sort=password');
    expect([badSort.status, badSort.body.error.field]).toEqual([400, 'sort']);
  });

  it('updates a customer and replaces its addresses', async () => {
    const res = await stack.request('PATCH', '/customers/C0002', {
      user: admin,
      body: { region: 'North', creditLimit: '300000', addresses: [{ label: 'main', address: '北京市海淀区 3 号', isDefault: true }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'C0002', region: 'North', creditLimit: '300000.00', grade: 'regular' });
    expect(res.body.addresses).toHaveLength(1);
    const missing = await stack.request('PATCH', '/customers/C9999', { user: admin, body: { region: 'x' } });
    expect(missing.status).toBe(404);
  });

  it('deletes an unreferenced customer but refuses one that is referenced; deactivation instead', async () => {
    const made = await stack.request('POST', '/customers', { user: admin, body: { name: 'Short-lived', addresses: [{ label: 'a', address: 'A' }] } });
    expect((await stack.request('DELETE', `/customers/${made.body.code}`, { user: admin })).status).toBe(204);
    expect((await stack.request('GET', `/customers/${made.body.code}`)).status).toBe(404);
    // C0001 is the head office of C0001-SZ (test above): referenced.
    const refused = await stack.request('DELETE', '/customers/C0001', { user: admin });
    expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([409, 'IN_USE', 'code']);
    expect((await stack.request('GET', '/customers/C0001')).body.active).toBe(true);
    const off = await stack.request('PATCH', '/customers/C0001-SZ', { user: admin, body: { active: false } });
    expect(off.body.active).toBe(false);
    const order = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001-SZ', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] },
    });
    expect([order.status, order.body.error.code]).toEqual([422, 'UNKNOWN_CUSTOMER']);
  });
});

describe('products', () => {
  const product = {
    code: 'P0100',
    name: '温度传感器 Temperature sensor',
    spec: 'TS-200',
    unit: 'pcs',
    category: 'Sensors',
    costPrice: '60',
    listPrice: '98.50',
    taxRate: '0.13',
    priceFloorRate: '0.8',
    overDeliveryRate: '0.05',
    safetyStock: '20',
    batchManaged: true,
    shelfLifeDays: 365,
  };

  it('creates, reads, updates and lists a product with every field', async () => {
    const res = await stack.request('POST', '/products', { user: admin, body: product });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...product, costPrice: '60', listPrice: '98.5', priceFloorRate: '0.8', active: true });
    const upd = await stack.request('PATCH', '/products/P0100', { user: admin, body: { listPrice: '99.90', category: 'Instruments' } });
    expect(upd.body).toMatchObject({ listPrice: '99.9', category: 'Instruments', spec: 'TS-200' });
    const list = await stack.request('GET', '/products?category=Instruments');
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(['P0100']);
    const byPrice = await stack.request('GET', '/products?sort=-listPrice&limit=2');
    expect(byPrice.body.items.map((p: { code: string }) => p.code)).toEqual(['P0002', 'P0004']);
  });

  it.each([
    ['a duplicate code', { ...product, code: 'P0001' }, 409, 'DUPLICATE', 'code'],
    ['a negative list price', { ...product, code: 'P0101', listPrice: '-1' }, 400, 'VALIDATION_FAILED', 'listPrice'],
    ['a list price as a number', { ...product, code: 'P0101', listPrice: 98.5 }, 400, 'VALIDATION_FAILED', 'listPrice'],
    ['a floor rate above 100%', { ...product, code: 'P0101', priceFloorRate: '1.2' }, 400, 'VALIDATION_FAILED', 'priceFloorRate'],
    ['a tax rate of 100%', { ...product, code: 'P0101', taxRate: '1' }, 400, 'VALIDATION_FAILED', 'taxRate'],
    ['a zero shelf life', { ...product, code: 'P0101', shelfLifeDays: 0 }, 400, 'VALIDATION_FAILED', 'shelfLifeDays'],
    ['a missing name', { code: 'P0101', listPrice: '1' }, 400, 'VALIDATION_FAILED', 'name'],
  ])('refuses %s and writes nothing', async (_what, body, status, code, field) => {
    const res = await stack.request('POST', '/products', { user: admin, body });
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
    expect(await stack.sql`SELECT 1 FROM products WHERE code = 'P0101'`).toHaveLength(0);
  });

  it('refuses to delete a product with stock history, deletes one without', async () => {
    const refused = await stack.request('DELETE', '/products/P0001', { user: admin });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'IN_USE']);
    await stack.request('POST', '/products', { user: admin, body: { ...product, code: 'P0199' } });
    expect((await stack.request('DELETE', '/products/P0199', { user: admin })).status).toBe(204);
  });
});

describe('warehouses', () => {
  it('creates, renames, refuses duplicates and referenced deletes', async () => {
    expect((await stack.request('POST', '/warehouses', { user: admin, body: { code: 'WH-GZ', name: '广州仓' } })).status).toBe(201);
    const dup = await stack.request('POST', '/warehouses', { user: admin, body: { code: 'WH-GZ', name: 'again' } });
    expect([dup.status, dup.body.error.code, dup.body.error.field]).toEqual([409, 'DUPLICATE', 'code']);
    const renamed = await stack.request('PATCH', '/warehouses/WH-GZ', { user: admin, body: { name: 'Guangzhou' } });
    expect(renamed.body).toEqual({ code: 'WH-GZ', name: 'Guangzhou', active: true });
    const list = await stack.request('GET', '/warehouses');
    expect(list.body.items.map((w: { code: string }) => w.code)).toEqual(['WH-BJ', 'WH-GZ', 'WH-SH']);
    expect((await stack.request('DELETE', '/warehouses/WH-SH', { user: admin })).body.error.code).toBe('IN_USE');
    expect((await stack.request('DELETE', '/warehouses/WH-GZ', { user: admin })).status).toBe(204);
  });
});

describe('stock', () => {
  it('shows levels with available = on hand − reserved, the ledger, and that the ledger adds up', async () => {
    const levels = await stack.request('GET', '/stock?productCode=P0001');
    expect(levels.body.items).toEqual([
      expect.objectContaining({ productCode: 'P0001', warehouseCode: 'WH-BJ', onHand: '200', reserved: '0', available: '200' }),
      expect.objectContaining({ productCode: 'P0001', warehouseCode: 'WH-SH', onHand: '500', reserved: '0', available: '500' }),
    ]);
    const moves = await stack.request('GET', '/stock/moves?productCode=P0003&kind=opening');
    expect(moves.body.items.map((m: { warehouseCode: string; onHandDelta: string }) => [m.warehouseCode, m.onHandDelta])).toEqual([
      ['WH-SH', '10000'],
      ['WH-BJ', '2500'],
    ]);
    expect((await stack.request('GET', '/stock/verify')).body).toMatchObject({ consistent: true, differences: [] });
    // A level changed behind the ledger's back is found.
    await stack.sql`UPDATE stock_levels SET on_hand = on_hand + 1 WHERE product_id = (SELECT id FROM products WHERE code = 'P0004')`;
    const broken = await stack.request('GET', '/stock/verify');
    expect(broken.body.consistent).toBe(false);
    expect(broken.body.differences).toEqual([
      { productCode: 'P0004', warehouseCode: 'WH-SH', stored: { onHand: '1001', reserved: '0' }, fromLedger: { onHand: '1000', reserved: '0' } },
    ]);
    await stack.sql`UPDATE stock_levels SET on_hand = on_hand - 1 WHERE product_id = (SELECT id FROM products WHERE code = 'P0004')`;
  });

  it('lists the levels whose available stock is under the safety stock (库存预警)', async () => {
    expect((await stack.request('GET', '/stock?belowSafetyStock=true')).body.items).toEqual([]);
    await stack.request('PATCH', '/products/P0001', { user: admin, body: { safetyStock: '300' } });
    const low = await stack.request('GET', '/stock?belowSafetyStock=true');
    expect(low.body.items).toEqual([{ productCode: 'P0001', warehouseCode: 'WH-BJ', onHand: '200', reserved: '0', available: '200', safetyStock: '300' }]);
    await stack.request('PATCH', '/products/P0001', { user: admin, body: { safetyStock: '10' } });
  });
});

describe('numbering rules and credit settings', () => {
  it('lists and changes a numbering rule, refusing a bad prefix', async () => {
    const list = await stack.request('GET', '/numbering-rules');
    expect(list.body.items.find((r: { documentType: string }) => r.documentType === 'customer')).toMatchObject({ prefix: 'C', datePart: 'none', digits: 4, separator: '' });
    const bad = await stack.request('PUT', '/numbering-rules/invoice', { user: admin, body: { prefix: 'inv', datePart: 'yyyymm', digits: 5 } });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'prefix']);
    const ok = await stack.request('PUT', '/numbering-rules/invoice', { user: admin, body: { prefix: 'INV', datePart: 'yyyymm', digits: 5 } });
    expect(ok.body).toEqual({ documentType: 'invoice', prefix: 'INV', datePart: 'yyyymm', digits: 5, separator: '-' });
    expect((await stack.request('PUT', '/numbering-rules/nothing', { user: admin, body: { prefix: 'X', datePart: 'none', digits: 4 } })).status).toBe(404);
  });

  it('reads and writes credit settings, refusing an overrun above 100%', async () => {
    expect((await stack.request('GET', '/settings/credit')).body).toEqual({
      checkPoints: ['approval'],
      onBreach: 'block',
      defaultLimit: '500000.00',
      defaultOverrunRate: '0',
    });
    const body = { checkPoints: ['approval', 'delivery'], onBreach: 'warn', defaultLimit: '800000', defaultOverrunRate: '0.1' };
    expect((await stack.request('PUT', '/settings/credit', { user: admin, body })).body).toEqual({ ...body, defaultLimit: '800000.00' });
    const bad = await stack.request('PUT', '/settings/credit', { user: admin, body: { ...body, defaultOverrunRate: '1.01' } });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'defaultOverrunRate']);
    const badPoint = await stack.request('PUT', '/settings/credit', { user: admin, body: { ...body, checkPoints: ['payment'] } });
    expect([badPoint.status, badPoint.body.error.field]).toEqual([400, 'checkPoints[0]']);
    await stack.request('PUT', '/settings/credit', { user: admin, body: { checkPoints: ['approval'], onBreach: 'block', defaultLimit: '500000', defaultOverrunRate: '0' } });
  });
});
