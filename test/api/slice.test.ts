import { describe, expect, it } from 'vitest';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';

const stack = useStack();

type Line = { productCode: string; warehouseCode: string; quantity: string; unitPrice?: string };

async function createOrder(lines: Line[] = [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' }], user = 'clerk.li') {
  const res = await stack.request('POST', '/orders', { user, body: { customerCode: 'C0001', lines } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

describe('one order from creation to completion', () => {
  it('creates, approves, delivers in two notes, invoices, receives and completes with exact amounts', async () => {
    const before = await stockOf(stack.sql, 'P0001', 'WH-SH');
    const number = await createOrder([
      { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' },
      { productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '2500' },
    ]);
    expect(number).toMatch(new RegExp(`^${stack.orderPrefix}-\\d{8}-0001$`));

    const created = await stack.request('GET', `/orders/${number}`, { user: 'clerk.li' });
    expect(created.body.order.status).toBe('Unapproved');
    // 3 × 33.333 = 99.999 → 100.00 net, 13.00 tax; 2 × 2500 = 5000.00 net, 650.00 tax.
    expect(created.body.order.totals).toEqual({ net: '5100.00', tax: '663.00', gross: '5763.00' });
    expect(created.body.live.waitingFor).toBe('approval');

    // 33.333 is under P0001's floor (120.00 × 80% = 96): the manager's approval is not enough on its own.
    const first_ = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect(first_.status).toBe(200);
    expect(first_.body.order.status).toBe('Unapproved');
    expect(first_.body.order.pendingApprovals).toEqual([expect.objectContaining({ role: 'credit_controller' })]);
    expect((await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved).toBe(before!.reserved);
    const approved = await stack.request('POST', `/orders/${number}/approve`, { user: 'credit.sun', body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.order.status).toBe('Approved');
    expect(await stockOf(stack.sql, 'P0001', 'WH-SH')).toEqual({ onHand: before!.onHand, reserved: '3' });

    const first = await stack.request('POST', `/orders/${number}/deliver`, {
      user: 'warehouse.zhao',
      body: { lines: [{ lineNo: 1, quantity: '1' }], carrier: 'SF Express', trackingNumber: 'SF100200300' },
    });
    expect(first.status).toBe(200);
    expect(first.body.order.status).toBe('PartiallyDelivered');
    expect(await stockOf(stack.sql, 'P0001', 'WH-SH')).toEqual({ onHand: String(Number(before!.onHand) - 1), reserved: '2' });

    const rest = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(rest.status).toBe(200);
    expect(rest.body.order.status).toBe('Delivered');
    expect((await liveOrder(stack, number)).lines.map((l: { deliveredQty: string; closeStatus: string }) => [l.deliveredQty, l.closeStatus])).toEqual([
      ['3', 'Y'],
      ['2', 'Y'],
    ]);
    expect(await stockOf(stack.sql, 'P0001', 'WH-SH')).toEqual({ onHand: String(Number(before!.onHand) - 3), reserved: '0' });

    const invoice = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(invoice.status).toBe(200);
    expect(invoice.body.gross).toBe('5763.00');
    expect(invoice.body.order.amountDue).toBe('5763.00');
    // C0001 settles in 30 days.
    const issued = new Date(`${invoice.body.dueOn}T00:00:00Z`).getTime() - 30 * 86_400_000;
    expect(new Date(issued).toISOString().slice(0, 10)).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const receipt = await stack.request('POST', `/orders/${number}/receipts`, {
      user: 'finance.chen',
      body: { amount: '5763.00', method: 'bank_transfer' },
    });
    expect(receipt.status).toBe(200);
    expect(receipt.body.allocations).toEqual([{ invoiceNumber: invoice.body.invoice, amount: '5763.00' }]);

    const handle = stack.client.workflow.getHandle(`order-${number}`);
    const result = await handle.result();
    expect(result.status).toBe('Completed');
    const done = await stack.request('GET', `/orders/${number}`, { user: 'clerk.li' });
    expect(done.body.order.status).toBe('Completed');
    expect(done.body.order.deliveryNotes).toHaveLength(2);
    expect(done.body.order.deliveryNotes[0]).toMatchObject({ carrier: 'SF Express', trackingNumber: 'SF100200300' });
    expect(done.body.order.invoices).toEqual([expect.objectContaining({ gross: '5763.00', paid: '5763.00' })]);
    const [receivable] = await stack.sql`SELECT sum(amount)::text AS open FROM receivable_entries re JOIN sales_orders o ON o.id = re.order_id WHERE o.number = ${number}`;
    expect(receivable!.open).toBe('0.00');
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });

  it('lists orders from Postgres', async () => {
    const number = await createOrder();
    const list = await stack.request('GET', '/orders?status=Unapproved', { user: 'clerk.li' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { number: string }) => o.number)).toContain(number);
  });
});

describe('bad input gets a 4xx naming the code and field, and writes nothing', () => {
  async function counts() {
    const [row] = await stack.sql`
      SELECT (SELECT count(*) FROM sales_orders)::int AS orders, (SELECT count(*) FROM delivery_notes)::int AS notes,
             (SELECT count(*) FROM invoices)::int AS invoices, (SELECT count(*) FROM receipts)::int AS receipts,
             (SELECT count(*) FROM stock_moves)::int AS moves`;
    return row;
  }

  it('a body that is not JSON', async () => {
    const before = await counts();
    const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: '{"customerCode": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a missing customer', { lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] }, 'customerCode'],
    ['no lines', { customerCode: 'C0001', lines: [] }, 'lines'],
    ['a zero quantity', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '0' }] }, 'lines[0].quantity'],
    ['a negative quantity', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '-2' }] }, 'lines[0].quantity'],
    ['a quantity as a number', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: 2 }] }, 'lines[0].quantity'],
    ['a negative price', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '-5' }] }, 'lines[0].unitPrice'],
  ])('%s → 400 VALIDATION_FAILED', async (_name, body, field) => {
    const before = await counts();
    const res = await stack.request('POST', '/orders', { user: 'clerk.li', body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(await counts()).toEqual(before);
  });

  it('a missing token → 401', async () => {
    const res = await stack.request('POST', '/orders', { anonymous: true, body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] } });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', field: 'authorization' });
  });

  it.each([
    ['an unknown customer', { customerCode: 'C9999', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] }, 'UNKNOWN_CUSTOMER', 'customerCode'],
    ['a blocked customer', { customerCode: 'C0003', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }] }, 'CUSTOMER_BLOCKED', 'customerCode'],
    ['an unknown product', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1' }, { productCode: 'NOPE', warehouseCode: 'WH-SH', quantity: '1' }] }, 'UNKNOWN_PRODUCT', 'lines[1].productCode'],
    ['an unknown warehouse', { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-XX', quantity: '1' }] }, 'UNKNOWN_WAREHOUSE', 'lines[0].warehouseCode'],
  ])('%s → 422', async (_name, body, code, field) => {
    const before = await counts();
    const res = await stack.request('POST', '/orders', { user: 'clerk.li', body });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code, field });
    expect(await counts()).toEqual(before);
  });

  it('approving twice → 409 INVALID_STATE; approving your own order → 403 SELF_APPROVAL', async () => {
    // Only a role that may approve can meet the self-approval rule: an admin creating and approving.
    const number = await createOrder(undefined, 'admin.root');
    const own = await stack.request('POST', `/orders/${number}/approve`, { user: 'admin.root', body: {} });
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'SELF_APPROVAL', field: 'actor' });
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const moves = (await counts())!.moves;
    const again = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INVALID_STATE', field: 'status' });
    expect((await counts())!.moves).toBe(moves);
  });

  it('delivering more than ordered → 422 OVER_DELIVERY naming the line quantity; nothing moves', async () => {
    const number = await createOrder();
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    const before = await counts();
    const res = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '4' }] } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'OVER_DELIVERY', field: 'lines[0].quantity', details: { remaining: '3' } });
    const unknownLine = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 9 }] } });
    expect(unknownLine.status).toBe(404);
    expect(unknownLine.body.error.field).toBe('lines[0].lineNo');
    expect(await counts()).toEqual(before);
  });

  it('delivering before approval → 409; invoicing with nothing delivered → 409; paying more than due → 422', async () => {
    const number = await createOrder();
    const early = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('INVALID_STATE');
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    const invoice = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(invoice.status).toBe(409);
    expect(invoice.body.error.code).toBe('NOTHING_TO_INVOICE');
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    const over = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '113.01', method: 'cash' } });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'OVER_PAYMENT', field: 'amount', details: { amountDue: '113.00' } });
  });

  it('an unknown order → 404', async () => {
    const res = await stack.request('GET', `/orders/${stack.orderPrefix}-20260101-9999`, { user: 'clerk.li' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('idempotency', () => {
  it('the same Idempotency-Key creates one order and delivers once', async () => {
    const body = { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '10' }] };
    const a = await stack.request('POST', '/orders', { user: 'clerk.li', body, headers: { 'idempotency-key': 'create-abc-123' } });
    const b = await stack.request('POST', '/orders', { user: 'clerk.li', body, headers: { 'idempotency-key': 'create-abc-123' } });
    // The repeat gets the first response again (status and body).
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.order.number).toBe(a.body.order.number);
    const number = a.body.order.number;
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    const deliver = () =>
      stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '4' }] }, headers: { 'idempotency-key': 'deliver-once-1' } });
    const [d1, d2] = [await deliver(), await deliver()];
    expect(d1.status).toBe(200);
    expect(d2.status).toBe(200);
    expect(d2.body.deliveryNote).toBe(d1.body.deliveryNote);
    const notes = await stack.sql`SELECT count(*)::int AS n FROM delivery_notes d JOIN sales_orders o ON o.id = d.order_id WHERE o.number = ${number}`;
    expect(notes[0]!.n).toBe(1);
  });
});

describe('cancel', () => {
  it('an approved order gives its reservations back', async () => {
    const before = await stockOf(stack.sql, 'P0003', 'WH-SH');
    const number = await createOrder([{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '25' }]);
    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect((await stockOf(stack.sql, 'P0003', 'WH-SH'))!.reserved).toBe(String(Number(before!.reserved) + 25));
    const res = await stack.request('POST', `/orders/${number}/cancel`, { user: 'clerk.li', body: { reason: 'customer withdrew' } });
    expect(res.status).toBe(200);
    expect(res.body.order.status).toBe('Cancelled');
    expect(await stockOf(stack.sql, 'P0003', 'WH-SH')).toEqual(before);
    const after = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    expect(after.status).toBe(409);
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });
});

describe('the API describes itself', () => {
  it('serves an OpenAPI document built from the request schemas, and a docs page', async () => {
    const doc = await stack.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{number}', '/orders/{number}/approve', '/orders/{number}/deliver']));
    expect(doc.body.components.schemas.CreateOrder.properties.lines).toBeDefined();
    const docs = await stack.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });
});
