import { beforeAll, describe, expect, it } from 'vitest';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

type Line = { productCode: string; warehouseCode: string; quantity: string; unitPrice?: string };

async function approvedOrder(customerCode: string, lines: Line[]) {
  const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines } });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  return number;
}

async function deliver(number: string, lines?: { lineNo: number; quantity: string }[]) {
  const res = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: lines ? { lines } : {} });
  expect(res.status).toBe(200);
  return res.body.deliveryNote as string;
}

const invoice = async (number: string) => {
  const res = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
  expect(res.status).toBe(200);
  return res.body as { invoice: string; gross: string };
};
const returnGoods = (number: string, body: unknown, headers: Record<string, string> = {}) =>
  stack.request('POST', `/orders/${number}/returns`, { user: 'warehouse.zhao', body, headers });
const order = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body;

/** What the payer owes by its ledger (negative: the company owes the customer). */
async function ledgerOf(customerCode: string) {
  const [row] = await stack.sql<{ open: string; invoices: string; credits: string; receipts: string; write_offs: string }[]>`
    SELECT coalesce(sum(e.amount), 0)::text AS open,
           coalesce(sum(e.amount) FILTER (WHERE kind = 'invoice'), 0)::text AS invoices,
           coalesce(-sum(e.amount) FILTER (WHERE kind = 'credit_note'), 0)::text AS credits,
           coalesce(-sum(e.amount) FILTER (WHERE kind = 'receipt'), 0)::text AS receipts,
           coalesce(-sum(e.amount) FILTER (WHERE kind = 'write_off'), 0)::text AS write_offs
    FROM receivable_entries e JOIN customers c ON c.id = e.customer_id WHERE c.code = ${customerCode}`;
  return row!;
}

beforeAll(async () => {
  await stack.sql`INSERT INTO customers (code, name, settlement_days) VALUES ('C0501', 'Returns buyer', 30), ('C0502', 'Paid-up buyer', 30), ('C0503', 'Allowance buyer', 30), ('C0504', 'Refunded buyer', 30)`;
});

