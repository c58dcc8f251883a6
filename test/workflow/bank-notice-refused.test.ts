import { describe, expect, it } from 'vitest';
import { bankPaymentNoticeSignal } from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

describe('a bank notice the order cannot book', () => {
  it('is refused on the timeline, reaches no receipt, and the order still takes its payment and completes', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '10' }] },
    });
    const number = created.body.order.number as string;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} })).status).toBe(200);
    // Straight to the workflow, past the API's own checks, as a direct Temporal client could.
    const handle = stack.client.workflow.getHandle(`order-${number}`);
    await handle.signal(bankPaymentNoticeSignal, { noticeId: `ZERO-${number}`, amount: '0.00' });
    await handle.signal(bankPaymentNoticeSignal, { noticeId: 'NUL\u0000ID', amount: '5.00' });
    await handle.signal(bankPaymentNoticeSignal, { noticeId: `OK-${number}`, amount: '22.60' });
    expect(await handle.result()).toMatchObject({ status: 'Completed', receivedTotal: '22.60' });
    const timeline = (await stack.request('GET', `/orders/${number}/timeline`)).body.events as { kind: string; summary: string }[];
    const refused = timeline.filter((e) => e.kind === 'notification.bank_notice_refused').map((e) => e.summary);
    expect(refused).toEqual([
      `bank notice "ZERO-${number}" for "0.00" refused: "amount must be greater than zero"`,
      expect.stringMatching(/^bank notice "NUL\\u0000ID" for "5.00" refused: "noticeId must be/),
    ]);
    const receipts = await stack.sql`SELECT r.reference FROM receipts r WHERE r.reference LIKE ${`%${number}`} OR r.reference LIKE 'NUL%'`;
    expect(receipts.map((r) => r.reference)).toEqual([`OK-${number}`]);
  });
});
