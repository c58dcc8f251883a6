import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.js';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);
const yesterday = addDays(new Date().toISOString().slice(0, 10), -1);

describe('汇率 in the console', () => {
  it('finance enters a rate through the API, sees it listed, and a bad one refused with its field', async () => {
    const page = await web.browser.newPage();
    await signInAs(web, page, 'finance.chen', 'zh-CN');
    await page.getByRole('link', { name: '汇率' }).click();
    await expect.poll(() => page.locator('[data-base-currency]').textContent()).toBe('CNY');
    const form = page.locator('form[data-action="enter-rate"]');
    await form.locator('input[name="currency"]').fill('USD');
    await form.locator('input[name="date"]').fill(yesterday);
    await form.locator('input[name="rate"]').fill('7.2468');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('.flash').first().textContent()).toContain(`USD ${yesterday}`);
    await expect.poll(() => page.locator('table').textContent()).toContain('7.2468');
    const [row] = await stack.sql`SELECT rate::text, entered_by FROM exchange_rates WHERE currency = 'USD' AND rate_on = ${yesterday}`;
    expect(row).toEqual({ rate: '7.24680000', entered_by: 'finance.chen' });
    await shot(page, 'console-exchange-rates');

    await form.locator('input[name="currency"]').fill('USD');
    await form.locator('input[name="rate"]').fill('0');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('.flash.error').textContent()).toContain('VALIDATION_FAILED');
    await shot(page, 'console-exchange-rates-refused');

    // A clerk sees neither the page in the menu nor the form.
    const clerk = await web.browser.newPage();
    await signInAs(web, clerk, 'clerk.li', 'en');
    expect(await clerk.getByRole('link', { name: 'Exchange rates' }).count()).toBe(0);
    const res = await clerk.goto(`${web.base}/console/finance/exchange-rates`);
    expect(res?.status()).toBe(403);
  });

  it("a USD customer's statement shows each entry's USD amount beside its CNY figure and the exchange loss", async () => {
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C8001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '100' }] } });
    expect(created.status).toBe(201);
    const number = created.body.order.number as string;
    for (const [path, user] of [['approve', 'manager.wang'], ['deliver', 'warehouse.zhao'], ['invoice', 'finance.chen']] as const) {
      expect((await stack.request('POST', `/orders/${number}/${path}`, { user, body: {} })).status).toBe(200);
    }
    // Invoiced at yesterday's 7.2468 (the first test); paid at the demo's 7.1102 of 2026-11-02: a loss.
    const paid = await stack.request('POST', '/receipts', { user: 'finance.chen', body: { payerCode: 'C8001', amount: '1130.00', method: 'bank_transfer', receivedOn: '2026-11-02' } });
    // Each side rounded on its own: 1,130.00 × 7.1102 = 8,034.53 received, 1,130.00 × 7.2468 = 8,188.88 cleared.
    expect(paid.body.exchangeDifference).toBe('-154.35');
    const page = await web.browser.newPage();
    await signInAs(web, page, 'finance.chen', 'zh-CN');
    await page.goto(`${web.base}/console/finance/statement?customerCode=C8001&from=2026-11-01&to=${addDays(yesterday, 2)}`);
    const table = await page.locator('table').textContent();
    expect(table).toContain('汇兑损益');
    expect(table).toContain('-154.35');
    expect(await page.locator('[data-closing]').textContent()).toBe('0.00');
    await shot(page, 'console-statement-usd');
  });
});
