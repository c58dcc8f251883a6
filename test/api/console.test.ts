import { devToken } from '../../api/auth/demo-users.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

describe('web console (server-rendered)', () => {
  it('lists orders, shows one order with its lines, timeline and Temporal Web UI link, and renders the reports', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0002', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }] },
    });
    const number = created.body.order.number as string;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', temporalUiUrl: 'http://127.0.0.1:8233/' });
    const page = async (path: string, status = 200) => {
      const res = await app.request(path, { headers: { authorization: `Bearer ${devToken('clerk.li')}` } });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('text/html');
      return res.text();
    };

    const list = await page('/console?customerCode=C0002');
    expect(list).toContain(`<a href="/console/orders/${number}">${number}</a>`);
    expect(list).toContain('1 orders');

    const order = await page(`/console/orders/${number}`);
    expect(order).toContain('<strong>Approved</strong>');
    expect(order).toContain(`href="http://127.0.0.1:8233/namespaces/default/workflows/order-${number}"`);
    expect(order).toContain('reserved 2 P0001 in WH-SH');
    expect(order).toMatch(/<td>update\.accepted<\/td><td>manager\.wang<\/td><td>command approve accepted<\/td>/);

    const shipments = await page('/console/reports/expected-shipments?salesperson=clerk.li');
    expect(shipments).toContain(`<a href="/console/orders/${number}">${number}</a>`);
    expect(shipments).toContain('open net 240.00');
    expect(await page('/console/reports/gross-margin?by=customer')).toContain('net 0.00 · cost 0.00 · margin 0.00');
    expect(await page(`/console/orders/${stack.orderPrefix}-20260101-0999`, 404)).toContain('No order');
  });
});
