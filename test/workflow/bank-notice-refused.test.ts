import { describe, expect, it } from 'vitest';
import { bankPaymentNoticeSignal, invoicedSignal, orderStateQuery, paymentAppliedSignal } from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

/** 2 × P0003 at 10.00 for C0001 (22.60 gross), approved. */
async function approvedOrder(): Promise<string> {
  const created = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '10' }] },
  });
  const number = created.body.order.number as string;
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  return number;
}

describe('a bank notice the order cannot book', () => {
  it('is refused on the timeline, reaches no receipt, and the order still takes its payment and completes', async () => {
    const number = await approvedOrder();
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

  it('signals whose payload is not what their sender should send leave the state as it was, and the order goes on', async () => {
    const number = await approvedOrder();
    const handle = stack.client.workflow.getHandle(`order-${number}`);
    const before = await handle.query(orderStateQuery);
    // Payloads a direct Temporal client can send: each failed the order's every workflow task when trusted.
    const junk: [typeof invoicedSignal | typeof paymentAppliedSignal | typeof bankPaymentNoticeSignal, unknown][] = [
      [invoicedSignal, null],
      [invoicedSignal, { invoice: { number: 'INV-X', gross: '1.00', dueOn: '2026-01-01', overdueAt: 0, dunningAt: [], applied: [] }, lines: [{ lineNo: 99, productCode: 'P', quantity: '1', unitPrice: '1', taxRate: '0' }] }],
      [paymentAppliedSignal, 'junk'],
      [paymentAppliedSignal, [null]],
      [bankPaymentNoticeSignal, null],
    ];
    for (const [signal, payload] of junk) await handle.signal(signal as typeof paymentAppliedSignal, payload as never);
    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(delivered.status).toBe(200);
    const after = await handle.query(orderStateQuery);
    expect({ invoices: after.invoices, money: after.money, lines: after.lines.map((l) => l.invoicedQty) }).toEqual({
      invoices: before.invoices,
      money: before.money,
      lines: before.lines.map((l) => l.invoicedQty),
    });
  });
});
