import { expect } from 'vitest';
import type { Stack } from './stack.js';

/**
 * The order as its workflow holds it (GET /orders/{number}, `live`): a command answers with what it made and
 * where the order stands, so a test that looks at lines, approvals or checks after one reads them here.
 */
export async function liveOrder(stack: Pick<Stack, 'request'>, number: string, user = 'clerk.li') {
  const res = await stack.request('GET', `/orders/${number}`, { user });
  expect(res.status).toBe(200);
  expect(res.body.live, `order ${number}'s workflow answered`).not.toBeNull();
  return res.body.live;
}

/** clerk.li's order of two P0001 at 120.00 for C0001, through POST /orders; its number. */
export async function newStandardOrder(stack: Pick<Stack, 'request'>): Promise<string> {
  const res = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }] },
  });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}
