import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { businessDate } from '../../domain/calendar.js';
import { overdueFrom } from '../../domain/due.js';
import { createWorker } from '../../runtime/worker.js';
import { AmountDueKey, PaymentDueAtKey, PaymentStateKey } from '../../workflows/sales-order/definitions.js';
import { callAs } from '../support/call.js';
import { useStack } from '../support/stack.js';

/**
 * Finance's two views of stuck payments, the order workflows' search attributes
 * (PaymentState, AmountDue, PaymentDueAt) and GET /finance/stuck-payments, say
 * the same of every order, over a mixed set. The worker's activities run three
 * days in the past (its clock), so the invoices they issue have due dates that
 * are already past or still ahead by the real calendar, with real day lengths:
 * a shortened test day would make the workflow's overdue instants earlier than
 * the calendar's by design.
 */
const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
const stack = useStack({ worker: false });
let app: ReturnType<typeof createApp>;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  const taskQueue = `${stack.taskQueue}-past`;
  worker = await createWorker({
    connection: await NativeConnection.connect({ address: inject('temporalAddress') }),
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    sql: stack.sql,
    business: { BUSINESS_TIME_ZONE: ZONE },
    now: () => new Date(Date.now() - 3 * DAY),
  });
  running = worker.run();
  app = createApp({ sql: stack.sql, temporal: stack.client, taskQueue, timeZone: ZONE });
  await stack.sql`
    INSERT INTO customers (code, name, settlement_terms, settlement_days, credit_limit) VALUES
      ('C0961', 'Cash payer', 'cash', 0, 1000000), ('C0962', 'Net payer', 'net', 30, 1000000)`;
});

afterAll(async () => {
  worker.shutdown();
  await running;
});

const call = (method: string, path: string, user: string, body?: unknown) => callAs(app, method, path, user, body);

/** An order of 10 × P0003 at 10.00 (113.00 gross), taken as far as `upTo`, with `paid` received. */
async function order(customerCode: string, upTo: 'created' | 'approved' | 'invoiced', paid?: string, depositRatio?: string): Promise<string> {
  const created = await call('POST', '/orders', 'clerk.li', {
    customerCode,
    lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10' }],
    ...(depositRatio ? { depositRatio } : {}),
  });
  expect(created.status).toBe(201);
  const number = created.body.order.number as string;
  if (upTo !== 'created') expect((await call('POST', `/orders/${number}/approve`, 'manager.wang', {})).status).toBe(200);
  if (upTo === 'invoiced') {
    expect((await call('POST', `/orders/${number}/deliver`, 'warehouse.zhao', {})).status).toBe(200);
    expect((await call('POST', `/orders/${number}/invoice`, 'finance.chen', {})).status).toBe(200);
  }
  if (paid) expect((await call('POST', `/orders/${number}/receipts`, 'finance.chen', { amount: paid, method: 'bank_transfer' })).status).toBe(200);
  return number;
}

interface View {
  state: string;
  amountDue: string;
  dueAt: string | null;
}

/** What each view says of an order, in the same words: a step of stuck-payments is a PaymentState. */
async function temporalView(number: string): Promise<View> {
  const sa = (await stack.client.workflow.getHandle(`order-${number}`).describe()).typedSearchAttributes;
  const dueAt = sa.get(PaymentDueAtKey);
  return { state: sa.get(PaymentStateKey) ?? 'none', amountDue: (sa.get(AmountDueKey) ?? 0).toFixed(2), dueAt: dueAt ? dueAt.toISOString() : null };
}

const STEP_TO_STATE: Record<string, string> = { awaiting_deposit: 'DepositDue', awaiting_payment: 'Open', overdue: 'Overdue' };

function financeView(item: { step: string; amountDue: string; oldestDueOn: string | null } | undefined, temporal: View): View {
  if (!item) return { state: temporal.state, amountDue: '0.00', dueAt: null };
  return {
    state: STEP_TO_STATE[item.step] ?? item.step,
    amountDue: item.amountDue,
    dueAt: item.oldestDueOn ? new Date(overdueFrom(item.oldestDueOn, ZONE)).toISOString() : null,
  };
}

describe("finance's two views of stuck payments", () => {
  it('the search attributes and /finance/stuck-payments agree on every order of a mixed set', async () => {
    const orders = {
      cashOverdue: await order('C0961', 'invoiced'),
      cashOverduePartlyPaid: await order('C0961', 'invoiced', '13.00'),
      cashPaid: await order('C0961', 'invoiced', '113.00'),
      netOpen: await order('C0962', 'invoiced'),
      netPartlyPaid: await order('C0962', 'invoiced', '100.00'),
      depositDue: await order('C0962', 'approved', undefined, '0.3'),
      depositPartlyPaid: await order('C0962', 'approved', '10.00', '0.3'),
      unapproved: await order('C0962', 'created'),
    };
    const asOf = businessDate(new Date(), ZONE);
    const compare = async () => {
      const stuck = await call('GET', `/finance/stuck-payments?asOf=${asOf}&limit=100`, 'finance.chen');
      expect(stuck.status).toBe(200);
      const items = new Map((stuck.body.items as { orderNumber: string; step: string; amountDue: string; oldestDueOn: string | null }[]).map((i) => [i.orderNumber, i]));
      const views: Record<string, { temporal: View; finance: View }> = {};
      for (const [name, number] of Object.entries(orders)) {
        const temporal = await temporalView(number);
        views[name] = { temporal, finance: financeView(items.get(number), temporal) };
      }
      return views;
    };
    // The overdue marks come from the orders' clocks a moment after their invoices: both views settle, then agree.
    await expect.poll(async () => Object.values(await compare()).every((v) => JSON.stringify(v.temporal) === JSON.stringify(v.finance)), { timeout: 30_000, interval: 500 }).toBe(true);
    const views = await compare();
    // And they say what each order's money is (so agreement is not two views equally wrong).
    expect(Object.fromEntries(Object.entries(views).map(([name, v]) => [name, [v.temporal.state, v.temporal.amountDue]]))).toEqual({
      cashOverdue: ['Overdue', '113.00'],
      cashOverduePartlyPaid: ['Overdue', '100.00'],
      cashPaid: ['Paid', '0.00'],
      netOpen: ['Open', '113.00'],
      netPartlyPaid: ['Open', '13.00'],
      depositDue: ['DepositDue', '33.90'],
      depositPartlyPaid: ['DepositDue', '23.90'],
      unapproved: ['NotInvoiced', '0.00'],
    });
    // Cash terms fell due on the day of the invoice (three days ago) and were overdue from the start of the next day there.
    expect(views.cashOverdue!.temporal.dueAt).toBe(new Date(overdueFrom(businessDate(new Date(Date.now() - 3 * DAY), ZONE), ZONE)).toISOString());
  });
});
