import { devToken } from '../../api/auth/demo-users.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

describe('web console (server-rendered)', () => {
  it('lists orders, shows one order with its lines, timeline and Temporal Web UI link, and renders the reports', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0002', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }] },
    });
    const number = created.body.order.number as string;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', temporalUiUrl: 'http://127.0.0.1:8233/' });
    const page = async (path: string, status = 200) => {
      const res = await app.request(path, { headers: { authorization: `Bearer ${devToken('clerk.li')}` } });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('text/html');
      return res.text();
    };

    const list = await page('/console?customerCode=C0002');
    expect(list).toContain(`<a href="/console/orders/${number}">${number}</a>`);
    expect(list).toContain('第 1 / 1 页，共 1 条');

    const order = await page(`/console/orders/${number}`);
    expect(order).toContain('<strong data-status="Approved">已审核</strong>');
    expect(order).toContain(`href="http://127.0.0.1:8233/namespaces/default/workflows/order-${number}"`);
    expect(order).toContain('reserved 2 P0001 in WH-SH');
    // The kind by its name (its code in the title); update ids and event numbers only in the full view.
    expect(order).toMatch(/<td title="update\.completed">指令完成<\/td><td>manager\.wang<\/td><td>command approve by manager\.wang completed<\/td><\/tr>/);
    expect(order).toContain('<td title="order.created">建立订单</td>');
    expect(order).not.toContain('更新 / 事件');
    const full = await page(`/console/orders/${number}?detail=full`);
    expect(full).toContain('更新 / 事件');
    expect(full).toMatch(/<td title="update\.accepted">受理指令<\/td><td>manager\.wang<\/td><td>[^<]*<\/td><td class="muted">\S+ #\d+<\/td>/);

    const shipments = await page('/console/reports/expected-shipments?salesperson=clerk.li');
    expect(shipments).toContain(`<a href="/console/orders/${number}">${number}</a>`);
    expect(shipments).toContain('未出货金额 240.00');
    expect(await page('/console/reports/gross-margin?by=customer')).toContain('未税金额 0.00 · 成本 0.00 · 毛利 0.00');
    expect(await page(`/console/orders/${stack.orderPrefix}-20260101-0999`, 404)).toContain('没有订单');
  });
});

