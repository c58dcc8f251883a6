import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { createApp } from '../../api/app.js';
import { handleChatCommand } from '../../api/chat/commands.js';
import { parseChatCommand } from '../../api/chat/parse.js';
import { orderWorkflowId, writeOffUpdate } from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

/** An approved, delivered and invoiced order of 10 × 10.00 + 13% tax: 113.00 open on one invoice. */
async function invoicedOrder() {
  const created = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10.00' }] },
  });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
  const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
  expect(inv.body.gross).toBe('113.00');
  return { number, invoice: inv.body.invoice as string };
}

const invoiceRow = async (invoice: string) =>
  (await stack.sql`SELECT gross_amount::text AS gross, paid_amount::text AS paid, written_off_amount::text AS "writtenOff" FROM invoices WHERE number = ${invoice}`)[0];
const writeOffEntries = async (number: string) =>
  stack.sql`SELECT e.amount::text, e.note FROM receivable_entries e JOIN sales_orders o ON o.id = e.order_id WHERE o.number = ${number} AND e.kind = 'write_off'`;
const ask = (number: string, user = 'finance.chen', reason = 'customer insolvent') =>
  stack.request('POST', `/orders/${number}/write-offs`, { user, body: { reason } });
const decide = (number: string, id: number, verb: 'approve' | 'reject', user: string, body: unknown = {}) =>
  stack.request('POST', `/orders/${number}/write-offs/${id}/${verb}`, { user, body });

