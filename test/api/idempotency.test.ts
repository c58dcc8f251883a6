import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { createOrder } from '../../api/orders/create-order.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const line = { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' };
const orderBody = { customerCode: 'C0001', lines: [line] };

/** A raw request, to see the response's headers and exact text. */
async function send(method: string, path: string, user: string, key: string, body: unknown) {
  const res = await stack.app.request(path, {
    method,
    headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text), replayed: res.headers.get('idempotent-replayed') === 'true' };
}

const ordersBy = async (user: string) => (await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales_orders WHERE created_by = ${user}`)[0]!.n;

describe('Idempotency-Key bound to the user, the route and the body', () => {
  it('answers a repeat with the first response, and refuses the key with another body or on another route (422)', async () => {
    const key = `create-${stack.orderPrefix}-1`;
    const before = await ordersBy('clerk.li');
    const first = await send('POST', '/orders', 'clerk.li', key, orderBody);
    expect(first.status, first.text).toBe(201);
    const again = await send('POST', '/orders', 'clerk.li', key, orderBody);
    expect([again.status, again.text, again.replayed]).toEqual([201, first.text, true]);
    // The same fields in another order are the same request.
    const reordered = await send('POST', '/orders', 'clerk.li', key, { lines: [{ unitPrice: '120.00', quantity: '2', warehouseCode: 'WH-SH', productCode: 'P0001' }], customerCode: 'C0001' });
    expect([reordered.status, reordered.text, reordered.replayed]).toEqual([201, first.text, true]);
    expect(await ordersBy('clerk.li')).toBe(before + 1);

    const otherBody = await send('POST', '/orders', 'clerk.li', key, { ...orderBody, lines: [{ ...line, quantity: '3' }] });
    expect([otherBody.status, otherBody.body.error.code, otherBody.body.error.field]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED', 'idempotency-key']);
    const number = first.body.order.number as string;
    const otherRoute = await send('POST', `/orders/${number}/cancel`, 'clerk.li', key, { reason: 'not wanted' });
    expect([otherRoute.status, otherRoute.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersBy('clerk.li')).toBe(before + 1);
    expect((await stack.request('GET', `/orders/${number}`)).body.order.status).toBe('Unapproved');
  });

  it("keeps keys per user: another user's same key and body makes that user's own order", async () => {
    const key = `shared-${stack.orderPrefix}-2`;
    const li = await send('POST', '/orders', 'clerk.li', key, orderBody);
    const zhang = await send('POST', '/orders', 'clerk.zhang', key, orderBody);
    expect([li.status, zhang.status, zhang.replayed]).toEqual([201, 201, false]);
    expect(zhang.body.order.number).not.toBe(li.body.order.number);
    expect(zhang.body.order.createdBy).toBe('clerk.zhang');
    // Down to the workflow: an approval with one key by two approvers is two approvals' worth of requests.
    const order = li.body.order.number as string;
    const approveKey = `approve-${stack.orderPrefix}-2`;
    const byClerk = await send('POST', `/orders/${order}/approve`, 'clerk.zhang', approveKey, {});
    const byApprover = await send('POST', `/orders/${order}/approve`, 'manager.wang', approveKey, {});
    expect([byClerk.status, byApprover.status]).toEqual([403, 200]);
  });

  it('keeps a refusal too: the same request again gets the same 4xx without running', async () => {
    const key = `refused-${stack.orderPrefix}-3`;
    const body = { customerCode: 'NO-SUCH', lines: [line] };
    const first = await send('POST', '/orders', 'clerk.li', key, body);
    expect([first.status, first.body.error.code]).toEqual([422, 'UNKNOWN_CUSTOMER']);
    const again = await send('POST', '/orders', 'clerk.li', key, body);
    expect([again.status, again.text, again.replayed]).toEqual([422, first.text, true]);
  });

  it('six parallel creates with one key make one order; the others get its response or 409 IDEMPOTENCY_KEY_IN_USE', async () => {
    const key = `parallel-${stack.orderPrefix}-4`;
    const before = await ordersBy('clerk.li');
    const results = await Promise.all(Array.from({ length: 6 }, () => send('POST', '/orders', 'clerk.li', key, orderBody)));
    expect(await ordersBy('clerk.li')).toBe(before + 1);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.order.number)).size).toBe(1);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect([r.status, r.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_USE']);
    }
    expect(results.filter((r) => !r.replayed && r.status === 201)).toHaveLength(1);
  });

  it('one create key saved at once by two requests (a takeover of an abandoned key) is one order, never a constraint error', async () => {
    const deps = { sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai' };
    const key = `clerk.li:takeover-${stack.orderPrefix}`;
    const results = await Promise.all(Array.from({ length: 4 }, () => createOrder(deps, orderBody, 'clerk.li', key)));
    expect(new Set(results.map((r) => r.orderNumber)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('expires: after its time the key is free for a new request', async () => {
    const key = `expiring-${stack.orderPrefix}-5`;
    const first = await send('POST', '/orders', 'clerk.li', key, orderBody);
    expect(first.status).toBe(201);
    const expiresIn = await stack.sql<{ hours: number }[]>`
      SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM idempotency_keys WHERE user_name = 'clerk.li' AND key = ${key}`;
    expect(expiresIn[0]!.hours).toBe(24);
    await stack.sql`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE user_name = 'clerk.li' AND key = ${key}`;
    const later = await send('POST', '/orders', 'clerk.li', key, { ...orderBody, lines: [{ ...line, quantity: '5' }] });
    expect([later.status, later.replayed]).toEqual([201, false]);
    expect(later.body.order.number).not.toBe(first.body.order.number);
  });

  it('refuses a key that is too short or not printable', async () => {
    const res = await send('POST', '/orders', 'clerk.li', 'short', orderBody);
    expect([res.status, res.body.error.field]).toEqual([400, 'idempotency-key']);
  });
});
