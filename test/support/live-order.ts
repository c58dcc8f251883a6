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
