import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

/** The first row offered for a new route, held by its index (once a role is chosen it is no longer blank). */
async function blankRoute(page: import('playwright-core').Page) {
  const index = await page.locator('tr[data-route]').filter({ has: page.locator('option[value=""]:checked') }).first().getAttribute('data-route');
  return page.locator(`tr[data-route="${index}"]`);
}

const routing = async () => (await stack.request('GET', '/notification-routing', { user: 'admin.root' })).body;

describe('the notification routing page (通知设置) in headless Chromium', () => {
  it('an admin routes approvers to a DingTalk group, names the escalation user and contact roles, and sets a mail address; a refusal names the field', async () => {
    const page = await web.browser.newPage();
    await signInAs(web, page, 'admin.root', 'zh-CN');
    await page.getByRole('link', { name: '通知设置' }).click();

    const added = await blankRoute(page);
    await added.getByLabel('角色').selectOption('approver');
    await added.getByLabel('渠道').selectOption('dingtalk');
    await added.getByLabel('群机器人地址').fill('https://oapi.dingtalk.com/robot/send?access_token=abc');
    await page.locator('select[name="escalationUser"]').selectOption('gm.huang');
    await page.locator('input[name="dunningRoles"]').fill('财务，finance');
    await page.getByRole('button', { name: '保存通知设置' }).click();
    expect(await page.getByRole('status').textContent()).toContain('通知设置已保存');
    await shot(page, 'console-notifications-zh');

    const saved = await routing();
    expect(saved.routes).toContainEqual({ role: 'approver', channel: 'dingtalk', webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' });
    expect(saved.escalationUser).toBe('gm.huang');
    expect(saved.contactRoles.dunning).toEqual(['财务', 'finance']);

    // A chat route without its group's address: refused naming the field, and the saved routing is unchanged.
    const blank = await blankRoute(page);
    await blank.getByLabel('角色').selectOption('finance');
    await blank.getByLabel('渠道').selectOption('feishu');
    await page.getByRole('button', { name: '保存通知设置' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('webhookUrl');
    expect((await routing()).routes).toEqual(saved.routes);

    // Removing a route.
    const dingtalk = page.locator('tr[data-route]').filter({ has: page.locator('option[value="dingtalk"]:checked') });
    await dingtalk.getByRole('checkbox').check();
    await page.getByRole('button', { name: '保存通知设置' }).click();
    expect((await routing()).routes).not.toContainEqual(expect.objectContaining({ channel: 'dingtalk' }));

    await page.goto(`${web.base}/console/lang/en?next=%2Fconsole%2Fnotification-routing`);
    const wang = page.locator('tr[data-user="manager.wang"]');
    await wang.getByLabel('Email').fill('wang@corp.example');
    await wang.getByLabel('Message language').selectOption('en');
    await wang.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('status').textContent()).toContain('manager.wang');
    await shot(page, 'console-notifications-en');
    expect((await routing()).users.find((u: { name: string }) => u.name === 'manager.wang')).toMatchObject({ email: 'wang@corp.example', language: 'en' });
    const audit = await stack.sql`SELECT channel, outcome FROM audit_entries WHERE path = '/notification-routing/users/manager.wang'`;
    expect(audit).toEqual([{ channel: 'console', outcome: 'ok' }]);
    await page.close();
  });

  it('is not offered to a clerk, and refused when he goes there', async () => {
    const page = await web.browser.newPage();
    await signInAs(web, page, 'clerk.li', 'zh-CN');
    expect(await page.getByRole('link', { name: '通知设置' }).count()).toBe(0);
    await page.goto(`${web.base}/console/notification-routing`);
    expect(await page.getByRole('alert').textContent()).toContain('FORBIDDEN');
    await page.close();
  });
});
