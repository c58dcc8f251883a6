import { beforeAll, describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

beforeAll(async () => {
  for (const [code, addresses, contacts] of [
    ['C0002', [{ label: '总部', address: '北京市海淀区中关村大街 1 号', contact: '刘工', isDefault: true }, { label: '大兴仓', address: '北京市大兴区物流园 8 号' }], [{ name: '王经理', phone: '13800000000' }]],
    ['C0001', [{ label: '上海仓', address: '上海市浦东新区 9 号', isDefault: true }], [{ name: '陈总' }]],
  ] as const) {
    const res = await stack.request('PATCH', `/customers/${code}`, { user: 'clerk.li', body: { addresses, contacts } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
});

describe('the order header in the console, in headless Chromium', () => {
  it("the new-order form offers the chosen customer's addresses and contacts; the order page and its confirmation show the header", async () => {
    const page = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(web, page, 'clerk.li', 'zh-CN');
    await page.goto(`${web.base}/console/orders/new`);
    await page.locator('input[name="customerCode"]').fill('C0002');
    // Only C0002's addresses are offered once C0002 is chosen.
    const offered = await page.locator('select[name="shipTo"] option:not([disabled])').evaluateAll((os) =>
      os.filter((o) => !(o.parentElement as HTMLOptGroupElement).disabled).map((o) => (o as HTMLOptionElement).value),
    );
    expect(offered).toEqual(['', '总部', '大兴仓']);
    await page.locator('select[name="shipTo"]').selectOption('大兴仓');
    await page.locator('select[name="contact"]').selectOption('王经理');
    await page.locator('select[name="salesperson"]').selectOption('clerk.zhang');
    await page.locator('input[name="department"]').fill('华北销售部');
    await page.locator('input[name="depositAmount"]').fill('50');
    await page.locator('select[name="settlementTerms"]').selectOption('net');
    await page.locator('input[name="settlementDays"]').fill('45');
    await page.locator('input[name="productCode_0"]').fill('P0003');
    await page.locator('select[name="warehouseCode_0"]').selectOption('WH-SH');
    await page.locator('input[name="quantity_0"]').fill('3');
    await page.locator('input[name="unitPrice_0"]').fill('33.333');
    await shot(page, 'order-header-form');
    await page.getByRole('button', { name: '创建订单' }).click();
    await page.waitForURL(/\/console\/orders\/SO/);
    const header = async (key: string) => (await page.locator(`td[data-header="${key}"]`).textContent())?.trim();
    expect(await header('shipTo')).toBe('大兴仓: 北京市大兴区物流园 8 号');
    expect(await header('contact')).toBe('王经理 13800000000');
    expect(await header('salesperson')).toBe('clerk.zhang');
    expect(await header('department')).toBe('华北销售部');
    expect(await header('deposit')).toBe('50.00');
    expect(await header('paymentTerms')).toBe('账期 45 天');
    await shot(page, 'order-header-page');

    await page.locator('a[data-document="order"]').click();
    const sheet = await page.locator('main').textContent();
    for (const text of ['送货地址', '大兴仓: 北京市大兴区物流园 8 号', '业务员', 'clerk.zhang', '华北销售部', '订金', '50.00', '收款条件', '账期 45 天']) expect(sheet).toContain(text);
    await shot(page, 'order-header-confirmation');

    // Another customer's address is refused by the API, naming the field, and the form comes back filled in.
    await page.goto(`${web.base}/console/orders/new`);
    await page.locator('input[name="customerCode"]').fill('C0002');
    await page.locator('input[name="productCode_0"]').fill('P0003');
    await page.locator('input[name="quantity_0"]').fill('1');
    // As a browser without the script would let it: C0001's address on an order for C0002.
    await page.evaluate(() => {
      document.querySelectorAll('optgroup').forEach((g) => { g.disabled = false; });
      (document.querySelector('select[name="shipTo"]') as HTMLSelectElement).value = '上海仓';
    });
    await page.getByRole('button', { name: '创建订单' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('shipTo');
    expect(await page.locator('input[name="customerCode"]').inputValue()).toBe('C0002');
    await shot(page, 'order-header-refused');
    await page.close();
  });
});