/** Signs in through the login form as a browser would; returns the session cookie and the page's CSRF token. */
async function signIn(user: string) {
  const res = await stack.app.request('/console/login', {
    method: 'POST',
    body: new URLSearchParams({ user, token: devToken(user), next: '/console' }),
  });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^sbo_console=[^;]+; Max-Age=43200; Path=\/console; HttpOnly; SameSite=Strict/);
  const cookie = setCookie.split(';')[0]!;
  const page = await (await stack.app.request('/console', { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('console sign-in and forms', () => {
  it('sends a browser without a session to the login page and refuses a token that is not the named user\'s', async () => {
    const res = await stack.app.request('/console/orders/new');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Forders%2Fnew');
    const wrong = await stack.app.request('/console/login', { method: 'POST', body: form({ user: 'manager.wang', token: devToken('clerk.li') }) });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('UNAUTHENTICATED');
    const logout = await stack.app.request('/console/logout', { method: 'POST', body: form({}) });
    expect(logout.status).toBe(401);
  });

  it('speaks Chinese by default and English after the switch, which returns to the page it was clicked on', async () => {
    const zh = await (await stack.app.request('/console/login')).text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('用户名');
    const sw = await stack.app.request('/console/lang/en?next=%2Fconsole%2Flogin');
    expect(sw.status).toBe(303);
    expect(sw.headers.get('location')).toBe('/console/login');
    const cookie = (sw.headers.get('set-cookie') ?? '').split(';')[0]!;
    const en = await (await stack.app.request('/console/login', { headers: { cookie } })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('User name');
    expect((await stack.app.request('/console/lang/fr')).status).toBe(404);
    // The switch never sends anyone off the console.
    expect((await stack.app.request('/console/lang/en?next=https%3A%2F%2Fevil.example')).headers.get('location')).toBe('/console');
  });

  it('runs commands through the API as the signed-in user, shows their errors, and refuses forged posts', async () => {
    const clerk = await signIn('clerk.li');
    const refused = await stack.app.request('/console/orders/new', {
      method: 'POST',
      headers: { cookie: clerk.cookie },
      body: form({ _csrf: clerk.csrf, customerCode: 'C0001', productCode_0: 'P0001', warehouseCode_0: 'WH-SH', quantity_0: '-2' }),
    });
    expect(refused.status).toBe(422);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('<strong>VALIDATION_FAILED</strong>');
    expect(refusedPage).toContain('(field <code>lines[0].quantity</code>)');
    expect(refusedPage).toContain('value="-2"');
    expect(refusedPage).toContain('<option value="P0001">P0001 工业传感器 Industrial sensor</option>');

    const created = await stack.app.request('/console/orders/new', {
      method: 'POST',
      headers: { cookie: clerk.cookie },
      body: form({ _csrf: clerk.csrf, customerCode: 'C0001', productCode_0: 'P0001', warehouseCode_0: 'WH-SH', quantity_0: '3', unitPrice_0: '120.00' }),
    });
    expect(created.status).toBe(303);
    const orderPath = created.headers.get('location')!;
    const number = orderPath.split('/').pop()!;
    expect((await stack.request('GET', `/orders/${number}`)).body.order).toMatchObject({ createdBy: 'clerk.li', totals: { gross: '406.80' } });

    const manager = await signIn('manager.wang');
    const post = (who: { cookie: string; csrf: string }, action: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      stack.app.request(`${orderPath}/${action}`, { method: 'POST', headers: { cookie: who.cookie, ...headers }, body: form({ _csrf: who.csrf, ...fields }) });
    /** Posts the form, follows the redirect with the flash cookie as the browser would, and reads the message shown. */
    const outcome = async (who: { cookie: string; csrf: string }, action: string, fields: Record<string, string>) => {
      const res = await post(who, action, fields);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(orderPath);
      const flash = res.headers.get('set-cookie')!.split(';')[0];
      const page = await (await stack.app.request(orderPath, { headers: { cookie: `${flash}; ${who.cookie}` } })).text();
      return /<p class="flash (ok|error)"[^>]*>(.*?)<\/p>/.exec(page)?.slice(1).join(': ');
    };

    // Forged: no CSRF token, another session's token, another site's Origin. None of them approves.
    expect((await stack.app.request(`${orderPath}/approve`, { method: 'POST', headers: { cookie: manager.cookie }, body: form({}) })).status).toBe(403);
    expect((await post({ cookie: manager.cookie, csrf: clerk.csrf }, 'approve', {})).status).toBe(403);
    expect((await post(manager, 'approve', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await stack.request('GET', `/orders/${number}`)).body.order.status).toBe('Unapproved');

    // The clerk's page offers no approval, and posting it anyway is the API's FORBIDDEN.
    const clerkPage = await (await stack.app.request(orderPath, { headers: { cookie: clerk.cookie } })).text();
    expect(clerkPage).not.toContain('data-action="approve"');
    expect(await outcome(clerk, 'approve', {})).toBe('error: <strong>FORBIDDEN</strong>: 审核被拒绝：role clerk may not approve; allowed: approver, credit_controller, admin (field <code>role</code>)');

    expect(await outcome(manager, 'approve', { _key: 'console-approve-1' })).toBe('ok: 审核：完成；订单现为已审核。');
    // The same rendered form sent twice acts once: the key is the API's Idempotency-Key.
    expect(await outcome(manager, 'approve', { _key: 'console-approve-1' })).toBe('ok: 审核：完成；订单现为已审核。');
    expect(await outcome(manager, 'approve', {})).toMatch(/^error: <strong>INVALID_STATE<\/strong>: 审核被拒绝：/);
    /** The buttons a user sees on the order now: their role's, and of those what the order's state allows. */
    const buttons = async (who: { cookie: string }) =>
      [...(await (await stack.app.request(orderPath, { headers: { cookie: who.cookie } })).text()).matchAll(/data-action="(\w+)"/g)].map((m) => m[1]);
    // Approved: the approver has nothing left to approve or reject.
    expect(await buttons(manager)).toEqual([]);

    const warehouse = await signIn('warehouse.zhao');
    expect(await outcome(warehouse, 'deliver', { qty_1: '3' })).toMatch(/^ok: 出货：完成（销货单 DN\S+）；订单现为已出货。$/);
    const finance = await signIn('finance.chen');
    // Delivered and not invoiced: an invoice, but no receipt yet (nothing is due).
    expect(await buttons(finance)).toEqual(['invoice']);
    expect(await outcome(finance, 'invoice', {})).toMatch(/^ok: 开发票：完成（发票 INV\S+）；订单现为已出货。$/);
    // Invoiced: a receipt is due, and an allowance may give part of the invoiced money back.
    expect(await buttons(finance)).toEqual(['receipt', 'allowance']);
    expect(await outcome(finance, 'receipt', { amount: 'abc', method: 'cash' })).toMatch(/^error: <strong>VALIDATION_FAILED<\/strong>: .*\(field <code>amount<\/code>\)$/);
    expect(await outcome(finance, 'receipt', { amount: '406.80', method: 'bank_transfer' })).toMatch(/^ok: 登记收款：完成（收款单 \S+）；订单现为已出货。$/);
    // Paid in full, the order completes (the workflow closes it just after the receipt) and offers no more buttons.
    await expect.poll(async () => (await stack.request('GET', `/orders/${number}`)).body.order.status).toBe('Completed');
    const financePage = await (await stack.app.request(orderPath, { headers: { cookie: finance.cookie } })).text();
    expect(financePage).toMatch(/<td class="num">406\.80<\/td>/);
    // Completed: only a late allowance (which reopens the order) is left for finance.
    expect([...financePage.matchAll(/data-action="(\w+)"/g)].map((m) => m[1])).toEqual(['allowance']);

    // An order waiting for approval offers finance nothing (its role's invoice and receipt wait for the state).
    const second = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '120.00' }] },
    });
    const secondPath = `/console/orders/${second.body.order.number}`;
    const financeButtons = await (await stack.app.request(secondPath, { headers: { cookie: finance.cookie } })).text();
    expect([...financeButtons.matchAll(/data-action="(\w+)"/g)].map((m) => m[1])).toEqual([]);
    expect(financeButtons).toContain('此订单目前（未审核）没有您可执行的命令。');
    const cancel = await stack.app.request(`${secondPath}/cancel`, { method: 'POST', headers: { cookie: clerk.cookie }, body: form({ _csrf: clerk.csrf, reason: 'customer withdrew' }) });
    expect(cancel.status).toBe(303);
    const cancelled = await (await stack.app.request(secondPath, { headers: { cookie: clerk.cookie } })).text();
    expect(cancelled).toContain('<strong data-status="Cancelled">已取消</strong>');
    expect(cancelled).toContain('此订单已结束（已取消），没有可执行的命令。');

    const out = await stack.app.request('/console/logout', { method: 'POST', headers: { cookie: finance.cookie }, body: form({ _csrf: finance.csrf }) });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^sbo_console=; Max-Age=0; Path=\/console/);
  });

  it("shows finance's stuck payments and aging to finance only, and the master-data lists", async () => {
    // An overdue order: cash terms fall due the day the invoice is issued.
    await stack.sql`INSERT INTO customers (code, name, settlement_terms, settlement_days) VALUES ('C0CON', 'Console payer', 'cash', 0) ON CONFLICT DO NOTHING`;
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0CON', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' }] } });
    const number = created.body.order.number as string;
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    const finance = await signIn('finance.chen');
    const page = await (await stack.app.request('/console/finance', { headers: { cookie: finance.cookie } })).text();
    expect(page).toContain(number);
    expect(page).toContain('113.00');
    expect(page).toContain('C0CON');
    // Where the money waits, in the page's language (the API's own words are English): a month on, it is overdue.
    const later = new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10);
    const [row] = (await stack.request('GET', `/finance/stuck-payments?asOf=${later}&customerCode=C0CON`, { user: 'finance.chen' })).body.items;
    expect(row).toMatchObject({ orderNumber: number, step: 'overdue', remindersSent: 0 });
    const laterPage = await (await stack.app.request(`/console/finance?asOf=${later}&customerCode=C0CON`, { headers: { cookie: finance.cookie } })).text();
    expect(laterPage).toContain(`逾期 ${row.daysOverdue} 天，尚未催款`);
    expect(laterPage).not.toContain(row.waitingAt);
    const clerk = await signIn('clerk.li');
    const refused = await stack.app.request('/console/finance', { headers: { cookie: clerk.cookie } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('FORBIDDEN');
    const customers = await (await stack.app.request('/console/customers?q=C0CON', { headers: { cookie: clerk.cookie } })).text();
    expect(customers).toContain('Console payer');
    const products = await (await stack.app.request('/console/products?q=P0003', { headers: { cookie: clerk.cookie } })).text();
    expect(products).toContain('href="/console/products/P0003"');
    const product = await (await stack.app.request('/console/products/P0003', { headers: { cookie: clerk.cookie } })).text();
    expect(product).toMatch(/<th data-key="onHand">[\s\S]*WH-SH/);
  });
});