describe('returns (销退)', () => {
  it('brings goods back into the chosen warehouse and reopens the line for redelivery; nothing invoiced, no credit note', async () => {
    const number = await approvedOrder('C0501', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' }]);
    const note = await deliver(number);
    const bj = (await stockOf(stack.sql, 'P0003', 'WH-BJ'))!.onHand;
    const res = await returnGoods(number, { deliveryNote: note, warehouseCode: 'WH-BJ', disposition: 'redeliver', reason: 'wrong length', lines: [{ lineNo: 1, quantity: '4' }] });
    expect(res.status).toBe(200);
    expect(res.body.creditNote).toBeNull();
    expect(res.body.order.status).toBe('PartiallyDelivered');
    expect((await liveOrder(stack, number)).lines[0]).toMatchObject({ deliveredQty: '6', returnedQty: '4', closeStatus: 'N' });
    expect((await stockOf(stack.sql, 'P0003', 'WH-BJ'))!.onHand).toBe(String(Number(bj) + 4));
    const doc = await order(number);
    expect(doc.order.status).toBe('PartiallyDelivered');
    expect(doc.order.lines[0]).toMatchObject({ deliveredQty: '6', returnedQty: '4', closeStatus: 'N' });
    expect(doc.order.returns[0]).toMatchObject({ kind: 'return', deliveryNote: note, warehouseCode: 'WH-BJ', disposition: 'redeliver', gross: '0.00' });
    // Delivered again and invoiced once: 10 × 3.50 = 35.00 + 4.55.
    await deliver(number, [{ lineNo: 1, quantity: '4' }]);
    expect((await invoice(number)).gross).toBe('39.55');
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('never returns more than the delivery note line delivered less what came back from it; a refused return writes nothing', async () => {
    const number = await approvedOrder('C0501', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' }]);
    const first = await deliver(number, [{ lineNo: 1, quantity: '5' }]);
    await deliver(number, [{ lineNo: 1, quantity: '5' }]);
    const tooMuch = await returnGoods(number, { deliveryNote: first, disposition: 'redeliver', reason: 'x', lines: [{ lineNo: 1, quantity: '10.5' }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'OVER_RETURN', field: 'lines[0].quantity' });
    expect((await returnGoods(number, { deliveryNote: first, disposition: 'redeliver', reason: 'damaged', lines: [{ lineNo: 1, quantity: '5' }] })).status).toBe(200);
    const sh = await stockOf(stack.sql, 'P0003', 'WH-SH');
    const [{ n: before }] = (await stack.sql`SELECT count(*)::int AS n FROM sales_returns`) as unknown as [{ n: number }];
    // The order line still holds 5 delivered, but not on this note.
    const again = await returnGoods(number, { deliveryNote: first, disposition: 'redeliver', reason: 'more', lines: [{ lineNo: 1, quantity: '1' }] });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'OVER_RETURN', field: 'lines[0].quantity' });
    const [{ n: after }] = (await stack.sql`SELECT count(*)::int AS n FROM sales_returns`) as unknown as [{ n: number }];
    expect(after).toBe(before);
    expect(await stockOf(stack.sql, 'P0003', 'WH-SH')).toEqual(sh);
    expect((await order(number)).live.lines[0]).toMatchObject({ deliveredQty: '5', returnedQty: '5' });
    const unknownNote = await returnGoods(number, { deliveryNote: 'DN-19990101-0001', disposition: 'redeliver', reason: 'x', lines: [{ lineNo: 1, quantity: '1' }] });
    expect(unknownNote.status).toBe(404);
    expect(unknownNote.body.error.field).toBe('deliveryNote');
    const badDisposition = await returnGoods(number, { deliveryNote: first, disposition: 'maybe', reason: 'x', lines: [{ lineNo: 1, quantity: '1' }] });
    expect(badDisposition.status).toBe(400);
    expect(badDisposition.body.error.field).toBe('disposition');
    const byFinance = await stack.request('POST', `/orders/${number}/returns`, {
      user: 'finance.chen',
      body: { deliveryNote: first, disposition: 'redeliver', reason: 'x', lines: [{ lineNo: 1, quantity: '1' }] },
    });
    expect(byFinance.status).toBe(403);
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('is idempotent: the same Idempotency-Key records one return', async () => {
    const number = await approvedOrder('C0501', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '6', unitPrice: '3.50' }]);
    const note = await deliver(number);
    const body = { deliveryNote: note, disposition: 'cancel_remainder', reason: 'rejected by customer', lines: [{ lineNo: 1, quantity: '2' }] };
    const a = await returnGoods(number, body, { 'idempotency-key': `ret-${number}` });
    const b = await returnGoods(number, body, { 'idempotency-key': `ret-${number}` });
    expect(a.status).toBe(200);
    expect(b.body.salesReturn).toBe(a.body.salesReturn);
    const doc = await order(number);
    expect(doc.order.returns).toHaveLength(1);
    // A rejection does not reopen the line: its remainder is cancelled (指定结束).
    expect(doc.live.lines[0]).toMatchObject({ deliveredQty: '4', closeStatus: 'y' });
    expect(doc.order.status).toBe('Delivered');
  });
});

describe("returns racing the order's completion", () => {
  it('a return sent right after the payment completes the order, and its retries with the same key, record one return', async () => {
    for (let i = 0; i < 3; i++) {
      const number = await approvedOrder('C0501', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '3.50' }]);
      const note = await deliver(number);
      const inv = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
      await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: inv.body.order.amountDue, method: 'cash' } });
      const body = { deliveryNote: note, disposition: 'cancel_remainder', reason: 'late complaint', lines: [{ lineNo: 1, quantity: '1' }] };
      const headers = { 'idempotency-key': `late-${number}` };
      const first = await returnGoods(number, body, headers);
      const again = await returnGoods(number, body, headers);
      await stack.client.workflow.getHandle(`order-${number}`).result();
      const later = await returnGoods(number, body, headers);
      expect([first.status, again.status, later.status]).toEqual([200, 200, 200]);
      expect(new Set([first.body.salesReturn, again.body.salesReturn, later.body.salesReturn]).size).toBe(1);
      const doc = await order(number);
      expect(doc.order.returns).toHaveLength(1);
      expect(doc.order.lines[0]).toMatchObject({ deliveredQty: '2', returnedQty: '1' });
      await stack.client.workflow.getHandle(`order-${number}`).result();
      expect((await order(number)).order.status).toBe('Completed');
    }
  });
});

