import { beforeAll, describe, expect, it } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import { addDays } from '../../domain/calendar.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

type Line = { productCode: string; warehouseCode: string; quantity: string; unitPrice: string };
const cable = (quantity: string): Line => ({ productCode: 'P0003', warehouseCode: 'WH-SH', quantity, unitPrice: '33.333' }); // 13% tax
const consulting = (quantity: string): Line => ({ productCode: 'P0004', warehouseCode: 'WH-SH', quantity, unitPrice: '333.333' }); // 6% tax

/** The visibility query README.md gives finance for stuck orders. */
const README_STUCK_QUERY = `ExecutionStatus = 'Running' AND PaymentState IN ('Overdue', 'DepositDue')`;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function approvedOrder(customerCode: string, lines: Line[]): Promise<string> {
  const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines } });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  return number;
}

async function deliver(number: string, body: Record<string, unknown> = {}) {
  expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body })).status).toBe(200);
}

async function invoice(number: string) {
  const res = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
  expect(res.status).toBe(200);
  return res.body as { invoice: string; gross: string; dueOn: string };
}

const stuck = (query: string) => stack.request('GET', `/finance/stuck-payments?${query}`, { user: 'finance.chen' });

async function visible(number: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId = 'order-${number}' AND ${README_STUCK_QUERY}` })) ids.push(wf.workflowId);
  return ids;
}

beforeAll(async () => {
  await stack.sql`
    INSERT INTO customers (code, name, settlement_terms, settlement_days, deposit_ratio, invoice_mode) VALUES
      ('C1601', 'Two invoices', 'net', 30, 0, 'per_order'),
      ('C1602', 'Deposit first', 'net', 30, 0.3, 'per_order'),
      ('C1610', 'Head office monthly', 'monthly', 0, 0, 'monthly')`;
  // Two branches paid by the head office (总公司付款); one of them would be invoiced at each delivery on its own.
  await stack.sql`
    INSERT INTO customers (code, name, settlement_days, bill_to_customer_id, invoice_mode)
    SELECT b.code, b.name, 10, h.id, b.mode FROM customers h,
      (VALUES ('C1611', 'Branch Suzhou', 'per_order'), ('C1612', 'Branch Hangzhou', 'per_delivery')) AS b(code, name, mode)
    WHERE h.code = 'C1610'`;
});

describe("finance's stuck payments, one row per order", () => {
  it('adds up two invoices of one order, dates it by the oldest, and drops it when paid', async () => {
    const number = await approvedOrder('C1601', [cable('2')]);
    await deliver(number, { lines: [{ lineNo: 1, quantity: '1' }] });
    const first = await invoice(number);
    await deliver(number);
    const second = await invoice(number);
    // The first metre is 33.33 + 4.33 = 37.66; the line (66.67 + 8.67 = 75.34) is invoiced whole, so the last takes the rest: 37.68.
    expect([first.gross, second.gross]).toEqual(['37.66', '37.68']);
    const dueOn = second.dueOn;
    await stack.sql`UPDATE invoices SET due_on = ${addDays(dueOn, -7)} WHERE number = ${first.invoice}`;
    const asOf = addDays(dueOn, -2);

    const res = await stuck(`asOf=${asOf}&customerCode=C1601`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      asOf,
      total: 1,
      totals: { amountDue: '75.34', currency: 'CNY' },
      items: [
        {
          orderNumber: number,
          orderStatus: 'Delivered',
          customerCode: 'C1601',
          customerName: 'Two invoices',
          payerCode: 'C1601',
          payerName: 'Two invoices',
          currency: 'CNY',
          amountDue: '75.34',
          oldestDueOn: addDays(dueOn, -7),
          daysOverdue: 5,
          step: 'overdue',
          remindersSent: 0,
          unmatchedReceipts: '0.00',
          waitingAt: 'overdue 5 days, no reminder yet',
          invoices: [
            { invoice: first.invoice, dueOn: addDays(dueOn, -7), amountDue: '37.66', daysOverdue: 5, remindersSent: 0 },
            { invoice: second.invoice, dueOn, amountDue: '37.68', daysOverdue: 0, remindersSent: 0 },
          ],
        },
      ],
    });
    expect((await stuck(`asOf=${asOf}&customerCode=C1601&step=overdue&minDaysOverdue=5`)).body.total).toBe(1);
    expect((await stuck(`asOf=${asOf}&customerCode=C1601&minDaysOverdue=6`)).body.total).toBe(0);
    expect((await stuck(`asOf=${asOf}&customerCode=C1601&step=awaiting_payment`)).body.total).toBe(0);

    // Paying the oldest invoice leaves the other one, not yet due.
    const paid = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '37.66', method: 'cash' } });
    expect(paid.status).toBe(200);
    const rest = await stuck(`asOf=${asOf}&customerCode=C1601`);
    expect(rest.body.items).toEqual([
      expect.objectContaining({ orderNumber: number, amountDue: '37.68', oldestDueOn: dueOn, daysOverdue: 0, step: 'awaiting_payment', waitingAt: 'payment not yet due' }),
    ]);
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '37.68', method: 'cash' } });
    expect((await stuck(`asOf=${asOf}&customerCode=C1601`)).body).toMatchObject({ total: 0, items: [], totals: { amountDue: '0.00' } });
  });

  it('shows an order waiting for its deposit, in the API and in the README visibility query', async () => {
    // 33.33 + 4.33 = 37.66; 30% deposit = 11.298, rounded half-up to 11.30.
    const number = await approvedOrder('C1602', [cable('1')]);
    const res = await stuck('customerCode=C1602');
    expect(res.body.items).toEqual([
      expect.objectContaining({
        orderNumber: number,
        orderStatus: 'Approved',
        amountDue: '11.30',
        oldestDueOn: null,
        daysOverdue: 0,
        step: 'awaiting_deposit',
        waitingAt: 'deposit not received',
        invoices: [],
      }),
    ]);
    expect((await stuck('customerCode=C1602&step=awaiting_deposit')).body.total).toBe(1);
    expect((await stuck('customerCode=C1602&step=overdue')).body.total).toBe(0);
    expect(await eventually(() => visible(number), (ids) => ids.length === 1)).toEqual([`order-${number}`]);

    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '5.00', method: 'cash' } });
    expect((await stuck('customerCode=C1602')).body.items).toEqual([expect.objectContaining({ orderNumber: number, amountDue: '6.30', step: 'awaiting_deposit' })]);
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '6.30', method: 'cash' } });
    expect((await stuck('customerCode=C1602')).body.total).toBe(0);
    expect(await eventually(() => visible(number), (ids) => ids.length === 0)).toEqual([]);
  });

  it('refuses an unknown customer and a malformed filter, naming the field', async () => {
    const unknown = await stuck('customerCode=C9999');
    expect([unknown.status, unknown.body.error.code, unknown.body.error.field]).toEqual([422, 'UNKNOWN_CUSTOMER', 'customerCode']);
    const step = await stuck('step=lost');
    expect([step.status, step.body.error.field]).toEqual([400, 'step']);
  });
});

describe('monthly invoicing of a head office (月结, 总公司付款)', () => {
  it("puts its branches' deliveries on one invoice to the head office, lists them as its stuck payments, and never invoices twice", async () => {
    const suzhou = await approvedOrder('C1611', [cable('3')]); // 100.00 + 13.00
    const hangzhou = await approvedOrder('C1612', [consulting('2')]); // 666.67 + 40.00
    const own = await approvedOrder('C1610', [cable('1')]); // 33.33 + 4.33
    for (const n of [suzhou, hangzhou, own]) await deliver(n);
    // The branch that invoices at delivery on its own is invoiced the head office's way: monthly.
    const [early] = await stack.sql`SELECT count(*)::int AS n FROM invoices i JOIN sales_orders o ON o.id = i.order_id WHERE o.number = ${hangzhou}`;
    expect(early!.n).toBe(0);

    const period = (await stack.request('GET', `/orders/${own}`)).body.order.createdAt.slice(0, 7) as string;
    const res = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C1610', period } });
    expect(res.status).toBe(200);
    expect(res.body.customerCode).toBe('C1610');
    expect(res.body.totals).toEqual({ net: '800.00', tax: '57.33', gross: '857.33' });
    expect(res.body.orders.map((o: { orderNumber: string; customerCode: string; invoice: { gross: string } }) => [o.orderNumber, o.customerCode, o.invoice.gross])).toEqual([
      [suzhou, 'C1611', '113.00'],
      [hangzhou, 'C1612', '706.67'],
      [own, 'C1610', '37.66'],
    ]);
    const payers = await stack.sql`
      SELECT DISTINCT p.code, m.number FROM invoices i JOIN customers p ON p.id = i.payer_customer_id JOIN monthly_invoices m ON m.id = i.monthly_invoice_id
      JOIN sales_orders o ON o.id = i.order_id WHERE o.number IN ${stack.sql([suzhou, hangzhou, own])}`;
    expect(payers.map((p) => [p.code, p.number])).toEqual([['C1610', res.body.number]]);

    // Asked again: the same document; the next month finds nothing; a branch alone is refused.
    const again = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C1610', period } });
    expect([again.status, again.body.number]).toEqual([200, res.body.number]);
    const [y, m] = period.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    const nothing = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C1610', period: next } });
    expect([nothing.status, nothing.body.error.code]).toEqual([409, 'NOTHING_TO_INVOICE']);
    const branch = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C1611', period } });
    expect([branch.status, branch.body.error.code, branch.body.error.field]).toEqual([422, 'BILLED_TO_HEAD_OFFICE', 'customerCode']);
    const perOrder = await stack.request('POST', `/orders/${suzhou}/invoice`, { user: 'finance.chen', body: {} });
    expect([perOrder.status, perOrder.body.error.code]).toEqual([409, 'NOTHING_TO_INVOICE']);
    const invoiced = await stack.sql`
      SELECT o.number, l.delivered_qty::text, l.invoiced_qty::text, (SELECT sum(il.quantity) FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
        WHERE i.order_id = o.id AND il.order_line_no = l.line_no)::text AS on_invoices
      FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id WHERE o.number IN ${stack.sql([suzhou, hangzhou, own])} ORDER BY o.id`;
    expect(invoiced.map((r) => [r.number, r.delivered_qty, r.invoiced_qty, r.on_invoices])).toEqual([
      [suzhou, '3.0000', '3.0000', '3.0000'],
      [hangzhou, '2.0000', '2.0000', '2.0000'],
      [own, '1.0000', '1.0000', '1.0000'],
    ]);

    // The head office sees its branches' orders among its stuck payments; largest first, paged, and as CSV.
    const dueOn = res.body.dueOn as string;
    const listed = await stuck('customerCode=C1610&sort=-amountDue&limit=2');
    expect(listed.body.total).toBe(3);
    expect(listed.body.totals).toEqual({ amountDue: '857.33', currency: 'CNY' });
    expect(listed.body.items.map((i: { orderNumber: string; customerCode: string; payerCode: string; amountDue: string; oldestDueOn: string; step: string }) => [
      i.orderNumber, i.customerCode, i.payerCode, i.amountDue, i.oldestDueOn, i.step,
    ])).toEqual([
      [hangzhou, 'C1612', 'C1610', '706.67', dueOn, 'awaiting_payment'],
      [suzhou, 'C1611', 'C1610', '113.00', dueOn, 'awaiting_payment'],
    ]);
    const page2 = await stuck('customerCode=C1610&sort=-amountDue&limit=2&offset=2');
    expect(page2.body.items.map((i: { orderNumber: string }) => i.orderNumber)).toEqual([own]);
    const csv = await stack.app.request(`/finance/stuck-payments?customerCode=C1610&sort=amountDue&format=csv&asOf=${addDays(dueOn, 3)}`, {
      headers: { authorization: `Bearer ${devToken('finance.chen')}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('orderNumber,orderStatus,customerCode,customerName,payerCode,payerName,currency,amountDue,oldestDueOn,daysOverdue,step,remindersSent,unmatchedReceipts,waitingAt,invoices');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 11).join(','))).toEqual([
      `${own},Delivered,C1610,Head office monthly,C1610,Head office monthly,CNY,37.66,${dueOn},3,overdue`,
      `${suzhou},Delivered,C1611,Branch Suzhou,C1610,Head office monthly,CNY,113.00,${dueOn},3,overdue`,
      `${hangzhou},Delivered,C1612,Branch Hangzhou,C1610,Head office monthly,CNY,706.67,${dueOn},3,overdue`,
    ]);
  });
});
