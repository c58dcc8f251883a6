import { describe, expect, it } from 'vitest';
import { consoleSignIn, type ConsoleUser } from '../support/console-session.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

type Who = ConsoleUser;

const signIn = (user: string): Promise<Who> => consoleSignIn(stack, user);

const inboxPage = async (who: Who, query = '') => (await stack.app.request(`/console/inbox${query}`, { headers: { cookie: who.cookie } })).text();

/** Submits a form of the page as the browser would: its action and every field it carries, plus what the user types. */
async function submitForm(who: Who, form: string, typed: Record<string, string> = {}) {
  const action = /action="([^"]+)"/.exec(form)![1]!;
  const fields = Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  const res = await stack.app.request(action, { method: 'POST', headers: { cookie: who.cookie }, body: new URLSearchParams({ ...fields, ...typed }) });
  expect(res.status).toBe(303);
  const flash = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const html = await (await stack.app.request(res.headers.get('location')!, { headers: { cookie: `${flash}; ${who.cookie}` } })).text();
  return /<p class="flash (ok|error)"[^>]*>/.exec(html)?.[1];
}

async function createOrder(quantity: string, unitPrice: string, productCode = 'P0001') {
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [{ productCode, quantity, unitPrice, warehouseCode: 'WH-SH' }] } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const api = async (method: string, path: string, user: string, body: unknown = {}) => {
  const res = await stack.request(method, path, { user, body });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
};

type Item = { orderNumber: string; kind: string; version: number | null; waitingFor: { role: string }[]; changeReasons: string[] };
const inbox = async (user: string, query = '') => (await stack.request('GET', `/approvals/inbox${query}`, { user })).body as { items: Item[]; total: number; unanswered: string[] };

describe('the approver inbox, narrowed and paged', () => {
  it("shows an order waiting for the senior approver on the first page, however many older orders wait for others, and pages the rest with a total", async () => {
    // Under the floor (2,000 for P0002) and approved by the approver: they wait for the credit controller only.
    const floors: string[] = [];
    for (let i = 0; i < 3; i++) {
      const n = await createOrder('4', '1500.00', 'P0002');
      await api('POST', `/orders/${n}/approve`, 'manager.wang');
      floors.push(n);
    }
    // 100 × 1,500 = 150,000 net, 169,500 gross: above 100,000, it needs director.liu once the approver has approved.
    const big = await createOrder('100', '1500.00');
    await api('POST', `/orders/${big}/approve`, 'manager.wang');

    const liu = await inbox('director.liu', '?limit=2');
    expect(liu.items.map((i) => i.orderNumber)).toContain(big);
    expect(liu.items.find((i) => i.orderNumber === big)!.waitingFor).toEqual([{ role: 'senior_approver', reason: expect.stringContaining('100,000') }]);
    for (const n of floors) expect(liu.items.map((i) => i.orderNumber)).not.toContain(n);
    const liuPage = await inboxPage(await signIn('director.liu'));
    expect(liuPage).toContain(`<tr data-order="${big}" data-kind="order">`);
    expect(liuPage).toContain('169,500.00 CNY');

    // The credit controller's inbox: two on a page, the total counts every page, and the pages together hold each order once.
    const first = await inbox('credit.sun', '?limit=2');
    const second = await inbox('credit.sun', '?limit=2&offset=2');
    expect(first.items).toHaveLength(2);
    expect(second.total).toBe(first.total);
    const seen = [...first.items, ...second.items].map((i) => i.orderNumber);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(floors));
    // Nothing left for the approver: they approved all of these.
    expect((await inbox('manager.wang')).items.map((i) => i.orderNumber)).not.toContain(big);

    expect((await stack.request('GET', '/approvals/inbox?limit=0', { user: 'credit.sun' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'limit' });
  });

  it('lists a pending order change to the approvers who may decide it, with its reasons, and approves or rejects it from the inbox', async () => {
    const number = await createOrder('2', '120.00');
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    const asked = await api('POST', `/orders/${number}/changes`, 'clerk.li', { reason: 'more please', lines: [{ action: 'change', lineNo: 1, quantity: '5' }] });
    expect(asked.change).toMatchObject({ status: 'pending_approval', pendingApprovals: [{ role: 'approver' }] });
    // The order itself was approved: only the change waits.
    expect(asked.order).toMatchObject({ status: 'Approved', waitingFor: 'changeApproval' });
    expect(asked.order).not.toHaveProperty('pendingApprovals');

    const fromApi = (await inbox('manager.wang')).items.filter((i) => i.orderNumber === number);
    expect(fromApi).toMatchObject([{ kind: 'change', version: 1, waitingFor: [{ role: 'approver' }] }]);
    expect(fromApi[0]!.changeReasons[0]).toMatch(/rises from 271\.20 to 678\.00/);
    // Only an ordinary approval is missing: the credit controller's inbox does not list it.
    expect((await inbox('credit.sun')).items.map((i) => i.orderNumber)).not.toContain(number);

    const wang = await signIn('manager.wang');
    const html = await inboxPage(wang);
    const row = html.slice(html.indexOf(`<tr data-order="${number}" data-kind="change">`)).split('</tr>')[0]!;
    expect(row).toContain('变更单 0001');
    expect(row).toContain('678.00 CNY');
    expect(row).toMatch(/<li class="failed">[^<]*271\.20[^<]*678\.00/);
    const [approveForm, rejectForm] = row.split('</form>');
    expect(rejectForm).toContain(`action="/console/orders/${number}/rejectChange"`);
    expect(await submitForm(wang, approveForm!)).toBe('ok');
    const [stored] = await stack.sql<{ status: string; decided_by: string }[]>`
      SELECT ch.status, ch.decided_by FROM order_changes ch JOIN sales_orders o ON o.id = ch.order_id WHERE o.number = ${number} AND ch.version = 1`;
    expect(stored).toEqual({ status: 'applied', decided_by: 'manager.wang' });
    expect(await inboxPage(wang)).not.toContain(`data-order="${number}"`);

    // A second change, rejected from the inbox with a reason.
    await api('POST', `/orders/${number}/changes`, 'clerk.li', { reason: 'even more', lines: [{ action: 'change', lineNo: 1, quantity: '6' }] });
    const again = await inboxPage(wang);
    const second = again.slice(again.indexOf(`<tr data-order="${number}" data-kind="change">`)).split('</tr>')[0]!;
    expect(second).toContain('变更单 0002');
    expect(await submitForm(wang, second.split('</form>')[1]!, { reason: 'not this month' })).toBe('ok');
    const [rejected] = await stack.sql<{ status: string; reject_reason: string }[]>`
      SELECT ch.status, ch.reject_reason FROM order_changes ch JOIN sales_orders o ON o.id = ch.order_id WHERE o.number = ${number} AND ch.version = 2`;
    expect(rejected).toEqual({ status: 'rejected', reject_reason: 'not this month' });
  });
});
