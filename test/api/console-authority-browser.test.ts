import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

const signIn = (page: Page, user: string, lang: 'en' | 'zh-CN') => signInAs(web, page, user, lang);


describe('the authority page in headless Chromium', () => {
  it("an admin lowers an approver's limit and grants a write-off authority; a refusal names the field", async () => {
    const page = await web.browser.newPage();
    await signIn(page, 'admin.root', 'zh-CN');
    await page.getByRole('link', { name: '权限管理' }).click();
    await shot(page, 'console-authority-zh');
    const wang = page.locator('tr[data-user="manager.wang"]');
    await wang.getByLabel('审核金额上限').fill('500000');
    await wang.locator('form[action$="/approver"] button').click();
    expect(await page.getByRole('status').textContent()).toContain('manager.wang');
    expect(await page.locator('tr[data-user="manager.wang"]').getByLabel('审核金额上限').inputValue()).toBe('500000.00');

    const clerk = page.locator('tr[data-user="clerk.li"]');
    await clerk.locator('form[action$="/approver"] button').click();
    expect(await page.getByRole('alert').textContent()).toContain('role');
    await shot(page, 'console-authority-refused');

    await page.goto(`${web.base}/console/lang/en?next=%2Fconsole%2Fauthority`);
    const zhou = page.locator('tr[data-user="finance.zhou"]');
    await zhou.getByLabel('Writes off up to').fill('80000');
    await zhou.locator('form[action$="/finance-approver"] button').click();
    expect(await page.locator('tr[data-user="finance.zhou"]').getByLabel('Writes off up to').inputValue()).toBe('80000.00');
    await shot(page, 'console-authority-en');
    const [row] = await stack.sql`SELECT max_amount::text FROM approvers WHERE user_name = 'manager.wang'`;
    expect(row!.max_amount).toBe('500000.00');
    await page.close();
  });
});
