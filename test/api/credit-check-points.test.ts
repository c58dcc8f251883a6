import { beforeAll, describe, expect, it } from 'vitest';
import { addStock, freshProduct } from '../support/fixtures.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';
import { liveOrder } from '../support/live-order.js';
import { useStack } from '../support/stack.js';

/**
 * Where the credit check runs (approval, delivery, invoice) and whether a breach
 * blocks or warns are settings (设置信用控制参数). Each test has its own customer with
 * DOMAIN.md's terms: limit 1,000,000 with 10% overrun, so 1,100,000 passes and
 * 1,100,000.01 fails.
 */
const stack = useStack();
const admin = 'admin.root';
let product: string;

type Check = { code: string; passed: boolean; warning?: boolean; message: string; details?: Record<string, string> };
const creditChecks = (o: { checks: Check[] }) => o.checks.filter((c) => c.code === 'CREDIT_LIMIT_EXCEEDED');

async function settings(checkPoints: string[], onBreach: 'block' | 'warn') {
  const res = await stack.request('PUT', '/settings/credit', { user: admin, body: { checkPoints, onBreach, defaultLimit: '500000', defaultOverrunRate: '0' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function creditCustomer(name: string, fields: Record<string, string> = {}): Promise<string> {
  const res = await stack.request('POST', '/customers', {
    user: admin,
    body: { name, creditControl: 'customer', creditLimit: '1000000', creditOverrunRate: '0.10', ...fields },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.code;
}

/** An untaxed order, so its gross is quantity × price. */
async function order(customerCode: string, quantity: string, unitPrice: string) {
  const res = await stack.request('POST', '/orders', {
    user: 'clerk.li',
    body: { customerCode, lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity, unitPrice }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order;
}

/** The manager, then the director where the amount asks for a second approval. */
async function approve(number: string) {
  let res = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  if (res.body.order.status === 'Unapproved') res = await stack.request('POST', `/orders/${number}/approve`, { user: 'director.liu', body: {} });
  expect(res.body.order.status).toBe('Approved');
  return res.body.order;
}

/**
 * Approved orders of 1,000,000 and 100,000 (exposure 1,100,000: exactly what is
 * allowed) and one of 0.01 that tips it over. Returns the first and the last.
 */
async function customerAtTheLimit(name: string, fields: Record<string, string> = {}) {
  const customer = await creditCustomer(name, fields);
  const big = await order(customer, '2', '500000');
  await approve(big.number);
  await approve((await order(customer, '1', '100000')).number);
  const tip = await order(customer, '1', '0.01');
  await approve(tip.number);
  return { customer, big: big.number as string, tip: tip.number as string };
}

const deliverOne = (number: string) =>
  stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '1' }] } });
const invoice = (number: string) => stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });

beforeAll(async () => {
  product = await freshProduct(stack.sql, { listPrice: '500000', taxRate: '0' });
  await addStock(stack.sql, product, 'WH-SH', '100');
});

describe('credit check at delivery', () => {
  it('in block mode refuses a delivery one cent over the limit, writing nothing; exactly at the limit it delivers', async () => {
    await settings(['delivery'], 'block');
    const { customer, big, tip } = await customerAtTheLimit('Delivery blocked');
    const stockBefore = await stockOf(stack.sql, product, 'WH-SH');

    const refused = await deliverOne(big);
    expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([422, 'CREDIT_LIMIT_EXCEEDED', 'customerCode']);
    expect(refused.body.error.message).toContain(customer);
    expect(refused.body.error.message).toContain('1100000.01');
    expect(refused.body.error.details).toMatchObject({ customerCode: customer, exposure: '1100000.01', allowed: '1100000.00', point: 'delivery' });
    expect(await stockOf(stack.sql, product, 'WH-SH')).toEqual(stockBefore);
    const after = (await stack.request('GET', `/orders/${big}`)).body;
    expect([after.order.status, after.order.deliveryNotes, after.live.lines[0].deliveredQty]).toEqual(['Approved', [], '0']);
    expect(creditChecks(after.order).filter((c) => c.details?.point === 'delivery')).toEqual([]);

    // Without the 0.01 order the exposure is exactly 1,100,000 (the order being delivered counted once): it passes.
    expect((await stack.request('POST', `/orders/${tip}/cancel`, { user: 'clerk.li', body: { reason: 'customer withdrew' } })).status).toBe(200);
    const delivered = await deliverOne(big);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect((await liveOrder(stack, big)).lines[0].deliveredQty).toBe('1');
    expect((await stockOf(stack.sql, product, 'WH-SH'))!.onHand).toBe(String(Number(stockBefore!.onHand) - 1));
    expect(await stockLedgerMismatches(stack.sql)).toEqual([]);
  });

  it('in warn mode delivers and records the warning on the order and its timeline', async () => {
    await settings(['delivery'], 'warn');
    const { big } = await customerAtTheLimit('Delivery warned');
    const stockBefore = await stockOf(stack.sql, product, 'WH-SH');

    const delivered = await deliverOne(big);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect((await liveOrder(stack, big)).lines[0].deliveredQty).toBe('1');
    expect((await stockOf(stack.sql, product, 'WH-SH'))!.onHand).toBe(String(Number(stockBefore!.onHand) - 1));
    const warned = { passed: false, warning: true, details: { point: 'delivery', exposure: '1100000.01', allowed: '1100000.00', onBreach: 'warn' } };
    expect(delivered.body.deliveryNote).toMatch(/^DN-/);

    const shown = (await stack.request('GET', `/orders/${big}`)).body;
    expect(creditChecks(shown.order).at(-1)).toMatchObject(warned);
    expect(creditChecks(shown.live).at(-1)).toMatchObject(warned);
    const timeline = (await stack.request('GET', `/orders/${big}/timeline`)).body;
    const events = timeline.events.filter((e: { kind: string }) => e.kind === 'notification.credit_warning');
    expect(events.map((e: { summary: string }) => e.summary)).toEqual([expect.stringMatching(/^credit warning at delivery: .*exceeds 1100000\.00/)]);
    // The approval checks on the timeline are those of the approval, not the delivery's warning.
    const checked = timeline.events.find((e: { kind: string }) => e.kind === 'order.checked');
    expect(checked.summary).toBe('checks passed (3)');
  });
});

describe('credit check at delivery, over-delivered (超交)', () => {
  it('counts what ships beyond the ordered quantity as new credit in use', async () => {
    await settings(['delivery'], 'block');
    const tolerant = await freshProduct(stack.sql, { listPrice: '100000', taxRate: '0', overDeliveryRate: '0.10' });
    await addStock(stack.sql, tolerant, 'WH-SH', '20');
    const customer = await creditCustomer('Over-delivered');
    const res = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: customer, lines: [{ productCode: tolerant, warehouseCode: 'WH-SH', quantity: '10', unitPrice: '100000' }] },
    });
    await approve(res.body.order.number);
    await approve((await order(customer, '1', '100000')).number);
    // Exposure 1,100,000 exactly: the 10 ordered pass, an 11th (within the 10% rate) is 100,000 more.
    const eleven = await stack.request('POST', `/orders/${res.body.order.number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '11' }] } });
    expect([eleven.status, eleven.body.error?.code]).toEqual([422, 'CREDIT_LIMIT_EXCEEDED']);
    expect(eleven.body.error.details).toMatchObject({ exposure: '1200000.00', allowed: '1100000.00' });
    expect((await stockOf(stack.sql, tolerant, 'WH-SH'))!.onHand).toBe('20');
    const ten = await stack.request('POST', `/orders/${res.body.order.number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '10' }] } });
    expect(ten.status, JSON.stringify(ten.body)).toBe(200);
    expect((await stockOf(stack.sql, tolerant, 'WH-SH'))!.onHand).toBe('10');
  });
});

