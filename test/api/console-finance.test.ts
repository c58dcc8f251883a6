import { describe, expect, it } from 'vitest';
import { consoleSignIn, type ConsoleUser } from '../support/console-session.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

type Who = ConsoleUser;

const signIn = (user: string): Promise<Who> => consoleSignIn(stack, user);

async function page(who: Who, path: string, status = 200) {
  const res = await stack.app.request(path, { headers: { cookie: who.cookie } });
  expect(res.status).toBe(status);
  return res.text();
}

/** Posts a console form, follows its redirect with the flash cookie as a browser would, and returns the message shown and the page. */
async function submit(who: Who, path: string, fields: Record<string, string>) {
  const res = await stack.app.request(path, { method: 'POST', headers: { cookie: who.cookie }, body: new URLSearchParams({ _csrf: who.csrf, ...fields }) });
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  const flash = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const html = await (await stack.app.request(location, { headers: { cookie: `${flash}; ${who.cookie}` } })).text();
  const shown = /<p class="flash (ok|error)"[^>]*>(.*?)<\/p>/.exec(html);
  return { location, kind: shown?.[1], flash: shown?.[2]?.replace(/<[^>]+>/g, '') ?? '', html };
}

async function createOrder(lines: { productCode: string; quantity: string; unitPrice: string }[], customerCode = 'C0001') {
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines: lines.map((l) => ({ ...l, warehouseCode: 'WH-SH' })) } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const api = async (method: string, path: string, user: string, body: unknown = {}) => {
  const res = await stack.request(method, path, { user, body });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
};

/** The order's status as stored. */
const statusOf = async (number: string) => (await stack.sql<{ status: string }[]>`SELECT status FROM sales_orders WHERE number = ${number}`)[0]!.status;

/** The inbox's rows: which orders wait for this user. */
const inboxOrders = (html: string) => [...html.matchAll(/<tr data-order="([^"]+)" data-kind="(order|change)">/g)].map((m) => m[1]);

