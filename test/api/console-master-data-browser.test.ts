import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

const signIn = (page: Page, user: string, lang: 'en' | 'zh-CN') => signInAs(web, page, user, lang);


describe('master data and lists in headless Chromium', () => {
  it('an admin creates a customer and changes a product price', async () => {
    const page = await web.browser.newPage();
    await signIn(page, 'admin.root', 'en');
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'New customer' }).click();
    await page.getByLabel('Code').fill('CBR01');
    await page.getByLabel('Name *').fill('杭州浏览器测试 Hangzhou Browser');
    await page.getByLabel('Grade').selectOption('vip');
    await page.getByLabel('Settlement days').fill('sixty');
    await page.getByRole('button', { name: 'Save' }).click();
    // The API's refusal, with the field, above the form as it was typed.
    expect(await page.getByRole('alert').textContent()).toContain('settlementDays');
    expect(await page.getByLabel('Name *').inputValue()).toBe('杭州浏览器测试 Hangzhou Browser');
    await shot(page, 'console-customer-refused');
    await page.getByLabel('Settlement days').fill('60');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/console\/customers\/CBR01$/);
    expect(await page.getByRole('status').textContent()).toBe('Customer CBR01 created.');
    expect(await page.locator('h1').textContent()).toBe('Customer CBR01 杭州浏览器测试 Hangzhou Browser');
    expect(await page.locator('table').first().innerText()).toMatch(/VIP/);
    await shot(page, 'console-customer-created');

    await page.goto(`${web.base}/console/products?q=P0001`);
    await page.getByRole('link', { name: 'P0001' }).click();
    await page.getByLabel('List price *').fill('125.50');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.getByRole('status').textContent()).toBe('P0001 saved.');
    const listPrice = await page.evaluate(() => {
      const table = document.querySelector('table')!;
      const index = [...table.querySelectorAll('th')].findIndex((th) => th.dataset.key === 'listPrice');
      return table.querySelector('tbody tr')!.querySelectorAll('td')[index]!.textContent;
    });
    expect(listPrice).toBe('125.50');
    await shot(page, 'console-product-edited');
    await page.close();
  });

  it('a clerk pages the order list in Chinese, keeps the filter, and downloads its CSV', async () => {
    for (let i = 1; i <= 12; i++) {
      const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: String(i) }] } });
      expect(res.status).toBe(201);
    }
    const page = await web.browser.newPage();
    await signIn(page, 'clerk.li', 'zh-CN');
    await page.locator('input[name="customerCode"]').fill('C0002');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('nav.pager select[name="size"]').selectOption('10');
    await page.waitForURL(/size=10/);
    expect(await page.locator('[data-rel="position"]').textContent()).toBe('第 1 / 2 页，共 12 条');
    await page.getByRole('link', { name: '下一页' }).click();
    expect(await page.locator('[data-rel="position"]').textContent()).toBe('第 2 / 2 页，共 12 条');
    expect(new URL(page.url()).searchParams.get('customerCode')).toBe('C0002');
    const rows = await page.locator('main table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatch(/C0002 北京北方电子 Beijing North Electronics\s+未审核/);
    await shot(page, 'console-orders-page-2');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('orders.csv');
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('number,status,customerCode,customerName,currency,gross,createdBy,createdAt');
    expect(lines.slice(1)).toHaveLength(12);
    for (const l of lines.slice(1)) expect(l).toContain(',Unapproved,C0002,北京北方电子 Beijing North Electronics,CNY,');

    // The six reports are in the menu; product transactions words its move kinds.
    for (const name of ['预计出货', '销售排行', '客户贡献', '毛利', '客户销货明细', '产品交易记录']) expect(await page.locator('header').getByRole('link', { name, exact: true }).count()).toBe(1);
    await page.locator('header').getByRole('link', { name: '产品交易记录', exact: true }).click();
    await page.locator('input[name="productCode"]').fill('P0003');
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.locator('main table tbody tr').first().innerText()).toMatch(/期初/);
    await shot(page, 'console-report-product-transactions');
    await page.close();
  });
});
