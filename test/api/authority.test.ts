import { describe, expect, it } from 'vitest';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';
import { addStock, freshProduct } from '../support/fixtures.js';
import { consoleSignIn, type ConsoleUser } from '../support/console-session.js';

const stack = useStack();

async function createOrder(productCode: string, quantity: string, unitPrice: string, extra: Record<string, unknown> = {}) {
  const line = { productCode, warehouseCode: 'WH-SH', quantity, unitPrice };
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [line], ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order.number as string;
}
const approve = (number: string, user: string) => stack.request('POST', `/orders/${number}/approve`, { user, body: {} });
const pendingRoles = (order: { pendingApprovals?: { role: string }[] }) => (order.pendingApprovals ?? []).map((p) => p.role);
const admin = (method: string, path: string, body?: unknown) => stack.request(method, path, { user: 'admin.root', ...(body === undefined ? {} : { body }) });
const userOf = (view: { users: { name: string }[] }, name: string) => view.users.find((u) => u.name === name) as any;

/**
 * An order of 135,600 gross (two pieces at 60,000 plus 13% tax): above the 100,000 senior threshold, for a
 * customer without credit control, so only the amount rules ask for approvals.
 */
async function order135600() {
  const product = await freshProduct(stack.sql, { listPrice: '60000' });
  await addStock(stack.sql, product, 'WH-SH', '10');
  const customer = `CA${product.slice(1)}`;
  await stack.sql`INSERT INTO customers (code, name, credit_control) VALUES (${customer}, 'test customer', 'none')`;
  return createOrder(product, '2', '60000', { customerCode: customer });
}

// First, while C0001 owes nothing: the approved orders of the tests after it count against its credit.
describe('the demo data approves every order it can create', () => {
  it('an order above 1,000,000 (demo products, customer and stock) is fully approved by demo users', async () => {
    // 380 control panels at 2,500: 950,000 net, 1,073,500 gross, within C0001's credit of 1,100,000; the shortfall is back-ordered.
    const number = await createOrder('P0002', '380', '2500.00', { shortfallPolicy: 'backorder' });
    const created = (await stack.request('GET', `/orders/${number}`)).body;
    expect(created.order.totals.gross).toBe('1073500.00');
    await expect.poll(async () => (await stack.request('GET', `/orders/${number}`)).body.live.checks.length).toBe(3);
    const checked = (await stack.request('GET', `/orders/${number}`)).body.live;
    expect(checked.checks.filter((c: { passed: boolean }) => !c.passed)).toEqual([]);
    expect(pendingRoles(checked)).toEqual(['approver', 'senior_approver']);

    const overLimit = await approve(number, 'manager.wang');
    expect(overLimit.body.error).toMatchObject({ code: 'NO_APPROVAL_AUTHORITY', field: 'actor' });
    const first = await approve(number, 'director.liu');
    expect(first.status).toBe(200);
    expect(pendingRoles(first.body.order)).toEqual(['approver']);
    const last = await approve(number, 'gm.huang');
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect((await liveOrder(stack, number)).approvals.map((a: { actor: string }) => a.actor)).toEqual(['director.liu', 'gm.huang']);
    expect(last.body.order).not.toHaveProperty('pendingApprovals');
    expect(last.body.order.status).not.toBe('Unapproved');
  });
});