describe('the approver inbox (待我审批)', () => {
  it('lists each order for the approvers whose approval it still needs, with its failed checks, and forgets it once they approve', async () => {
    // Under the floor (2,000 for P0002): the approver and the credit controller must both approve.
    const floor = await createOrder([{ productCode: 'P0002', quantity: '4', unitPrice: '1500.00' }]);
    const plain = await createOrder([{ productCode: 'P0001', quantity: '2', unitPrice: '120.00' }]);
    const [wang, sun, li, chen] = await Promise.all(['manager.wang', 'credit.sun', 'clerk.li', 'finance.chen'].map(signIn));

    const wangInbox = await page(wang!, '/console/inbox');
    expect(inboxOrders(wangInbox)).toEqual(expect.arrayContaining([floor, plain]));
    const row = wangInbox.slice(wangInbox.indexOf(`data-order="${floor}"`)).split('</tr>')[0]!;
    expect(row).toContain('6,780.00 CNY');
    expect(row).toContain('上海华东贸易有限公司');
    expect(row).toContain('data-check="PRICE_BELOW_FLOOR"');
    expect(row).toContain('单价低于下限');
    expect(row).toContain('审批人、信用管理员');
    expect(row).toContain(`action="/console/orders/${floor}/approve"`);
    expect(row).toContain(`action="/console/orders/${floor}/reject"`);
    // The credit controller cannot give an ordinary approval: only the price-floor order waits for them.
    expect(inboxOrders(await page(sun!, '/console/inbox'))).toContain(floor);
    expect(inboxOrders(await page(sun!, '/console/inbox'))).not.toContain(plain);
    // The API route is the same query.
    const fromApi = await stack.request('GET', '/approvals/inbox', { user: 'credit.sun' });
    expect(fromApi.body.items.map((i: { orderNumber: string }) => i.orderNumber)).toEqual(expect.arrayContaining([floor]));
    expect(fromApi.body.items.find((i: { orderNumber: string }) => i.orderNumber === floor).failedChecks[0].code).toBe('PRICE_BELOW_FLOOR');

    // Roles that may not approve: no menu entry, a 403 page, a 403 from the API.
    expect(await page(li!, '/console')).not.toContain('/console/inbox');
    expect(await page(li!, '/console/inbox', 403)).toContain('FORBIDDEN');
    expect((await stack.request('GET', '/approvals/inbox', { user: 'finance.chen' })).body.error.code).toBe('FORBIDDEN');
    expect(await page(chen!, '/console/inbox', 403)).toContain('FORBIDDEN');

    // A rejection with a NUL in its reason is refused and changes nothing.
    const nul = await submit(wang!, `/console/orders/${floor}/reject`, { reason: 'too cheap\u0000' });
    expect(nul.kind).toBe('error');
    expect(nul.flash).toMatch(/^VALIDATION_FAILED: .*field reason/);
    expect(await statusOf(floor)).toBe('Unapproved');

    const first = await submit(wang!, `/console/orders/${floor}/approve`, { _key: `inbox-${floor}-1` });
    expect(first.kind).toBe('ok');
    expect(inboxOrders(await page(wang!, '/console/inbox'))).not.toContain(floor);
    expect(await statusOf(floor)).toBe('Unapproved');
    expect(inboxOrders(await page(sun!, '/console/inbox'))).toContain(floor);

    expect((await submit(sun!, `/console/orders/${floor}/approve`, { _key: `inbox-${floor}-2` })).kind).toBe('ok');
    expect(inboxOrders(await page(sun!, '/console/inbox'))).not.toContain(floor);
    expect(await statusOf(floor)).toBe('Approved');
  });

  it('lists an order change waiting for approval to the approvers it needs, until they have approved it', async () => {
    const number = await createOrder([{ productCode: 'P0001', quantity: '2', unitPrice: '120.00' }]);
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    // Floor: 120 × 80% = 96: the change needs the approver and the credit controller.
    const asked = await api('POST', `/orders/${number}/changes`, 'clerk.li', { reason: 'discount', lines: [{ action: 'change', lineNo: 1, unitPrice: '95.99' }] });
    expect(asked.change.status).toBe('pending_approval');
    const [wang, sun] = await Promise.all(['manager.wang', 'credit.sun'].map(signIn));
    const inbox = await page(sun!, '/console/inbox');
    const row = inbox.slice(inbox.indexOf(`<tr data-order="${number}" data-kind="change">`)).split('</tr>')[0]!;
    expect(row).toContain('变更单 0001');
    expect(row).toContain('216.94 CNY');
    expect(row).toContain('审批人、信用管理员');
    expect(row).toContain(`action="/console/orders/${number}/approveChange"`);
    expect(row).toMatch(/<li class="failed">[^<]*95\.99/);
    expect(inboxOrders(await page(wang!, '/console/inbox'))).toContain(number);

    await api('POST', `/orders/${number}/changes/0001/approve`, 'manager.wang');
    expect(inboxOrders(await page(wang!, '/console/inbox'))).not.toContain(number);
    const still = (await stack.request('GET', '/approvals/inbox', { user: 'credit.sun' })).body.items.filter((i: { orderNumber: string }) => i.orderNumber === number);
    expect(still).toMatchObject([{ kind: 'change', version: 1, waitingFor: [{ role: 'credit_controller' }] }]);
  });
});

