import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../domain/calendar.js';
import { money } from '../../console/format.js';
import { shot, signInAs, useBrowser } from '../support/browser.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const web = useBrowser(stack);

async function api(method: string, path: string, user: string, body: unknown = {}) {
  const res = await stack.request(method, path, { user, body: method === 'GET' ? undefined : body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

/** An order through approval and delivery; the note delivered. */
async function deliveredOrder(customerCode: string, productCode: string, quantity: string, unitPrice: string) {
  const created = await api('POST', '/orders', 'clerk.li', { customerCode, lines: [{ productCode, warehouseCode: 'WH-SH', quantity, unitPrice }] });
  const number = created.order.number as string;
  await api('POST', `/orders/${number}/approve`, 'manager.wang');
  const delivered = await api('POST', `/orders/${number}/deliver`, 'warehouse.zhao');
  return { number, note: delivered.deliveryNote as string };
}

const today = businessDate(new Date(), 'Asia/Shanghai');
const monthStart = `${today.slice(0, 8)}01`;

/**
 * Today: C0001 takes 10 sensors and sends 3 back after the invoice (a credit note), C0002 takes 100 m of cable;
 * a third order waits for approval. An order of 40 days ago (its delivery moved back) gives the trend a past day
 * and, invoiced then and unpaid, an overdue receivable.
 */
beforeAll(async () => {
  const a = await deliveredOrder('C0001', 'P0001', '10', '120.00');
  await api('POST', `/orders/${a.number}/invoice`, 'finance.chen');
  await api('POST', `/orders/${a.number}/returns`, 'warehouse.zhao', { deliveryNote: a.note, disposition: 'cancel_remainder', reason: 'damaged', lines: [{ lineNo: 1, quantity: '3' }] });
  await deliveredOrder('C0002', 'P0003', '100', '3.50');
  await api('POST', '/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '800.00' }] });
  const past = await deliveredOrder('C0002', 'P0002', '1', '2500.00');
  await api('POST', `/orders/${past.number}/invoice`, 'finance.chen');
  await stack.sql`UPDATE delivery_notes SET created_at = created_at - interval '40 days' WHERE number = ${past.note}`;
  await stack.sql`UPDATE sales_orders SET created_at = created_at - interval '40 days' WHERE number = ${past.number}`;
  await stack.sql`UPDATE invoices SET due_on = ${today}::date - 120 WHERE order_id = (SELECT id FROM sales_orders WHERE number = ${past.number})`;
});

const query = (q: Record<string, string>) => new URLSearchParams(q).toString();

describe('GET /reports/dashboard', () => {
  it("equals the reports, stuck payments, aging and order list for the same period, after deliveries and a return", async () => {
    const d = await api('GET', '/reports/dashboard', 'admin.root');
    expect(d.asOf).toBe(today);
    const report = (name: string, q: Record<string, string>) => api('GET', `/reports/${name}?${query({ ...q, limit: '10' })}`, 'admin.root');
    const day = await report('sales-ranking', { from: today, to: today });
    const month = await report('sales-ranking', { from: monthStart, to: today });
    const margin = await report('gross-margin', { from: monthStart, to: today });
    expect(d.today).toEqual({ from: today, to: today, orders: 3, net: day.totals.net, margin: day.totals.margin });
    expect(d.month).toMatchObject({ from: monthStart, to: today, net: month.totals.net, margin: margin.totals.margin });
    expect(Number(d.today.net)).toBeGreaterThan(350);
    const pick = (r: Record<string, unknown>) => ({ rank: r.rank, code: r.code, name: r.name, ...(r.quantity ? { quantity: r.quantity } : {}), net: r.net });
    expect(d.topProducts).toEqual(month.items.map(pick));
    expect(d.topCustomers).toEqual((await report('sales-ranking', { by: 'customer', from: monthStart, to: today })).items.map(pick));

    // The trend: each day and month as the report counts it; the past order's month has its sale and its order.
    expect(d.trend.daily).toHaveLength(30);
    expect(d.trend.daily.at(-1)).toEqual(d.today);
    expect(d.trend.monthly).toHaveLength(12);
    expect(d.trend.monthly.at(-1)).toEqual(d.month);
    for (const p of [...d.trend.daily, ...d.trend.monthly] as { from: string; to: string; net: string }[]) {
      expect(p.net, `${p.from}..${p.to}`).toBe((await report('sales-ranking', { from: p.from, to: p.to })).totals.net);
    }
    // Each period starts the day after the one before it ends: no day counted twice or left out.
    for (const points of [d.trend.daily, d.trend.monthly] as { from: string; to: string }[][]) {
      points.slice(1).forEach((p, i) => expect(p.from).toBe(new Date(Date.parse(`${points[i]!.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)));
    }
    const daysBack = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const pastMonth = d.trend.monthly.find((p: { from: string; to: string }) => p.from <= daysBack(40) && p.to >= daysBack(40));
    const pastReport = await report('sales-ranking', { from: pastMonth.from, to: pastMonth.to });
    expect(pastMonth).toMatchObject({ net: pastReport.totals.net });
    expect(Number(pastMonth.net)).toBeGreaterThanOrEqual(2500);
    expect(pastMonth.orders).toBeGreaterThanOrEqual(1);

    // The order counts are the order list's for the same days (GET /orders?from&to, by the day each was taken).
    expect((await api('GET', `/orders?${query({ from: today, to: today, limit: '1' })}`, 'admin.root')).total).toBe(d.today.orders);
    expect((await api('GET', `/orders?${query({ from: monthStart, to: today, limit: '1' })}`, 'admin.root')).total).toBe(d.month.orders);
    const unapproved = await api('GET', '/orders?status=Unapproved&limit=1', 'admin.root');
    expect(d.approvals.unapproved).toBe(unapproved.total);
    expect(d.approvals.waitingForMe).toBe((await api('GET', '/approvals/inbox?limit=1', 'admin.root')).total);
    for (const s of d.stuckPayments) {
      const list = await api('GET', `/finance/stuck-payments?${query({ step: s.step, asOf: today, limit: '1' })}`, 'admin.root');
      expect(s, s.step).toEqual({ step: s.step, orders: list.total, amountDue: list.totals.amountDue });
    }
    expect(d.stuckPayments.find((s: { step: string }) => s.step === 'overdue').orders).toBeGreaterThanOrEqual(1);
    const aging = await api('GET', `/finance/aging?asOf=${today}`, 'admin.root');
    for (const b of d.aging) {
      const cents = aging.customers.reduce((n: number, c: Record<string, string>) => n + Math.round(Number(c[b.bucket]) * 100), 0);
      expect(Math.round(Number(b.amount) * 100), b.bucket).toBe(cents);
    }
    expect(Number(d.aging.find((b: { bucket: string }) => b.bucket === 'over90').amount)).toBeGreaterThanOrEqual(2825);
  });

  it("shows a role only what it may read: no finance for a clerk, no inbox for finance", async () => {
    const clerk = await api('GET', '/reports/dashboard', 'clerk.li');
    expect(clerk).toMatchObject({ stuckPayments: null, aging: null, approvals: { waitingForMe: null } });
    const finance = await api('GET', '/reports/dashboard', 'finance.chen');
    expect(finance.stuckPayments).toHaveLength(4);
    expect(finance.approvals.waitingForMe).toBeNull();
  });

  it('answers any day asked, and refuses one that is not a day of the calendar', async () => {
    const past = await api('GET', '/reports/dashboard?asOf=2020-03-31', 'finance.chen');
    expect(past.month).toMatchObject({ from: '2020-03-01', to: '2020-03-31', orders: 0, net: '0.00' });
    expect(past.trend.monthly[0]).toMatchObject({ from: '2019-04-01', to: '2019-04-30' });
    expect(past.trend.daily[0].from).toBe('2020-03-02');
    for (const asOf of ['2026-02-30', '0999-12-31', 'today', '2026-01-01\u0000']) {
      const res = await stack.request('GET', `/reports/dashboard?asOf=${encodeURIComponent(asOf)}`, { user: 'finance.chen' });
      expect(res.status, asOf).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'asOf' });
    }
    const badDay = await stack.request('GET', '/orders?from=2026-02-30', { user: 'clerk.li' });
    expect(badDay.status).toBe(400);
    expect(badDay.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'from' });
    expect((await stack.request('GET', '/reports/dashboard', { anonymous: true })).status).toBe(401);
  });

  it('serves the chart library from the installed package, to a browser not yet signed in', async () => {
    const res = await stack.app.request('/console/assets/chart.umd.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await res.text()).slice(0, 40)).toContain('Chart.js v4.6.1');
    expect((await stack.app.request('/console/assets/chart.umd.js.map')).status).not.toBe(200);
  });
});

/** Every request the page made, and whether each chart has a Chart.js instance with a drawn canvas. */
async function openDashboard(page: Page) {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${web.base}/console/dashboard`);
  await page.waitForFunction(() => document.querySelectorAll('canvas[data-chart]').length > 0 && 'Chart' in window);
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')].map((c) => ({
      id: c.id,
      drawn: Boolean((window as unknown as { Chart: { getChart(c: HTMLCanvasElement): unknown } }).Chart.getChart(c)) && c.width > 0 && c.height > 0,
    })),
  );
  return { requests, charts };
}

const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"] .v`).textContent();

describe('经营看板 in headless Chromium', () => {
  it('draws every chart with the library the app serves, loads nothing from elsewhere, and links each figure to its list (中文)', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(web, page, 'admin.root', 'zh-CN');
    await page.getByRole('link', { name: '经营看板' }).click();
    const { requests, charts } = await openDashboard(page);
    expect(charts).toEqual(['daily-sales', 'monthly-sales', 'top-products', 'top-customers', 'stuck-payments', 'aging'].map((id) => ({ id, drawn: true })));
    expect(requests.filter((u) => !u.startsWith(web.base))).toEqual([]);
    expect(requests).toContain(`${web.base}/console/assets/chart.umd.js`);
    const day = await api('GET', `/reports/sales-ranking?${query({ from: today, to: today })}`, 'admin.root');
    const month = await api('GET', `/reports/sales-ranking?${query({ from: monthStart, to: today })}`, 'admin.root');
    expect(await figure(page, '今日销售额')).toBe(money(day.totals.net));
    expect(await figure(page, '本月销售额')).toBe(money(month.totals.net));
    expect(await figure(page, '今日订单')).toBe('3');
    await shot(page, 'dashboard-zh');

    // A bar opens the list behind it: C0002's bar in the top customers opens its sales detail for the month.
    const bar = await page.evaluate(() => {
      const canvas = document.getElementById('top-customers') as HTMLCanvasElement;
      canvas.scrollIntoView();
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): any } }).Chart.getChart(canvas);
      const i = (chart.data.labels as string[]).findIndex((l) => l.startsWith('C0002'));
      const el = chart.getDatasetMeta(0).data[i];
      const box = canvas.getBoundingClientRect();
      return { x: box.left + (el.x + el.base) / 2, y: box.top + el.y };
    });
    await page.mouse.click(bar.x, bar.y);
    await page.waitForURL(/customer-sales-detail/);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ customerCode: 'C0002', from: monthStart, to: today });

    await page.goto(`${web.base}/console/dashboard`);
    await page.locator('[data-figure="今日销售额"]').click();
    await page.waitForURL(/sales-ranking/);
    expect(await page.locator('[data-totals]').textContent()).toContain(money(day.totals.net));
    // The order counts open the orders taken in their period: as many rows as the figure says.
    for (const [name, from] of [['今日订单', today], ['本月订单', monthStart]] as const) {
      await page.goto(`${web.base}/console/dashboard`);
      const shown = await figure(page, name);
      await page.locator(`[data-figure="${name}"]`).click();
      await page.waitForURL(/\/console\?/);
      expect(Object.fromEntries(new URL(page.url()).searchParams), name).toEqual({ from, to: today });
      expect(await page.locator('[data-rel="position"]').textContent(), name).toContain(`共 ${shown} 条`);
    }
    await page.goto(`${web.base}/console/dashboard`);
    await page.getByRole('link', { name: '待收款（按环节）' }).click();
    await page.waitForURL(/\/console\/finance\?/);
    // A day the calendar does not have: the API's refusal, naming the field, and no figures.
    await page.goto(`${web.base}/console/dashboard?asOf=2026-02-30`);
    expect(await page.getByRole('alert').textContent()).toMatch(/^VALIDATION_FAILED: .*\(field asOf\)$/);
    expect(await page.locator('canvas').count()).toBe(0);
    await page.close();
  });

  it('speaks English on request, and shows a clerk no finance charts', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(web, page, 'finance.chen', 'en');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const { charts } = await openDashboard(page);
    expect(charts.every((c) => c.drawn)).toBe(true);
    expect(await page.locator('h2').allTextContents()).toContain('Stuck payments by step');
    expect(await page.locator('[data-figure]').count()).toBe(7);
    expect(await page.locator('[data-figure="Waiting for me"]').count()).toBe(0); // finance approves no orders
    await shot(page, 'dashboard-en');
    await page.close();

    // A name that closes the page's script: it stays a label, run by nothing.
    const hostile = '线缆 </script><img src=x onerror="window.pwned=1"><!--';
    await stack.sql`UPDATE products SET name = ${hostile} WHERE code = 'P0003'`;
    const clerk = await web.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAs(web, clerk, 'clerk.li', 'zh-CN');
    const seen = await openDashboard(clerk);
    expect(seen.charts.map((c) => c.id)).toEqual(['daily-sales', 'monthly-sales', 'top-products', 'top-customers']);
    expect(seen.charts.every((c) => c.drawn)).toBe(true);
    const labels = await clerk.evaluate(() => (window as unknown as { Chart: { getChart(id: string): any } }).Chart.getChart('top-products').data.labels as string[]);
    expect(labels).toContain(`P0003 ${hostile}`);
    expect(await clerk.evaluate(() => 'pwned' in window || document.querySelector('img[src="x"]') !== null)).toBe(false);
    await clerk.close();
  });
});
