import { describe, expect, it } from 'vitest';
import { freshProduct } from '../support/fixtures.js';
import { stockOf } from '../support/ledger.js';
import { consoleSignIn, type ConsoleUser } from '../support/console-session.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

const page = async (u: ConsoleUser, path: string) => stack.app.request(path, { headers: { cookie: u.cookie } });

/** Posts a form as the browser would; a redirect is followed once with the flash cookie it set. */
async function submit(u: ConsoleUser, path: string, fields: Record<string, string>) {
  const res = await stack.app.request(path, {
    method: 'POST',
    headers: { cookie: u.cookie, origin: 'http://localhost' },
    body: new URLSearchParams({ _csrf: u.csrf, ...fields }),
  });
  if (res.status !== 303) return { status: res.status, text: await res.text() };
  const flash = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const next = await stack.app.request(res.headers.get('location')!, { headers: { cookie: `${u.cookie}; ${flash}` } });
  return { status: 303, text: await next.text() };
}

describe('the stock-moves page (出入库)', () => {
  it('is in the warehouse menu, not the clerk’s; its forms write through the API as the signed-in user', async () => {
    const clerk = await consoleSignIn(stack, 'clerk.li');
    expect(await (await page(clerk, '/console')).text()).not.toContain('/console/stock-moves');
    expect(await (await page(clerk, '/console/stock-moves')).text()).toContain('您的角色不能登记库存变动');
    const refused = await submit(clerk, '/console/stock-moves/receipts', { warehouseCode: 'WH-SH', 'lines.0.productCode': 'P0001', 'lines.0.quantity': '1' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('FORBIDDEN');

    const wh = await consoleSignIn(stack, 'warehouse.zhao');
    const form = await (await page(wh, '/console/stock-moves')).text();
    expect(form).toContain('href="/console/stock-moves"');
    for (const words of ['入库', '库存调整', '调拨', '调出仓库', '批号', '有效期至']) expect(form).toContain(words);

    const product = await freshProduct(stack.sql);
    const done = await submit(wh, '/console/stock-moves/receipts', { _key: `console-${product}`, warehouseCode: 'WH-SH', 'lines.0.productCode': product, 'lines.0.quantity': '12' });
    expect(done.status).toBe(303);
    expect(done.text).toMatch(/已入库 GR-\d{8}-\d{4}/);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '12', reserved: '0' });
    const [audit] = await stack.sql`SELECT actor, channel, outcome FROM audit_entries WHERE command LIKE '%/stock/receipts%' ORDER BY id DESC LIMIT 1`;
    expect(audit).toMatchObject({ actor: 'warehouse.zhao', channel: 'console' });

    const bad = await submit(wh, '/console/stock-moves/adjustments', { warehouseCode: 'WH-SH', productCode: product, adjustQuantity: '-13', reason: 'broken' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('INSUFFICIENT_STOCK');
    expect(bad.text).toMatch(/name="adjustQuantity"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="adjustQuantity"/);
    const moved = await submit(wh, '/console/stock-moves/transfers', { fromWarehouseCode: 'WH-SH', toWarehouseCode: 'WH-BJ', 'lines.0.productCode': product, 'lines.0.quantity': '5' });
    expect(moved.text).toMatch(/已调拨 TR-/);
    expect(await stockOf(stack.sql, product, 'WH-BJ')).toEqual({ onHand: '5', reserved: '0' });

    // 盘点: the warehouse counts 6 of the 7 left; the admin approves and the difference is booked.
    const counted = await submit(wh, '/console/stock-moves/counts', { warehouseCode: 'WH-SH', 'lines.0.productCode': product, 'lines.0.countedQuantity': '6' });
    const sheet = /已登记盘点单 (SC-\d{8}-\d{4})/.exec(counted.text)?.[1];
    expect(sheet).toBeDefined();
    // The sheet waits on the page with its book, count and difference; its counter cannot approve it, the admin can.
    const waiting = (html: string) => new RegExp(`data-count="${sheet}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
    const ownView = waiting(counted.text);
    expect(ownView).toContain(product);
    expect(ownView).toMatch(/<td[^>]*>7<\/td>\s*<td[^>]*>6<\/td>\s*<td[^>]*>-1<\/td>/);
    expect(counted.text).toContain('盘点人不能审核自己的盘点单');
    const admin = await consoleSignIn(stack, 'admin.root');
    const adminView = await (await page(admin, '/console/stock-moves')).text();
    expect(adminView).toMatch(new RegExp(`name="countNumber" value="${sheet}"`));
    const listed = await stack.request('GET', '/stock/counts?status=counted', { user: 'warehouse.zhao' });
    expect(listed.body.items.find((c: { number: string }) => c.number === sheet)).toMatchObject({ countedBy: 'warehouse.zhao', lines: [{ bookQuantity: '7', countedQuantity: '6', difference: '-1' }] });
    const approved = await submit(admin, '/console/stock-moves/counts/approve', { countNumber: sheet! });
    expect(approved.text).toContain(`盘点差异已入账 ${sheet}`);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '6', reserved: '0' });
  });
});