describe("finance's pages", () => {
  it('filters stuck payments, drills from aging to the statement, records a payer receipt allocated to invoices and refuses an over-allocation', async () => {
    const number = await createOrder([{ productCode: 'P0001', quantity: '100', unitPrice: '120.00' }], 'C0002');
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {});
    const invoice = (await api('POST', `/orders/${number}/invoice`, 'finance.chen')).invoice as string;
    const [chen, li] = await Promise.all(['finance.chen', 'clerk.li'].map(signIn));

    const all = await page(chen!, '/console/finance?customerCode=C0002');
    expect(all).toContain(`<a href="/console/orders/${number}">${number}</a>`);
    expect(all).toContain('13,560.00');
    expect(all).toContain('未到期');
    expect(await page(chen!, '/console/finance?customerCode=C0002&step=overdue')).not.toContain(number);
    expect(await page(chen!, '/console/finance?customerCode=C0001')).not.toContain(`>${number}<`);
    // C0002 pays in 60 days: 70 days on, it is 10 days overdue.
    const later = new Date(Date.now() + 70 * 86_400_000).toISOString().slice(0, 10);
    const overdue = await page(chen!, `/console/finance?customerCode=C0002&asOf=${later}&minDaysOverdue=5&step=overdue`);
    expect(overdue).toContain(`>${number}<`);
    expect(await page(chen!, `/console/finance?customerCode=C0002&asOf=${later}&minDaysOverdue=30`)).not.toContain(`>${number}<`);
    const bad = await page(chen!, '/console/finance?minDaysOverdue=soon');
    expect(bad).toMatch(/<strong>VALIDATION_FAILED<\/strong>: .*field <code>minDaysOverdue<\/code>/);

    const aging = all.slice(all.indexOf('账龄分析'));
    const drill = /href="(\/console\/finance\/statement\?customerCode=C0002&amp;from=\d{4}-01-01&amp;to=\d{4}-\d{2}-\d{2})"/.exec(aging)![1]!.replaceAll('&amp;', '&');
    const statement = await page(chen!, drill);
    expect(statement).toContain('北京北方电子');
    expect(statement).toContain(invoice);
    expect(statement).toMatch(/data-closing="true">13,560\.00</);
    expect(statement).toMatch(/href="\/console\/documents\/statement\/C0002\?from=\d{4}-01-01&amp;to=\d{4}-\d{2}-\d{2}"/);
    expect(await page(li!, '/console/finance', 403)).toContain('FORBIDDEN');
    expect(await page(li!, '/console')).not.toContain('href="/console/finance"');

    expect(await page(chen!, '/console/finance/receipts?payerCode=C9999')).toContain('<strong>UNKNOWN_CUSTOMER</strong>: 客户 C9999 不存在');
    // The English switch: the same page in the user's other language.
    const english = await (await stack.app.request('/console/finance?customerCode=C0002', { headers: { cookie: `${chen!.cookie}; sbo_lang=en` } })).text();
    expect(english).toMatch(/<th data-key="amountDue">Amount due<\/th>[\s\S]*13,560\.00[\s\S]*Not yet due/);
    expect(english).toContain('Days overdue ≥');
    const receipts = await page(chen!, '/console/finance/receipts?payerCode=C0002');
    expect(receipts).toContain(`name="alloc_${invoice}"`);
    const count = async () => (await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM receipts`)[0]!.n;
    const before = await count();
    const over = await submit(chen!, '/console/finance/receipts', { payerCode: 'C0002', amount: '20000.00', method: 'bank_transfer', [`alloc_${invoice}`]: '14000.00', _key: 'receipt-over-allocated' });
    expect(over.kind).toBe('error');
    expect(over.flash).toMatch(new RegExp(`^OVER_PAYMENT: invoice ${invoice} has only 13560.00 open.*field allocations\\[0\\]\\.amount`));
    expect(await count()).toBe(before);
    const wrongRole = await submit(li!, '/console/finance/receipts', { payerCode: 'C0002', amount: '10.00', method: 'cash', _key: 'receipt-by-a-clerk' });
    expect(wrongRole.flash).toMatch(/^FORBIDDEN: role clerk may not recordReceipt.*field role/);
    expect(await count()).toBe(before);

    const ok = await submit(chen!, '/console/finance/receipts', { payerCode: 'C0002', amount: '15000.00', method: 'bank_transfer', [`alloc_${invoice}`]: '13560.00', _key: 'receipt-allocated-ok' });
    expect(ok.kind).toBe('ok');
    expect(ok.flash).toMatch(new RegExp(`^收款单 \\S+ 已登记：15,000.00；核销 ${invoice} 13,560.00；预收 1,440.00$`));
    expect(ok.html).not.toContain(`name="alloc_${invoice}"`);
    expect(await count()).toBe(before + 1);
    expect(ok.html).toContain('没有未收发票');

    // The advance is not credit from credit notes: a refund of it is refused, and nothing is paid out.
    const refund = await submit(chen!, '/console/finance/refunds', { payerCode: 'C0002', amount: '100.00', method: 'bank_transfer', _key: 'refund-without-credit' });
    expect(refund.flash).toMatch(/^OVER_REFUND: customer C0002 has a credit of 0.00, less than 100.00.*field amount/);
    expect((await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM refunds`)[0]!.n).toBe(0);
  });

  it('lists write-off requests for a second finance approver; the requester cannot decide their own, and a NUL in a reason writes nothing', async () => {
    // C0001: the receipt above left C0002 an advance, which would pay part of this invoice.
    const number = await createOrder([{ productCode: 'P0001', quantity: '20', unitPrice: '120.00' }], 'C0001');
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {});
    await api('POST', `/orders/${number}/invoice`, 'finance.chen');
    await api('POST', `/orders/${number}/write-offs`, 'finance.chen', { reason: '客户破产 insolvent' });
    const [chen, zhou, li] = await Promise.all(['finance.chen', 'finance.zhou', 'clerk.li'].map(signIn));
    const status = async () => (await stack.sql<{ status: string }[]>`SELECT w.status FROM write_off_requests w JOIN sales_orders o ON o.id = w.order_id WHERE o.number = ${number}`)[0]!.status;
    const path = `/console/finance/write-offs/${number}/1`;

    const own = await page(chen!, '/console/finance/write-offs');
    const ownRow = own.slice(own.indexOf(`data-write-off="${number}/1"`)).split('</tr>')[0]!;
    expect(ownRow).toContain('2,712.00');
    expect(ownRow).toContain('待审批');
    expect(ownRow).not.toContain(`action="${path}/approve"`);
    expect(ownRow).toContain('您的申请，等待他人审批');
    // Sent anyway (a crafted form): the API refuses and the page says why.
    const self = await submit(chen!, `${path}/approve`, {});
    expect(self.location).toBe('/console/finance/write-offs');
    expect(self.flash).toMatch(/^SELF_APPROVAL: finance\.chen asked for write-off 1 and cannot decide it.*field approver/);
    expect(await status()).toBe('pending');
    expect(await page(li!, '/console/finance/write-offs', 403)).toContain('FORBIDDEN');

    const theirs = await page(zhou!, '/console/finance/write-offs');
    expect(theirs).toContain(`action="${path}/approve"`);
    const nul = await submit(zhou!, `${path}/reject`, { reason: 'no\u0000way' });
    expect(nul.kind).toBe('error');
    expect(nul.flash).toMatch(/^VALIDATION_FAILED: .*field reason/);
    expect(await status()).toBe('pending');

    const approved = await submit(zhou!, `${path}/approve`, {});
    expect(approved.flash).toBe(`订单 ${number} 的核销申请 1：已核准（2,712.00）`);
    expect(await status()).toBe('approved');
    expect(approved.html).not.toContain(`data-write-off="${number}/1"`);
  });
});