describe('credit check at invoicing', () => {
  it('in block mode refuses the invoice and writes nothing; in warn mode invoices with a warning', async () => {
    await settings(['invoice'], 'block');
    const { customer, big } = await customerAtTheLimit('Invoice checked');
    // The delivery point is off: over the limit, the goods still leave.
    const delivered = await stack.request('POST', `/orders/${big}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '2' }] } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);

    const refused = await invoice(big);
    expect([refused.status, refused.body.error.code]).toEqual([422, 'CREDIT_LIMIT_EXCEEDED']);
    expect(refused.body.error.details).toMatchObject({ customerCode: customer, exposure: '1100000.01', allowed: '1100000.00', point: 'invoice' });
    const receivables = await stack.sql`SELECT 1 FROM receivable_entries e JOIN customers c ON c.id = e.customer_id WHERE c.code = ${customer}`;
    expect(receivables.length).toBe(0);
    expect((await stack.request('GET', `/orders/${big}`)).body.order.invoices).toEqual([]);

    await settings(['invoice'], 'warn');
    const invoiced = await invoice(big);
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    expect(invoiced.body.gross).toBe('1000000.00');
    expect(creditChecks(await liveOrder(stack, big)).at(-1)).toMatchObject({ warning: true, details: { point: 'invoice', exposure: '1100000.01' } });
    expect(creditChecks((await stack.request('GET', `/orders/${big}`)).body.order).map((c) => c.details?.point)).toEqual(['approval', 'invoice']);
  });

  it('never stalls an automatic invoice (直接开票): in block mode its breach is recorded as a warning', async () => {
    await settings(['invoice'], 'block');
    const { big } = await customerAtTheLimit('Invoiced per delivery', { invoiceMode: 'per_delivery' });
    const delivered = await deliverOne(big);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    let shown: { order: { invoices: unknown[]; checks: Check[] } } | undefined;
    for (let i = 0; i < 50 && !shown?.order.invoices.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      shown = (await stack.request('GET', `/orders/${big}`)).body;
    }
    expect(shown!.order.invoices).toMatchObject([{ gross: '500000.00' }]);
    expect(creditChecks(shown!.order).at(-1)).toMatchObject({ warning: true, details: { point: 'invoice', onBreach: 'block', exposure: '1100000.01' } });
  });

  it('with the delivery and invoice points off, nothing is checked there even over the limit', async () => {
    await settings(['approval'], 'block');
    const customer = await creditCustomer('Points off');
    const big = await order(customer, '2', '500000');
    await approve(big.number);
    // An open receivable from elsewhere takes the customer one cent over.
    await stack.sql`INSERT INTO receivable_entries (idempotency_key, customer_id, kind, amount)
                    SELECT ${`test/points-off/${customer}`}, id, 'invoice', 100000.01 FROM customers WHERE code = ${customer}`;
    const delivered = await stack.request('POST', `/orders/${big.number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '2' }] } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect((await invoice(big.number)).status).toBe(200);
    const shown = (await stack.request('GET', `/orders/${big.number}`)).body;
    expect(creditChecks(shown.order).map((c) => c.details?.point)).toEqual(['approval']);
    expect(creditChecks(shown.live).map((c) => c.details?.point)).toEqual(['approval']);
    const notes = await stack.sql`SELECT 1 FROM notifications WHERE order_number = ${big.number} AND kind = 'credit_warning'`;
    expect(notes.length).toBe(0);
  });
});

