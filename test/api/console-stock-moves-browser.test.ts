import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { freshProduct } from '../support/fixtures.js';
import { stockOf } from '../support/ledger.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

const signIn = (page: Page, user: string, lang: 'en' | 'zh-CN') => signInAs(web, page, user, lang);

describe('stock moves in headless Chromium', () => {
  it('the warehouse receives goods from the menu and sees the document number; a refusal marks the field', async () => {
    const product = await freshProduct(stack.sql);
    const page = await web.browser.newPage();
    await signIn(page, 'warehouse.zhao', 'zh-CN');
    await page.getByRole('link', { name: '出入库' }).click();
    const receipt = page.locator('form[data-form="receipts"]');
    await receipt.locator('select[name="warehouseCode"]').selectOption('WH-SH');
    await receipt.locator('input[name="lines.0.productCode"]').fill(product);
    await receipt.locator('input[name="lines.0.quantity"]').fill('8');
    await receipt.getByRole('button').click();
    await page.waitForURL(/\/console\/stock-moves$/);
    expect(await page.getByRole('status').textContent()).toMatch(/已入库 GR-/);
    await shot(page, 'console-stock-moves-zh');
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '8', reserved: '0' });

    await signIn(page, 'warehouse.zhao', 'en');
    await page.goto(`${web.base}/console/stock-moves`);
    const adjust = page.locator('form[data-form="adjustments"]');
    await adjust.locator('select[name="warehouseCode"]').selectOption('WH-SH');
    await adjust.locator('input[name="productCode"]').fill(product);
    await adjust.locator('input[name="adjustQuantity"]').fill('-9');
    await adjust.locator('input[name="reason"]').fill('water damage');
    await adjust.getByRole('button').click();
    expect(await page.getByRole('alert').textContent()).toContain('INSUFFICIENT_STOCK');
    expect(await page.locator('form[data-form="adjustments"] input[name="adjustQuantity"]').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'console-stock-moves-en-refused');

    // A count of 7 against the book's 8 waits on the page with its difference; the admin approves it there.
    const count = page.locator('form[data-form="counts"]');
    await count.locator('select[name="warehouseCode"]').selectOption('WH-SH');
    await count.locator('input[name="lines.0.productCode"]').fill(product);
    await count.locator('input[name="lines.0.countedQuantity"]').fill('7');
    await count.getByRole('button').click();
    await page.waitForURL(/\/console\/stock-moves$/);
    await signIn(page, 'admin.root', 'zh-CN');
    await page.goto(`${web.base}/console/stock-moves`);
    const sheet = page.locator('[data-waiting-counts] [data-count]').filter({ hasText: product });
    expect(await sheet.locator('td').allTextContents()).toEqual(expect.arrayContaining(['8', '7', '-1']));
    await shot(page, 'console-stock-count-waiting-zh');
    await sheet.getByRole('button', { name: '审核并入账差异' }).click();
    await page.waitForURL(/\/console\/stock-moves$/);
    expect(await page.getByRole('status').textContent()).toMatch(/盘点差异已入账 SC-/);
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual({ onHand: '7', reserved: '0' });
  });
});