describe('quotations (报价单)', () => {
  it('a clerk creates a quotation, revises it, the customer accepts the current version, and it becomes an order; others only read', async () => {
    const [li, chen] = await Promise.all(['clerk.li', 'finance.chen'].map(signIn));
    const line = { productCode_0: 'P0001', warehouseCode_0: 'WH-SH', unitPrice_0: '110.00' };
    const created = await submit(li!, '/console/quotations/new', { customerCode: 'C0001', ...line, quantity_0: '100' });
    expect(created.kind).toBe('ok');
    const number = /\/console\/quotations\/(\S+)$/.exec(created.location)![1]!;
    expect(created.flash).toBe(`报价单 ${number} 已建立（版本 1）`);
    expect(created.html).toContain('12,430.00');
    expect(created.html).toContain(`href="/console/documents/quotation/${number}"`);

    const revised = await submit(li!, `/console/quotations/${number}/versions`, { ...line, quantity_0: '200' });
    expect(revised.flash).toBe('已保存版本 2');
    expect(revised.html).toMatch(/data-version="2"[\s\S]*24,860\.00[\s\S]*data-version="1"[\s\S]*12,430\.00/);
    // A superseded version cannot be accepted: the API's refusal shows.
    const old = await submit(li!, `/console/quotations/${number}/accept`, { version: '1' });
    expect(old.flash).toMatch(/^INVALID_STATE: version 1 of quotation .* is superseded by version 2.*field version/);
    const accepted = await submit(li!, `/console/quotations/${number}/accept`, { version: '2' });
    expect(accepted.flash).toBe('客户已确认版本 2');
    expect(accepted.html).toContain('data-action="copy-to-order"');
    expect(accepted.html).not.toContain('data-action="accept"');

    // Finance reads quotations but has no buttons; a crafted post is refused by the API.
    const read = await page(chen!, `/console/quotations/${number}`);
    expect(read).toContain('24,860.00');
    expect(read).not.toContain('data-action=');
    expect((await submit(chen!, `/console/quotations/${number}/order`, {})).flash).toMatch(/^FORBIDDEN/);

    const ordered = await submit(li!, `/console/quotations/${number}/order`, { _key: `qt-${number}` });
    const order = /\/console\/orders\/(\S+)$/.exec(ordered.location)![1]!;
    expect(ordered.flash).toBe(`已转为销售订单 ${order}`);
    const list = await page(li!, '/console/quotations?customerCode=C0001&status=ordered');
    expect(list).toContain(`<a href="/console/quotations/${number}">${number}</a>`);
    expect(list).toContain(`<a href="/console/orders/${order}">${order}</a>`);
    expect(list).toContain('<td class="">已转订单</td>');
  });
});
