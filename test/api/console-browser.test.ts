import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { RESULTS, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

async function signIn(page: Page, user: string) {
  await page.goto(`${web.base}/console`);
  expect(page.url()).toContain('/console/login');
  // The console speaks Chinese until the user switches (the choice outlives a sign-out); this walk-through reads English.
  if ((await page.locator('html').getAttribute('lang')) === 'zh-CN') {
    expect(await page.getByRole('button', { name: '登录' }).count()).toBe(1);
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(page.url()).toContain('/console/login');
  }
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('API token').fill(devToken(user));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('header .who').textContent()).toContain(user);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/console\/login$/);
  // The cookie is gone: the console sends the browser back to the login page.
  await page.goto(`${web.base}/console`);
  expect(page.url()).toContain('/console/login');
}

const lineCell = (page: Page, column: string) =>
  page.evaluate((col) => {
    const table = [...document.querySelectorAll('table')].find((t) => t.querySelector('th[data-key="lineNo"]'))!;
    const index = [...table.querySelectorAll('th')].findIndex((th) => th.dataset.key === col);
    return table.querySelector('tbody tr')!.querySelectorAll('td')[index]!.textContent;
  }, column);

describe('web console in headless Chromium', () => {
  it('a clerk creates an order, a manager approves it, the warehouse delivers it, and the order page shows it all', async () => {
    const page = await web.browser.newPage();

    await signIn(page, 'clerk.li');
    await page.getByRole('link', { name: 'New order' }).click();
    await page.locator('input[name="customerCode"]').fill('C0001');
    await page.locator('input[name="productCode_0"]').fill('P0001');
    await page.locator('select[name="warehouseCode_0"]').selectOption('WH-SH');
    await page.locator('input[name="quantity_0"]').fill('10');
    await page.locator('input[name="unitPrice_0"]').fill('120.00');
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.waitForURL(/\/console\/orders\/SO[A-Z]+-\d{8}-\d{4}$/);
    const number = page.url().split('/').pop()!;
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(new RegExp(`Order ${number} created \\(Unapproved, gross 1,356\\.00\\)`));
    // A clerk may cancel but not approve or deliver; nothing is back-ordered before approval, so no reservation to retry.
    expect(await page.locator('form[data-action]').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-action')))).toEqual(['cancel']);
    await signOut(page);

    await signIn(page, 'manager.wang');
    await page.goto(`${web.base}/console/orders/${number}`);
    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Approve: done; the order is now Approved.');
    expect(await lineCell(page, 'reservedQty')).toBe('10');
    await signOut(page);

    await signIn(page, 'warehouse.zhao');
    await page.goto(`${web.base}/console/orders/${number}`);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // P0001 may be over-delivered by 5%: 11 of 10 is refused, and the API's error shows on the page.
    await page.locator('input[name="qty_1"]').fill('11');
    await page.getByRole('button', { name: 'Deliver' }).click();
    const refusal = await page.getByRole('alert').textContent();
    expect(refusal).toContain('OVER_DELIVERY');
    expect(refusal).toContain('field lines[0].quantity');
    expect(await lineCell(page, 'deliveredQty')).toBe('0');

    expect(await page.locator('input[name="qty_1"]').inputValue()).toBe('10');
    await page.getByRole('button', { name: 'Deliver' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(/^Deliver: done \(delivery note DN-\S+\); the order is now Delivered\.$/);
    expect(await page.locator('main > p strong').first().textContent()).toBe('Delivered');
    expect(await lineCell(page, 'deliveredQty')).toBe('10');

    const timeline = await page.locator('table').last().innerText();
    expect(timeline).toMatch(/Command done\s+manager\.wang\s+command approve by manager\.wang completed/);
    expect(timeline).toMatch(/Command done\s+warehouse\.zhao\s+command deliver by warehouse\.zhao completed/);
    expect(timeline).toMatch(/Delivered\s+warehouse\.zhao\s+delivery note \S+: line 1 × 10/);

    // The language switch keeps the user on the page they were reading.
    const here = page.url();
    await page.getByRole('link', { name: '中文' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(page.url()).toBe(here);
    expect(await page.locator('main > p strong').first().textContent()).toBe('已出货');
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}console-order.png`, fullPage: true });
    expect(existsSync(`${RESULTS}console-order.png`)).toBe(true);
    await page.close();
  });
});
