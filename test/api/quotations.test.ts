import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const stack = useStack();

const lines = (quantity: string, unitPrice: string, giftQty?: string) => [
  { productCode: 'P0001', warehouseCode: 'WH-SH', quantity, unitPrice, ...(giftQty ? { giftQty } : {}) },
];
const post = (path: string, body: unknown, user = 'clerk.li') => stack.request('POST', path, { user, body });

describe('quotations (报价单)', () => {
  it('keeps every version; the customer accepts the current one; it is copied to an order once, at the quoted prices', async () => {
    const created = await post('/quotations', { customerCode: 'C0001', validUntil: '2099-12-31', lines: lines('10', '115') });
    expect(created.status).toBe(201);
    const number = created.body.number as string;
    expect(number).toMatch(/^QT-\d{8}-\d{4}$/);
    expect(created.body.versions[0].totals).toEqual({ net: '1150.00', tax: '149.50', gross: '1299.50' });

    const notYet = await post(`/quotations/${number}/order`, {});
    expect(notYet.status).toBe(409);
    expect(notYet.body.error).toMatchObject({ code: 'INVALID_STATE', field: 'status' });

    const v2 = await post(`/quotations/${number}/versions`, { validUntil: '2099-12-31', lines: lines('12', '110', '1') });
    expect(v2.status).toBe(200);
    expect(v2.body.currentVersion).toBe(2);
    expect(v2.body.versions.map((v: { totals: { net: string } }) => v.totals.net)).toEqual(['1150.00', '1320.00']);

    const stale = await post(`/quotations/${number}/accept`, { version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'INVALID_STATE', field: 'version' });
    const accepted = await post(`/quotations/${number}/accept`, {});
    expect(accepted.body).toMatchObject({ status: 'accepted', acceptedVersion: 2 });

    const copied = await post(`/quotations/${number}/order`, {});
    expect(copied.status).toBe(201);
    const orderNumber = copied.body.orderNumber as string;
    expect(copied.body.quotation).toMatchObject({ status: 'ordered', orderNumber });
    const order = (await stack.request('GET', `/orders/${orderNumber}`)).body.order;
    // The quoted price, and the gift quantity as a line at price 0.
    expect(order.lines.map((l: { quantity: string; unitPrice: string }) => [l.quantity, l.unitPrice])).toEqual([
      ['12', '110'],
      ['1', '0'],
    ]);
    expect(order.totals.net).toBe('1320.00');

    const twice = await post(`/quotations/${number}/order`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.details.orderNumber).toBe(orderNumber);
    const newVersion = await post(`/quotations/${number}/versions`, { lines: lines('1', '120') });
    expect(newVersion.status).toBe(409);
  });

  it('an expired quotation is not copied; a blocked customer gets none; an unknown one is 404', async () => {
    const expired = await post('/quotations', { customerCode: 'C0002', validUntil: '2020-01-31', lines: lines('1', '120') });
    await post(`/quotations/${expired.body.number}/accept`, {});
    const copy = await post(`/quotations/${expired.body.number}/order`, {});
    expect(copy.status).toBe(409);
    expect(copy.body.error).toMatchObject({ code: 'INVALID_STATE', field: 'validUntil' });

    const blocked = await post('/quotations', { customerCode: 'C0003', lines: lines('1', '120') });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error).toMatchObject({ code: 'CUSTOMER_BLOCKED', field: 'customerCode' });
    expect((await stack.request('GET', '/quotations/QT-20200101-9999')).status).toBe(404);
  });
});
