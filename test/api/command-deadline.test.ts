import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

// Commands wait at most three seconds for the order's workflow in this file.
const stack = useStack({ commandTimeoutMs: 3000 });

describe('a command the order cannot answer in time', () => {
  it('answers 503 within its deadline, and the same request repeated with its Idempotency-Key approves once', { timeout: 60_000 }, async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] },
    });
    expect(created.status).toBe(201);
    const n = created.body.order.number as string;
    const approve = () => stack.request('POST', `/orders/${n}/approve`, { user: 'manager.wang', body: {}, headers: { 'idempotency-key': `approve-${n}` } });

    // No worker: the workflow cannot answer; the caller is told so instead of waiting for ever.
    await stack.stopWorker();
    try {
      const t0 = Date.now();
      const first = await approve();
      const waited = Date.now() - t0;
      expect(first.status).toBe(503);
      expect(first.body.error.code).toBe('UNAVAILABLE');
      expect(first.body.error.message).toMatch(/same Idempotency-Key/);
      expect(waited).toBeLessThan(20_000);
    } finally {
      await stack.startWorker();
    }

    const again = await approve();
    expect(again.status).toBe(200);
    const order = await stack.request('GET', `/orders/${n}`, { user: 'manager.wang' });
    expect(order.body.order.status).toBe('Approved');
    const [approvals] = await stack.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM order_approvals a JOIN sales_orders o ON o.id = a.order_id WHERE o.number = ${n}`;
    expect(approvals!.n).toBe(1);
    const audit = await stack.sql<{ outcome: string }[]>`
      SELECT outcome FROM audit_entries WHERE order_number = ${n} AND command = 'approve' ORDER BY id`;
    expect(audit.map((a) => a.outcome)).toEqual(['UNAVAILABLE', 'ok']);
  });
});
