import { describe, expect, it } from 'vitest';
import { createOrder } from '../../api/orders/create-order.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

describe('document numbers under concurrent creation', () => {
  it('gives 500 orders created in parallel 500 unique, gapless numbers', { timeout: 300_000 }, async () => {
    const deps = { sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai' };
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        createOrder(deps, { customerCode: i % 2 ? 'C0001' : 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1' }] }, 'clerk.zhang'),
      ),
    );
    const numbers = results.map((r) => r.orderNumber);
    expect(new Set(numbers).size).toBe(500);
    const running = numbers.map((n) => Number(n.split('-').at(-1))).sort((a, b) => a - b);
    expect(running).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const [stored] = await stack.sql`SELECT count(DISTINCT number)::int AS n FROM sales_orders`;
    expect(stored!.n).toBe(500);
  });

  it('goes on past its digits: the 10,000th order of a day is numbered -10000 and takes its commands', { timeout: 60_000 }, async () => {
    const order = { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1' }] };
    const first = await stack.request('POST', '/orders', { user: 'clerk.li', body: order });
    const day = (first.body.order.number as string).replace(/-\d+$/, '');
    await stack.sql`UPDATE numbering_counters SET last_number = 9999 WHERE document_type = 'sales_order'`;
    const tenThousandth = await stack.request('POST', '/orders', { user: 'clerk.li', body: order });
    expect(tenThousandth.status).toBe(201);
    expect(tenThousandth.body.order.number).toBe(`${day}-10000`);
    const approved = await stack.request('POST', `/orders/${day}-10000/approve`, { user: 'manager.wang', body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.order.status).toBe('Approved');
  });

  it('numbers customers created in parallel without a repeat', async () => {
    const made = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stack.request('POST', '/customers', { user: 'admin.root', body: { name: `Parallel ${i}` } })),
    );
    const codes = made.map((r) => r.body.code as string).sort();
    expect(codes).toEqual(Array.from({ length: 40 }, (_, i) => `C${String(i + 4).padStart(4, '0')}`));
  });
});
