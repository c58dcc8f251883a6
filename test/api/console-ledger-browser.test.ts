import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

/** 总账 in the console: the month's trial balance and journal, and finance changing the account mapping. */
const stack = useStack();
const web = useBrowser(stack);

async function api(method: string, path: string, user: string, body: unknown = {}) {
  const res = await stack.request(method, path, { user, body });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

describe('the books in headless Chromium', () => {
  it('finance reads the trial balance and journal of the month and maps an account; a clerk has no books', async () => {
    // 3 × 120.00 + 13% = 406.80 invoiced; cost 3 × 80.00 = 240.00.
    const created = await api('POST', '/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '120.00' }] });
    const number = created.order.number as string;
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao');
    await api('POST', `/orders/${number}/invoice`, 'finance.chen');

    const page = await web.browser.newPage();
    await signInAs(web, page, 'finance.chen', 'zh-CN');
    await page.getByRole('link', { name: '总账' }).click();
    await page.waitForURL(/\/console\/finance\/books$/);
    const total = page.locator('table').first().locator('tr').last();
    await expect.poll(() => total.textContent()).toContain('合计');
    expect(await total.textContent()).toContain('646.80'); // 406.80 + 240.00 on each side
    const journal = page.locator('table').nth(1);
    expect(await journal.locator('tbody tr').count()).toBe(5);
    expect(await journal.textContent()).toContain('应收账款');
    expect(await page.locator('[data-export="csv"]').count()).toBe(2);
    await shot(page, 'ledger-books-zh');

    await page.getByRole('link', { name: '科目与科目对照' }).click();
    await page.locator('form[data-action="account-mapping"] select[name="purpose"]').selectOption('bank');
    await page.locator('form[data-action="account-mapping"] select[name="accountCode"]').selectOption('1001');
    await page.locator('form[data-action="account-mapping"] button[type="submit"]').click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('1001');
    const [row] = await stack.sql`SELECT account_code, updated_by FROM ledger_account_mapping WHERE purpose = 'bank' AND tax_rate IS NULL AND customer_group IS NULL AND product_category IS NULL`;
    expect(row).toMatchObject({ account_code: '1001', updated_by: 'finance.chen' });
    await page.locator('form[data-action="account-mapping"] input[name="taxRate"]').fill('abc');
    await page.locator('form[data-action="account-mapping"] button[type="submit"]').click();
    await expect.poll(() => page.locator('.flash.error').textContent()).toContain('VALIDATION_FAILED');
    await shot(page, 'ledger-mapping-zh');

    await page.goto(`${web.base}/console/lang/en?next=%2Fconsole%2Ffinance%2Fbooks`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Books');
    await shot(page, 'ledger-books-en');
    await page.close();

    const clerk = await web.browser.newPage();
    await signInAs(web, clerk, 'clerk.li', 'zh-CN');
    expect(await clerk.getByRole('link', { name: '总账' }).count()).toBe(0);
    const refused = await clerk.goto(`${web.base}/console/finance/books`);
    expect(refused?.status()).toBe(403);
    await clerk.close();
  });
});