describe('console order forms: notices, re-checks, deliveries, returns, allowances, closing lines and changes', () => {
  type Who = { cookie: string; csrf: string };
  /** Posts a console form, follows the redirect with the flash cookie as a browser would, and returns the message shown and the page. */
  async function send(who: Who, path: string, fields: Record<string, string>) {
    const res = await stack.app.request(path, { method: 'POST', headers: { cookie: who.cookie }, body: form({ _csrf: who.csrf, ...fields }) });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const flash = res.headers.get('set-cookie')!.split(';')[0];
    const page = await (await stack.app.request(location, { headers: { cookie: `${flash}; ${who.cookie}` } })).text();
    return { location, page, shown: /<p class="flash (ok|error)"[^>]*>(.*?)<\/p>/.exec(page)?.slice(1).join(': ') ?? '' };
  }
  const documents = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body.order;
  const actions = (page: string) => [...page.matchAll(/data-action="(\w+)"/g)].map((m) => m[1]);

  it('a form value can never bend the API path to another route, and what the console sends is audited as the console', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '33.00' }] },
    });
    const number = created.body.order.number as string;
    const manager = await signIn('manager.wang');
    // `changes/../reject` would be `reject` once the URL is parsed: the order itself would be rejected.
    for (const version of ['..', '%2e%2e', '.', '', '1/../..']) {
      const sent = await send(manager, `/console/orders/${number}/rejectChange`, { version, reason: 'probe' });
      expect(sent.shown, version).toMatch(/^error: <strong>(VALIDATION_FAILED|NOT_FOUND)<\/strong>/);
    }
    expect((await documents(number)).status).toBe('Unapproved');
    const approved = await send(manager, `/console/orders/${number}/approve`, {});
    expect(approved.shown).toMatch(/^ok: /);
    const audit = (await stack.request('GET', `/orders/${number}/audit`, { user: 'admin.root' })).body.items as { command: string; channel: string; actor: string }[];
    expect(audit.filter((a) => a.actor === 'manager.wang').map((a) => a.channel)).toEqual(expect.arrayContaining(['console']));
    expect(audit.filter((a) => a.actor === 'manager.wang' && a.channel !== 'console')).toEqual([]);
    // A network request cannot claim to be the console: the same kind of command by HTTP is channel api.
    expect(audit.find((a) => a.actor === 'clerk.li')?.channel).toBe('api');
  });

  it('offers each form to its role when the state allows it, shows every refusal with its code, and writes nothing refused', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: {
        customerCode: 'C0001',
        lines: [
          { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '1200.00' },
          { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5', unitPrice: '20.00' },
        ],
      },
    });
    const number = created.body.order.number as string;
    const orderPath = `/console/orders/${number}`;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const [clerk, warehouse, finance, manager] = [await signIn('clerk.li'), await signIn('warehouse.zhao'), await signIn('finance.chen'), await signIn('manager.wang')];
    const pageOf = async (who: Who) => (await stack.app.request(orderPath, { headers: { cookie: who.cookie } })).text();

    expect(actions(await pageOf(warehouse))).toEqual(['shippingNotice', 'deliver']);
    // In English every button and heading is English (the names of products stay as the master data has them).
    const english = await (await stack.app.request(orderPath, { headers: { cookie: `sbo_lang=en; ${warehouse.cookie}` } })).text();
    const buttons = [...english.matchAll(/<button type="submit">(.*?)<\/button>/g)].map((m) => m[1]);
    expect(buttons).toEqual(['Log out', 'Issue shipping notice', 'Deliver']);
    expect([...english.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]).slice(0, 4)).toEqual(['Lines', 'Checks', 'Commands', 'Documents']);
    expect(english).toContain('<th data-key="closeState">Line state</th>');
    expect(actions(await pageOf(clerk))).toEqual(['closeLine', 'cancel']);
    expect(await pageOf(clerk)).toContain(`href="/console/orders/${number}/change"`);

    // Wrong role: the clerk may not issue a shipping notice; the API says so and no notice exists.
    expect((await send(clerk, `${orderPath}/shippingNotice`, { plan_1: '4' })).shown).toMatch(/^error: <strong>FORBIDDEN<\/strong>: 开出货通知单被拒绝：.*\(field <code>role<\/code>\)$/);
    expect((await documents(number)).shippingNotices).toEqual([]);

    const notice = await send(warehouse, `${orderPath}/shippingNotice`, { plan_1: '4', requiresQualityCheck: 'on' });
    expect(notice.shown).toMatch(/^ok: 开出货通知单：完成（出货通知单 SN\S+）；订单现为已审核。$/);
    const [sn] = (await documents(number)).shippingNotices;
    expect(sn).toMatchObject({ requiresQualityCheck: true, lines: [{ orderLineNo: 1, plannedQty: '4' }] });
    // Waiting for its re-check, the notice is offered for the re-check only: the one delivery form is the direct one.
    expect(actions(notice.page)).toEqual(['shippingNotice', 'qualityCheck', 'deliver']);

    // Wrong state: delivering the notice before its re-check is the API's QUALITY_CHECK_REQUIRED, and no delivery note.
    expect((await send(warehouse, `${orderPath}/deliver`, { noticeNumber: sn.number, qty_1: '4' })).shown).toMatch(
      /^error: <strong>QUALITY_CHECK_REQUIRED<\/strong>: 出货被拒绝：.*\(field <code>noticeNumber<\/code>\)$/,
    );
    expect((await send(warehouse, `${orderPath}/qualityCheck`, { noticeNumber: sn.number, result: 'pass' })).shown).toBe('ok: 出货复核：完成；订单现为已审核。');
    // Over-delivery: 100 of 10 ordered; the field is named and nothing is delivered.
    expect((await send(warehouse, `${orderPath}/deliver`, { noticeNumber: sn.number, qty_1: '100' })).shown).toMatch(
      /^error: <strong>OVER_DELIVERY<\/strong>: 出货被拒绝：line 1: 100 is more than .*\(field <code>lines\[0\]\.quantity<\/code>\)$/,
    );
    expect((await documents(number)).deliveryNotes).toEqual([]);
    const delivered = await send(warehouse, `${orderPath}/deliver`, { noticeNumber: sn.number, qty_1: '4', carrier: '顺丰速运', trackingNumber: 'SF1234567890' });
    expect(delivered.shown).toMatch(/^ok: 出货：完成（销货单 DN\S+）；订单现为部分出货。$/);
    const [dn] = (await documents(number)).deliveryNotes;
    expect(dn).toMatchObject({ carrier: '顺丰速运', trackingNumber: 'SF1234567890', lines: [{ orderLineNo: 1, quantity: '4' }] });
    expect(delivered.page).toContain(`<a href="/console/documents/delivery-note/${dn.number}">${dn.number}</a>`);
    expect(delivered.page).toContain('<td class="">1 × 4</td>');

    // A NUL in a return's reason is refused by the API's validation: the flash names the field, no return exists.
    expect((await send(clerk, `${orderPath}/return`, { deliveryNote: dn.number, return_1: '1', disposition: 'redeliver', reason: 'damaged\u0000' })).shown).toMatch(
      /^error: <strong>VALIDATION_FAILED<\/strong>: 登记销退被拒绝：.*\(field <code>reason<\/code>\)$/,
    );
    // A 1 MB reason: refused by the API's limit on the field, and the page still shows why.
    expect((await send(clerk, `${orderPath}/return`, { deliveryNote: dn.number, return_1: '1', disposition: 'redeliver', reason: 'x'.repeat(1_000_000) })).shown).toMatch(
      /^error: <strong>(VALIDATION_FAILED|PAYLOAD_TOO_LARGE)<\/strong>: 登记销退被拒绝：/,
    );
    // More back than was delivered: OVER_RETURN.
    expect((await send(clerk, `${orderPath}/return`, { deliveryNote: dn.number, return_1: '5', disposition: 'redeliver', reason: 'damaged' })).shown).toMatch(
      /^error: <strong>OVER_RETURN<\/strong>: /,
    );
    expect((await documents(number)).returns).toEqual([]);

    expect((await send(finance, `${orderPath}/invoice`, {})).shown).toMatch(/^ok: 开发票：完成（发票 INV\S+）；订单现为部分出货。$/);
    const returned = await send(clerk, `${orderPath}/return`, { deliveryNote: dn.number, return_1: '1', disposition: 'cancel_remainder', reason: '包装破损' });
    // 1 × 1,200.00 + 13% tax comes back as a credit note.
    expect(returned.shown).toMatch(/^ok: 登记销退：完成（销退单 \S+，折让单\/红字发票 CN\S+，1,356\.00）；订单现为部分出货。$/);
    const [cn] = (await documents(number)).creditNotes;
    expect(returned.page).toContain(`<a href="/console/documents/credit-note/${cn.number}">${cn.number}</a>`);
    expect(returned.page).toContain('<td class="num">1,356.00</td>');

    // An allowance over what is invoiced and not yet given back is refused; one within it is a second credit note.
    expect((await send(finance, `${orderPath}/allowance`, { amount_1: '99999', reason: '价格补偿' })).shown).toMatch(/^error: <strong>OVER_ALLOWANCE<\/strong>: /);
    expect((await send(finance, `${orderPath}/allowance`, { amount_1: '100', reason: '价格补偿' })).shown).toMatch(/^ok: 登记折让：完成（销退单 \S+，折让单\/红字发票 CN\S+，113\.00）/);
    expect((await documents(number)).creditNotes).toHaveLength(2);

    // Closing line 2 by hand; then it is no longer offered for closing.
    expect((await send(clerk, `${orderPath}/closeLine`, { lineNo: '2' })).shown).toBe('ok: 指定结束：完成；订单现为已出货。');
    expect((await send(clerk, `${orderPath}/closeLine`, { lineNo: '2' })).shown).toMatch(/^error: <strong>INVALID_STATE<\/strong>: 指定结束被拒绝：/);
    expect((await documents(number)).lines.map((l: { closeStatus: string }) => l.closeStatus)).toEqual(['y', 'y']);

    // A change: the form shows each line's current terms; a raised quantity waits for approval with its before/after.
    const changeForm = await (await stack.app.request(`${orderPath}/change`, { headers: { cookie: clerk.cookie } })).text();
    expect(changeForm).toContain('订单变更单');
    expect(changeForm).not.toContain('name="quantity_1"'); // both lines are closed by hand: only new lines may be added
    const refusedChange = await stack.app.request(`${orderPath}/change`, {
      method: 'POST', headers: { cookie: clerk.cookie }, body: form({ _csrf: clerk.csrf, reason: '追加', new_productCode_0: 'P0003', new_warehouseCode_0: 'WH-SH', new_quantity_0: '-1' }),
    });
    expect(refusedChange.status).toBe(422);
    expect(await refusedChange.text()).toMatch(/<strong>VALIDATION_FAILED<\/strong>: 新增第 1 行: .*\(field <code>lines\[0\]\.quantity<\/code>\)/);
    const change = await send(clerk, `${orderPath}/change`, { reason: '追加订货', new_productCode_0: 'P0001', new_warehouseCode_0: 'WH-SH', new_quantity_0: '3', new_unitPrice_0: '1200' });
    expect(change.location).toBe(`${orderPath}/changes/0001`);
    expect(change.shown).toBe('ok: 订单变更单 0001：待审核。');
    expect(change.page).toMatch(/<tr data-line="3"><td>3<\/td><td>新增<\/td><td>P0001 工业传感器 Industrial sensor<\/td><td colspan="4" class="muted" data-side="before">—<\/td>/);
    expect(change.page).toMatch(/data-side="after" data-field="quantity"[^>]*>3<\/td><td class="num" data-side="after" data-field="unitPrice"[^>]*>1,200\.00<\/td>/);
    // The clerk who asked may not decide it; the approver sees the approve and reject buttons on the change's page.
    expect(actions(change.page)).toEqual([]);
    const managerView = await (await stack.app.request(`${orderPath}/changes/0001`, { headers: { cookie: manager.cookie } })).text();
    expect(actions(managerView)).toEqual(['approveChange', 'rejectChange']);
    expect((await send(manager, `${orderPath}/approveChange`, { version: '../../cancel' })).shown).toMatch(/^error: <strong>VALIDATION_FAILED<\/strong>: .*\(field <code>version<\/code>\)$/);
    expect((await send(manager, `${orderPath}/approveChange`, { version: '1' })).shown).toBe('ok: 审核变更：完成；订单现为部分出货。');
    const applied = await (await stack.app.request(`${orderPath}/changes/0001`, { headers: { cookie: clerk.cookie } })).text();
    expect(applied).toContain('<strong data-change-status="applied">已生效</strong>');
    expect((await documents(number)).lines).toHaveLength(3);

    // A second raise waits too; the approver rejects it (a reason is required) and the order stays as it was.
    const second = await send(clerk, `${orderPath}/change`, { reason: '再追加', quantity_3: '4' });
    expect(second.shown).toBe('ok: 订单变更单 0002：待审核。');
    expect((await send(manager, `${orderPath}/rejectChange`, { version: '2', reason: '' })).shown).toMatch(/^error: <strong>VALIDATION_FAILED<\/strong>: 驳回变更被拒绝：.*\(field <code>reason<\/code>\)$/);
    expect((await send(manager, `${orderPath}/rejectChange`, { version: '2', reason: '库存不足' })).shown).toBe('ok: 驳回变更：完成；订单现为部分出货。');
    const rejected = await (await stack.app.request(`${orderPath}/changes/0002`, { headers: { cookie: clerk.cookie } })).text();
    expect(rejected).toContain('<strong data-change-status="rejected">已驳回</strong>');
    expect(rejected).toContain('(库存不足)');
    expect((await documents(number)).lines[2]).toMatchObject({ lineNo: 3, quantity: '3' });
  });
});
