import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { ExpectedDeliveryDateKey, orderStateQuery } from '../../workflows/sales-order/definitions.js';
import { callAs } from '../support/call.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  // A tiny history limit forces continue-as-new several times in one order's life.
  app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', orderWorkflow: { continueAsNewAfterEvents: 30 } });
});

const call = (method: string, path: string, user: string, body?: unknown) => callAs(app, method, path, user, body);

describe('a long-lived order continues as new and loses nothing', () => {
  it('runs its whole life across several runs with the same state, documents and amounts', async () => {
    const created = await call('POST', '/orders', 'clerk.li', {
      customerCode: 'C0001',
      lines: [
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '30', unitPrice: '3.50', expectedDeliveryDate: '2026-12-10' },
        { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '4', unitPrice: '120', expectedDeliveryDate: '2026-12-03' },
      ],
    });
    expect(created.status).toBe(201);
    const number = created.body.order.number as string;
    const handle = stack.client.workflow.getHandle(`order-${number}`);
    const firstRunId = (await handle.describe()).runId;

    expect((await call('POST', `/orders/${number}/approve`, 'manager.wang', {})).status).toBe(200);
    for (const quantity of ['5', '5', '5']) {
      const d = await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 1, quantity }] });
      expect(d.status).toBe(200);
    }
    const notice = await call('POST', `/orders/${number}/shipping-notices`, 'warehouse.zhao', {});
    expect(notice.status).toBe(200);
    expect((await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', { noticeNumber: notice.body.shippingNotice })).status).toBe(200);

    const mid = await handle.query(orderStateQuery);
    expect(mid.lines.map((l) => [l.deliveredQty, l.closeStatus])).toEqual([
      ['30', 'Y'],
      ['4', 'Y'],
    ]);
    expect(mid.deliveryNotes).toHaveLength(4);
    expect(mid.approvals).toEqual([expect.objectContaining({ actor: 'manager.wang' })]);
    expect(mid.steps.delivery).toBe(4);

    const invoice = await call('POST', `/orders/${number}/invoice`, 'finance.chen', {});
    expect(invoice.status).toBe(200);
    // 30 × 3.50 = 105.00 + 13.65; 4 × 120 = 480.00 + 62.40.
    expect(invoice.body.gross).toBe('661.05');
    expect((await call('POST', `/orders/${number}/receipts`, 'finance.chen', { amount: '661.05', method: 'cash' })).status).toBe(200);

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'Completed', invoicedTotal: '661.05', receivedTotal: '661.05', amountDue: '0.00' });
    expect(result.deliveryNotes).toHaveLength(4);
    expect(result.shippingNotices).toEqual([expect.objectContaining({ number: notice.body.shippingNotice, delivered: true })]);
    const last = await handle.describe();
    expect(last.runId).not.toBe(firstRunId);
    expect((await stack.client.workflow.getHandle(`order-${number}`, firstRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    const [doc] = await stack.sql`SELECT status FROM sales_orders WHERE number = ${number}`;
    expect(doc!.status).toBe('Completed');
  });
});

describe('a draft edited while it waits for approval (草稿)', () => {
  it('keeps its revisions, checks and rejections across continue-as-new and a reopen after rejection', async () => {
    const created = await call('POST', '/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '3.50' }] });
    expect(created.status).toBe(201);
    const number = created.body.order.number as string;
    const handle = stack.client.workflow.getHandle(`order-${number}`);
    const firstRunId = (await handle.describe()).runId;
    for (const quantity of ['2', '3', '4', '5', '6']) {
      const edited = await call('POST', `/orders/${number}/draft`, 'clerk.li', { lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity, unitPrice: '3.50' }] });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    }
    await expect.poll(async () => (await stack.client.workflow.getHandle(`order-${number}`, firstRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    // 6 × 3.50 = 21.00 + 2.73
    expect(await handle.query(orderStateQuery)).toMatchObject({ status: 'Unapproved', revision: 5, totals: { gross: '23.73' }, lines: [{ quantity: '6' }] });

    expect((await call('POST', `/orders/${number}/reject`, 'manager.wang', { reason: 'split it in two' })).status).toBe(200);
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
    const revised = await call('POST', `/orders/${number}/draft`, 'clerk.li', { lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '3.50' }] });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(revised.body).toMatchObject({ revision: 6, order: { status: 'Unapproved' } });
    expect(await handle.query(orderStateQuery)).toMatchObject({ revision: 6, rejections: [{ by: 'manager.wang', reason: 'split it in two', revision: 5 }] });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const approved = await call('POST', `/orders/${number}/approve`, 'manager.wang', {});
    expect(approved.body.order).toMatchObject({ status: 'Approved', gross: '11.87' });
  });
});

describe('expected delivery date (预交货日)', () => {
  it('is stored per line, defaults to a week after the order, and the earliest open one is a search attribute', async () => {
    const created = await call('POST', '/orders', 'clerk.li', {
      customerCode: 'C0001',
      lines: [
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', expectedDeliveryDate: '2026-12-10' },
        { productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '1', expectedDeliveryDate: '2026-12-03' },
        { productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '1' },
      ],
    });
    const number = created.body.order.number as string;
    const lines = (await call('GET', `/orders/${number}`, 'clerk.li')).body.order.lines;
    const today = (await stack.sql<{ today: string }[]>`SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today`)[0]!.today;
    const weekLater = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(lines.map((l: { expectedDeliveryDate: string }) => l.expectedDeliveryDate)).toEqual(['2026-12-10', '2026-12-03', weekLater]);

    const handle = stack.client.workflow.getHandle(`order-${number}`);
    const earliest = [weekLater, '2026-12-03'].sort()[0];
    await expect
      .poll(async () => (await handle.describe()).typedSearchAttributes.get(ExpectedDeliveryDateKey)?.toISOString().slice(0, 10))
      .toBe(earliest);
    await call('POST', `/orders/${number}/approve`, 'manager.wang', {});
    await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 2 }, { lineNo: 3 }] });
    expect((await handle.describe()).typedSearchAttributes.get(ExpectedDeliveryDateKey)?.toISOString().slice(0, 10)).toBe('2026-12-10');
  });
});
