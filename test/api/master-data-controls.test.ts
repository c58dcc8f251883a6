import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

/** A clerk keeps customers and products, but their controls belong to whoever answers for them. */
const stack = useStack({ worker: false });

const customer = async (code: string) =>
  (await stack.sql`SELECT name, credit_limit, credit_control, settlement_days, approval_status FROM customers WHERE code = ${code}`)[0];
const product = async (code: string) => (await stack.sql`SELECT name, price_floor_rate, over_delivery_rate FROM products WHERE code = ${code}`)[0];

describe('controls in master data', () => {
  it('a clerk may not raise a credit limit, unblock a customer or lengthen its terms; the credit controller may, on /controls', async () => {
    const before = await customer('C0001');
    for (const [field, value] of [['creditLimit', '99999999.00'], ['approvalStatus', 'blocked'], ['settlementDays', 180], ['creditControl', 'none']] as const) {
      const res = await stack.request('PATCH', '/customers/C0001', { user: 'clerk.li', body: { name: 'Renamed by clerk', [field]: value } });
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([403, 'FORBIDDEN', field]);
    }
    // Refused as a whole: the name in the same body was not written either.
    expect(await customer('C0001')).toEqual(before);

    // The record sent back unchanged (as a form does, "800000" for "800000.00") is no change of a control.
    const same = await stack.request('PATCH', '/customers/C0001', {
      user: 'clerk.li',
      body: { name: 'Renamed by clerk', creditLimit: String(Number(before!.credit_limit)), settlementDays: before!.settlement_days },
    });
    expect(same.status).toBe(200);
    expect(same.body.name).toBe('Renamed by clerk');

    const set = await stack.request('PATCH', '/customers/C0001/controls', { user: 'credit.sun', body: { creditLimit: '1500000.50', settlementDays: 60 } });
    expect(set.status).toBe(200);
    expect(await customer('C0001')).toMatchObject({ credit_limit: '1500000.50', settlement_days: 60, name: 'Renamed by clerk' });

    // The credit controller sets controls, not the rest of the record; the clerk cannot reach /controls.
    expect((await stack.request('PATCH', '/customers/C0001', { user: 'credit.sun', body: { name: 'x' } })).status).toBe(403);
    const clerkControls = await stack.request('PATCH', '/customers/C0001/controls', { user: 'clerk.li', body: { creditLimit: '1' } });
    expect([clerkControls.status, clerkControls.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const empty = await stack.request('PATCH', '/customers/C0001/controls', { user: 'credit.sun', body: {} });
    expect(empty.status).toBe(400);
    const other = await stack.request('PATCH', '/customers/C0001/controls', { user: 'credit.sun', body: { name: 'x' } });
    expect([other.status, other.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await customer('C0001'))!.credit_limit).toBe('1500000.50');
  });

  it('a clerk creates a customer with the default controls only', async () => {
    const limited = await stack.request('POST', '/customers', { user: 'clerk.li', body: { code: 'CC-1', name: '新客户', creditLimit: '500000' } });
    expect([limited.status, limited.body.error.field]).toEqual([403, 'creditLimit']);
    expect(await customer('CC-1')).toBeUndefined();
    const plain = await stack.request('POST', '/customers', { user: 'clerk.li', body: { code: 'CC-1', name: '新客户', creditLimit: '0.00', region: '华东' } });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ creditLimit: '0.00', settlementDays: 30, approvalStatus: 'approved' });
  });

  it('a price floor and over-delivery rate are the sales manager\'s', async () => {
    const clerk = await stack.request('PATCH', '/products/P0001', { user: 'clerk.li', body: { priceFloorRate: '0.10' } });
    expect([clerk.status, clerk.body.error.field]).toEqual([403, 'priceFloorRate']);
    const created = await stack.request('POST', '/products', { user: 'clerk.li', body: { code: 'PC-1', name: '新品', listPrice: '10', overDeliveryRate: '0.5' } });
    expect([created.status, created.body.error.field]).toEqual([403, 'overDeliveryRate']);
    expect(await product('PC-1')).toBeUndefined();

    const manager = await stack.request('PATCH', '/products/P0001/controls', { user: 'manager.wang', body: { priceFloorRate: '0.85', overDeliveryRate: '0.05' } });
    expect(manager.status).toBe(200);
    expect(await product('P0001')).toMatchObject({ price_floor_rate: '0.850000', over_delivery_rate: '0.050000' });
    expect((await stack.request('PATCH', '/products/P0001/controls', { user: 'credit.sun', body: { priceFloorRate: '0.1' } })).status).toBe(403);
    // The clerk still keeps the rest of the product.
    expect((await stack.request('PATCH', '/products/P0001', { user: 'clerk.li', body: { name: '改名', priceFloorRate: '0.85' } })).status).toBe(200);
  });

  it('an import by a clerk that sets a control is refused row by row, and nothing is imported', async () => {
    const csv = 'code,name,creditLimit\nCI-1,甲,0\nCI-2,乙,300000\n';
    const res = await stack.request('POST', '/import/customers', { user: 'clerk.li', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ line: 3, field: 'creditLimit' })]);
    expect(await customer('CI-1')).toBeUndefined();
    const admin = await stack.request('POST', '/import/customers', { user: 'admin.root', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(admin.status).toBe(201);
    expect((await customer('CI-2'))!.credit_limit).toBe('300000.00');
  });
});
