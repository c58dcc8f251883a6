import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function invoicedOrder(customerCode: string, unitPrice = '33.333', quantity = '3') {
  const created = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode, lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity, unitPrice }] },
  });
  const number = created.body.order.number as string;
  await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
  await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
  const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
  expect(inv.status).toBe(200);
  return { number, invoice: inv.body.invoice as string, gross: inv.body.gross as string, issuedOn: inv.body.dueOn as string };
}

const live = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body.live;

beforeAll(async () => {
  // A "day" of the collection timers lasts one second here; reminders 1, 2 and 3 days after the due date.
  await stack.sql`UPDATE company_settings SET value = '1' WHERE key = 'collection.day_seconds'`;
  await stack.sql`UPDATE company_settings SET value = '[1, 2, 3]' WHERE key = 'collection.dunning_days'`;
  await stack.sql`
    INSERT INTO customers (code, name, settlement_terms, settlement_days) VALUES
      ('C0601', 'Slow payer', 'cash', 0), ('C0701', 'Aging sample', 'net', 30), ('C0801', 'Statement sample', 'net', 30)`;
});

describe('collection (催款)', () => {
  it('an overdue receivable reminds at each step, is listed as stuck, and a bad debt finance asks to write off is written off when another finance approver approves it', async () => {
    const { number, invoice, issuedOn } = await invoicedOrder('C0601');
    const reminded = await eventually(
      () => stack.sql`SELECT message FROM notifications WHERE order_number = ${number} AND kind = 'dunning' ORDER BY id`,
      (rows) => rows.length >= 3,
    );
    // C0601 has no contact to send them to: each is kept, and says so.
    expect(reminded.map((r) => r.message)).toEqual(
      [1, 2, 3].map((i) => `Reminder ${i}: invoice ${invoice} of C0601, due ${issuedOn}, has 113.00 open (not sent: nobody to send it to)`),
    );
    const state = await live(number);
    expect(state.money.receivables[0]).toMatchObject({ invoice, overdue: true, reminders: 3 });

    // Operators find it with README's visibility query on the search attributes.
    const stuckQuery = `ExecutionStatus = 'Running' AND PaymentState IN ('Overdue', 'DepositDue')`;
    const listed = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.client.workflow.list({ query: `WorkflowId = 'order-${number}' AND ${stuckQuery} AND AmountDue = 113` })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.length === 1,
    );
    expect(listed).toEqual([`order-${number}`]);
    const described = await stack.client.workflow.getHandle(`order-${number}`).describe();
    expect(described.typedSearchAttributes.getAll().map((p) => p.key.name)).toContain('PaymentDueAt');

    // Finance's view, the day after the due date.
    const asOf = addDays(issuedOn, 1);
    const stuck = await stack.request('GET', `/finance/stuck-payments?asOf=${asOf}`);
    expect(stuck.status).toBe(200);
    expect(stuck.body.items).toContainEqual({
      orderNumber: number,
      orderStatus: 'Delivered',
      customerCode: 'C0601',
      customerName: 'Slow payer',
      payerCode: 'C0601',
      payerName: 'Slow payer',
      currency: 'CNY',
      amountDue: '113.00',
      oldestDueOn: issuedOn,
      daysOverdue: 1,
      step: 'overdue',
      remindersSent: 3,
      unmatchedReceipts: '0.00',
      waitingAt: 'overdue 1 day, reminder 3 sent',
      invoices: [{ invoice, dueOn: issuedOn, amountDue: '113.00', daysOverdue: 1, remindersSent: 3 }],
    });

    const asked = await stack.request('POST', `/orders/${number}/write-offs`, { user: 'finance.chen', body: { reason: 'insolvent' } });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ id: 1, status: 'pending', amount: '113.00', requestedBy: 'finance.chen' });
    const own = await stack.request('POST', `/orders/${number}/write-offs/1/approve`, { user: 'finance.chen', body: {} });
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'SELF_APPROVAL', field: 'approver' });
    const notFinance = await stack.request('POST', `/orders/${number}/write-offs/1/approve`, { user: 'clerk.zhang', body: {} });
    expect(notFinance.status).toBe(403);
    expect(notFinance.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    const ok = await stack.request('POST', `/orders/${number}/write-offs/1/approve`, { user: 'director.liu', body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.writeOffRequest).toMatchObject({ status: 'approved', decidedBy: 'director.liu', writtenOff: [{ invoice, amount: '113.00' }] });
    const done = await stack.client.workflow.getHandle(`order-${number}`).result();
    expect(done.status).toBe('Completed');
    const entries = await stack.sql`
      SELECT kind, amount::text FROM receivable_entries e JOIN sales_orders o ON o.id = e.order_id WHERE o.number = ${number} ORDER BY e.id`;
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ['invoice', '113.00'],
      ['write_off', '-113.00'],
    ]);
    // In the books: a credit impairment loss (6702 信用减值损失) against the receivable.
    const booked = await stack.sql`
      SELECT l.account_code, l.debit::text, l.credit::text FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
      WHERE v.source_type = 'write_off_bad_debt' AND v.order_number = ${number} ORDER BY l.line_no`;
    expect(booked).toEqual([
      { account_code: '6702', debit: '113.00', credit: '0.00' },
      { account_code: '1122', debit: '0.00', credit: '113.00' },
    ]);
    const after = await stack.request('GET', `/finance/stuck-payments?asOf=${asOf}`);
    expect(after.body.items.map((i: { orderNumber: string }) => i.orderNumber)).not.toContain(number);
  });

  it('a receivable paid before its due date never reminds', async () => {
    await stack.sql`UPDATE customers SET settlement_terms = 'net', settlement_days = 5 WHERE code = 'C0601'`;
    const { number } = await invoicedOrder('C0601', '10', '1');
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '11.30', method: 'cash' } });
    expect((await stack.client.workflow.getHandle(`order-${number}`).result()).status).toBe('Completed');
    await new Promise((r) => setTimeout(r, 1500));
    // Approval requests and the shipment notice are notifications too; what must not exist is an overdue notice or a dunning reminder.
    const [row] = await stack.sql`SELECT count(*)::int AS n FROM notifications WHERE order_number = ${number} AND kind IN ('overdue_notice', 'dunning')`;
    expect(row!.n).toBe(0);
  });
});

