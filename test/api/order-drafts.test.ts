import { beforeAll, describe, expect, it } from 'vitest';
import { addStock, freshProduct } from '../support/fixtures.js';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';

/**
 * 草稿 (issue 17): the creator edits an order before approval — lines, prices,
 * dates, header — and each edit runs the checks again; a rejected order is
 * revised and goes back to approval with its rejection kept.
 */
const stack = useStack();
const admin = 'admin.root';
let product: string;
/** A customer allowed 1,000 of credit and no overrun: an order's gross decides the credit check. */
let customer: string;

type Line = { productCode?: string; warehouseCode?: string; quantity: string; unitPrice?: string; expectedDeliveryDate?: string };
const line = (quantity: string, more: Partial<Line> = {}): Line => ({ productCode: product, warehouseCode: 'WH-SH', quantity, ...more });

async function create(lines: Line[], customerCode = customer) {
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order.number as string;
}
const edit = (number: string, body: unknown, user = 'clerk.li', headers?: Record<string, string>) =>
  stack.request('POST', `/orders/${number}/draft`, { user, body, ...(headers ? { headers } : {}) });
const get = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body;
const roles = (pending: { role: string }[]) => pending.map((p) => p.role).sort();
const creditOf = (checks: { code: string; passed: boolean }[]) => checks.find((c) => c.code === 'CREDIT_LIMIT_EXCEEDED')!.passed;

