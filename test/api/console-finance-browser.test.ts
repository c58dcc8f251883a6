import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { RESULTS, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

/** Signs in through the Chinese login page (the console's default language). */
async function signIn(page: Page, user: string) {
  await page.goto(`${web.base}/console`);
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('API 令牌').fill(devToken(user));
  await page.getByRole('button', { name: '登录' }).click();
  await expect.poll(() => page.locator('header .who').textContent()).toContain(user);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await page.waitForURL(/\/console\/login$/);
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });

async function api(method: string, path: string, user: string, body: unknown = {}) {
  const res = await stack.request(method, path, { user, body });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

/** An order through the API up to its invoice, for finance to collect. */
async function invoicedOrder(customerCode: string, quantity: string) {
  const created = await api('POST', '/orders', 'clerk.li', { customerCode, lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity, unitPrice: '120.00' }] });
  const number = created.order.number as string;
  await api('POST', `/orders/${number}/approve`, 'manager.wang');
  await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao');
  await api('POST', `/orders/${number}/invoice`, 'finance.chen');
  return number;
}

describe('approvers, finance and quotations in headless Chromium (中文)', () => {
  it('two approvers clear a price-floor order from their inboxes; the order is approved', async () => {
    // 4 × 1,500 is under P0002's floor (2,000): the approver and the credit controller must both approve.
    const created = await api('POST', '/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '4', unitPrice: '1500.00' }] });
    const number = created.order.number as string;
    const page = await web.browser.newPage();
    const row = page.locator(`tr[data-order="${number}"]`);

    for (const approver of ['manager.wang', 'credit.sun']) {
      await signIn(page, approver);
      await page.getByRole('link', { name: '待我审批' }).click();
      await expect.poll(() => row.count()).toBe(1);
      const text = await row.innerText();
      expect(text).toContain('6,780.00 CNY');
      expect(text).toContain('上海华东贸易有限公司');
      expect(text).toContain('单价低于下限');
      if (approver === 'manager.wang') await shot(page, 'inbox-approver');
      await row.getByRole('button', { name: '核准' }).click();
      await page.waitForURL(new RegExp(`/console/orders/${number}$`));
      expect(await page.getByRole('status').textContent()).toMatch(/^(审核：完成|Approve: done)/);
      await page.getByRole('link', { name: '待我审批' }).click();
      expect(await row.count()).toBe(0);
      await signOut(page);
    }
    await signIn(page, 'clerk.li');
    await page.goto(`${web.base}/console/orders/${number}`);
    expect(await page.locator('main > p strong').first().textContent()).toMatch(/^(Approved|已审核)$/);
    await page.close();
  });

  it('finance invoices from the order page and records a payer receipt allocated to its invoice', async () => {
    const created = await api('POST', '/orders', 'clerk.li', { customerCode: 'C0002', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '50', unitPrice: '120.00' }] });
    const number = created.order.number as string;
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao');
    const page = await web.browser.newPage();
    await signIn(page, 'finance.chen');
    await page.goto(`${web.base}/console/orders/${number}`);
    await page.locator('form[data-action="invoice"] button').click();
    const invoiced = await page.getByRole('status').textContent();
    const invoice = /INV-\d{8}-\d{4}/.exec(invoiced ?? '')![0];

    await page.getByRole('link', { name: '财务', exact: true }).click();
    const stuck = page.locator('table').first();
    expect(await stuck.innerText()).toContain(number);
    expect(await stuck.innerText()).toContain('6,780.00');
    // Aging drills to the payer's statement, which shows the open invoice.
    await page.locator('a[href^="/console/finance/statement?customerCode=C0002"]').first().click();
    expect(await page.locator('h2').first().textContent()).toContain('北京北方电子');
    expect(await page.locator('main table').innerText()).toMatch(new RegExp(`发票\\s+${invoice}\\s+${number}\\s+CNY\\s+6,780.00\\s+\\S+\\s+6,780.00\\s+6,780.00`));
    await shot(page, 'finance-statement');
    await page.getByRole('link', { name: '财务', exact: true }).click();
    await page.getByRole('link', { name: '收款与退款' }).click();
    await page.locator('input[name="payerCode"]').fill('C0002');
    await page.getByRole('button', { name: '查询' }).click();
    const invoiceRow = page.locator(`tr[data-invoice="${invoice}"]`);
    expect(await invoiceRow.innerText()).toContain('6,780.00');
    // More than the invoice has open: refused with the API's code, nothing recorded.
    await invoiceRow.locator('input').fill('7000.00');
    await page.locator('form[data-action="receipt"] input[name="amount"]').fill('7000.00');
    await page.getByRole('button', { name: '登记收款' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/^OVER_PAYMENT: invoice .* \(field allocations\[0\]\.amount\)$/);

    await invoiceRow.locator('input').fill('6780.00');
    await page.locator('form[data-action="receipt"] input[name="amount"]').fill('7000.00');
    await page.getByRole('button', { name: '登记收款' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(new RegExp(`^收款单 \\S+ 已登记：7,000.00；核销 ${invoice} 6,780.00；预收 220.00$`));
    expect(await invoiceRow.count()).toBe(0);
    await shot(page, 'finance-receipt');

    await page.close();
  });

  it('finance.chen asks for a write-off, cannot decide it herself, and finance.zhou approves it', async () => {
    const number = await invoicedOrder('C0001', '20');
    const page = await web.browser.newPage();
    await signIn(page, 'finance.chen');
    await page.goto(`${web.base}/console/orders/${number}`);
    await page.locator('form[data-action="write-off"] input[name="reason"]').fill('客户破产清算');
    await page.locator('form[data-action="write-off"] button').click();
    await page.getByRole('link', { name: '坏账核销审批' }).click();
    const row = page.locator(`tr[data-write-off="${number}/1"]`);
    expect(await row.innerText()).toMatch(/2,712\.00 CNY[\s\S]*客户破产清算[\s\S]*finance\.chen[\s\S]*您的申请，等待他人审批/);
    expect(await row.locator('button').count()).toBe(0);
    // She sends the decision anyway (a hand-made form): the API refuses it and the page says why.
    await page.evaluate(({ number }) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = `/console/finance/write-offs/${number}/1/approve`;
      const csrf = document.querySelector<HTMLInputElement>('input[name="_csrf"]')!.cloneNode() as HTMLInputElement;
      f.append(csrf);
      document.body.append(f);
      f.submit();
    }, { number });
    await page.waitForLoadState('load');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^SELF_APPROVAL: finance\.chen asked for write-off 1 and cannot decide it/);
    expect(await row.innerText()).toContain('待审批');
    await shot(page, 'write-off-self-refused');
    await signOut(page);

    await signIn(page, 'finance.zhou');
    await page.getByRole('link', { name: '坏账核销审批' }).click();
    await row.getByRole('button', { name: '核准核销' }).click();
    expect(await page.getByRole('status').textContent()).toBe(`订单 ${number} 的核销申请 1：已核准（2,712.00）`);
    expect(await row.count()).toBe(0);
    await shot(page, 'write-off-approved');
    await page.close();
  });

  it('a clerk creates a quotation, revises it, the customer accepts it and it becomes an order', async () => {
    const page = await web.browser.newPage();
    await signIn(page, 'clerk.li');
    await page.getByRole('link', { name: '报价单' }).click();
    await page.locator('input[name="customerCode"][list]').fill('C0001');
    await page.getByLabel('产品 1').fill('P0001');
    await page.locator('select[name="warehouseCode_0"]').selectOption('WH-SH');
    await page.getByLabel('数量 1').fill('100');
    await page.getByLabel('单价 1').fill('110.00');
    await page.getByRole('button', { name: '建立报价单' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(/^报价单 QT-\d{8}-\d{4} 已建立（版本 1）$/);
    expect(await page.locator('section[data-version="1"] .totals').innerText()).toContain('12,430.00');

    await page.getByLabel('数量 1').fill('200');
    await page.getByRole('button', { name: '保存新版本' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已保存版本 2');
    expect(await page.locator('section[data-version="2"] .totals').innerText()).toContain('24,860.00');
    expect(await page.locator('section[data-version="1"] h3').innerText()).toContain('已被取代');

    await page.getByRole('button', { name: '客户确认版本 2' }).click();
    expect(await page.getByRole('status').textContent()).toBe('客户已确认版本 2');
    expect(await page.locator('main > p strong').first().textContent()).toBe('客户已确认');
    await shot(page, 'quotation-accepted');
    await page.getByRole('button', { name: '转为销售订单' }).click();
    await page.waitForURL(/\/console\/orders\/SO[A-Z]+-\d{8}-\d{4}$/);
    expect(await page.getByRole('status').textContent()).toMatch(/^已转为销售订单 SO[A-Z]+-\d{8}-\d{4}$/);
    await page.close();
  });
});
