import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { tokenCachesSettled } from '../../api/auth/token-cache.js';
import { createApiToken, tokenHash } from '../../api/auth/tokens.js';
import { approveUpdate, deliverUpdate, orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const line = { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' };

async function createOrder(user = 'clerk.li') {
  const res = await stack.request('POST', '/orders', { user, body: { customerCode: 'C0001', lines: [line] } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authentication', () => {
  it('refuses a missing, unknown or revoked token with 401 on every route but /health, /docs and /openapi.json', async () => {
    for (const path of ['/orders', '/customers', '/stock']) {
      const res = await stack.request('GET', path, { anonymous: true });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'authorization' });
    }
    expect((await stack.request('GET', '/orders', { headers: bearer('sbo_not-a-token') })).status).toBe(401);
    expect((await stack.request('GET', '/orders', { headers: { authorization: 'Basic Y2xlcms6eA==' } })).status).toBe(401);
    for (const path of ['/health', '/docs', '/openapi.json']) expect((await stack.request('GET', path)).status).toBe(200);

    const token = await createApiToken(stack.sql, 'temp.user', 'finance');
    expect((await stack.request('GET', '/orders', { headers: bearer(token) })).status).toBe(200);
    await stack.sql`UPDATE api_tokens SET revoked_at = now() WHERE token_hash = ${tokenHash(token)}`;
    // The API process caches tokens: it drops this one as soon as it hears the revocation (test/api/token-cache.test.ts).
    await tokenCachesSettled();
    expect((await stack.request('GET', '/orders', { headers: bearer(token) })).status).toBe(401);
  });

  it('stores only the SHA-256 of a token, and the token acts as its user', async () => {
    const token = await createApiToken(stack.sql, 'clerk.new', 'clerk');
    const rows = await stack.sql`SELECT token_hash FROM api_tokens WHERE user_name = 'clerk.new'`;
    expect(rows.map((r) => r.token_hash)).toEqual([tokenHash(token)]);
    expect(JSON.stringify(rows)).not.toContain(token);
    const res = await stack.request('POST', '/orders', { headers: bearer(token), body: { customerCode: 'C0001', lines: [line] } });
    expect(res.status).toBe(201);
    expect(res.body.order.createdBy).toBe('clerk.new');
  });

  it('npm run token:create prints a new token that acts as that user with that role', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/create-token.ts', '--user', 'cli.finance', '--role', 'finance'], {
      env: { ...process.env, DATABASE_URL: stack.databaseUrl },
    });
    const token = stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^sbo_[A-Za-z0-9_-]{43}$/);
    const number = await createOrder();
    const cancel = await stack.request('POST', `/orders/${number}/cancel`, { headers: bearer(token), body: { reason: 'x' } });
    expect(cancel.status).toBe(403);
    expect(cancel.body.error.message).toMatch(/role finance may not cancelOrder/);
    const [row] = await stack.sql`SELECT role FROM users WHERE name = 'cli.finance'`;
    expect(row).toEqual({ role: 'finance' });
    // Audited as an operator's command, with its input and never the token.
    const audit = await stack.sql`SELECT channel, command, input, outcome FROM audit_entries WHERE command = 'token:create'`;
    expect(audit).toEqual([{ channel: 'cli', command: 'token:create', input: { user: 'cli.finance', role: 'finance' }, outcome: 'ok' }]);
  });

  it('accepts an HS256 JWT signed with JWT_SECRET (sub, role) and refuses a forged or expired one', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const good = await sign({ sub: 'jwt.clerk', role: 'clerk', exp }, stack.jwtSecret, 'HS256');
    const created = await stack.request('POST', '/orders', { headers: bearer(good), body: { customerCode: 'C0001', lines: [line] } });
    expect(created.status).toBe(201);
    expect(created.body.order.createdBy).toBe('jwt.clerk');
    const forged = await sign({ sub: 'jwt.admin', role: 'admin', exp }, 'another-secret-another-secret-another', 'HS256');
    expect((await stack.request('GET', '/orders', { headers: bearer(forged) })).status).toBe(401);
    const expired = await sign({ sub: 'jwt.clerk', role: 'clerk', exp: Math.floor(Date.now() / 1000) - 10 }, stack.jwtSecret, 'HS256');
    expect((await stack.request('GET', '/orders', { headers: bearer(expired) })).status).toBe(401);
    const noRole = await sign({ sub: 'jwt.clerk', role: 'boss', exp }, stack.jwtSecret, 'HS256');
    expect((await stack.request('GET', '/orders', { headers: bearer(noRole) })).status).toBe(401);
  });
});