describe('credit check at approval', () => {
  /** Approved orders of 1,000,000 and 0.01; an order of 100,000 then brings the exposure to 1,100,000.01. */
  async function overTheLimitByOneOrder(name: string) {
    const customer = await creditCustomer(name);
    await approve((await order(customer, '2', '500000')).number);
    await approve((await order(customer, '1', '0.01')).number);
    return order(customer, '1', '100000');
  }
  const pendingRoles = (o: { pendingApprovals?: { role: string }[] }) => (o.pendingApprovals ?? []).map((r) => r.role);

  it('in warn mode shows the breach to the approver but needs no credit controller', async () => {
    await settings(['approval'], 'warn');
    const over = await overTheLimitByOneOrder('Approval warned');
    expect(creditChecks(over)).toMatchObject([{ passed: false, warning: true, details: { exposure: '1100000.01', allowed: '1100000.00', onBreach: 'warn' } }]);
    expect(creditChecks(over)[0]!.message).toMatch(/exceeds 1100000\.00 \(warning only, at approval\)/);
    const approved = await stack.request('POST', `/orders/${over.number}/approve`, { user: 'manager.wang', body: {} });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    // The manager's approval alone completes it: the warning asked for no credit controller.
    expect([approved.body.order.status, pendingRoles(approved.body.order)]).toEqual(['Approved', []]);
    expect(creditChecks(await liveOrder(stack, over.number))).toMatchObject([{ warning: true }]);
    const given = await stack.sql`SELECT role FROM order_approvals a JOIN sales_orders o ON o.id = a.order_id WHERE o.number = ${over.number}`;
    expect(given.map((g) => g.role)).toEqual(['approver']);
  });

  it('in block mode the breach still needs the credit controller', async () => {
    await settings(['approval'], 'block');
    const over = await overTheLimitByOneOrder('Approval blocked');
    expect(creditChecks(over)).toMatchObject([{ passed: false, details: { exposure: '1100000.01', onBreach: 'block' } }]);
    expect(creditChecks(over)[0]!.warning).toBeUndefined();
    const first = await stack.request('POST', `/orders/${over.number}/approve`, { user: 'manager.wang', body: {} });
    expect([first.body.order.status, pendingRoles(first.body.order)]).toEqual(['Unapproved', ['credit_controller']]);
    const second = await stack.request('POST', `/orders/${over.number}/approve`, { user: 'credit.sun', body: {} });
    expect(second.body.order.status).toBe('Approved');
  });
});