beforeAll(async () => {
  product = await freshProduct(stack.sql, { listPrice: '100', taxRate: '0' });
  await addStock(stack.sql, product, 'WH-SH', '1000');
  const c = await stack.request('POST', '/customers', {
    user: admin,
    body: { name: 'Draft buyer', creditControl: 'customer', creditLimit: '1000', creditOverrunRate: '0' },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  customer = c.body.code;
});

describe('editing a draft (草稿)', () => {
  it('replaces lines, prices and dates, re-prices as on entry, and runs the checks again both ways', async () => {
    const number = await create([line('5')]);
    expect((await get(number)).live.pendingApprovals.map((p: { role: string }) => p.role)).toEqual(['approver']);

    // Over the credit limit: 12 × 90 + 95 = 1,175 > 1,000, so the credit controller's approval is now needed.
    const up = await edit(number, { lines: [line('12', { unitPrice: '90', expectedDeliveryDate: '2027-03-01' }), line('1')], shortfallPolicy: 'backorder' });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body).toMatchObject({ revision: 1, order: { status: 'Unapproved', gross: '1175.00' } });
    expect(roles(up.body.order.pendingApprovals)).toEqual(['approver', 'credit_controller']);
    const upLive = await liveOrder(stack, number);
    expect(upLive.shortfallPolicy).toBe('backorder');
    expect(upLive.lines.map((l: Line & { lineNo: number }) => [l.lineNo, l.quantity, l.unitPrice, l.expectedDeliveryDate])).toEqual([
      [1, '12', '90', '2027-03-01'],
      [2, '1', '95', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
    ]);
    expect(creditOf(upLive.checks)).toBe(false);
    const doc = await get(number);
    expect(doc.order).toMatchObject({ revision: 1, totals: { gross: '1175.00' } });
    expect(doc.order.lines.map((l: { quantity: string; unitPrice: string; priceRule: string }) => [l.quantity, l.unitPrice, l.priceRule])).toEqual([
      ['12', '90', 'manual'],
      ['1', '95', 'grade_discount'], // the customer's regular grade: 95% of the list price
    ]);
    expect(creditOf(doc.order.checks)).toBe(false);

    // Back under it: the credit controller is no longer asked.
    const down = await edit(number, { lines: [line('3')] });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect(down.body).toMatchObject({ revision: 2, order: { gross: '285.00' } });
    const downLive = await liveOrder(stack, number);
    expect(downLive.shortfallPolicy).toBe('block');
    expect(creditOf(downLive.checks)).toBe(true);
    expect(roles(down.body.order.pendingApprovals)).toEqual(['approver']);
    expect((await get(number)).order.lines).toHaveLength(1);

    const timeline = await stack.request('GET', `/orders/${number}/timeline`);
    const edits = timeline.body.events.filter((e: { kind: string }) => e.kind === 'order.draft_edited');
    expect(edits.map((e: { actor: string; details: { revision: number } }) => [e.actor, e.details.revision])).toEqual([['clerk.li', 1], ['clerk.li', 2]]);
    expect(edits[0].summary).toContain('475.00 → 1175.00');
  });

  it('is for its creator and admins: another clerk and an approver get 403, and nothing changes', async () => {
    const number = await create([line('2')]);
    const other = await edit(number, { lines: [line('9')] }, 'clerk.zhang');
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'actor' });
    const approver = await edit(number, { lines: [line('9')] }, 'manager.wang');
    expect(approver.status).toBe(403);
    expect(approver.body.error.details.allowedRoles).toEqual(['clerk', 'admin']);
    expect((await get(number)).order).toMatchObject({ revision: 0, totals: { gross: '190.00' } });
    const byAdmin = await edit(number, { lines: [line('4')] }, admin);
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
    expect(byAdmin.body.order.gross).toBe('380.00');
  });

  it('refuses bad input with the field named and leaves the draft as it was', async () => {
    const number = await create([line('2')]);
    const cases: [unknown, number, string, string | null][] = [
      [{ customerCode: 'C0001', lines: [line('1')] }, 400, 'VALIDATION_FAILED', 'customerCode'],
      [{ lines: [] }, 400, 'VALIDATION_FAILED', 'lines'],
      [{ lines: [line('0')] }, 400, 'VALIDATION_FAILED', 'lines.0.quantity'],
      [{ lines: [line('1'), line('1', { productCode: 'NOPE' })] }, 422, 'UNKNOWN_PRODUCT', 'lines[1].productCode'],
      [{ lines: [line('1', { warehouseCode: 'WH-XX' })] }, 422, 'UNKNOWN_WAREHOUSE', 'lines[0].warehouseCode'],
      [{ lines: [line('1')], surprise: true }, 400, 'VALIDATION_FAILED', null],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await edit(number, body);
      expect([res.status, res.body.error.code], JSON.stringify(res.body)).toEqual([status, code]);
      if (field) expect(res.body.error.field).toContain(field.split('.')[0]);
    }
    expect((await get(number)).order).toMatchObject({ revision: 0, totals: { gross: '190.00' } });
  });

  it('stops once an approval is given: 409 APPROVAL_STARTED with one of two approvals, 409 INVALID_STATE once approved', async () => {
    const big = await create([line('1500', { unitPrice: '100' })], 'C0001'); // 150,000: an approver and a senior approver
    expect((await stack.request('POST', `/orders/${big}/approve`, { user: 'manager.wang', body: {} })).body.order.status).toBe('Unapproved');
    const half = await edit(big, { lines: [line('1')] });
    expect(half.status).toBe(409);
    expect(half.body.error).toMatchObject({ code: 'APPROVAL_STARTED', details: { approvals: ['manager.wang'] } });

    const small = await create([line('1')]);
    expect((await stack.request('POST', `/orders/${small}/approve`, { user: 'manager.wang', body: {} })).body.order.status).toBe('Approved');
    const after = await edit(small, { lines: [line('2')] });
    expect(after.status).toBe(409);
    expect(after.body.error).toMatchObject({ code: 'INVALID_STATE', details: { status: 'Approved' } });
    expect((await get(small)).order).toMatchObject({ revision: 0, status: 'Approved' });
  });

  it('answers a retry with the same Idempotency-Key once, and refuses the key for another edit', async () => {
    const number = await create([line('2')]);
    const headers = { 'idempotency-key': `draft-${number}` };
    const first = await edit(number, { lines: [line('3')] }, 'clerk.li', headers);
    const again = await edit(number, { lines: [line('3')] }, 'clerk.li', headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(1);
    expect((await get(number)).order.revision).toBe(1);
    const reused = await edit(number, { lines: [line('4')] }, 'clerk.li', headers);
    expect([reused.status, reused.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect((await get(number)).order).toMatchObject({ revision: 1, totals: { gross: '285.00' } });
  });
});

describe('revising a rejected order', () => {
  it('reject → revise → reject → revise → approve → deliver; every rejection stays on the order', async () => {
    const number = await create([line('2', { unitPrice: '50' })]);
    const reject = (reason: string) => stack.request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: { reason } });
    expect((await reject('price too low')).body.order.status).toBe('Rejected');
    await expect.poll(async () => (await stack.request('GET', `/orders/${number}/timeline`)).body.workflowStatus ?? 'unknown', { timeout: 10_000 }).toBe('COMPLETED');

    const revised = await edit(number, { lines: [line('2')] });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(revised.body).toMatchObject({ revision: 1, order: { status: 'Unapproved', gross: '190.00' } });
    expect(await liveOrder(stack, number)).toMatchObject({ revision: 1, approvals: [] });
    expect((await liveOrder(stack, number)).rejections).toEqual([{ by: 'manager.wang', reason: 'price too low', revision: 0 }]);
    expect(roles(revised.body.order.pendingApprovals)).toEqual(['approver']);

    expect((await reject('wrong quantity')).body.order.status).toBe('Rejected');
    const again = await edit(number, { lines: [line('3')] });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.revision).toBe(2);

    // The same approver decides the new revision (the approvals of a rejected one no longer count).
    const approved = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.order.status).toBe('Approved');
    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.order.status).toBe('Delivered');

    const doc = await get(number);
    expect(doc.order).toMatchObject({ status: 'Delivered', revision: 2, rejectedBy: null, totals: { gross: '285.00' } });
    expect(doc.order.rejections.map((r: { rejectedBy: string; reason: string; revision: number }) => [r.rejectedBy, r.reason, r.revision])).toEqual([
      ['manager.wang', 'price too low', 0],
      ['manager.wang', 'wrong quantity', 1],
    ]);
    const kinds = (await stack.request('GET', `/orders/${number}/timeline`)).body.events.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => ['order.rejected', 'order.resubmitted', 'order.approved'].includes(k))).toEqual([
      'order.rejected',
      'order.resubmitted',
      'order.rejected',
      'order.resubmitted',
      'order.approved',
    ]);
  });

  it('asks the approvals of a rejected revision again: the same approver approves the revised one, and it is back in their inbox', async () => {
    const number = await create([line('1500', { unitPrice: '100' })], 'C0001'); // 150,000: an approver and a senior approver
    const act = (verb: string, user: string, body: object = {}) => stack.request('POST', `/orders/${number}/${verb}`, { user, body });
    const inboxOf = async (user: string) => ((await stack.request('GET', '/approvals/inbox?limit=200', { user })).body.items as { orderNumber: string }[]).map((i) => i.orderNumber);
    expect((await act('approve', 'manager.wang')).body.order.status).toBe('Unapproved');
    expect((await liveOrder(stack, number)).approvals).toHaveLength(1);
    expect(await inboxOf('manager.wang')).not.toContain(number);
    expect((await act('reject', 'director.liu', { reason: 'too much at once' })).body.order.status).toBe('Rejected');

    const revised = await edit(number, { lines: [line('600', { unitPrice: '200' })] }); // 120,000: still two approvals
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(roles(revised.body.order.pendingApprovals)).toEqual(['approver', 'senior_approver']);
    expect(await inboxOf('manager.wang')).toContain(number);
    const again = await act('approve', 'manager.wang');
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.order.status).toBe('Unapproved');
    expect((await liveOrder(stack, number)).approvals).toEqual([expect.objectContaining({ actor: 'manager.wang' })]);
    const done = await act('approve', 'director.liu');
    expect(done.body.order?.status, JSON.stringify(done.body)).toBe('Approved');
    const given = await stack.sql`
      SELECT a.user_name, a.superseded FROM order_approvals a JOIN sales_orders o ON o.id = a.order_id WHERE o.number = ${number} ORDER BY a.id`;
    expect(given.map((g) => [g.user_name, g.superseded])).toEqual([['manager.wang', true], ['manager.wang', false], ['director.liu', false]]);
  });

  it('is refused to another clerk even once rejected, and a cancelled order is not revised', async () => {
    const number = await create([line('1')]);
    await stack.request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: { reason: 'no' } });
    const other = await edit(number, { lines: [line('2')] }, 'clerk.zhang');
    expect([other.status, other.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await get(number)).order.status).toBe('Rejected');

    const cancelled = await create([line('1')]);
    await stack.request('POST', `/orders/${cancelled}/cancel`, { user: 'clerk.li', body: { reason: 'customer withdrew' } });
    const res = await edit(cancelled, { lines: [line('2')] });
    expect([res.status, res.body.error.code]).toEqual([409, 'INVALID_STATE']);
  });
});
