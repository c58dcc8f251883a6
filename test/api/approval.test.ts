import { describe, expect, it } from 'vitest';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';
import { addStock, freshProduct } from '../support/fixtures.js';
import { stockOf } from '../support/ledger.js';

const stack = useStack();

async function createOrder(productCode: string, quantity: string, user = 'clerk.li', customerCode = 'C0001', unitPrice?: string) {
  const line = { productCode, warehouseCode: 'WH-SH', quantity, ...(unitPrice ? { unitPrice } : {}) };
  const res = await stack.request('POST', '/orders', { user, body: { customerCode, lines: [line] } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}
const approve = (number: string, user: string) => stack.request('POST', `/orders/${number}/approve`, { user, body: {} });
const roles = (order: { pendingApprovals?: { role: string }[] }) => (order.pendingApprovals ?? []).map((p) => p.role);

/** A product worth 60,000 a piece: two make an order above 100,000. */
async function expensiveProduct() {
  const code = await freshProduct(stack.sql, { listPrice: '60000' });
  await addStock(stack.sql, code, 'WH-SH', '10');
  return code;
}

describe('approval above 100,000 takes two approvers (amount chain)', () => {
  it('the first approval leaves the order waiting and names the missing one; the director completes it and reserves', async () => {
    const product = await expensiveProduct();
    const number = await createOrder(product, '2', 'clerk.li', 'C0001', '60000');
    // The first checks run as the workflow starts.
    await expect.poll(async () => (await stack.request('GET', `/orders/${number}`)).body.live.checks.length).toBe(3);
    const created = await stack.request('GET', `/orders/${number}`);
    expect(created.body.order.totals.gross).toBe('135600.00');
    // Customer not blocked, price not under the floor, credit within C0001's 1,100,000: all pass.
    expect(created.body.live.checks.map((c: { code: string; passed: boolean }) => [c.code, c.passed]).sort()).toEqual([
      ['CREDIT_LIMIT_EXCEEDED', true],
      ['CUSTOMER_BLOCKED', true],
      ['PRICE_BELOW_FLOOR', true],
    ]);
    expect(roles(created.body.live)).toEqual(['approver', 'senior_approver']);

    const first = await approve(number, 'manager.wang');
    expect(first.status).toBe(200);
    expect(first.body.order).toMatchObject({ status: 'Unapproved', waitingFor: 'approval' });
    expect(roles(first.body.order)).toEqual(['senior_approver']);
    expect((await stockOf(stack.sql, product, 'WH-SH'))!.reserved).toBe('0');

    const again = await approve(number, 'manager.wang');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'DUPLICATE_APPROVAL', field: 'actor' });
    const wrongRole = await approve(number, 'credit.sun');
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.error).toMatchObject({ code: 'NO_APPROVAL_AUTHORITY', field: 'actor' });

    const last = await approve(number, 'director.liu');
    expect(last.status).toBe(200);
    expect(last.body.order.status).toBe('Approved');
    expect((await liveOrder(stack, number)).approvals.map((a: { actor: string }) => a.actor)).toEqual(['manager.wang', 'director.liu']);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '10', reserved: '2' });
    const [row] = await stack.sql`SELECT status, approved_by FROM sales_orders WHERE number = ${number}`;
    expect(row).toEqual({ status: 'Approved', approved_by: 'director.liu' });
    const given = await stack.sql`
      SELECT a.user_name, a.role FROM order_approvals a JOIN sales_orders o ON o.id = a.order_id WHERE o.number = ${number} ORDER BY a.id`;
    expect(given).toEqual([
      { user_name: 'manager.wang', role: 'approver' },
      { user_name: 'director.liu', role: 'senior_approver' },
    ]);
  });

  it('the director may approve first; the manager then gives the ordinary approval', async () => {
    const number = await createOrder(await expensiveProduct(), '2');
    const first = await approve(number, 'director.liu');
    expect(roles(first.body.order)).toEqual(['approver']);
    expect((await approve(number, 'manager.wang')).body.order.status).toBe('Approved');
  });

  it('under 100,000 one approver suffices', async () => {
    const number = await createOrder(await expensiveProduct(), '1');
    expect((await approve(number, 'manager.wang')).body.order.status).toBe('Approved');
  });
});

