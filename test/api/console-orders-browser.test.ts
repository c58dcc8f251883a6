import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { RESULTS, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

/** Signs in on the Chinese login page (the default language) and lands on the order page. */
async function signInTo(page: Page, user: string, path: string) {
  await page.goto(`${web.base}${path}`);
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('API 令牌').fill(devToken(user));
  await page.getByRole('button', { name: '登录' }).click();
  await expect.poll(() => page.locator('header .who').textContent()).toContain(user);
  if (!page.url().endsWith(path)) await page.goto(`${web.base}${path}`);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await page.waitForURL(/\/console\/login/);
}

const status = (page: Page) => page.getByRole('status').textContent();
/** The whole page, and its first screen on its own (the timeline below makes the whole page long). */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
  await page.screenshot({ path: `${RESULTS}${name}-top.png`, fullPage: true, clip: { x: 0, y: 0, width: 1400, height: 1500 } });
}

/** The cell of a column (by its data-key) in the row whose first cell is `first`, in the table under the heading that starts with `heading`. */
const cell = (page: Page, heading: string, first: string, key: string) =>
  page.evaluate(
    ([h, f, k]) => {
      const title = [...document.querySelectorAll('h2, h3')].find((e) => e.textContent!.startsWith(h!))!;
      let table = title.nextElementSibling;
      while (table && table.tagName !== 'TABLE') table = table.nextElementSibling;
      const index = [...table!.querySelectorAll('thead th')].findIndex((th) => (th as HTMLElement).dataset.key === k);
      const row = [...table!.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('td')!.textContent!.trim() === f)!;
      return row.querySelectorAll('td')[index]!.textContent!.trim();
    },
    [heading, first, key],
  );