describe('roles through the API', () => {
  it.each([
    ['a clerk approving', 'clerk.zhang', 'approve', {}],
    ['a warehouse user invoicing', 'warehouse.zhao', 'invoice', {}],
    ['finance cancelling', 'finance.chen', 'cancel', { reason: 'no' }],
    ['an approver delivering', 'manager.wang', 'deliver', {}],
    ['a clerk recording a receipt', 'clerk.li', 'receipts', { amount: '1.00', method: 'cash' }],
  ])('%s → 403 FORBIDDEN naming the role; the order is untouched', async (_name, user, command, body) => {
    const number = await createOrder();
    const res = await stack.request('POST', `/orders/${number}/${command}`, { user, body });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    expect(res.body.error.message).toMatch(/may not/);
    const after = await stack.request('GET', `/orders/${number}`, { user: 'admin.root' });
    expect(after.body.live.status).toBe('Unapproved');
  });

  it('finance may not create orders; a credit controller may approve; everyone may read', async () => {
    const res = await stack.request('POST', '/orders', { user: 'finance.chen', body: { customerCode: 'C0001', lines: [line] } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    // A price under the floor (P0001: 96) needs the credit controller; the manager gives the ordinary approval.
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [{ ...line, unitPrice: '50.00' }] } });
    const number = created.body.order.number as string;
    const byCredit = await stack.request('POST', `/orders/${number}/approve`, { user: 'credit.sun', body: {} });
    expect(byCredit.status).toBe(200);
    expect(byCredit.body.order.status).toBe('Unapproved');
    expect((await liveOrder(stack, number)).approvals.map((a: { actor: string }) => a.actor)).toEqual(['credit.sun']);
    const approved = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect(approved.body.order.status).toBe('Approved');
    for (const user of ['clerk.li', 'manager.wang', 'credit.sun', 'warehouse.zhao', 'finance.chen', 'admin.root']) {
      expect((await stack.request('GET', `/orders/${number}`, { user })).status).toBe(200);
    }
  });

  it('the workflow checks the stated role against the matrix and the actor itself (a client with Temporal access is trusted with the role it states: README, Who may reach Temporal)', async () => {
    const number = await createOrder();
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));
    await expect(handle.executeUpdate(approveUpdate, { args: [{ actor: 'clerk.zhang', actorRole: 'clerk' }] })).rejects.toMatchObject({
      cause: { type: 'FORBIDDEN' },
    });
    await expect(handle.executeUpdate(approveUpdate, { args: [{ actor: 'clerk.li', actorRole: 'admin' }] })).rejects.toMatchObject({
      cause: { type: 'SELF_APPROVAL' },
    });
    await handle.executeUpdate(approveUpdate, { args: [{ actor: 'director.liu', actorRole: 'approver' }] });
    await expect(handle.executeUpdate(deliverUpdate, { args: [{ actor: 'finance.chen', actorRole: 'finance' }] })).rejects.toMatchObject({
      cause: { type: 'FORBIDDEN' },
    });
    expect((await handle.query('state')) as { status: string }).toMatchObject({ status: 'Approved', approvedBy: 'director.liu' });
  });
});

describe('the audit trail (操作留痕)', () => {
  it('records every command of a full order, refusals included, with who, channel, input and outcome', async () => {
    const number = await createOrder();
    await stack.request('POST', `/orders/${number}/approve`, { user: 'clerk.li', body: {} });
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '5' }] } });
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { carrier: 'SF Express' } });
    const invoice = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(invoice.body.gross).toBe('271.20');
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '271.20', method: 'bank_transfer' } });
    await stack.client.workflow.getHandle(orderWorkflowId(number)).result();

    const audit = await stack.request('GET', `/orders/${number}/audit`, { user: 'clerk.zhang' });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: Record<string, unknown>) => [e.actor, e.actorRole, e.channel, e.command, e.outcome])).toEqual([
      ['clerk.li', 'clerk', 'api', 'create', 'ok'],
      ['clerk.li', 'clerk', 'api', 'approve', 'FORBIDDEN'],
      ['manager.wang', 'approver', 'api', 'approve', 'ok'],
      ['warehouse.zhao', 'warehouse', 'api', 'deliver', 'OVER_DELIVERY'],
      ['warehouse.zhao', 'warehouse', 'api', 'deliver', 'ok'],
      ['finance.chen', 'finance', 'api', 'invoice', 'ok'],
      ['finance.chen', 'finance', 'api', 'receipts', 'ok'],
    ]);
    const [create, , , overDelivery, , , receipt] = audit.body.items;
    expect(create.input).toEqual({ customerCode: 'C0001', lines: [line] });
    expect(overDelivery.input).toEqual({ lines: [{ lineNo: 1, quantity: '5' }] });
    expect(overDelivery.message).toMatch(/more than the 2 still to deliver/);
    expect(receipt.input).toEqual({ amount: '271.20', method: 'bank_transfer' });
    expect(Date.parse(create.at)).toBeGreaterThan(Date.now() - 60_000);
    expect((await stack.request('GET', `/orders/${stack.orderPrefix}-20260101-9999/audit`, { user: 'clerk.li' })).status).toBe(404);
  });
});