describe('credit notes', () => {
  it('a return after full payment leaves the customer a credit of exactly the returned amount including tax, which the next invoice takes', async () => {
    const number = await approvedOrder('C0502', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' }]);
    const note = await deliver(number);
    const inv = await invoice(number);
    expect(inv.gross).toBe('113.00');
    const paid = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '113.00', method: 'bank_transfer' } });
    expect(paid.status).toBe(200);
    // Paid and delivered: the order completes and its workflow ends.
    await stack.client.workflow.getHandle(`order-${number}`).result();
    expect((await order(number)).order.status).toBe('Completed');

    const res = await returnGoods(number, { deliveryNote: note, disposition: 'cancel_remainder', reason: 'one reel damaged', lines: [{ lineNo: 1, quantity: '1' }] });
    expect(res.status).toBe(200);
    // 1 × 33.333 = 33.33 net, 4.33 tax (4.3329).
    expect(res.body.creditGross).toBe('37.66');
    expect(res.body.customerCredit).toBe('37.66');
    expect(res.body.creditNote).toMatch(/^CN-/);
    await stack.client.workflow.getHandle(`order-${number}`).result();
    const doc = await order(number);
    expect(doc.order.status).toBe('Completed');
    expect(doc.order.creditNotes).toEqual([expect.objectContaining({ invoice: inv.invoice, net: '33.33', tax: '4.33', gross: '37.66', applied: '0.00' })]);
    expect(doc.order.lines[0]).toMatchObject({ deliveredQty: '2', invoicedQty: '2', returnedQty: '1', closeStatus: 'y' });
    expect(await ledgerOf('C0502')).toEqual({ open: '-37.66', invoices: '113.00', credits: '37.66', receipts: '113.00', write_offs: '0' });
    const today = doc.order.creditNotes[0].issuedOn as string;
    const statement = (await stack.request('GET', `/finance/statement?customer=C0502&from=${today}&to=${today}`, { user: 'finance.chen' })).body;
    expect(statement.lines.map((l: { kind: string; document: string; amount: string; balance: string }) => [l.kind, l.document, l.amount, l.balance])).toEqual([
      ['invoice', inv.invoice, '113.00', '113.00'],
      ['receipt', expect.stringMatching(/^RC-/), '-113.00', '0.00'],
      ['credit_note', res.body.creditNote, '-37.66', '-37.66'],
    ]);
    expect(statement.totals.creditNotes).toBe('-37.66');
    const timeline = (await stack.request('GET', `/orders/${number}/timeline`)).body.events as { kind: string; summary: string }[];
    expect(timeline.find((e) => e.kind === 'return.recorded')?.summary).toContain('one reel damaged');
    expect(timeline.find((e) => e.kind === 'credit_note.issued')?.summary).toContain('37.66');

    // The next invoice takes the credit at once: 10 × 3.50 = 35.00 + 4.55 = 39.55, 37.66 of it credited.
    const next = await approvedOrder('C0502', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' }]);
    await deliver(next);
    const second = await invoice(next);
    expect(second.gross).toBe('39.55');
    const nextDoc = await order(next);
    expect(nextDoc.live.amountDue).toBe('1.89');
    expect(await ledgerOf('C0502')).toMatchObject({ open: '1.89', credits: '37.66' });
    const [cn] = await stack.sql`SELECT allocated_amount::text FROM credit_notes WHERE number = ${res.body.creditNote}`;
    expect(cn!.allocated_amount).toBe('37.66');
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('an allowance settles part of the open invoice, never more than was invoiced', async () => {
    const number = await approvedOrder('C0503', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' }]);
    await deliver(number);
    const onHand = await stockOf(stack.sql, 'P0003', 'WH-SH');
    const inv = await invoice(number);
    expect(inv.gross).toBe('39.55');
    const allow = (body: unknown, user = 'clerk.li') => stack.request('POST', `/orders/${number}/allowances`, { user, body });
    const res = await allow({ reason: 'late delivery', lines: [{ lineNo: 1, amount: '5.00' }] });
    expect(res.status).toBe(200);
    // 5.00 + 0.65 tax.
    expect(res.body.creditGross).toBe('5.65');
    expect(res.body.customerCredit).toBe('0.00');
    expect(res.body.order.amountDue).toBe('33.90');
    expect(await stockOf(stack.sql, 'P0003', 'WH-SH')).toEqual(onHand);
    const over = await allow({ reason: 'more', lines: [{ lineNo: 1, amount: '30.01' }] });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'OVER_ALLOWANCE', field: 'lines[0].amount' });
    const fractions = await allow({ reason: 'x', lines: [{ lineNo: 1, amount: '1.005' }] });
    expect(fractions.status).toBe(400);
    expect(fractions.body.error.field).toBe('lines[0].amount');
    expect((await allow({ reason: 'x', lines: [{ lineNo: 1, amount: '1.00' }] }, 'warehouse.zhao')).status).toBe(403);
    const [row] = await stack.sql`SELECT credited_amount::text, paid_amount::text FROM invoices WHERE number = ${inv.invoice}`;
    expect(row).toEqual({ credited_amount: '5.65', paid_amount: '0.00' });
    // Paying the rest settles the order.
    const paid = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '33.90', method: 'cash' } });
    expect(paid.status).toBe(200);
    const done = await stack.client.workflow.getHandle(`order-${number}`).result();
    expect(done.status).toBe('Completed');
    expect(await ledgerOf('C0503')).toEqual({ open: '0.00', invoices: '39.55', credits: '5.65', receipts: '33.90', write_offs: '0' });
  });

  it("pays the customer's credit back (退款): never more than it has, once per key, and the ledger returns to zero", async () => {
    const number = await approvedOrder('C0504', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' }]);
    const note = await deliver(number);
    await invoice(number);
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '113.00', method: 'cash' } });
    await stack.client.workflow.getHandle(`order-${number}`).result();
    await returnGoods(number, { deliveryNote: note, disposition: 'cancel_remainder', reason: 'defect', lines: [{ lineNo: 1, quantity: '1' }] });
    const credit = await stack.request('GET', '/finance/customer-credit?customer=C0504', { user: 'finance.chen' });
    expect(credit.body).toMatchObject({ customerCode: 'C0504', credit: '37.66' });
    expect(credit.body.creditNotes).toHaveLength(1);

    const refund = (amount: string, key: string, user = 'finance.chen') =>
      stack.request('POST', '/finance/refunds', { user, body: { payerCode: 'C0504', amount, method: 'bank_transfer' }, headers: { 'idempotency-key': key } });
    const tooMuch = await refund('37.67', `too-much-${number}`);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'OVER_REFUND', field: 'amount', details: { credit: '37.66' } });
    expect((await refund('1.00', `clerk-${number}`, 'clerk.li')).status).toBe(403);
    const part = await refund('30.00', `part-${number}`);
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ amount: '30.00', creditLeft: '7.66', creditNotes: [{ amount: '30.00' }] });
    expect((await refund('30.00', `part-${number}`)).body.number).toBe(part.body.number);
    const rest = await refund('7.66', `rest-${number}`);
    expect(rest.body.creditLeft).toBe('0.00');
    expect(await ledgerOf('C0504')).toMatchObject({ open: '0.00', invoices: '113.00', credits: '37.66', receipts: '113.00' });
    expect((await stack.request('GET', '/finance/customer-credit?customer=C0504', { user: 'finance.chen' })).body.credit).toBe('0.00');
    const none = await refund('0.01', `none-${number}`);
    expect(none.body.error).toMatchObject({ code: 'OVER_REFUND', details: { credit: '0.00' } });
    const [{ n }] = (await stack.sql`SELECT count(*)::int AS n FROM refunds r JOIN customers c ON c.id = r.customer_id WHERE c.code = 'C0504'`) as unknown as [{ n: number }];
    expect(n).toBe(2);
  });
});
