import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { orderStateQuery } from '../../workflows/sales-order/definitions.js';
import { callAs } from '../support/call.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  // A short history limit: the order continues as new many times in its life.
  app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', orderWorkflow: { continueAsNewAfterEvents: 25 } });
  // A "day" of collection lasts a second; reminders one and two days after an invoice turns overdue.
  await stack.sql`UPDATE company_settings SET value = '1' WHERE key = 'collection.day_seconds'`;
  await stack.sql`UPDATE company_settings SET value = '[1, 2]' WHERE key = 'collection.dunning_days'`;
  await stack.sql`INSERT INTO customers (code, name, settlement_terms, settlement_days) VALUES ('C0951', 'Pays late', 'cash', 0)`;
});

const call = (method: string, path: string, user: string, body?: unknown) => callAs(app, method, path, user, body);

const dunningOf = (invoice: string) =>
  stack.sql<{ message: string }[]>`SELECT message FROM notifications WHERE document_number = ${invoice} AND kind = 'dunning' ORDER BY id`;

async function runsOf(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n += 1;
  return n;
}

const POLL = { timeout: 30_000, interval: 250 };

describe('an order that lives long', () => {
  it('through deliveries, changes and continue-as-new, ends with every invoice, receipt, overdue mark and reminder it should have', async () => {
    const created = await call('POST', '/orders', 'clerk.li', {
      customerCode: 'C0951',
      lines: [
        { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '20', unitPrice: '3.50' },
        { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '120' },
      ],
    });
    expect(created.status).toBe(201);
    const number = created.body.order.number as string;
    const workflowId = `order-${number}`;
    const handle = stack.client.workflow.getHandle(workflowId);
    expect((await call('POST', `/orders/${number}/approve`, 'manager.wang', {})).status).toBe(200);

    // First delivery and invoice; nobody pays, so it turns overdue and both reminders go out.
    expect((await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 1, quantity: '10' }] })).status).toBe(200);
    const first = await call('POST', `/orders/${number}/invoice`, 'finance.chen', {});
    expect(first.status).toBe(200);
    expect(first.body.gross).toBe('39.55'); // 10 × 3.50 = 35.00 + 4.55
    await expect.poll(async () => (await dunningOf(first.body.invoice)).length, POLL).toBe(2);

    // Changes while it waits: one lowers a quantity (applies at once), one raises it (approved).
    const lower = await call('POST', `/orders/${number}/changes`, 'clerk.li', { reason: 'fewer needed', lines: [{ action: 'change', lineNo: 2, quantity: '2' }] });
    expect(lower.body.change).toMatchObject({ status: 'applied' });
    const raise = await call('POST', `/orders/${number}/changes`, 'clerk.li', { reason: 'more after all', lines: [{ action: 'change', lineNo: 1, quantity: '25' }] });
    expect(raise.body.change).toMatchObject({ status: 'pending_approval' });
    const decided = await call('POST', `/orders/${number}/changes/${raise.body.change.version}/approve`, 'manager.wang', {});
    expect(decided.body.change.status).toBe('applied');

    // The rest in two deliveries, one invoice; paid late, after its first reminder.
    expect((await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 1, quantity: '15' }] })).status).toBe(200);
    expect((await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 2, quantity: '2' }] })).status).toBe(200);
    const second = await call('POST', `/orders/${number}/invoice`, 'finance.chen', {});
    expect(second.status).toBe(200);
    expect(second.body.gross).toBe('330.53'); // 15 × 3.50 = 52.50 + 6.83; 2 × 120 = 240.00 + 31.20 (tax per line, rounded)
    await expect.poll(async () => (await dunningOf(second.body.invoice)).length, POLL).toBeGreaterThanOrEqual(1);
    expect((await call('POST', `/orders/${number}/receipts`, 'finance.chen', { amount: '39.55', method: 'bank_transfer' })).status).toBe(200);
    const rest = await call('POST', `/orders/${number}/receipts`, 'finance.chen', { amount: '330.53', method: 'bank_transfer' });
    expect(rest.status).toBe(200);

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'Completed', invoicedTotal: '370.08', receivedTotal: '370.08', amountDue: '0.00' });
    expect(result.deliveryNotes).toHaveLength(3);
    expect(result.receipts).toHaveLength(2);
    const [r1, r2] = result.money.receivables;
    expect(r1).toMatchObject({ invoice: first.body.invoice, overdue: true, reminders: 2, paid: '39.55' });
    expect(r2).toMatchObject({ invoice: second.body.invoice, overdue: true, paid: '330.53' });
    // Every reminder the state counts is in Postgres, once, numbered in order.
    expect((await dunningOf(first.body.invoice)).map((d) => d.message.slice(0, 10))).toEqual(['Reminder 1', 'Reminder 2']);
    expect((await dunningOf(second.body.invoice)).map((d) => d.message.slice(0, 10))).toEqual(
      Array.from({ length: r2!.reminders }, (_, i) => `Reminder ${i + 1}`),
    );
    const [doc] = await stack.sql`SELECT status FROM sales_orders WHERE number = ${number}`;
    expect(doc!.status).toBe('Completed');
    const docs = await stack.sql`SELECT (SELECT count(*)::int FROM invoices i JOIN sales_orders o ON o.id = i.order_id WHERE o.number = ${number}) AS invoices,
                                        (SELECT count(*)::int FROM receipts r JOIN sales_orders o ON o.id = r.order_id WHERE o.number = ${number}) AS receipts`;
    expect(docs[0]).toEqual({ invoices: 2, receipts: 2 });
    expect(await runsOf(workflowId)).toBeGreaterThan(3);
    expect((await handle.query(orderStateQuery).catch(() => result)).status).toBe('Completed');
  });
});
