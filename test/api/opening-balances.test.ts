import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';

const stack = useStack();

describe('opening balances (期初开账)', () => {
  it('loads an open order as approved with what it delivered before; only the rest is reserved, delivered and invoiced', async () => {
    const before = await stockOf(stack.sql, 'P0003', 'WH-SH');
    const res = await stack.request('POST', '/orders/opening', {
      user: 'admin.root',
      body: {
        customerCode: 'C0001',
        lines: [
          { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '100', unitPrice: '3.50', deliveredQty: '40' },
          { productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '5', deliveredQty: '5' },
        ],
      },
    });
    expect(res.status).toBe(201);
    const number = res.body.order.number as string;
    await expect.poll(async () => (await stack.request('GET', `/orders/${number}`)).body.live.status).toBe('PartiallyDelivered');
    const live = (await stack.request('GET', `/orders/${number}`)).body.live;
    expect(live.lines.map((l: any) => [l.deliveredQty, l.invoicedQty, l.reservedQty, l.closeStatus])).toEqual([
      ['40', '40', '60', 'N'],
      ['5', '5', '0', 'Y'],
    ]);
    // The admin who loaded it is its approver.
    expect(live.approvedBy).toBe('admin.root');
    expect(await stockOf(stack.sql, 'P0003', 'WH-SH')).toEqual({ onHand: before!.onHand, reserved: String(Number(before!.reserved) + 60) });
    // The stored status follows in the workflow's next step (the reservation marks it approved first).
    await expect
      .poll(async () => (await stack.sql`SELECT status, approved_by, opening_approved_by FROM sales_orders WHERE number = ${number}`)[0])
      .toEqual({ status: 'PartiallyDelivered', approved_by: 'admin.root', opening_approved_by: 'admin.root' });

    // P0003 allows 10% over: 110 in all, so 70 after the 40 delivered before.
    const over = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '71' }] } });
    expect(over.status).toBe(422);
    expect(over.body.error.details).toMatchObject({ remaining: '60', allowed: '70' });
    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(delivered.body.order.status).toBe('Delivered');
    const invoice = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    // Only the 60 delivered here: 60 × 3.50 = 210.00 + 27.30 tax.
    expect(invoice.body.gross).toBe('237.30');
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '237.30', method: 'bank_transfer' } });
    expect((await stack.client.workflow.getHandle(`order-${number}`).result()).status).toBe('Completed');
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });

  it('refuses a line delivered beyond its quantity, and an order with nothing open', async () => {
    const line = { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10' };
    const over = await stack.request('POST', '/orders/opening', {
      user: 'admin.root',
      body: { customerCode: 'C0001', lines: [{ ...line, deliveredQty: '11' }] },
    });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'OVER_DELIVERY', field: 'lines[0].deliveredQty' });
    const closed = await stack.request('POST', '/orders/opening', {
      user: 'admin.root',
      body: { customerCode: 'C0001', lines: [{ ...line, deliveredQty: '10' }] },
    });
    expect(closed.status).toBe(400);
    expect(closed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'lines' });
  });
});
