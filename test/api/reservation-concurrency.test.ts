import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';
import { addStock, freshProduct } from '../support/fixtures.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';

const stack = useStack();

/** Runs `task` over `items` with at most `width` in flight. */
async function inBatches<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  return results;
}

describe('two orders never reserve the same unit', () => {
  it('200 orders of one unit approved at once against a stock of 100: exactly 100 reserve, the ledger agrees', { timeout: 240_000 }, async () => {
    const product = await freshProduct(stack.sql);
    await addStock(stack.sql, product, 'WH-SH', '100');
    const numbers = await inBatches([...Array(200).keys()], 20, async () => {
      const res = await stack.request('POST', '/orders', {
        user: 'clerk.li',
        body: { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '1' }] },
      });
      expect(res.status).toBe(201);
      return res.body.order.number as string;
    });

    // As a real client would: a 503 (busy machine, the update did not answer in time) is repeated with the same key.
    const approveOnce = async (n: string) => {
      for (;;) {
        const res = await stack.request('POST', `/orders/${n}/approve`, { user: 'manager.wang', body: {}, headers: { 'idempotency-key': `approve-${n}` } });
        if (res.status !== 503) return res;
      }
    };
    const results = await Promise.all(numbers.map(approveOnce));
    const approved = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(approved).toHaveLength(100);
    expect(refused).toHaveLength(100);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.error.code}`))).toEqual(new Set(['409 INSUFFICIENT_STOCK']));

    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '100', reserved: '100' });
    const [lines] = await stack.sql<{ reserved: string; approved: number }[]>`
      SELECT sum(l.reserved_qty)::int::text AS reserved, count(*) FILTER (WHERE o.status = 'Approved')::int AS approved
      FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id WHERE p.code = ${product}`;
    expect(lines).toEqual({ reserved: '100', approved: 100 });
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });
});
