import { beforeAll, describe, expect, it } from 'vitest';
import { orderPrint } from '../../db/documents/sales.js';
import { addDays, businessDate } from '../../domain/calendar.js';
import { useStack } from '../support/stack.js';

/**
 * The order's header (issue 17, drafts): ship-to and contact chosen from the customer's own, salesperson and
 * department, deposit as a ratio or an amount, payment terms that win over the payer's.
 * C0002 (seed): net 60 days, deposit ratio 0. One line of P0003 3 × 33.333 is 100.00 + 13.00 = 113.00.
 */
const stack = useStack();
const LINE = { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' };
const ZONE = 'Asia/Shanghai';

const create = (body: Record<string, unknown>, user = 'clerk.li') =>
  stack.request('POST', '/orders', { user, body: { customerCode: 'C0002', lines: [LINE], ...body } });
const read = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body;
const orderCount = async () => Number((await stack.sql`SELECT count(*) FROM sales_orders`)[0]!.count);

async function created(body: Record<string, unknown>, user = 'clerk.li'): Promise<string> {
  const res = await create(body, user);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order.number as string;
}

async function approvedAndDelivered(number: string) {
  expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
}

async function approveChange(number: string, version: string) {
  const res = await stack.request('POST', `/orders/${number}/changes/${version}/approve`, { user: 'manager.wang', body: {} });
  expect(res.body.change?.status, JSON.stringify(res.body)).toBe('applied');
}

const ADDRESSES = [
  { label: '总部', address: '北京市海淀区中关村大街 1 号', contact: '刘工', phone: '010-12345678', isDefault: true },
  { label: '大兴仓', address: '北京市大兴区物流园 8 号', contact: '赵库管', phone: '010-87654321' },
];

beforeAll(async () => {
  const north = await stack.request('PATCH', '/customers/C0002', {
    user: 'clerk.li',
    body: { addresses: ADDRESSES, contacts: [{ name: '王经理', phone: '13800000000' }, { name: '李会计' }] },
  });
  expect(north.status, JSON.stringify(north.body)).toBe(200);
  const east = await stack.request('PATCH', '/customers/C0001', {
    user: 'clerk.li',
    body: { addresses: [{ label: '上海仓', address: '上海市浦东新区 9 号', isDefault: true }], contacts: [{ name: '陈总' }] },
  });
  expect(east.status, JSON.stringify(east.body)).toBe(200);
});

describe('order header on entry', () => {
  it('keeps a copy of the chosen address and contact, the salesperson and department, and prints them', async () => {
    const number = await created({ shipTo: '大兴仓', contact: '王经理', salesperson: 'clerk.zhang', department: '华北销售部', depositAmount: '50.00' });
    expect((await read(number)).order.header).toEqual({
      shipTo: { label: '大兴仓', address: '北京市大兴区物流园 8 号', contact: '王经理', phone: '13800000000' },
      salesperson: 'clerk.zhang',
      department: '华北销售部',
      depositRatio: null,
      depositAmount: '50.00',
      depositRequired: '50.00',
      paymentTerms: null,
    });
    // The customer moves its warehouse: the saved (and printed) order still shows where it was sent.
    const moved = ADDRESSES.map((a) => (a.label === '大兴仓' ? { ...a, address: '天津市武清区 3 号' } : a));
    expect((await stack.request('PATCH', '/customers/C0002', { user: 'clerk.li', body: { addresses: moved } })).status).toBe(200);
    expect((await read(number)).order.header.shipTo.address).toBe('北京市大兴区物流园 8 号');
    const printed = await orderPrint(stack.sql, ZONE, number);
    expect(printed!.facts).toEqual(
      expect.arrayContaining([
        { key: 'shipTo', value: '大兴仓: 北京市大兴区物流园 8 号' },
        { key: 'contact', value: '王经理 13800000000' },
        { key: 'salesperson', value: 'clerk.zhang' },
        { key: 'department', value: '华北销售部' },
        { key: 'depositRequired', value: '50.00' },
      ]),
    );
    expect((await stack.request('PATCH', '/customers/C0002', { user: 'clerk.li', body: { addresses: ADDRESSES } })).status).toBe(200);
  });

  it("omitted: the customer's default address with its own contact, the sale credited to whoever enters it, the customer's deposit ratio", async () => {
    await stack.sql`UPDATE customers SET deposit_ratio = 0.1 WHERE code = 'C0002'`;
    try {
      const number = await created({});
      expect((await read(number)).order.header).toEqual({
        shipTo: { label: '总部', address: '北京市海淀区中关村大街 1 号', contact: '刘工', phone: '010-12345678' },
        salesperson: 'clerk.li',
        department: null,
        depositRatio: null,
        depositAmount: null,
        depositRequired: '11.30',
        paymentTerms: null,
      });
      const byRatio = await created({ depositRatio: '0.25' });
      expect((await read(byRatio)).order.header).toMatchObject({ depositRatio: '0.25', depositAmount: null, depositRequired: '28.25' });
    } finally {
      await stack.sql`UPDATE customers SET deposit_ratio = 0 WHERE code = 'C0002'`;
    }
  });

  it('refuses, naming the field and saving nothing: an address or contact of another customer, a salesperson who does not sell, a deposit asked twice or above the gross, bad terms', async () => {
    const before = await orderCount();
    const refusals: [Record<string, unknown>, string][] = [
      [{ shipTo: '上海仓' }, 'shipTo'],
      [{ contact: '陈总' }, 'contact'],
      [{ salesperson: 'nobody.here' }, 'salesperson'],
      [{ salesperson: 'finance.chen' }, 'salesperson'],
      [{ depositRatio: '0.1', depositAmount: '10.00' }, 'depositAmount'],
      [{ depositAmount: '113.01' }, 'depositAmount'],
      [{ depositAmount: '-1.00' }, 'depositAmount'],
      [{ paymentTerms: { settlementTerms: 'weekly', settlementDays: 7 } }, 'paymentTerms.settlementTerms'],
      [{ paymentTerms: { settlementTerms: 'net', settlementDays: 366 } }, 'paymentTerms.settlementDays'],
      [{ paymentTerms: { settlementTerms: 'net' } }, 'paymentTerms.settlementDays'],
      [{ department: 'x'.repeat(61) }, 'department'],
      [{ department: 'sales\u0000' }, 'department'],
      [{ shipTo: '' }, 'shipTo'],
    ];
    for (const [body, field] of refusals) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    const over = await create({ depositAmount: '113.01' });
    expect(over.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { gross: '113.00' } });
    expect(await orderCount()).toBe(before);
    // The whole gross as deposit is allowed.
    expect((await read(await created({ depositAmount: '113.00' }))).order.header.depositRequired).toBe('113.00');
  });

  it('a deposit given as an amount is what the order waits for before delivery', async () => {
    const number = await created({ depositAmount: '40.00' });
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const early = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'DEPOSIT_NOT_RECEIVED', details: { depositOutstanding: '40.00' } });
  });

  it("the order's own payment terms set its invoice's due date; without them the payer's do", async () => {
    const own = await created({ paymentTerms: { settlementTerms: 'net', settlementDays: 45 } });
    expect((await read(own)).order.header.paymentTerms).toEqual({ settlementTerms: 'net', settlementDays: 45 });
    const payers = await created({});
    for (const number of [own, payers]) await approvedAndDelivered(number);
    const ownInvoice = await stack.request('POST', `/orders/${own}/invoice`, { user: 'finance.chen', body: {} });
    const payersInvoice = await stack.request('POST', `/orders/${payers}/invoice`, { user: 'finance.chen', body: {} });
    expect(ownInvoice.status).toBe(200);
    const [ownRow] = await stack.sql`SELECT issued_on::text, due_on::text FROM invoices WHERE number = ${ownInvoice.body.invoice}`;
    const [payersRow] = await stack.sql`SELECT issued_on::text, due_on::text FROM invoices WHERE number = ${payersInvoice.body.invoice}`;
    expect(ownRow!.due_on).toBe(addDays(ownRow!.issued_on, 45));
    expect(ownInvoice.body.dueOn).toBe(ownRow!.due_on);
    expect(payersRow!.due_on).toBe(addDays(payersRow!.issued_on, 60));
    const cash = await created({ paymentTerms: { settlementTerms: 'cash', settlementDays: 0 } });
    await approvedAndDelivered(cash);
    const cashInvoice = await stack.request('POST', `/orders/${cash}/invoice`, { user: 'finance.chen', body: {} });
    const [cashRow] = await stack.sql`SELECT issued_on::text, due_on::text FROM invoices WHERE number = ${cashInvoice.body.invoice}`;
    expect(cashRow!.due_on).toBe(cashRow!.issued_on);
  });

  it("on a monthly invoice, an order with terms of its own falls due by them; the others and the document by the payer's", async () => {
    await stack.sql`INSERT INTO customers (code, name, settlement_terms, settlement_days, invoice_mode) VALUES ('C0702', 'Monthly buyer', 'monthly', 0, 'monthly')`;
    const own = await created({ customerCode: 'C0702', paymentTerms: { settlementTerms: 'net', settlementDays: 10 } });
    const payers = await created({ customerCode: 'C0702' });
    for (const number of [own, payers]) await approvedAndDelivered(number);
    const period = (await read(own)).order.createdAt.slice(0, 7);
    const res = await stack.request('POST', '/finance/monthly-invoices', { user: 'finance.chen', body: { customerCode: 'C0702', period } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [y, m] = period.split('-').map(Number);
    const endOfNextMonth = new Date(Date.UTC(y!, m! + 1, 0)).toISOString().slice(0, 10);
    expect(res.body.dueOn).toBe(endOfNextMonth);
    const due = await stack.sql<{ number: string; issued_on: string; due_on: string }[]>`
      SELECT o.number, i.issued_on::text, i.due_on::text FROM invoices i JOIN sales_orders o ON o.id = i.order_id WHERE o.number IN ${stack.sql([own, payers])}`;
    const of = (n: string) => due.find((d) => d.number === n)!;
    expect(of(own).due_on).toBe(addDays(of(own).issued_on, 10));
    expect(of(payers).due_on).toBe(endOfNextMonth);
  });

  it('the expected-shipments report finds an order by the salesperson and department it names, not by who entered it', async () => {
    const number = await created({ salesperson: 'clerk.zhang', department: '报表测试部' });
    const res = await stack.request('GET', `/reports/expected-shipments?department=${encodeURIComponent('报表测试部')}`);
    expect(res.body.items.map((i: any) => [i.orderNumber, i.salesperson, i.department, i.openQty, i.openNet])).toEqual([[number, 'clerk.zhang', '报表测试部', '3', '100.00']]);
    expect(res.body.totals).toEqual({ openNet: '100.00' });
    const byEnterer = await stack.request('GET', `/reports/expected-shipments?salesperson=clerk.li&department=${encodeURIComponent('报表测试部')}`);
    expect(byEnterer.body.total).toBe(0);
  });

  it('an opening order takes the header too; its salesperson defaults to the admin who loads it', async () => {
    const res = await stack.request('POST', '/orders/opening', {
      user: 'admin.root',
      body: { customerCode: 'C0002', lines: [{ ...LINE, deliveredQty: '1' }], salesperson: 'clerk.zhang', department: '期初', shipTo: '总部' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.order.header).toMatchObject({ salesperson: 'clerk.zhang', department: '期初', shipTo: { label: '总部' } });
    const plain = await stack.request('POST', '/orders/opening', { user: 'admin.root', body: { customerCode: 'C0002', lines: [{ ...LINE, deliveredQty: '0' }] } });
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(plain.body.order.header.salesperson).toBe('admin.root');
  });
});

describe('a line added by a change', () => {
  it('is expected on the order date plus 7 days, like a line entered without a date', async () => {
    const number = await created({});
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const change = await stack.request('POST', `/orders/${number}/changes`, {
      user: 'clerk.li',
      body: { reason: 'one more product', lines: [{ action: 'add', productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '1.00' }] },
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    // Pending until approved (the change raises the amount); the change already shows the date the line will have.
    expect(change.body.change.status).toBe('pending_approval');
    const [pending] = (await stack.request('GET', `/orders/${number}/changes`)).body.changes;
    expect(pending.lines[0].after.expectedDeliveryDate).toBe(addDays(businessDate(new Date((await read(number)).order.createdAt), ZONE), 7));
    await approveChange(number, '0001');
    const doc = (await read(number)).order;
    const orderDate = businessDate(new Date(doc.createdAt), ZONE);
    expect(doc.lines.map((l: any) => [l.lineNo, l.expectedDeliveryDate])).toEqual([
      [1, addDays(orderDate, 7)],
      [2, addDays(orderDate, 7)],
    ]);
    const dated = await stack.request('POST', `/orders/${number}/changes`, {
      user: 'clerk.li',
      body: { reason: 'dated line', lines: [{ action: 'add', productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '1.00', expectedDeliveryDate: '2027-01-15' }] },
    });
    expect(dated.status, JSON.stringify(dated.body)).toBe(200);
    await approveChange(number, '0002');
    expect((await read(number)).order.lines[2].expectedDeliveryDate).toBe('2027-01-15');
  });
});