describe('who may approve', () => {
  it('the creator never approves or rejects their own order, even with the authority to', async () => {
    // The admin is the one role that may both create and approve.
    const number = await createOrder('P0001', '1', 'admin.root');
    const res = await approve(number, 'admin.root');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'SELF_APPROVAL', field: 'actor' });
    const reject = await stack.request('POST', `/orders/${number}/reject`, { user: 'admin.root', body: { reason: 'mine' } });
    expect(reject.status).toBe(403);
    expect(reject.body.error.code).toBe('SELF_APPROVAL');
  });

  it('someone without approval authority is refused and nothing is recorded', async () => {
    const number = await createOrder('P0001', '1');
    // A clerk's role may not approve at all; an admin may, but only with an approver's authority on record.
    const clerk = await approve(number, 'clerk.zhang');
    expect(clerk.status).toBe(403);
    expect(clerk.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    const res = await approve(number, 'admin.root');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NO_APPROVAL_AUTHORITY');
    const live = (await stack.request('GET', `/orders/${number}`)).body.live;
    expect(live.approvals).toEqual([]);
    expect(live.status).toBe('Unapproved');
  });

  it('checks rerun at approval: a customer blocked since creation needs the credit controller too', async () => {
    const customer = `CT${Date.now() % 100000}`;
    await stack.sql`INSERT INTO customers (code, name, credit_control) VALUES (${customer}, 'test customer', 'none')`;
    const number = await createOrder('P0001', '1', 'clerk.li', customer);
    await stack.sql`UPDATE customers SET approval_status = 'blocked' WHERE code = ${customer}`;
    const first = await approve(number, 'manager.wang');
    expect(first.status).toBe(200);
    expect(first.body.order.status).toBe('Unapproved');
    expect((await liveOrder(stack, number)).checks.filter((c: { passed: boolean }) => !c.passed)).toEqual([expect.objectContaining({ code: 'CUSTOMER_BLOCKED', passed: false })]);
    expect(roles(first.body.order)).toEqual(['credit_controller']);
    const [stored] = await stack.sql`SELECT checks FROM sales_orders WHERE number = ${number}`;
    expect(stored!.checks).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CUSTOMER_BLOCKED', passed: false })]));
    expect((await approve(number, 'credit.sun')).body.order.status).toBe('Approved');
  });
});

describe('reject', () => {
  it('ends the order with the reason; nothing was reserved, and later commands are refused', async () => {
    const moves = async () => (await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM stock_moves`)[0]!.n;
    const before = await moves();
    const number = await createOrder('P0001', '2');
    const own = await stack.request('POST', `/orders/${number}/reject`, { user: 'clerk.li', body: { reason: 'no' } });
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    const noReason = await stack.request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: { reason: '' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const outsider = await stack.request('POST', `/orders/${number}/reject`, { user: 'warehouse.zhao', body: { reason: 'no' } });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.code).toBe('FORBIDDEN');

    const res = await stack.request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: { reason: 'price not agreed' } });
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({ status: 'Rejected', waitingFor: 'nothing' });
    const result = await stack.client.workflow.getHandle(`order-${number}`).result();
    expect(result).toMatchObject({ status: 'Rejected', rejectedBy: 'manager.wang', rejectReason: 'price not agreed' });
    const [row] = await stack.sql`SELECT status, rejected_by, reject_reason FROM sales_orders WHERE number = ${number}`;
    expect(row).toEqual({ status: 'Rejected', rejected_by: 'manager.wang', reject_reason: 'price not agreed' });
    expect(await moves()).toBe(before);

    for (const [path, user] of [['approve', 'director.liu'], ['cancel', 'clerk.li']] as const) {
      const late = await stack.request('POST', `/orders/${number}/${path}`, { user, body: path === 'approve' ? {} : { reason: 'x' } });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('INVALID_STATE');
    }
  });
});