describe('authority is data (权限管理)', () => {
  it('lists every user with their role and authority, and the senior threshold', async () => {
    const res = await admin('GET', '/authority');
    expect(res.status).toBe(200);
    expect(res.body.seniorThreshold).toBe('100000.00');
    expect(userOf(res.body, 'manager.wang')).toMatchObject({ role: 'approver', approver: { senior: false, maxAmount: '1000000.00' }, creditController: false, financeApprover: null });
    expect(userOf(res.body, 'director.liu')).toMatchObject({ approver: { senior: true, maxAmount: null }, financeApprover: { maxAmount: null } });
    expect(userOf(res.body, 'credit.sun')).toMatchObject({ approver: null, creditController: true });
    expect(userOf(res.body, 'finance.zhou')).toMatchObject({ financeApprover: { maxAmount: '50000.00' } });
  });

  it("a changed amount limit governs the approver's next approval", async () => {
    const number = await order135600();
    const lowered = await admin('PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '100000' });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    expect(userOf(lowered.body, 'manager.wang').approver).toEqual({ senior: false, maxAmount: '100000.00' });
    const refused = await approve(number, 'manager.wang');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'NO_APPROVAL_AUTHORITY', field: 'actor' });
    expect(refused.body.error.message).toContain('100000.00');

    expect((await admin('PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: null })).status).toBe(200);
    const given = await approve(number, 'manager.wang');
    expect(given.status).toBe(200);
    expect(pendingRoles(given.body.order)).toEqual(['senior_approver']);
    expect((await approve(number, 'director.liu')).body.order.status).toBe('Approved');
    // Back to the demo's limit for the tests after this one.
    expect((await admin('PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '1000000.00' })).status).toBe(200);
  });

  it("a senior approver made ordinary no longer fills the senior approval; the senior threshold moves the chain", async () => {
    expect((await admin('PUT', '/authority/approvers/director.liu', { senior: false, maxAmount: null })).status).toBe(200);
    const number = await order135600();
    const first = await approve(number, 'director.liu');
    expect(first.status).toBe(200);
    expect((await liveOrder(stack, number)).approvals).toEqual([expect.objectContaining({ actor: 'director.liu', role: 'approver' })]);
    expect(pendingRoles(first.body.order)).toEqual(['senior_approver']);
    expect((await approve(number, 'gm.huang')).body.order.status).toBe('Approved');
    expect((await admin('PUT', '/authority/approvers/director.liu', { senior: true, maxAmount: null })).status).toBe(200);

    const raised = await admin('PUT', '/authority/senior-threshold', { amount: '200000' });
    expect(raised.status).toBe(200);
    expect(raised.body.seniorThreshold).toBe('200000.00');
    const single = await order135600();
    expect((await approve(single, 'manager.wang')).body.order.status).toBe('Approved');
    expect((await admin('PUT', '/authority/senior-threshold', { amount: '100000.00' })).body.seniorThreshold).toBe('100000.00');
  });

  it('removing an approver takes their authority away at once; credit controllers and finance approvers come and go', async () => {
    const number = await order135600();
    const removed = await admin('DELETE', '/authority/approvers/manager.wang');
    expect(removed.status).toBe(200);
    expect(userOf(removed.body, 'manager.wang').approver).toBeNull();
    expect((await approve(number, 'manager.wang')).body.error.code).toBe('NO_APPROVAL_AUTHORITY');
    expect((await admin('DELETE', '/authority/approvers/manager.wang')).body.error).toMatchObject({ code: 'NOT_FOUND', field: 'name' });

    // An approver's row cannot silently turn into a credit controller's.
    expect((await admin('POST', '/authority/credit-controllers', { user: 'director.liu' })).body.error).toMatchObject({ code: 'CONFLICT', field: 'user' });
    const credit = await admin('POST', '/authority/credit-controllers', { user: 'manager.wang' });
    expect(userOf(credit.body, 'manager.wang')).toMatchObject({ creditController: true, approver: null });
    expect((await admin('DELETE', '/authority/credit-controllers/manager.wang')).status).toBe(200);
    expect((await admin('PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '1000000' })).status).toBe(200);
    expect((await approve(number, 'manager.wang')).status).toBe(200);

    const finance = await admin('PUT', '/authority/finance-approvers/finance.chen', { maxAmount: '20000.50' });
    expect(userOf(finance.body, 'finance.chen').financeApprover).toEqual({ maxAmount: '20000.50' });
    const [row] = await stack.sql`SELECT max_amount::text FROM finance_approvers WHERE user_name = 'finance.chen'`;
    expect(row!.max_amount).toBe('20000.50');
    expect(userOf((await admin('DELETE', '/authority/finance-approvers/finance.chen')).body, 'finance.chen').financeApprover).toBeNull();
    expect((await admin('PUT', '/authority/finance-approvers/finance.chen', { maxAmount: null })).status).toBe(200);
  });

  it("sets a user's role; an admin cannot take away their own admin role", async () => {
    const changed = await admin('PUT', '/authority/users/clerk.zhang/role', { role: 'warehouse' });
    expect(userOf(changed.body, 'clerk.zhang').role).toBe('warehouse');
    // The new role counts on the next request.
    const asWarehouse = await stack.request('POST', '/orders', { user: 'clerk.zhang', body: { customerCode: 'C0001', lines: [] } });
    expect(asWarehouse.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    expect((await admin('PUT', '/authority/users/clerk.zhang/role', { role: 'clerk' })).status).toBe(200);

    const own = await admin('PUT', '/authority/users/admin.root/role', { role: 'clerk' });
    expect(own.status).toBe(400);
    expect(own.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'role' });
    const [root] = await stack.sql`SELECT role FROM users WHERE name = 'admin.root'`;
    expect(root!.role).toBe('admin');
  });

  it('a role that cannot approve takes the approval authority with it, and giving the role back does not return it', async () => {
    expect((await admin('PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '1500000' })).status).toBe(200);
    const demoted = await admin('PUT', '/authority/users/manager.wang/role', { role: 'clerk' });
    expect(userOf(demoted.body, 'manager.wang')).toMatchObject({ role: 'clerk', approver: null });
    const restored = await admin('PUT', '/authority/users/manager.wang/role', { role: 'approver' });
    expect(userOf(restored.body, 'manager.wang')).toMatchObject({ role: 'approver', approver: null });
    expect((await admin('PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '1000000' })).status).toBe(200);
  });

  it('bad input is refused naming the field, and nothing is written', async () => {
    const before = (await admin('GET', '/authority')).body;
    const cases: [string, string, unknown, number, string][] = [
      ['PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '0' }, 400, 'maxAmount'],
      ['PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '-5' }, 400, 'maxAmount'],
      ['PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '1.001' }, 400, 'maxAmount'],
      ['PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '1e9' }, 400, 'maxAmount'],
      ['PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: '99999999999999999' }, 400, 'maxAmount'],
      ['PUT', '/authority/approvers/manager.wang', { senior: 'yes', maxAmount: null }, 400, 'senior'],
      ['PUT', '/authority/approvers/manager.wang', { senior: false, maxAmount: null, boss: true }, 400, 'boss'],
      ['PUT', '/authority/approvers/clerk.li', { senior: false, maxAmount: null }, 400, 'role'],
      ['PUT', '/authority/approvers/no.such.user', { senior: false, maxAmount: null }, 404, 'name'],
      ['PUT', '/authority/approvers/bad%00name', { senior: false, maxAmount: null }, 400, 'name'],
      ['PUT', '/authority/users/manager.wang/role', { role: 'king' }, 400, 'role'],
      ['PUT', '/authority/users/ghost/role', { role: 'clerk' }, 404, 'name'],
      ['PUT', '/authority/senior-threshold', { amount: '0' }, 400, 'amount'],
      ['PUT', '/authority/senior-threshold', {}, 400, 'amount'],
      ['POST', '/authority/credit-controllers', { user: 'warehouse.zhao' }, 400, 'role'],
      ['POST', '/authority/credit-controllers', { user: 'ghost' }, 404, 'user'],
      ['PUT', '/authority/finance-approvers/warehouse.zhao', { maxAmount: null }, 400, 'role'],
      ['PUT', '/authority/finance-approvers/finance.chen', { maxAmount: '-1' }, 400, 'maxAmount'],
      ['DELETE', '/authority/finance-approvers/clerk.li', undefined, 404, 'name'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await admin(method, path, body);
      expect([res.status, res.body.error?.field], `${method} ${path} ${JSON.stringify(body)}`).toEqual([status, field]);
    }
    expect((await admin('GET', '/authority')).body).toEqual(before);
  });

  it('only an admin manages authority; a repeated Idempotency-Key acts once; every change is audited', async () => {
    for (const user of ['manager.wang', 'director.liu', 'credit.sun', 'clerk.li', 'finance.chen']) {
      expect((await stack.request('GET', '/authority', { user })).status).toBe(403);
      const res = await stack.request('PUT', `/authority/approvers/${user}`, { user, body: { senior: true, maxAmount: null } });
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    }
    expect(userOf((await admin('GET', '/authority')).body, 'manager.wang').approver).toEqual({ senior: false, maxAmount: '1000000.00' });

    const headers = { 'idempotency-key': 'authority-test-key-1' };
    const once = await stack.request('PUT', '/authority/finance-approvers/finance.zhou', { user: 'admin.root', headers, body: { maxAmount: '60000' } });
    expect(once.status).toBe(200);
    const reused = await stack.request('PUT', '/authority/finance-approvers/finance.zhou', { user: 'admin.root', headers, body: { maxAmount: '70000' } });
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(userOf((await admin('GET', '/authority')).body, 'finance.zhou').financeApprover).toEqual({ maxAmount: '60000.00' });

    const audit = await admin('GET', '/audit?actor=admin.root&limit=500');
    expect(audit.status).toBe(200);
    const rows = audit.body.items.filter((r: { path: string | null }) => r.path?.startsWith('/authority'));
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ command: 'PUT /authority/approvers/:name', path: '/authority/approvers/manager.wang', outcome: 'ok', input: { senior: false, maxAmount: '100000' } }),
        expect.objectContaining({ command: 'PUT /authority/senior-threshold', outcome: 'ok', input: { amount: '200000' } }),
        expect.objectContaining({ command: 'PUT /authority/users/:name/role', path: '/authority/users/admin.root/role', outcome: 'VALIDATION_FAILED' }),
        expect.objectContaining({ command: 'POST /authority/credit-controllers', outcome: 'ok', input: { user: 'manager.wang' } }),
        expect.objectContaining({ command: 'DELETE /authority/finance-approvers/:name', path: '/authority/finance-approvers/finance.chen', outcome: 'ok' }),
        expect.objectContaining({ command: 'PUT /authority/finance-approvers/:name', outcome: 'ok', input: { maxAmount: '60000' } }),
      ]),
    );
    // The refused attempts are audited too, under who tried.
    const refused = (await admin('GET', '/audit?actor=manager.wang&limit=500')).body.items.filter((r: { path: string | null }) => r.path?.startsWith('/authority'));
    expect(refused).toEqual([expect.objectContaining({ command: 'PUT /authority/approvers/:name', outcome: 'FORBIDDEN' })]);
  });
});

describe('the console authority page (权限管理)', () => {
  async function post(b: ConsoleUser, path: string, fields: Record<string, string>) {
    const res = await stack.app.request(path, {
      method: 'POST',
      headers: { cookie: b.cookie, origin: 'http://localhost' },
      body: new URLSearchParams({ _csrf: b.csrf, ...fields }),
    });
    expect(res.status).toBe(303);
    const flash = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return (await stack.app.request(res.headers.get('location')!, { headers: { cookie: `${b.cookie}; ${flash}` } })).text();
  }

  it('is in the menu for the admin only; its forms change authority through the API, audited as the console', async () => {
    const clerk = await consoleSignIn(stack, 'clerk.li');
    expect(await (await stack.app.request('/console', { headers: { cookie: clerk.cookie } })).text()).not.toContain('/console/authority');
    expect(await (await stack.app.request('/console/authority', { headers: { cookie: clerk.cookie } })).text()).toContain('FORBIDDEN');

    const root = await consoleSignIn(stack, 'admin.root');
    const page = await (await stack.app.request('/console/authority', { headers: { cookie: root.cookie } })).text();
    expect(page).toContain('href="/console/authority"');
    expect(page).toContain('权限管理');
    expect(page).toContain('data-user="gm.huang"');

    // The API's refusal comes back on the page, with its field; nothing is written.
    const refused = await post(root, '/console/authority/warehouse.zhao/finance-approver', { maxAmount: '' });
    expect(refused).toContain('VALIDATION_FAILED');
    expect(refused).toContain('<code>role</code>');
    expect(userOf((await admin('GET', '/authority')).body, 'warehouse.zhao')).toMatchObject({ financeApprover: null });

    const limit = await post(root, '/console/authority/manager.wang/approver', { maxAmount: '800000', _key: 'console-authority-1' });
    expect(limit).toContain('已保存');
    expect(userOf((await admin('GET', '/authority')).body, 'manager.wang').approver).toEqual({ senior: false, maxAmount: '800000.00' });
    const bad = await post(root, '/console/authority/manager.wang/approver', { maxAmount: '-1' });
    expect(bad).toContain('maxAmount');
    await post(root, '/console/authority/senior-threshold', { amount: '150000' });
    expect((await admin('GET', '/authority')).body.seniorThreshold).toBe('150000.00');
    const [row] = await stack.sql`
      SELECT channel, outcome FROM audit_entries WHERE path = '/authority/senior-threshold' AND input = '{"amount": "150000"}'::jsonb`;
    expect(row).toEqual({ channel: 'console', outcome: 'ok' });
  });
});
