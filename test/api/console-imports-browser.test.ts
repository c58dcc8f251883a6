import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);
const sheets = async () => Number((await stack.sql`SELECT count(*)::int AS n FROM stock_counts`)[0]!.n);

describe('the import page in headless Chromium', () => {
  it('offers every import with both templates; the warehouse imports a GB18030 count, a bad file lists its rows', async () => {
    const page = await web.browser.newPage();
    await signInAs(web, page, 'warehouse.zhao', 'zh-CN');
    await page.getByRole('link', { name: '批量导入' }).click();
    await page.waitForURL(/\/console\/imports$/);
    for (const kind of ['customers', 'products', 'opening_stock', 'customer_prices', 'opening_orders', 'stock_counts']) {
      const links = page.locator(`section[data-import="${kind}"] a[download]`);
      expect(await links.count(), kind).toBe(2);
    }
    // The warehouse may count stock, not load opening orders: only the count offers an upload.
    expect(await page.locator('section[data-import="stock_counts"] input[type="file"]').count()).toBe(1);
    expect(await page.locator('section[data-import="opening_orders"] input[type="file"]').count()).toBe(0);
    const download = page.waitForEvent('download');
    await page.locator('section[data-import="stock_counts"] a[href$="format=xlsx"]').click();
    expect((await download).suggestedFilename()).toBe('stock_counts-template.xlsx');

    const before = await sheets();
    const count = page.locator('section[data-import="stock_counts"] form');
    await count.locator('input[type="file"]').setInputFiles({ name: '盘点.csv', mimeType: 'text/csv', buffer: iconv.encode('warehouseCode,productCode,countedQuantity\r\nWH-BJ,P0003,2499\r\n', 'gb18030') });
    await count.locator('button[type="submit"]').click();
    await page.waitForURL(/\/console\/imports$/);
    expect(await page.getByRole('status').textContent()).toMatch(/盘点单 SC-\S+ 已登记，待他人审核/);
    expect(await sheets()).toBe(before + 1);

    const bad = Buffer.from('warehouseCode,productCode,countedQuantity\nWH-BJ,P0003,1\nWH-BJ,P9999,1\n无此仓,P0001,x\n');
    await page.locator('section[data-import="stock_counts"] input[type="file"]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: bad });
    await page.locator('section[data-import="stock_counts"] form').locator('button[type="submit"]').click();
    expect(await page.getByRole('alert').textContent()).toContain('IMPORT_REJECTED');
    const rows = await page.locator('table[data-import-errors="stock_counts"] tbody tr').allTextContents();
    expect(rows.map((r) => r.slice(0, 1))).toEqual(['3', '4']);
    expect(rows[0]).toContain('P9999');
    expect(await sheets()).toBe(before + 1);
    await shot(page, 'console-imports-refused-zh');

    await signInAs(web, page, 'admin.root', 'en');
    await page.goto(`${web.base}/console/imports`);
    expect(await page.locator('section[data-import="opening_orders"] input[type="file"]').count()).toBe(1);
    await shot(page, 'console-imports-en');
  });
});