describe('opening balances (期初开账) need the admin, who is their approver', () => {
  const opening = (extra: Record<string, unknown> = {}) => ({
    customerCode: 'C0001',
    lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '50.00', deliveredQty: '4' }],
    ...extra,
  });

  it('refuses a clerk with 403 naming the role allowed, and a body that names its own approver', async () => {
    const byClerk = await stack.request('POST', '/orders/opening', { user: 'clerk.li', body: opening() });
    expect(byClerk.status).toBe(403);
    expect(byClerk.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role', details: { allowedRoles: ['admin'] } });
    expect(byClerk.body.error.message).toBe('role clerk may not loadOpeningBalance; allowed: admin');
    const named = await stack.request('POST', '/orders/opening', { user: 'admin.root', body: opening({ approvedBy: 'ghost.user' }) });
    expect(named.status).toBe(400);
    expect(named.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'approvedBy' });
    const [{ n }] = (await stack.sql`SELECT count(*)::int AS n FROM sales_orders WHERE opening_approved_by IS NOT NULL`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it('loads as approved by the signed-in admin; a price under the floor is stored on the order and shown, not a refusal', async () => {
    const res = await stack.request('POST', '/orders/opening', { user: 'admin.root', body: opening() });
    expect(res.status).toBe(201);
    const number = res.body.order.number as string;
    // P0001 lists at 120.00 with a floor of 80%: 96 per unit; 50.00 is under it.
    const floor = { code: 'PRICE_BELOW_FLOOR', passed: false, lineNo: 1, message: 'line 1: P0001 at 50 is under the floor price 96', details: { unitPrice: '50', floorPrice: '96' } };
    expect(res.body.order.checks).toContainEqual(floor);
    await expect
      .poll(async () => (await stack.sql`SELECT status, approved_by, opening_approved_by FROM sales_orders WHERE number = ${number}`)[0])
      .toEqual({ status: 'PartiallyDelivered', approved_by: 'admin.root', opening_approved_by: 'admin.root' });
    const got = (await stack.request('GET', `/orders/${number}`)).body;
    expect(got.live.approvedBy).toBe('admin.root');
    expect(got.order.checks).toContainEqual(floor);
    expect(got.order.checks.filter((c: { passed: boolean }) => !c.passed)).toHaveLength(1);
    // Only the open 6 are reserved.
    expect(got.live.lines[0]).toMatchObject({ deliveredQty: '4', reservedQty: '6' });

    const timeline = (await stack.request('GET', `/orders/${number}/timeline`, { user: 'clerk.li' })).body.events;
    expect(timeline).toContainEqual(expect.objectContaining({ kind: 'order.checked', summary: `checks failed: ${floor.message}` }));
    const page = await (await stack.app.request(`/console/orders/${number}`, { headers: { authorization: `Bearer ${devToken('clerk.li')}` } })).text();
    expect(page).toContain(`<li class="failed" data-check="PRICE_BELOW_FLOOR">未通过: ${floor.message}</li>`);
  });

  it('refuses a blocked customer and saves nothing', async () => {
    const before = await stack.sql`SELECT count(*)::int AS n FROM sales_orders`;
    const res = await stack.request('POST', '/orders/opening', { user: 'admin.root', body: opening({ customerCode: 'C0003' }) });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CUSTOMER_BLOCKED', field: 'customerCode' });
    expect(await stack.sql`SELECT count(*)::int AS n FROM sales_orders`).toEqual(before);
  });
});

describe('a bad-debt write-off (坏账核销) is asked by one finance person and decided by another', () => {
  it('approved by the other finance approver: exactly what was open is written off and the order completes; never twice', async () => {
    const { number, invoice } = await invoicedOrder();
    expect((await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '13.00', method: 'cash' } })).status).toBe(200);

    expect((await ask(number, 'clerk.li')).status).toBe(403);
    const blank = await ask(number, 'finance.chen', '   ');
    expect(blank.status).toBe(400);
    expect(blank.body.error.field).toBe('reason');
    const bell = await ask(number, 'finance.chen', 'no\u0007pe');
    expect(bell.status).toBe(400);
    expect(bell.body.error.field).toBe('reason');

    const asked = await ask(number);
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ id: 1, orderNumber: number, status: 'pending', amount: '100.00', currency: 'CNY', requestedBy: 'finance.chen', decidedBy: null });
    expect((await ask(number, 'finance.zhou')).body.error).toMatchObject({ code: 'CONFLICT' });

    const own = await decide(number, 1, 'approve', 'finance.chen');
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('SELF_APPROVAL');
    const notApprover = await decide(number, 1, 'approve', 'admin.root');
    expect(notApprover.status).toBe(403);
    expect(notApprover.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'approver' });
    const blankReject = await decide(number, 1, 'reject', 'finance.zhou', { reason: ' ' });
    expect(blankReject.status).toBe(400);
    expect(blankReject.body.error.field).toBe('reason');
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '13.00', writtenOff: '0.00' });

    const approved = await decide(number, 1, 'approve', 'finance.zhou');
    expect(approved.status).toBe(200);
    expect(approved.body.writeOffRequest).toMatchObject({ status: 'approved', decidedBy: 'finance.zhou', writtenOff: [{ invoice, amount: '100.00' }] });
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '13.00', writtenOff: '100.00' });
    expect((await stack.client.workflow.getHandle(orderWorkflowId(number)).result()).status).toBe('Completed');

    const again = await decide(number, 1, 'approve', 'finance.zhou');
    expect(again.status).toBe(409);
    expect((await decide(number, 1, 'approve', 'director.liu')).status).toBe(409);
    expect((await decide(number, 1, 'reject', 'director.liu', { reason: 'too late' })).status).toBe(409);

    // The approval's answer lost after it booked (the claim left behind): repeating it finds the booking, books nothing more.
    await stack.sql`UPDATE write_off_requests SET status = 'approving', written_off = NULL WHERE seq = 1 AND order_id = (SELECT id FROM sales_orders WHERE number = ${number})`;
    const repeated = await decide(number, 1, 'approve', 'finance.zhou');
    expect(repeated.status).toBe(200);
    expect(repeated.body.writeOffRequest).toMatchObject({ status: 'approved', writtenOff: [{ invoice, amount: '100.00' }] });
    expect(await writeOffEntries(number)).toEqual([{ amount: '-100.00', note: 'bad debt: customer insolvent (requested by finance.chen, approved by finance.zhou)' }]);
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '13.00', writtenOff: '100.00' });
    expect((await stack.request('GET', `/orders/${number}/write-offs`, { user: 'clerk.li' })).body.items).toHaveLength(1);
  });

  it('rejected with a reason: nothing written off; an approval of an amount that changed since it was asked is refused', async () => {
    const { number, invoice } = await invoicedOrder();
    expect((await ask(number, 'finance.zhou')).status).toBe(201);
    const rejected = await decide(number, 1, 'reject', 'finance.chen', { reason: 'they are paying in instalments' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.writeOffRequest).toMatchObject({ status: 'rejected', decidedBy: 'finance.chen', rejectReason: 'they are paying in instalments' });
    expect((await decide(number, 1, 'approve', 'finance.chen')).status).toBe(409);
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '0.00', writtenOff: '0.00' });

    expect((await ask(number, 'finance.chen')).body).toMatchObject({ id: 2, amount: '113.00' });
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '20.00', method: 'cash' } });
    const changed = await decide(number, 2, 'approve', 'finance.zhou');
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'CONFLICT', field: 'amount', details: { requested: '113.00', open: '93.00' } });
    expect((await stack.request('GET', `/orders/${number}/write-offs`)).body.items[1]).toMatchObject({ status: 'pending', decidedBy: null });
    expect(await writeOffEntries(number)).toEqual([]);
  });

  it('the write-off step itself refuses an amount other than what is open (a receipt that raced the approval): 409, nothing booked', async () => {
    const { number, invoice } = await invoicedOrder();
    // Past the API's own look at the open amount, as when a receipt lands between that look and the booking.
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));
    const raced = handle.executeUpdate(writeOffUpdate, {
      args: [{ actor: 'finance.chen', actorRole: 'finance', approver: 'finance.zhou', reason: 'insolvent', amount: '133.00' }],
    });
    await expect(raced).rejects.toMatchObject({ cause: { type: 'CONFLICT' } });
    expect(await writeOffEntries(number)).toEqual([]);
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '0.00', writtenOff: '0.00' });
  });

  it('from chat: the other finance approver approves; the requester is refused', async () => {
    const { number, invoice } = await invoicedOrder();
    await stack.sql`INSERT INTO chat_users (platform, chat_user_id, user_name) VALUES ('slack', 'U_W_CHEN', 'finance.chen'), ('slack', 'U_W_ZHOU', 'finance.zhou')`;
    expect((await ask(number)).status).toBe(201);
    const run = async (chatUserId: string, text: string) => {
      const replies: string[] = [];
      const work: Promise<unknown>[] = [];
      const ack = await handleChatCommand(
        { sql: stack.sql, temporal: stack.client, api: (path, init, binding) => Promise.resolve(stack.app.request(path, init, binding)), background: (w) => work.push(w) },
        { platform: 'slack', chatUserId, replyLater: async (t) => void replies.push(t) },
        parseChatCommand(text),
      );
      await Promise.all(work);
      return { ack, replies };
    };
    const own = await run('U_W_CHEN', `/order writeoff-approve ${number} 1`);
    expect(own.replies).toEqual([`Write-off request ${number}-W1 was not approved: you cannot decide what you asked for yourself; someone else must.`]);
    expect((await run('U_W_ZHOU', `/order writeoff-reject ${number} 1`)).ack).toMatch(/^A rejection needs a reason\.\nUsage:/);
    const approved = await run('U_W_ZHOU', `/order writeoff-approve ${number} 1`);
    expect(approved.ack).toBe(`Working on it: approving write-off request ${number}-W1…`);
    expect(approved.replies).toEqual([`Write-off request ${number}-W1 approved by finance.zhou: 113.00 CNY written off (asked by finance.chen).`]);
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '0.00', writtenOff: '113.00' });
  });

  it('from the console: finance asks, and only the other finance approver sees and uses the Approve button', async () => {
    const { number, invoice } = await invoicedOrder();
    const signIn = async (user: string) => {
      const res = await stack.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ user, token: devToken(user), next: '/console' }) });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const page = await (await stack.app.request(`/console/orders/${number}`, { headers: { cookie } })).text();
      return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]!, page };
    };
    const post = async (who: { cookie: string; csrf: string }, path: string, fields: Record<string, string> = {}) => {
      const res = await stack.app.request(`/console/orders/${number}/write-offs${path}`, {
        method: 'POST',
        headers: { cookie: who.cookie },
        body: new URLSearchParams({ _csrf: who.csrf, ...fields }),
      });
      expect(res.status).toBe(303);
      const flash = res.headers.get('set-cookie')!.split(';')[0];
      const page = await (await stack.app.request(`/console/orders/${number}`, { headers: { cookie: `${flash}; ${who.cookie}` } })).text();
      return /<p class="flash (ok|error)"[^>]*>(.*?)<\/p>/.exec(page)?.slice(1).join(': ');
    };
    const chen = await signIn('finance.chen');
    expect(chen.page).toContain('申请坏账核销');
    expect(await post(chen, '', { reason: 'customer insolvent' })).toBe('ok: 坏账核销申请：申请 1 待审批（113.00）。');
    const chenAgain = await signIn('finance.chen');
    expect(chenAgain.page).not.toContain('data-action="write-off-1-approve"');
    expect((await signIn('clerk.li')).page).not.toContain('data-action="write-off-1-approve"');
    const zhou = await signIn('finance.zhou');
    expect(zhou.page).toContain(`action="/console/orders/${number}/write-offs/1/approve"`);
    expect(await post(chenAgain, '/1/approve')).toMatch(/^error: <strong>SELF_APPROVAL<\/strong>: 坏账核销 1：批准被拒绝：finance\.chen asked for write-off 1/);
    expect(await post(zhou, '/1/approve')).toBe('ok: 坏账核销 1：批准：申请 1 已核准（113.00）。');
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '0.00', writtenOff: '113.00' });
  });

  it('a repeated approval after the order continued as new (its update ids gone with the old run) finds what it booked and books nothing more', async () => {
    // A tiny history limit, so the order's workflow continues as new after every command. (The limit is looked at
    // when the workflow wakes up: with 20 a run sometimes ended its last command at 19 events and stayed.)
    const app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', orderWorkflow: { continueAsNewAfterEvents: 10 } });
    const call = async (path: string, user: string, body: unknown = {}) => {
      const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const created = await call('/orders', 'clerk.li', {
      customerCode: 'C0002',
      lines: [
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10.00' },
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5', unitPrice: '10.00' },
      ],
    });
    const number = created.body.order.number as string;
    expect((await call(`/orders/${number}/approve`, 'manager.wang')).status).toBe(200);
    expect((await call(`/orders/${number}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 1 }] })).status).toBe(200);
    const invoice = (await call(`/orders/${number}/invoice`, 'finance.chen')).body.invoice as string;
    expect((await call(`/orders/${number}/write-offs`, 'finance.chen', { reason: 'customer insolvent' })).body).toMatchObject({ id: 1, amount: '113.00' });
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));
    const runBefore = (await handle.describe()).runId;
    expect((await call(`/orders/${number}/write-offs/1/approve`, 'finance.zhou')).status).toBe(200);
    // Line 2 is still open, so the order goes on, in a new run.
    await expect.poll(async () => (await handle.describe()).runId).not.toBe(runBefore);

    await stack.sql`UPDATE write_off_requests SET status = 'approving', written_off = NULL WHERE seq = 1 AND order_id = (SELECT id FROM sales_orders WHERE number = ${number})`;
    const repeated = await call(`/orders/${number}/write-offs/1/approve`, 'finance.zhou');
    expect(repeated.status).toBe(200);
    expect(repeated.body.writeOffRequest).toMatchObject({ status: 'approved', writtenOff: [{ invoice, amount: '113.00' }] });
    expect(await writeOffEntries(number)).toHaveLength(1);
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '0.00', writtenOff: '113.00' });
  });

  it('two approvers at once: one writes off, the other is told it is being or was decided; bad ids and bodies are 4xx', async () => {
    const { number, invoice } = await invoicedOrder();
    expect((await ask(number)).status).toBe(201);
    const both = await Promise.all([decide(number, 1, 'approve', 'finance.zhou'), decide(number, 1, 'approve', 'director.liu')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('CONFLICT');
    expect(await writeOffEntries(number)).toHaveLength(1);
    expect(await invoiceRow(invoice)).toEqual({ gross: '113.00', paid: '0.00', writtenOff: '113.00' });

    expect((await decide(number, 2, 'approve', 'finance.zhou')).body.error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect((await decide(number, 0, 'approve', 'finance.zhou')).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect((await decide(number, 99999, 'approve', 'finance.zhou')).status).toBe(400);
    const other = await invoicedOrder();
    expect((await ask(other.number, 'finance.chen', 'x'.repeat(501))).status).toBe(400);
    expect((await stack.request('POST', `/orders/${other.number}/write-offs`, { user: 'finance.chen', body: { reason: 'insolvent', amount: '1.00' } })).status).toBe(400);
    expect((await stack.request('GET', `/orders/${other.number}/write-offs`)).body.items).toEqual([]);
  });

  it('the old route that took the approver as a typed name is gone', async () => {
    const { number } = await invoicedOrder();
    const res = await stack.request('POST', `/orders/${number}/write-off`, { user: 'finance.chen', body: { approver: 'director.liu', reason: 'x' } });
    expect(res.status).toBe(404);
  });
});

describe('/metrics', () => {
  it('answers no one without a token, no role but admin, and the scraper its own token', async () => {
    expect((await stack.request('GET', '/metrics', { anonymous: true })).status).toBe(401);
    const clerk = await stack.request('GET', '/metrics', { user: 'clerk.li' });
    expect(clerk.status).toBe(403);
    expect(clerk.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    const admin = await stack.request('GET', '/metrics', { user: 'admin.root' });
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('sales_invoiced_amount');

    const scrapeToken = 'metrics-scrape-token-0123456789abcdef';
    const app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', metricsToken: scrapeToken });
    const get = (token?: string) => app.request('/metrics', { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get(`${scrapeToken}x`)).status).toBe(401);
    const scraped = await get(scrapeToken);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('sales_received_amount');
    // The scrape token is for /metrics alone.
    expect((await app.request('/orders', { headers: { authorization: `Bearer ${scrapeToken}` } })).status).toBe(401);
  });
});
