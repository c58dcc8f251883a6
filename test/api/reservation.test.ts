import { describe, expect, it } from 'vitest';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';
import { addStock, freshProduct } from '../support/fixtures.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';

const stack = useStack();

async function createOrder(productCode: string, quantity: string, shortfallPolicy?: 'block' | 'backorder') {
  const body = { customerCode: 'C0001', ...(shortfallPolicy ? { shortfallPolicy } : {}), lines: [{ productCode, warehouseCode: 'WH-SH', quantity }] };
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}
const approve = (number: string) => stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
const reserve = (number: string) => stack.request('POST', `/orders/${number}/reserve`, { user: 'warehouse.zhao', body: {} });

describe('a shortfall at approval', () => {
  it('blocks the approval by default: nothing is reserved and the order still waits; it goes through once stock arrives', async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '10');
    const number = await createOrder(product, '15');
    const res = await approve(number);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'lines' });
    expect(res.body.error.details.shortfalls).toEqual([expect.objectContaining({ lineNo: 1, requested: '15', available: '10' })]);
    const live = (await stack.request('GET', `/orders/${number}`)).body.live;
    expect(live).toMatchObject({ status: 'Unapproved', approvals: [] });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '10', reserved: '0' });
    // The reservation, the approved status and the approval record are one transaction: none of them was written.
    const stored = async () => {
      const [order] = await stack.sql`SELECT status, approved_by FROM sales_orders WHERE number = ${number}`;
      const approvals = await stack.sql`SELECT a.user_name FROM order_approvals a JOIN sales_orders o ON o.id = a.order_id WHERE o.number = ${number}`;
      return { ...order, approvals: approvals.map((a) => a.user_name) };
    };
    expect(await stored()).toEqual({ status: 'Unapproved', approved_by: null, approvals: [] });
    const early = await reserve(number);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('INVALID_STATE');

    await addStock(stack.sql, product, 'WH-SH', '5');
    expect((await approve(number)).body.order.status).toBe('Approved');
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '15', reserved: '15' });
    expect(await stored()).toEqual({ status: 'Approved', approved_by: 'manager.wang', approvals: ['manager.wang'] });
  });

  it('back-orders when the clerk chose so: reserves what exists, the rest as stock arrives', async () => {
    const product = await freshProduct(stack.sql, { safetyStock: '5' });
    await addStock(stack.sql, product, 'WH-SH', '10');
    const number = await createOrder(product, '15', 'backorder');
    const approved = await approve(number);
    expect(approved.status).toBe(200);
    expect(approved.body.order.status).toBe('Approved');
    // The answer says what is still back-ordered; the line shows what is reserved.
    expect(approved.body.order.unreserved).toBe('5');
    expect((await liveOrder(stack, number)).lines[0].reservedQty).toBe('10');
    const [row] = await stack.sql`SELECT shortfall_policy FROM sales_orders WHERE number = ${number}`;
    expect(row!.shortfall_policy).toBe('backorder');

    await addStock(stack.sql, product, 'WH-SH', '3');
    expect((await reserve(number)).body.order.unreserved).toBe('2');
    expect((await liveOrder(stack, number)).lines[0].reservedQty).toBe('13');
    await addStock(stack.sql, product, 'WH-SH', '10');
    expect((await reserve(number)).body.order).not.toHaveProperty('unreserved');
    expect((await liveOrder(stack, number)).lines[0].reservedQty).toBe('15');
    const nothingLeft = await reserve(number);
    expect(nothingLeft.status).toBe(409);
    expect(nothingLeft.body.error).toMatchObject({ code: 'INVALID_STATE', field: 'lines' });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '23', reserved: '15' });

    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(delivered.body.order.status).toBe('Delivered');
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '8', reserved: '0' });
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });
});

describe('cancel with a back-order', () => {
  it('gives back the part that was reserved, and nothing more', async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '4');
    const number = await createOrder(product, '10', 'backorder');
    expect((await approve(number)).body.order.unreserved).toBe('6');
    expect((await liveOrder(stack, number)).lines[0].reservedQty).toBe('4');
    const res = await stack.request('POST', `/orders/${number}/cancel`, { user: 'clerk.li', body: { reason: 'customer withdrew' } });
    expect(res.status).toBe(200);
    expect(res.body.order.status).toBe('Cancelled');
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '4', reserved: '0' });
    expect((await reserve(number)).status).toBe(409);
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });
});

describe('safety stock (库存预警)', () => {
  it('a reservation that leaves available under the safety stock records a warning the API lists; one above it does not', async () => {
    const product = await freshProduct(stack.sql, { safetyStock: '5' });
    await addStock(stack.sql, product, 'WH-SH', '20');
    const above = await createOrder(product, '15');
    await approve(above);
    const none = await stack.request('GET', `/stock/warnings?productCode=${product}`);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);

    const under = await createOrder(product, '2');
    expect((await approve(under)).status).toBe(200);
    const list = await stack.request('GET', `/stock/warnings?productCode=${product}`);
    expect(list.body.items).toEqual([
      expect.objectContaining({ productCode: product, warehouseCode: 'WH-SH', available: '3', safetyStock: '5', documentNumber: under }),
    ]);
  });
});
