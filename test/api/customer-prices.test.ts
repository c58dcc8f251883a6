import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

/** 客户商品价格: agreed prices are changed and retired through the API; a price order lines used is kept. */
const stack = useStack();
const clerk = 'clerk.li';

async function agree(body: Record<string, unknown>) {
  const res = await stack.request('POST', '/prices/customer-prices', { user: clerk, body: { customerCode: 'C0002', productCode: 'P0001', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

async function stored(id: string) {
  const list = await stack.request('GET', '/prices/customer-prices?customerCode=C0002&limit=100');
  return list.body.items.find((p: { id: string }) => p.id === id);
}

const patch = (id: string, body: unknown, user = clerk) => stack.request('PATCH', `/prices/customer-prices/${id}`, { user, body });
const remove = (id: string, user = clerk) => stack.request('DELETE', `/prices/customer-prices/${id}`, { user });

async function orderOne(productCode: string) {
  const res = await stack.request('POST', '/orders', { user: clerk, body: { customerCode: 'C0002', lines: [{ productCode, warehouseCode: 'WH-SH', quantity: '1' }] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order;
}

const audits = (command: string) =>
  stack.sql<{ actor: string; path: string; input: Record<string, unknown>; outcome: string }[]>`SELECT actor, path, input, outcome FROM audit_entries WHERE command = ${command} ORDER BY id`;
const PATCH_PRICE = 'PATCH /prices/customer-prices/:id';
const DELETE_PRICE = 'DELETE /prices/customer-prices/:id';

describe('PATCH /prices/customer-prices/:id', () => {
  it('changes the price and its dates; orders entered afterwards get the new price', async () => {
    const price = await agree({ unitPrice: '100', effectiveFrom: '2021-01-01', effectiveTo: null });
    const before = await orderOne('P0001');
    expect([before.lines[0].unitPrice, before.lines[0].priceRule]).toEqual(['100', 'customer_price']);

    const changed = await patch(price.id, { unitPrice: '98.50', effectiveTo: '2099-12-31' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ id: price.id, unitPrice: '98.5', effectiveFrom: '2021-01-01', effectiveTo: '2099-12-31', active: true, updatedBy: clerk });
    expect([(await orderOne('P0001')).lines[0].unitPrice]).toEqual(['98.5']);
    // The order entered before keeps the price it was given.
    expect((await stack.request('GET', `/orders/${before.number}`)).body.order.lines[0].unitPrice).toBe('100');

    const ended = await patch(price.id, { effectiveFrom: '2020-06-01', effectiveTo: '2020-12-31' });
    expect(ended.body).toMatchObject({ effectiveFrom: '2020-06-01', effectiveTo: '2020-12-31' });
    const today = await stack.request('GET', '/prices/resolve?customerCode=C0002&productCode=P0001&quantity=1');
    expect([today.body.unitPrice, today.body.rule]).toEqual(['114', 'grade_discount']);
    const then = await stack.request('GET', '/prices/resolve?customerCode=C0002&productCode=P0001&quantity=1&date=2020-07-01');
    expect([then.body.unitPrice, then.body.rule]).toEqual(['98.5', 'customer_price']);

    const path = `/prices/customer-prices/${price.id}`;
    expect((await audits(PATCH_PRICE)).slice(0, 2)).toEqual([
      { actor: clerk, path, input: { unitPrice: '98.50', effectiveTo: '2099-12-31' }, outcome: 'ok' },
      { actor: clerk, path, input: { effectiveFrom: '2020-06-01', effectiveTo: '2020-12-31' }, outcome: 'ok' },
    ]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const price = await agree({ productCode: 'P0002', unitPrice: '2300', effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31' });
    const original = await stored(price.id);
    const cases: [unknown, number, string, string][] = [
      [{ unitPrice: '-1' }, 400, 'VALIDATION_FAILED', 'unitPrice'],
      [{ unitPrice: '1.1234567' }, 400, 'VALIDATION_FAILED', 'unitPrice'],
      // More than NUMERIC(18,6) holds: refused by the schema, not a 500 from Postgres.
      [{ unitPrice: '1234567890123' }, 400, 'VALIDATION_FAILED', 'unitPrice'],
      [{ effectiveFrom: '2026-02-30' }, 400, 'VALIDATION_FAILED', 'effectiveFrom'],
      [{ effectiveFrom: '2026-05-01', effectiveTo: '2026-04-30' }, 400, 'VALIDATION_FAILED', 'effectiveTo'],
      // Against the stored dates: ending before it starts, or starting after it ends.
      [{ effectiveTo: '2025-12-31' }, 400, 'VALIDATION_FAILED', 'effectiveTo'],
      [{ effectiveFrom: '2027-01-01' }, 400, 'VALIDATION_FAILED', 'effectiveFrom'],
      [{ active: 'no' }, 400, 'VALIDATION_FAILED', 'active'],
      [{ customerCode: 'C0001' }, 400, 'VALIDATION_FAILED', 'customerCode'],
      [{}, 400, 'VALIDATION_FAILED', 'body'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await patch(price.id, body);
      expect([res.status, res.body.error?.code, res.body.error?.field], JSON.stringify(body)).toEqual([status, code, field]);
    }
    const unknown = await patch('999999', { unitPrice: '1' });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.field]).toEqual([404, 'NOT_FOUND', 'id']);
    const badId = await patch('abc', { unitPrice: '1' });
    expect([badId.status, badId.body.error.field]).toEqual([400, 'id']);
    expect(await stored(price.id)).toEqual(original);
    // Every refusal is audited, those of the schema as well as those against the stored dates.
    const refusedAudits = (await audits(PATCH_PRICE)).filter((a) => a.path === `/prices/customer-prices/${price.id}`);
    expect(refusedAudits.map((a) => a.outcome)).toEqual(cases.map(() => 'VALIDATION_FAILED'));
  });

  it('refuses any number its column cannot hold, naming the field (a product, as the fuzzer found)', async () => {
    const res = await stack.request('PATCH', '/products/P0001', { user: clerk, body: { safetyStock: '99999999999999999999.99' } });
    expect([res.status, res.body.error.field]).toEqual([400, 'safetyStock']);
    expect((await stack.request('PATCH', '/products/P0001', { user: clerk, body: { safetyStock: '00000000000000000012' } })).status).toBe(200);
  });

  it('is for those who maintain master data', async () => {
    const price = await agree({ productCode: 'P0003', unitPrice: '3', effectiveFrom: '2026-01-01' });
    for (const user of ['warehouse.zhao', 'finance.chen']) {
      expect((await patch(price.id, { unitPrice: '1' }, user)).status).toBe(403);
      expect((await remove(price.id, user)).status).toBe(403);
    }
    expect((await stack.request('PATCH', `/prices/customer-prices/${price.id}`, { anonymous: true, body: { unitPrice: '1' } })).status).toBe(401);
    expect(await stored(price.id)).toMatchObject({ unitPrice: '3', active: true, updatedBy: null });
  });
});

describe('DELETE /prices/customer-prices/:id', () => {
  it('deletes a price no order used', async () => {
    const price = await agree({ productCode: 'P0004', unitPrice: '700', effectiveFrom: '2030-01-01' });
    const res = await remove(price.id);
    expect(res.status).toBe(204);
    expect(await stored(price.id)).toBeUndefined();
    expect([(await remove(price.id)).status, (await remove(price.id)).body.error.field]).toEqual([404, 'id']);
  });

  it('keeps a price order lines were priced by, deactivated: no longer used, the lines unchanged', async () => {
    const price = await agree({ productCode: 'P0004', unitPrice: '650', effectiveFrom: '2021-01-01' });
    const used = await orderOne('P0004');
    expect([used.lines[0].unitPrice, used.lines[0].priceRule]).toEqual(['650', 'customer_price']);

    const res = await remove(price.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.deactivated).toMatchObject({ id: price.id, unitPrice: '650', active: false, updatedBy: clerk });
    expect(await stored(price.id)).toMatchObject({ active: false });
    const inactive = await stack.request('GET', '/prices/customer-prices?customerCode=C0002&active=false');
    expect(inactive.body.items.map((p: { id: string }) => p.id)).toEqual([price.id]);

    // New orders fall back to the next rule (the regular grade's 95% of 800); the old line keeps 650.
    expect([(await orderOne('P0004')).lines[0].unitPrice]).toEqual(['760']);
    expect((await stack.request('GET', `/orders/${used.number}`)).body.order.lines[0].unitPrice).toBe('650');
    // Switched on again, it prices orders again.
    expect((await patch(price.id, { active: true })).body.active).toBe(true);
    expect([(await orderOne('P0004')).lines[0].unitPrice]).toEqual(['650']);
    // The roles refused above, then the deletes of this block.
    expect((await audits(DELETE_PRICE)).map((a) => a.outcome)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'NOT_FOUND', 'ok']);
  });
});
