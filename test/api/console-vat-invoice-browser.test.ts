import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

async function api(method: string, path: string, user: string, body?: unknown) {
  const res = await stack.request(method, path, { user, body: method === 'GET' ? undefined : (body ?? {}) });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

describe('partial invoicing and VAT data in the browser', () => {
  it('finance invoices part of a line from the order page, then records the VAT data on the invoice page', async () => {
    await stack.sql`INSERT INTO customers (code, name, settlement_days, tax_id) VALUES ('C0811', '厦门鹭岛贸易有限公司', 30, '91350100M000100Y43')`;
    const created = await api('POST', '/orders', 'clerk.li', {
      customerCode: 'C0811',
      lines: [
        { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '5', unitPrice: '120.00' },
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' },
      ],
    });
    const number = created.order.number as string;
    await api('POST', `/orders/${number}/approve`, 'manager.wang');
    await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao');

    const page = await web.browser.newPage();
    await signInAs(web, page, 'finance.chen', 'zh-CN');
    await page.goto(`${web.base}/console/orders/${number}`);
    const form = page.locator('form[data-action="invoice"]');
    await expect.poll(() => form.locator('input[name="inv_1"]').inputValue()).toBe('5');
    await form.locator('input[name="inv_1"]').fill('2');
    await form.locator('input[name="inv_2"]').fill('');
    await shot(page, 'vat-partial-invoice-form');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('发票');
    const invoice = (await api('GET', `/orders/${number}`, 'finance.chen')).order.invoices[0];
    expect(invoice.gross).toBe('271.20');

    await page.goto(`${web.base}/console/documents/invoice/${invoice.number}`);
    const tax = page.locator('form[data-action="taxData"]');
    await tax.locator('select[name="vatType"]').selectOption('special');
    await tax.locator('input[name="taxNumber"]').fill('26352000000099990001');
    await tax.locator('input[name="taxDate"]').fill(invoice.issuedOn);
    await tax.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('税务信息已保存');
    const sheet = await page.locator('article.doc').textContent();
    expect(sheet).toContain('增值税专用发票');
    expect(sheet).toContain('26352000000099990001');
    expect(sheet).toContain('91350100M000100Y43');
    await shot(page, 'vat-invoice-document');
    await page.close();
  });
});
