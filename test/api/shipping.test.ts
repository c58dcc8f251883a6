import { describe, expect, it } from 'vitest';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';

const stack = useStack();

async function approvedOrder(lines: { productCode: string; quantity: string; expectedDeliveryDate?: string }[]) {
  const res = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode: 'C0001', lines: lines.map((l) => ({ warehouseCode: 'WH-SH', ...l })) },
  });
  expect(res.status).toBe(201);
  const number = res.body.order.number as string;
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  return number;
}
const post = (number: string, path: string, body: unknown) => stack.request('POST', `/orders/${number}/${path}`, { user: 'warehouse.zhao', body });
/** 指定结束 is the clerk's change to the order, not the warehouse's. */
const closeLine = (number: string, lineNo: number) => stack.request('POST', `/orders/${number}/close-line`, { user: 'clerk.li', body: { lineNo } });

describe('shipping notices (出货通知单)', () => {
  it('plans the undelivered quantity, moves no stock, and delivers only after a passed quality re-check', async () => {
    const number = await approvedOrder([{ productCode: 'P0003', quantity: '40' }, { productCode: 'P0004', quantity: '2' }]);
    await post(number, 'deliver', { lines: [{ lineNo: 1, quantity: '15' }] });
    const stock = await stockOf(stack.sql, 'P0003', 'WH-SH');

    const issued = await post(number, 'shipping-notices', { lines: [{ lineNo: 1 }], requiresQualityCheck: true });
    expect(issued.status).toBe(200);
    const notice = issued.body.shippingNotice as string;
    expect(notice).toMatch(/^SN-\d{8}-\d{4}$/);
    expect((await liveOrder(stack, number)).shippingNotices).toEqual([
      expect.objectContaining({ number: notice, lines: [{ lineNo: 1, plannedQty: '25', actualQty: '0' }], requiresQualityCheck: true }),
    ]);
    expect(await stockOf(stack.sql, 'P0003', 'WH-SH')).toEqual(stock);

    const unchecked = await post(number, 'deliver', { noticeNumber: notice });
    expect(unchecked.status).toBe(409);
    expect(unchecked.body.error).toMatchObject({ code: 'QUALITY_CHECK_REQUIRED', field: 'noticeNumber' });
    await post(number, 'quality-checks', { noticeNumber: notice, result: 'fail', checkedOn: '2026-11-20' });
    expect((await post(number, 'deliver', { noticeNumber: notice })).body.error.code).toBe('QUALITY_CHECK_REQUIRED');
    const passed = await post(number, 'quality-checks', { noticeNumber: notice, result: 'pass', checkedOn: '2026-11-21' });
    expect(passed.status).toBe(200);
    expect((await liveOrder(stack, number)).shippingNotices[0]).toMatchObject({ qualityResult: 'pass', qualityCheckedOn: '2026-11-21' });

    const delivered = await post(number, 'deliver', { noticeNumber: notice, lines: [{ lineNo: 1, quantity: '20' }], carrier: 'SF', trackingNumber: 'SF1' });
    expect(delivered.status).toBe(200);
    expect(delivered.body.deliveryNote).toMatch(/^DN-/);
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ deliveredQty: '35', closeStatus: 'N' });
    const doc = (await stack.request('GET', `/orders/${number}`)).body.order;
    expect(doc.shippingNotices).toEqual([
      expect.objectContaining({ number: notice, qualityResult: 'pass', lines: [{ orderLineNo: 1, plannedQty: '25', actualQty: '20' }] }),
    ]);
    const twice = await post(number, 'deliver', { noticeNumber: notice });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('INVALID_STATE');
    const notOnNotice = await post(number, 'shipping-notices', { lines: [{ lineNo: 3 }] });
    expect(notOnNotice.status).toBe(404);
    expect(notOnNotice.body.error.field).toBe('lines[0].lineNo');
  });
});

describe('over-delivery (超交率) counts across all notes of a line', () => {
  it('P0001 allows 5%: 20 ordered may reach 21 in total, not more', async () => {
    const number = await approvedOrder([{ productCode: 'P0001', quantity: '20' }]);
    expect((await post(number, 'deliver', { lines: [{ lineNo: 1, quantity: '10' }] })).status).toBe(200);
    const over = await post(number, 'deliver', { lines: [{ lineNo: 1, quantity: '11.5' }] });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'OVER_DELIVERY', field: 'lines[0].quantity', details: { remaining: '10', allowed: '11' } });
    const within = await post(number, 'deliver', { lines: [{ lineNo: 1, quantity: '11' }] });
    expect(within.status).toBe(200);
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ deliveredQty: '21', closeStatus: 'Y', reservedQty: '0' });
    expect(within.body.order.status).toBe('Delivered');
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });

  it('P0002 allows none: one more than ordered is refused', async () => {
    const number = await approvedOrder([{ productCode: 'P0002', quantity: '2' }]);
    const res = await post(number, 'deliver', { lines: [{ lineNo: 1, quantity: '3' }] });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({ remaining: '2', allowed: '2' });
  });
});

describe('closing a line by hand (指定结束)', () => {
  it('cancels the remainder and releases its reservation; the order is delivered when no line is open', async () => {
    const before = await stockOf(stack.sql, 'P0003', 'WH-BJ');
    const res = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '30' }, { productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '1' }] },
    });
    const number = res.body.order.number as string;
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    await post(number, 'deliver', { lines: [{ lineNo: 1, quantity: '10' }, { lineNo: 2 }] });
    const closed = await closeLine(number, 1);
    expect(closed.status).toBe(200);
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ deliveredQty: '10', reservedQty: '0', closeStatus: 'y' });
    expect(closed.body.order.status).toBe('Delivered');
    expect(await stockOf(stack.sql, 'P0003', 'WH-BJ')).toEqual({ onHand: String(Number(before!.onHand) - 10), reserved: before!.reserved });
    const [line] = await stack.sql`SELECT l.close_status FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id WHERE o.number = ${number} AND l.line_no = 1`;
    expect(line!.close_status).toBe('y');
    const again = await closeLine(number, 1);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });

  it('is refused before approval', async () => {
    const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1' }] } });
    const refused = await closeLine(res.body.order.number, 1);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('INVALID_STATE');
  });
});
