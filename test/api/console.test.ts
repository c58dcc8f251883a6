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
    expect(order).toContain('<strong>Approved</strong>');
    expect(order).toContain(`href="http://127.0.0.1:8233/namespaces/default/workflows/order-${number}"`);
    expect(order).toContain('reserved 2 P0001 in WH-SH');
    expect(order).toMatch(/<td>update\.accepted<\/td><td>manager\.wang<\/td><td>command approve accepted<\/td>/);

    const shipments = await page('/console/reports/expected-shipments?salesperson=clerk.li');
    expect(shipments).toContain(`<a href="/console/orders/${number}">${number}</a>`);
    expect(shipments).toContain('未出货金额 240.00');
    expect(await page('/console/reports/gross-margin?by=customer')).toContain('未税金额 0.00 · 成本 0.00 · 毛利 0.00');
    expect(await page(`/console/orders/${stack.orderPrefix}-20260101-0999`, 404)).toContain('No order');
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
    expect(await outcome(clerk, 'approve', {})).toBe('error: <strong>FORBIDDEN</strong>: Approve refused: role clerk may not approve; allowed: approver, credit_controller, admin (field <code>role</code>)');

    expect(await outcome(manager, 'approve', { _key: 'console-approve-1' })).toBe('ok: Approve: done; the order is now Approved.');
    // The same rendered form sent twice acts once: the key is the API's Idempotency-Key.
    expect(await outcome(manager, 'approve', { _key: 'console-approve-1' })).toBe('ok: Approve: done; the order is now Approved.');
    expect(await outcome(manager, 'approve', {})).toMatch(/^error: <strong>INVALID_STATE<\/strong>: Approve refused: /);
    /** The buttons a user sees on the order now: their role's, and of those what the order's state allows. */
    const buttons = async (who: { cookie: string }) =>
      [...(await (await stack.app.request(orderPath, { headers: { cookie: who.cookie } })).text()).matchAll(/data-action="(\w+)"/g)].map((m) => m[1]);
    // Approved: the approver has nothing left to approve or reject.
    expect(await buttons(manager)).toEqual([]);

    const warehouse = await signIn('warehouse.zhao');
    expect(await outcome(warehouse, 'deliver', { qty_1: '3' })).toMatch(/^ok: Deliver: done \(\S+\); the order is now Delivered\.$/);
    const finance = await signIn('finance.chen');
    // Delivered and not invoiced: an invoice, but no receipt yet (nothing is due).
    expect(await buttons(finance)).toEqual(['invoice']);
    expect(await outcome(finance, 'invoice', {})).toMatch(/^ok: Invoice: done \(\S+\); the order is now Delivered\.$/);
    expect(await buttons(finance)).toEqual(['receipt']);
    expect(await outcome(finance, 'receipt', { amount: 'abc', method: 'cash' })).toMatch(/^error: <strong>VALIDATION_FAILED<\/strong>: .*\(field <code>amount<\/code>\)$/);
    expect(await outcome(finance, 'receipt', { amount: '406.80', method: 'bank_transfer' })).toMatch(/^ok: Record receipt: done \(\S+\); the order is now Delivered\.$/);
    // Paid in full, the order completes (the workflow closes it just after the receipt) and offers no more buttons.
    await expect.poll(async () => (await stack.request('GET', `/orders/${number}`)).body.order.status).toBe('Completed');
    const financePage = await (await stack.app.request(orderPath, { headers: { cookie: finance.cookie } })).text();
    expect(financePage).toMatch(/receipts: \S+ \(406\.80\)/);
    expect(financePage).toContain('This order has ended (Completed); no commands remain.');

    // An order waiting for approval offers finance nothing (its role's invoice and receipt wait for the state).
    const second = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '120.00' }] },
    });
    const secondPath = `/console/orders/${second.body.order.number}`;
    const financeButtons = await (await stack.app.request(secondPath, { headers: { cookie: finance.cookie } })).text();
    expect([...financeButtons.matchAll(/data-action="(\w+)"/g)].map((m) => m[1])).toEqual([]);
    expect(financeButtons).toContain('Nothing for you to do on this order now (Unapproved).');
    const cancel = await stack.app.request(`${secondPath}/cancel`, { method: 'POST', headers: { cookie: clerk.cookie }, body: form({ _csrf: clerk.csrf, reason: 'customer withdrew' }) });
    expect(cancel.status).toBe(303);
    const cancelled = await (await stack.app.request(secondPath, { headers: { cookie: clerk.cookie } })).text();
    expect(cancelled).toContain('<strong>Cancelled</strong>');
    expect(cancelled).toContain('This order has ended (Cancelled); no commands remain.');

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
