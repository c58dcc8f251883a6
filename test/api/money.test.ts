import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const stack = useStack();

type Line = { productCode: string; warehouseCode: string; quantity: string; unitPrice?: string };
const ROUNDING: Line[] = [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' }]; // 100.00 + 13.00

async function createOrder(customerCode: string, lines: Line[] = ROUNDING, extra: Record<string, unknown> = {}) {
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines, ...extra } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

async function approveAndDeliver(number: string) {
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
  expect(delivered.status).toBe(200);
}

async function invoicedOrder(customerCode: string, lines: Line[] = ROUNDING) {
  const number = await createOrder(customerCode, lines);
  await approveAndDeliver(number);
  const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
  expect(inv.status).toBe(200);
  return { number, invoice: inv.body.invoice as string, gross: inv.body.gross as string, dueOn: inv.body.dueOn as string };
}

const live = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const result = (number: string) => stack.client.workflow.getHandle(`order-${number}`).result();

beforeAll(async () => {
  // C0101 is a branch of C0001: its head office pays (总公司付款).
  await stack.sql`
    INSERT INTO customers (code, name, settlement_days, bill_to_customer_id)
    SELECT 'C0101', 'Shanghai East Trading, Suzhou branch', 15, id FROM customers WHERE code = 'C0001'`;
  await stack.sql`INSERT INTO customers (code, name, settlement_terms, settlement_days) VALUES ('C0201', 'Cash buyer', 'cash', 0), ('C0202', 'Monthly buyer', 'monthly', 0)`;
  await stack.sql`INSERT INTO customers (code, name, settlement_days) VALUES ('C0301', 'Head office', 30), ('C0401', 'Constraint probe', 30)`;
  await stack.sql`
    INSERT INTO customers (code, name, settlement_days, bill_to_customer_id)
    SELECT 'C0302', 'Branch of C0301', 10, id FROM customers WHERE code = 'C0301'`;
  await stack.sql`UPDATE customers SET invoice_mode = 'per_delivery' WHERE code = 'C0201'`;
  await stack.sql`UPDATE customers SET invoice_mode = 'monthly' WHERE code = 'C0202'`;
  await stack.sql`UPDATE company_settings SET value = '"1.00"' WHERE key = 'receipts.write_off_tolerance'`;
});

describe('invoicing', () => {
  it('taxes each line at its product rate, totals from rounded lines, due date from the payer terms', async () => {
    const { number, gross, dueOn } = await invoicedOrder('C0101', [
      ...ROUNDING,
      { productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '0.335' },
    ]);
    // 100.00 + 13.00 (13%) and 0.34 + 0.02 (6%).
    expect(gross).toBe('113.36');
    const lines = await stack.sql`
      SELECT il.net_amount::text, il.tax_amount::text, il.tax_rate::text FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
      JOIN sales_orders o ON o.id = i.order_id WHERE o.number = ${number} ORDER BY il.line_no`;
    expect(lines.map((l) => [l.net_amount, l.tax_amount])).toEqual([
      ['100.00', '13.00'],
      ['0.34', '0.02'],
    ]);
    // The branch's head office C0001 pays, on its 30 days, not the branch's 15.
    const doc = (await live(number)).order.invoices[0];
    expect(Date.parse(dueOn) - Date.parse(doc.issuedOn)).toBe(30 * 86_400_000);
    const [payer] = await stack.sql`SELECT c.code FROM invoices i JOIN customers c ON c.id = i.payer_customer_id JOIN sales_orders o ON o.id = i.order_id WHERE o.number = ${number}`;
    expect(payer!.code).toBe('C0001');
  });

  it('a per-delivery customer is invoiced right after each delivery (直接开票), never twice; cash terms are due the same day', async () => {
    const number = await createOrder('C0201', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.333' }]);
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '3' }] } });
    const first = await eventually(() => live(number), (o) => o.order.invoices.length === 1);
    expect(first.order.invoices[0]).toMatchObject({ net: '10.00', tax: '1.30', gross: '11.30' });
    expect(first.order.invoices[0].dueOn).toBe(first.order.invoices[0].issuedOn);
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    const second = await eventually(() => live(number), (o) => o.order.invoices.length === 2);
    // 7 × 3.333 = 23.331 → 23.33, tax 3.0329 → 3.03.
    expect(second.order.invoices[1]).toMatchObject({ net: '23.33', tax: '3.03', gross: '26.36' });
    expect(second.live.lines[0].invoicedQty).toBe('10');
    const again = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOTHING_TO_INVOICE');
  });

  it('a monthly customer gets one invoice for the month across its orders; each order learns its part', async () => {
    const a = await createOrder('C0202');
    const b = await createOrder('C0202', [{ productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '333.333' }]);
    await approveAndDeliver(a);
    await approveAndDeliver(b);
    const period = (await live(a)).order.createdAt.slice(0, 7);
    const res = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C0202', period } });
    expect(res.status).toBe(200);
    // 113.00 + (666.67 + 40.00).
    expect(res.body.totals).toEqual({ net: '766.67', tax: '53.00', gross: '819.67' });
    expect(res.body.orders.map((o: { orderNumber: string }) => o.orderNumber)).toEqual([a, b]);
    const [y, m] = period.split('-').map(Number);
    expect(res.body.dueOn).toBe(new Date(Date.UTC(y!, m! + 1, 0)).toISOString().slice(0, 10));
    const [doc] = await stack.sql`SELECT gross_amount::text FROM monthly_invoices WHERE number = ${res.body.number}`;
    expect(doc!.gross_amount).toBe('819.67');
    const la = await eventually(() => live(a), (o) => o.live.invoices.length === 1);
    expect(la.live.amountDue).toBe('113.00');
    const lb = await eventually(() => live(b), (o) => o.live.invoices.length === 1);
    expect(lb.live.amountDue).toBe('706.67');
    const twice = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C0202', period: '2020-01' } });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'NOTHING_TO_INVOICE', field: 'period' });
  });
});