describe("finance's reports", () => {
  it('aging puts each open amount in its bucket by days past due', async () => {
    const orders = [];
    for (const price of ['10', '20', '30', '40', '50']) orders.push(await invoicedOrder('C0701', price, '1'));
    const asOf = '2026-06-30';
    const daysOverdue = [0, 10, 45, 75, 120];
    for (const [i, o] of orders.entries()) {
      await stack.sql`UPDATE invoices SET due_on = ${addDays(asOf, -daysOverdue[i]!)} WHERE number = ${o.invoice}`;
    }
    // Half of the 45-days one is paid: only its open part ages.
    await stack.request('POST', `/orders/${orders[2]!.number}/receipts`, { user: 'finance.chen', body: { amount: '16.95', method: 'cash' } });
    const res = await stack.request('GET', `/finance/aging?asOf=${asOf}`);
    expect(res.status).toBe(200);
    expect(res.body.customers.find((c: { customerCode: string }) => c.customerCode === 'C0701')).toEqual({
      customerCode: 'C0701',
      customerName: 'Aging sample',
      current: '11.30',
      days1to30: '22.60',
      days31to60: '16.95',
      days61to90: '45.20',
      over90: '56.50',
      total: '152.55',
      documentOpen: [{ currency: 'CNY', open: '152.55' }],
    });
  });

  it('a statement opens with the earlier balance and closes with the sum of its lines', async () => {
    const a = await invoicedOrder('C0801', '100', '1'); // 113.00
    const b = await invoicedOrder('C0801', '33.333', '3'); // 113.00
    await stack.request('POST', `/orders/${a.number}/receipts`, { user: 'finance.chen', body: { amount: '113.00', method: 'cash', receivedOn: '2026-03-05' } });
    await stack.request('POST', '/receipts', { user: 'finance.chen', body: { payerCode: 'C0801', amount: '50.00', method: 'bank_transfer', receivedOn: '2026-03-20' } });
    // The first invoice belongs to February.
    await stack.sql`UPDATE receivable_entries SET entry_on = '2026-02-10' WHERE invoice_id = (SELECT id FROM invoices WHERE number = ${a.invoice}) AND kind = 'invoice'`;
    await stack.sql`UPDATE receivable_entries SET entry_on = '2026-03-10' WHERE invoice_id = (SELECT id FROM invoices WHERE number = ${b.invoice}) AND kind = 'invoice'`;
    const res = await stack.request('GET', '/finance/statement?customer=C0801&from=2026-03-01&to=2026-03-31');
    expect(res.status).toBe(200);
    expect(res.body.openingBalance).toBe('113.00');
    expect(res.body.lines.map((l: { date: string; kind: string; amount: string; balance: string }) => [l.date, l.kind, l.amount, l.balance])).toEqual([
      ['2026-03-05', 'receipt', '-113.00', '0.00'],
      ['2026-03-10', 'invoice', '113.00', '113.00'],
      ['2026-03-20', 'receipt', '-50.00', '63.00'],
    ]);
    expect(res.body.totals).toEqual({ invoices: '113.00', creditNotes: '0.00', receipts: '-163.00', writeOffs: '0.00', refunds: '0.00', exchangeDifferences: '0.00' });
    const sumOfLines = res.body.lines.reduce((t: number, l: { amount: string }) => t + Math.round(Number(l.amount) * 100), 0);
    expect(res.body.closingBalance).toBe(((11300 + sumOfLines) / 100).toFixed(2));
    expect(res.body.closingBalance).toBe('63.00');

    // 50.00 of a receipt matched by hand to nothing open yet waits to be matched while b is still open.
    const chosen = await stack.request('POST', '/receipts', {
      user: 'finance.chen',
      body: { payerCode: 'C0801', amount: '60.00', method: 'cash', allocations: [{ invoiceNumber: b.invoice, amount: '10.00' }] },
    });
    expect(chosen.body.advance).toBe('50.00');
    const stuck = await stack.request('GET', '/finance/stuck-payments?customerCode=C0801');
    expect(stuck.body.items).toEqual([
      expect.objectContaining({
        orderNumber: b.number,
        amountDue: '53.00',
        step: 'receipt_to_match',
        unmatchedReceipts: '50.00',
        waitingAt: 'receipt of 50.00 waits to be matched',
      }),
    ]);
    const unknown = await stack.request('GET', '/finance/statement?customer=NOPE&from=2026-03-01&to=2026-03-31');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_CUSTOMER', field: 'customer' });
  });
});
