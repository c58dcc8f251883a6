import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays, businessDate } from '../../domain/calendar.js';
import { RESULTS, shot, signInAs, useBrowser } from '../support/browser.js';
import { freshProduct } from '../support/fixtures.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);
const TODAY = businessDate(new Date(), 'Asia/Shanghai');
const EARLY = addDays(TODAY, 20);
const LATE = addDays(TODAY, 300);

const post = (path: string, body: unknown, user: string) => stack.request('POST', path, { user, body });
const balanceOf = async (product: string, batchNo: string) =>
  (await stack.sql`SELECT b.on_hand::text FROM stock_batches b JOIN products p ON p.id = b.product_id WHERE p.code = ${product} AND b.batch_no = ${batchNo}`)[0]!.on_hand;

describe('delivery by batch in headless Chromium', () => {
  it('the delivery form shows the FEFO suggestion, the warehouse takes another batch, the note prints batch and expiry', async () => {
    const product = await freshProduct(stack.sql);
    await stack.sql`UPDATE products SET batch_managed = true, shelf_life_days = 365 WHERE code = ${product}`;
    const receipt = await post('/stock/receipts', {
      warehouseCode: 'WH-SH',
      lines: [
        { productCode: product, quantity: '5', batchNo: 'LOT-EARLY', expiryDate: EARLY },
        { productCode: product, quantity: '8', batchNo: 'LOT-LATE', expiryDate: LATE },
      ],
    }, 'warehouse.zhao');
    expect(receipt.status).toBe(201);
    const order = await post('/orders', { customerCode: 'C0001', lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity: '6' }] }, 'clerk.li');
    const number = order.body.order.number as string;
    expect((await post(`/orders/${number}/approve`, {}, 'manager.wang')).status).toBe(200);

    const page = await web.browser.newPage();
    await signInAs(web, page, 'warehouse.zhao', 'zh-CN');
    await page.goto(`${web.base}/console/orders/${number}`);
    const form = page.locator('form[data-action="deliver"]').last();
    const batches = form.locator('fieldset[data-batches-for="1"]');
    // FEFO: all of the earlier lot, the rest from the later one.
    expect(await batches.locator('legend').textContent()).toContain('LOT-EARLY × 5, LOT-LATE × 1');
    expect(await batches.locator('input[name="take_1_0"]').inputValue()).toBe('5');
    expect(await batches.locator('input[name="take_1_1"]').inputValue()).toBe('1');
    await shot(page, 'console-batches-delivery-form-zh');

    // The warehouse takes everything from the later lot instead.
    await batches.locator('input[name="take_1_0"]').fill('');
    await batches.locator('input[name="take_1_1"]').fill('6');
    await form.getByRole('button').click();
    await page.waitForURL(new RegExp(`/console/orders/${number}$`));
    expect(await page.getByRole('status').textContent()).toMatch(/DN-/);
    expect([await balanceOf(product, 'LOT-EARLY'), await balanceOf(product, 'LOT-LATE')]).toEqual(['5.0000', '2.0000']);

    const [note] = await stack.sql`SELECT d.number FROM delivery_notes d JOIN sales_orders o ON o.id = d.order_id WHERE o.number = ${number}`;
    await page.goto(`${web.base}/console/documents/delivery-note/${note!.number}`);
    const body = await page.locator('table').first().textContent();
    expect(body).toContain('批号');
    expect(body).toContain('LOT-LATE');
    expect(body).toContain(LATE);
    await shot(page, 'console-batches-delivery-note-zh');
    // The PDF renders the same sheet: kept beside the screenshots to look at.
    const pdf = await page.request.get(`${web.base}/console/documents/delivery-note/${note!.number}/pdf`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    writeFileSync(`${RESULTS}console-batches-delivery-note.pdf`, await pdf.body());

    await signInAs(web, page, 'warehouse.zhao', 'en');
    await page.goto(`${web.base}/console/stock/moves?productCode=${product}`);
    expect(await page.locator('table').last().textContent()).toContain('Receipt');
    await shot(page, 'console-batches-ledger-en');
    await page.goto(`${web.base}/console/stock/expiry-warnings?productCode=${product}`);
    expect(await page.locator('table').last().textContent()).toContain('LOT-EARLY');
    await shot(page, 'console-batches-expiry-en');
  });
});