describe('receipts and write-off (收款单, 核销)', () => {
  it('one payer receipt pays invoices of the head office and its branch oldest first; the rest is an advance applied to the next invoice', async () => {
    const branch = await invoicedOrder('C0302');
    const head = await invoicedOrder('C0301', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '50' }]); // 56.50
    const res = await stack.request('POST', '/receipts', {
      user: 'finance.chen',
      body: { payerCode: 'C0301', amount: '200.00', method: 'bank_transfer', reference: 'BANK-778' },
      headers: { 'idempotency-key': 'payer-receipt-0001' },
    });
    expect(res.status).toBe(200);
    expect(res.body.applied).toEqual([
      { orderNumber: branch.number, receipt: res.body.number, invoice: branch.invoice, amount: '113.00' },
      { orderNumber: head.number, receipt: res.body.number, invoice: head.invoice, amount: '56.50' },
    ]);
    expect(res.body.advance).toBe('30.50');
    expect((await result(branch.number)).status).toBe('Completed');
    expect((await result(head.number)).status).toBe('Completed');

    // The same request again records nothing new.
    const again = await stack.request('POST', '/receipts', {
      user: 'finance.chen',
      body: { payerCode: 'C0301', amount: '200.00', method: 'bank_transfer', reference: 'BANK-778' },
      headers: { 'idempotency-key': 'payer-receipt-0001' },
    });
    expect(again.body.number).toBe(res.body.number);
    const [{ n }] = (await stack.sql`SELECT count(*)::int AS n FROM receipts WHERE number = ${res.body.number}`) as unknown as [{ n: number }];
    expect(n).toBe(1);

    // The advance pays the payer's next invoices at once, and never more than it advanced.
    const next = await invoicedOrder('C0302', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '20' }]); // 22.60
    expect((await result(next.number)).status).toBe('Completed');
    const last = await invoicedOrder('C0301', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '10' }]); // 11.30
    expect((await live(last.number)).live.amountDue).toBe('3.40');
    const [r] = await stack.sql`SELECT amount::text, allocated_amount::text FROM receipts WHERE number = ${res.body.number}`;
    expect(r).toEqual({ amount: '200.00', allocated_amount: '200.00' });
  });

  it('chosen matching pays the named invoice only', async () => {
    const older = await invoicedOrder('C0002');
    const newer = await invoicedOrder('C0002');
    const res = await stack.request('POST', '/receipts', {
      user: 'finance.chen',
      body: { payerCode: 'C0002', amount: '113.00', method: 'cash', allocations: [{ invoiceNumber: newer.invoice, amount: '113.00' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.allocations).toEqual([{ invoiceNumber: newer.invoice, amount: '113.00' }]);
    expect((await result(newer.number)).status).toBe('Completed');
    expect((await live(older.number)).live.amountDue).toBe('113.00');
    const wrong = await stack.request('POST', '/receipts', {
      user: 'finance.chen',
      body: { payerCode: 'C0002', amount: '10.00', method: 'cash', allocations: [{ invoiceNumber: older.invoice, amount: '113.01' }] },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'OVER_PAYMENT', field: 'allocations[0].amount' });
  });

  it('a difference at the tolerance is written off on request; one cent over is refused and records nothing', async () => {
    const over = await invoicedOrder('C0002');
    const receiptsBefore = (await stack.sql`SELECT count(*)::int AS n FROM receipts`)[0]!.n;
    const refused = await stack.request('POST', `/orders/${over.number}/receipts`, {
      user: 'finance.chen',
      body: { amount: '111.99', method: 'cash', writeOffDifference: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'OVER_TOLERANCE', details: { difference: '1.01', tolerance: '1.00' } });
    expect((await stack.sql`SELECT count(*)::int AS n FROM receipts`)[0]!.n).toBe(receiptsBefore);

    const ok = await stack.request('POST', `/orders/${over.number}/receipts`, {
      user: 'finance.chen',
      body: { amount: '112.00', method: 'cash', writeOffDifference: true },
    });
    expect(ok.status).toBe(200);
    const completed = await result(over.number);
    expect(completed.status).toBe('Completed');
    expect(completed.money.writtenOffTotal).toBe('1.00');
    const entries = await stack.sql`
      SELECT kind, amount::text FROM receivable_entries e JOIN sales_orders o ON o.id = e.order_id WHERE o.number = ${over.number} ORDER BY e.id`;
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ['invoice', '113.00'],
      ['receipt', '-112.00'],
      ['write_off', '-1.00'],
    ]);
  });

  it('the database refuses an allocation twice, beyond the receipt, or beyond the invoice', async () => {
    const { invoice } = await invoicedOrder('C0401');
    const [inv] = await stack.sql`SELECT id, payer_customer_id FROM invoices WHERE number = ${invoice}`;
    const [rc] = await stack.sql`
      INSERT INTO receipts (number, customer_id, idempotency_key, method, amount, received_on, recorded_by)
      VALUES ('RC-TEST-1', ${inv!.payer_customer_id}, 'test/rc/1', 'cash', 50, current_date, 'finance.chen') RETURNING id`;
    const [rc2] = await stack.sql`
      INSERT INTO receipts (number, customer_id, idempotency_key, method, amount, received_on, recorded_by)
      VALUES ('RC-TEST-2', ${inv!.payer_customer_id}, 'test/rc/2', 'cash', 500, current_date, 'finance.chen') RETURNING id`;
    await expect(stack.sql`INSERT INTO receipt_allocations (receipt_id, invoice_id, amount) VALUES (${rc!.id}, ${inv!.id}, 50.01)`).rejects.toMatchObject({
      constraint_name: 'receipt_never_over_allocated',
    });
    await stack.sql`INSERT INTO receipt_allocations (receipt_id, invoice_id, amount) VALUES (${rc!.id}, ${inv!.id}, 50)`;
    await expect(stack.sql`INSERT INTO receipt_allocations (receipt_id, invoice_id, amount) VALUES (${rc!.id}, ${inv!.id}, 1)`).rejects.toMatchObject({ code: '23505' });
    await expect(stack.sql`INSERT INTO receipt_allocations (receipt_id, invoice_id, amount) VALUES (${rc2!.id}, ${inv!.id}, 63.01)`).rejects.toMatchObject({
      constraint_name: 'invoice_never_over_settled',
    });
    await expect(stack.sql`UPDATE receipt_allocations SET amount = 1 WHERE receipt_id = ${rc!.id}`).rejects.toMatchObject({ code: '23514' });
  });

  it('a deposit gates delivery and is applied to the order invoice later', async () => {
    const number = await createOrder('C0002', ROUNDING, { depositRatio: '0.3' });
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect((await live(number)).live.waitingFor).toBe('deposit');
    const early = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'DEPOSIT_NOT_RECEIVED', details: { depositOutstanding: '33.90' } });
    const deposit = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '33.90', method: 'bank_transfer' } });
    expect(deposit.status).toBe(200);
    expect(deposit.body.advance).toBe('33.90');
    expect(deposit.body.order.waitingFor).toBe('delivery');
    expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
    const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(inv.body.order.amountDue).toBe('79.10');
    expect((await live(number)).live.money.advance).toBe('0.00');
    // An older open invoice of C0002 exists: the deposit of this order never goes there.
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '79.10', method: 'cash' } });
    expect((await result(number)).status).toBe('Completed');
  });

  it('a bank notice arrives as a signal and is matched like a receipt', async () => {
    const number = await createOrder('C0201', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '100' }]);
    await approveAndDeliver(number);
    await eventually(() => live(number), (o) => o.live?.invoices.length === 1);
    const res = await stack.request('POST', `/orders/${number}/bank-notices`, { body: { noticeId: 'BOC-2026-0001', amount: '113.00' } });
    expect(res.status).toBe(202);
    expect((await result(number)).status).toBe('Completed');
    const [r] = await stack.sql`SELECT reference, amount::text, allocated_amount::text FROM receipts WHERE reference = 'BOC-2026-0001'`;
    expect(r).toMatchObject({ amount: '113.00', allocated_amount: '113.00' });
  });
});

describe('the finance API describes itself', () => {
  it('lists the receipt, monthly invoice, write-off and report routes in the OpenAPI document', async () => {
    const doc = await stack.request('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/receipts', '/finance/monthly-invoices', '/orders/{number}/write-offs', '/orders/{number}/write-offs/{id}/approve', '/orders/{number}/write-offs/{id}/reject', '/orders/{number}/bank-notices', '/finance/stuck-payments', '/finance/aging', '/finance/statement']),
    );
  });
});