describe('an order through every role, in Chinese, in headless Chromium', () => {
  it('the clerk creates and changes it, the approver approves both, the warehouse ships from a re-checked notice, finance invoices, a return brings a credit note', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });

    // 业务员: a new order, names beside codes in the pickers.
    await signInTo(page, 'clerk.li', '/console/orders/new');
    expect(await page.locator('datalist#products option[value="P0001"]').textContent()).toBe('P0001 工业传感器 Industrial sensor');
    await page.locator('input[name="customerCode"]').fill('C0001');
    for (const [i, product, quantity, price] of [[0, 'P0001', '10', '1200'], [1, 'P0003', '5', '20']] as const) {
      await page.locator(`input[name="productCode_${i}"]`).fill(product);
      await page.locator(`select[name="warehouseCode_${i}"]`).selectOption('WH-SH');
      await page.locator(`input[name="quantity_${i}"]`).fill(quantity);
      await page.locator(`input[name="unitPrice_${i}"]`).fill(price);
    }
    await page.getByRole('button', { name: '创建订单' }).click();
    await page.waitForURL(/\/console\/orders\/SO[A-Z]+-\d{8}-\d{4}$/);
    const number = page.url().split('/').pop()!;
    const orderPath = `/console/orders/${number}`;
    expect(await status(page)).toBe(`订单 ${number} 已创建（未审核，含税金额 13,673.00）。`);
    expect(await page.locator('main strong[data-status]').textContent()).toBe('未审核');
    // Not approved yet: no change (an unapproved order is edited as a draft instead), only cancelling.
    expect(await page.locator('a[data-link="change"]').count()).toBe(0);
    await shot(page, 'orders-1-created');
    await signOut(page);

    // 审核人: approves the order.
    await signInTo(page, 'manager.wang', orderPath);
    await page.getByRole('button', { name: '审核', exact: true }).click();
    expect(await status(page)).toBe('审核：完成；订单现为已审核。');
    await signOut(page);

    // 业务员: the order change (订单变更单) — line 1 from 10 to 12, a new line; the change's page shows before and after.
    await signInTo(page, 'clerk.li', orderPath);
    await page.getByRole('link', { name: '变更订单（订单变更单）' }).click();
    expect(await page.locator('tr[data-line="1"] [data-current="quantity"]').textContent()).toBe('10');
    expect(await page.locator('tr[data-line="1"] [data-current="unitPrice"]').textContent()).toBe('1,200.00');
    await page.locator('input[name="quantity_1"]').fill('12');
    await page.locator('input[name="new_productCode_0"]').fill('P0003');
    await page.locator('select[name="new_warehouseCode_0"]').selectOption('WH-SH');
    await page.locator('input[name="new_quantity_0"]').fill('3');
    await page.locator('input[name="new_unitPrice_0"]').fill('20');
    await page.locator('input[name="reason"]').fill('客户追加订货');
    await shot(page, 'orders-2-change-form');
    await page.getByRole('button', { name: '提交变更' }).click();
    await page.waitForURL(new RegExp(`${orderPath}/changes/0001$`));
    expect(await status(page)).toBe('订单变更单 0001：待审核。');
    const side = (line: number, s: string, field: string) => page.locator(`tr[data-line="${line}"] [data-side="${s}"][data-field="${field}"]`).textContent();
    expect([await side(1, 'before', 'quantity'), await side(1, 'after', 'quantity')]).toEqual(['10', '12']);
    expect(await page.locator('tr[data-line="3"] [data-side="before"]').textContent()).toBe('—');
    expect([await side(3, 'after', 'quantity'), await side(3, 'after', 'unitPrice')]).toEqual(['3', '20.00']);
    expect([await page.locator('[data-total="before"]').textContent(), await page.locator('[data-total="after"]').textContent()]).toEqual(['13,673.00', '16,452.80']);
    await shot(page, 'orders-2-change');
    await signOut(page);

    // 审核人: the order page says a change waits and why; its page has the buttons.
    await signInTo(page, 'manager.wang', orderPath);
    expect(await page.locator('[data-pending-change="0001"]').textContent()).toBe('订单变更单 0001 待审核: the amount rises from 13673.00 to 16452.80');
    await page.getByRole('link', { name: '订单变更单 0001 待审核' }).click();
    expect(await page.locator('ul.checks li.failed').allTextContents()).toEqual(['the amount rises from 13673.00 to 16452.80']);
    expect(await page.locator('tr[data-line="1"] [data-side="after"][data-field="quantity"]').getAttribute('style')).toContain('background');
    expect(await page.locator('tr[data-line="1"] [data-side="after"][data-field="unitPrice"]').getAttribute('style')).toBeNull();
    await page.getByRole('button', { name: '审核变更 0001' }).click();
    expect(await status(page)).toBe('审核变更：完成；订单现为已审核。');
    expect(await cell(page, '明细', '1', 'quantity')).toBe('12');
    expect(await page.locator('[data-total="gross"]').textContent()).toBe('16,452.80');
    await signOut(page);

    // 仓库: a shipping notice that needs a re-check, the re-check, then the delivery from the notice with carrier and tracking.
    await signInTo(page, 'warehouse.zhao', orderPath);
    const noticeForm = page.locator('form[data-action="shippingNotice"]');
    expect(await noticeForm.locator('input[name="plan_1"]').inputValue()).toBe('12');
    await noticeForm.locator('input[name="requiresQualityCheck"]').check();
    await noticeForm.getByRole('button', { name: '开出货通知单' }).click();
    const notice = /出货通知单 (SN-\d{8}-\d{4})/.exec((await status(page))!)![1]!;
    expect(await cell(page, '出货通知单', notice, 'qualityState')).toBe('待复核');
    expect(await cell(page, '出货通知单', notice, 'noteLines')).toBe('1 × 12, 2 × 5, 3 × 3');
    expect(await page.getByRole('button', { name: `按通知单 ${notice} 出货` }).count()).toBe(0);
    await page.getByRole('button', { name: `出货复核 ${notice}` }).click();
    expect(await status(page)).toBe('出货复核：完成；订单现为已审核。');
    await shot(page, 'orders-3-notice-checked');
    const fromNotice = page.locator('form[data-action="deliver"]').filter({ has: page.locator(`input[name="noticeNumber"][value="${notice}"]`) });
    expect(await fromNotice.locator('input[name="qty_1"]').inputValue()).toBe('12');
    await fromNotice.getByLabel('承运商').fill('顺丰速运');
    await fromNotice.getByLabel('运单号').fill('SF1234567890');
    await fromNotice.getByRole('button', { name: `按通知单 ${notice} 出货` }).click();
    const note = /销货单 (DN-\d{8}-\d{4})/.exec((await status(page))!)![1]!;
    expect(await status(page)).toBe(`出货：完成（销货单 ${note}）；订单现为已出货。`);
    expect(await page.locator('main strong[data-status]').textContent()).toBe('已出货');
    expect([await cell(page, '销货单', note, 'carrier'), await cell(page, '销货单', note, 'trackingNumber')]).toEqual(['顺丰速运', 'SF1234567890']);
    expect(await page.locator(`a[href="/console/documents/delivery-note/${note}"]`).count()).toBe(1);
    await shot(page, 'orders-4-delivered');
    // The delivery note printed: its page, then the PDF the warehouse hands the carrier, read back as text.
    await page.locator(`a[href="/console/documents/delivery-note/${note}"]`).click();
    await page.waitForURL(new RegExp(`/console/documents/delivery-note/${note}$`));
    await shot(page, 'orders-4-delivery-note');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF 下载' }).click()]);
    const pdfPath = `${RESULTS}orders-delivery-note.pdf`;
    await download.saveAs(pdfPath);
    const printed = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(printed).toContain(note);
    expect(printed).toContain('上海华东贸易有限公司');
    expect(printed).toContain('顺丰速运');
    expect(printed).toContain('SF1234567890');
    expect(printed).toMatch(/P0001[\s\S]*12/);
    await page.goto(`${web.base}${orderPath}`);
    await signOut(page);

    // 财务: invoices what was delivered.
    await signInTo(page, 'finance.chen', orderPath);
    await page.getByRole('button', { name: '开发票' }).click();
    const invoice = /发票 (INV-\d{8}-\d{4})/.exec((await status(page))!)![1]!;
    expect(await cell(page, '发票', invoice, 'gross')).toBe('16,452.80');
    await signOut(page);

    // 业务员: one sensor comes back damaged; its invoiced part becomes a credit note listed on the order.
    await signInTo(page, 'clerk.li', orderPath);
    const returnForm = page.locator('form[data-action="return"]');
    await returnForm.locator('input[name="return_1"]').fill('1');
    await returnForm.locator('select[name="disposition"]').selectOption('cancel_remainder');
    await returnForm.getByLabel('原因').fill('包装破损');
    await returnForm.getByRole('button', { name: '登记销退' }).click();
    expect(await status(page)).toMatch(/^登记销退：完成（销退单 \S+，折让单\/红字发票 CN-\d{8}-\d{4}，1,356\.00）；订单现为已出货。$/);
    const credit = /(CN-\d{8}-\d{4})/.exec((await status(page))!)![1]!;
    expect([await cell(page, '红字发票', credit, 'invoice'), await cell(page, '红字发票', credit, 'gross')]).toEqual([invoice, '1,356.00']);
    expect(await page.locator(`a[href="/console/documents/credit-note/${credit}"]`).count()).toBe(1);
    expect(await cell(page, '明细', '1', 'deliveredQty')).toBe('11');
    expect(await page.locator(`a[href="/console/documents/order/${number}"]`).textContent()).toBe('订单确认书（打印）');
    await shot(page, 'orders-5-returned');
    await page.close();
  });
});
