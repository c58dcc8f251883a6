import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addStock, freshProduct } from '../support/fixtures.js';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

/** 草稿 in the console: the creator's edit form, prefilled, and the revision of a rejected order (修改后重新提交). */
const stack = useStack();
const web = useBrowser(stack);
let product: string;

beforeAll(async () => {
  product = await freshProduct(stack.sql, { listPrice: '100', taxRate: '0' });
  await addStock(stack.sql, product, 'WH-SH', '100');
});

const status = (page: Page) => page.getByRole('status').textContent();

describe('editing a draft in the console', () => {
  it('the creator edits the prefilled form, the checks follow; a rejected order shows its reason and is revised and resubmitted', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '5', unitPrice: '100', expectedDeliveryDate: '2027-01-15' }] },
    });
    const number = created.body.order.number as string;
    const orderPath = `/console/orders/${number}`;

    const other = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(web, other, 'clerk.zhang', 'zh-CN');
    await other.goto(`${web.base}${orderPath}`);
    expect(await other.locator('a[data-link="draft"]').count()).toBe(0);
    expect((await other.goto(`${web.base}${orderPath}/draft`))!.status()).toBe(409);

    const page = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(web, page, 'clerk.li', 'zh-CN');
    await page.goto(`${web.base}${orderPath}`);
    await page.locator('a[data-link="draft"]').click();
    await page.waitForURL(/\/draft$/);
    expect(await page.locator('input[name="quantity_0"]').inputValue()).toBe('5');
    expect(await page.locator('input[name="unitPrice_0"]').inputValue()).toBe('100');
    expect(await page.locator('input[name="expectedDeliveryDate_0"]').inputValue()).toBe('2027-01-15');
    await page.locator('input[name="quantity_0"]').fill('8');
    await page.locator('input[name="unitPrice_0"]').fill('70'); // under the floor? the fresh product has none: only the price changes
    await page.locator('input[name="productCode_1"]').fill('P0003');
    await page.locator('input[name="quantity_1"]').fill('10');
    await shot(page, 'drafts-1-edit-form');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(new RegExp(`${orderPath}$`));
    expect(await status(page)).toBe('草稿已保存，订单现为未审核。');
    // 8 × 70 = 560.00; 10 m of cable at the VIP's 90% of 3.50 = 31.50 + 13% = 35.60 (4.095 → 4.10)
    expect(await page.locator('[data-total="gross"]').textContent()).toBe('595.60');
    await shot(page, 'drafts-2-edited');

    expect((await stack.request('POST', `/orders/${number}/reject`, { user: 'manager.wang', body: { reason: '单价太低' } })).status).toBe(200);
    await page.goto(`${web.base}${orderPath}`);
    expect(await page.locator('[data-rejection="1"] [data-reject-reason]').textContent()).toBe('单价太低');
    const revise = page.locator('a[data-link="draft"]');
    expect(await revise.textContent()).toContain('修改后重新提交');
    await shot(page, 'drafts-3-rejected');
    await revise.click();
    await page.waitForURL(/\/draft$/);
    await page.locator('input[name="unitPrice_0"]').fill('100');
    await page.getByRole('button', { name: '修改后重新提交' }).click();
    await page.waitForURL(new RegExp(`${orderPath}$`));
    expect(await status(page)).toBe('草稿已保存，订单现为未审核。');
    expect(await page.locator('main strong[data-status]').textContent()).toBe('未审核');
    expect(await page.locator('[data-rejection="1"] [data-reject-reason]').textContent()).toBe('单价太低');
    await shot(page, 'drafts-4-resubmitted');
  });
});
