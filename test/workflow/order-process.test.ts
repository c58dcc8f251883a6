import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NewSalesOrder, SalesOrderState } from '../../domain/order/index.js';
import {
  approveUpdate,
  bankPaymentNoticeSignal,
  deliverUpdate,
  invoiceUpdate,
  ORDER_PROCESS_VERSION,
  orderStateQuery,
  orderWorkflowId,
  recordReceiptUpdate,
  SALES_ORDER_WORKFLOW,
  type SalesOrderInput,
  type SalesOrderView,
} from '../../workflows/sales-order/definitions.js';
import type { salesOrder } from '../../workflows/sales-order/workflow.js';
import { stubActivities, type StubSchedule } from './order-process-stubs.js';

/**
 * The order workflow on its own: the real dev server and the real workflow code,
 * with stub activities typed as the real ones (order-process-stubs.ts) and
 * durations of a second or two from the input, so timers, continue-as-new and
 * signals can be driven in seconds. (TestWorkflowEnvironment's time skipping
 * needs the Java test server, which is not available offline.)
 */
const schedule: StubSchedule = { overdueAfterMs: 60_000, dunningAfterMs: [] };
const stubs = stubActivities({ schedule });
const prefix = `SOP${randomBytes(3).toString('hex').toUpperCase()}`;
const taskQueue = `tq-process-${prefix}`;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const started: WorkflowHandle<typeof salesOrder>[] = [];

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: stubs.activities,
  });
  running = worker.run();
});

afterAll(async () => {
  for (const h of started) await h.terminate('test over').catch(() => undefined);
  worker.shutdown();
  await running;
});

const POLL = { timeout: 30_000, interval: 200 };
const state = (h: WorkflowHandle): Promise<SalesOrderView> => h.query(orderStateQuery);

let orders = 0;
function newOrder(extra: Partial<NewSalesOrder> = {}): NewSalesOrder {
  return {
    orderNumber: `${prefix}-${++orders}`,
    customerCode: 'C0001',
    currency: 'CNY',
    createdBy: 'clerk.li',
    lines: [{ lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10', taxRate: '0.13' }],
    ...extra,
  };
}

async function start(input: Omit<SalesOrderInput, 'processVersion'>) {
  const handle = await client.workflow.start<typeof salesOrder>(SALES_ORDER_WORKFLOW, {
    taskQueue,
    workflowId: orderWorkflowId(input.order.orderNumber),
    args: [{ ...input, processVersion: ORDER_PROCESS_VERSION }],
  });
  started.push(handle);
  return handle;
}

/** An order approved in the old system (期初开账): approved, with stock reserved, once its first step ran. */
async function approvedOrder(extra: Partial<SalesOrderInput> = {}, order: Partial<NewSalesOrder> = {}) {
  const h = await start({ order: newOrder({ openingApprovedBy: 'manager.wang', ...order }), ...extra });
  await expect.poll(async () => (await state(h)).status, POLL).toBe('Approved');
  return h;
}

const deliver = (h: WorkflowHandle, quantity: string) =>
  h.executeUpdate(deliverUpdate, { args: [{ actor: 'warehouse.zhao', actorRole: 'warehouse', lines: [{ lineNo: 1, quantity }] }] });
const invoice = (h: WorkflowHandle) => h.executeUpdate(invoiceUpdate, { args: [{ actor: 'finance.chen', actorRole: 'finance' }] });
const pay = (h: WorkflowHandle, amount: string) =>
  h.executeUpdate(recordReceiptUpdate, { args: [{ actor: 'finance.chen', actorRole: 'finance', amount, method: 'cash' }] });
/** The order's stub calls of one activity, by its key. */
const callsOf = (name: Parameters<typeof stubs.called>[0], order: string) => stubs.called(name).filter((c) => JSON.stringify(c.input).includes(order));

/** How many runs the order has had: every run but the last continued as new. */
async function runs(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n += 1;
  return n;
}


describe('the order process with stub activities', () => {
  it('reminds, then escalates, each once at the instants fixed when it started, across continue-as-new', async () => {
    const h = await start({ order: newOrder(), approvalReminderAfterMs: 1500, approvalEscalationAfterMs: 1500, continueAsNewAfterEvents: 10 });
    await expect.poll(async () => (await state(h)).approvalReminders.remindAt, POLL).toBeDefined();
    const fixed = (await state(h)).approvalReminders;
    await expect.poll(async () => (await state(h)).approvalReminders.escalated, POLL).toBe(true);
    const notices = stubs.called('recordApprovalNotice').filter((c) => c.input.orderNumber === h.workflowId.slice('order-'.length));
    expect(notices.map((c) => c.input.kind)).toEqual(['approval_reminder', 'approval_escalation']);
    expect(notices[0]!.at).toBeGreaterThanOrEqual(fixed.remindAt!);
    expect(notices[1]!.at).toBeGreaterThanOrEqual(fixed.escalateAt!);
    // The instants were kept through the runs, not counted again from a run's start.
    expect(await runs(h.workflowId)).toBeGreaterThan(1);
    expect((await state(h)).approvalReminders).toEqual({ ...fixed, reminded: true, escalated: true });
    expect((await h.executeUpdate(approveUpdate, { args: [{ actor: 'manager.wang', actorRole: 'approver' }] })).order.status).toBe('Approved');
    // The chat request is updated with the decision, once.
    await expect.poll(() => callsOf('updateApprovalMessage', h.workflowId).length, POLL).toBe(1);
    expect(callsOf('postApprovalRequest', h.workflowId)).toHaveLength(1);
  });

  it('marks overdue and sends every dunning reminder at its instant while continuing as new', async () => {
    Object.assign(schedule, { overdueAfterMs: 1000, dunningAfterMs: [1000, 2000, 3000] });
    const h = await approvedOrder({ continueAsNewAfterEvents: 14 });
    await deliver(h, '10');
    await invoice(h);
    const [receivable] = (await state(h)).money.receivables;
    await expect.poll(async () => (await state(h)).money.receivables[0]!.reminders, POLL).toBe(3);
    const dunning = callsOf('recordDunningNotice', h.workflowId);
    expect(dunning.map((c) => c.input.step)).toEqual([1, 2, 3]);
    dunning.forEach((c, i) => expect(c.at).toBeGreaterThanOrEqual(receivable!.dunningAt[i]!));
    expect((await state(h)).money.receivables[0]).toMatchObject({ overdue: true, dunningAt: [] });
    expect(await runs(h.workflowId)).toBeGreaterThan(1);
    await pay(h, '113.00');
    expect(await h.result()).toMatchObject({ status: 'Completed', receivedTotal: '113.00' });
  });

  it('books every bank notice that arrives while the order continues as new', async () => {
    Object.assign(schedule, { overdueAfterMs: 60_000, dunningAfterMs: [] });
    const h = await approvedOrder({ continueAsNewAfterEvents: 12 });
    await deliver(h, '10');
    await invoice(h);
    await Promise.all(['28.25', '28.25', '28.25', '28.25'].map((amount, i) => h.signal(bankPaymentNoticeSignal, { noticeId: `BN-${h.workflowId}-${i}`, amount })));
    const result = await h.result();
    expect(result).toMatchObject({ status: 'Completed', receivedTotal: '113.00', amountDue: '0.00' });
    expect(result.receipts).toHaveLength(4);
    expect(await runs(h.workflowId)).toBeGreaterThan(1);
  });

  it('invoices each delivery automatically across continue-as-new; a refused attempt waits for the next command and keeps its key', async () => {
    const h = await approvedOrder({ continueAsNewAfterEvents: 12 }, { invoiceMode: 'per_delivery' });
    stubs.failNext('issueInvoice', ApplicationFailure.create({ message: 'nothing left to invoice', type: 'NOTHING_TO_INVOICE', nonRetryable: true }));
    await deliver(h, '3');
    await expect.poll(() => callsOf('issueInvoice', h.workflowId).length, POLL).toBe(1);
    await deliver(h, '3');
    await expect.poll(async () => (await state(h)).invoices.length, POLL).toBe(1);
    await deliver(h, '4');
    await expect.poll(async () => (await state(h)).invoices.length, POLL).toBe(2);
    const keys = callsOf('issueInvoice', h.workflowId).map((c) => c.input.key.split('/').slice(-2).join('/'));
    // The refused attempt and the one after the next delivery share the key; each invoice has its own. (A step
    // Temporal retried under load carries its key again, so attempts are counted per key, not as a list.)
    const seen = JSON.stringify(callsOf('issueInvoice', h.workflowId).map((c) => [c.input.key, c.at]));
    expect([...new Set(keys)], seen).toEqual(['invoice/1', 'invoice/2']);
    expect(keys.filter((k) => k === 'invoice/1').length, seen).toBeGreaterThanOrEqual(2);
    expect(keys.lastIndexOf('invoice/1'), seen).toBeLessThan(keys.indexOf('invoice/2'));
    const s = await state(h);
    expect(s.lines[0]).toMatchObject({ deliveredQty: '10', invoicedQty: '10' });
    expect(s.steps.invoice).toBe(2);
    expect(await runs(h.workflowId)).toBeGreaterThan(1);
    await pay(h, '113.00');
    expect((await h.result()).status).toBe('Completed');
  });

  it('a run started again from the last state (as a reopen does) re-arms the dunning of an open receivable where it was', async () => {
    Object.assign(schedule, { overdueAfterMs: 300, dunningAfterMs: [600, 4000] });
    const first = await approvedOrder();
    await deliver(first, '10');
    await invoice(first);
    await expect.poll(async () => (await state(first)).money.receivables[0]!.reminders, POLL).toBe(1);
    const last: SalesOrderState = await state(first);
    await first.terminate('the run ends; the order goes on from its state');
    const again = await start({ order: { ...newOrder(), orderNumber: last.orderNumber, lines: [] }, state: last });
    await expect.poll(async () => (await state(again)).money.receivables[0]!.reminders, POLL).toBe(2);
    const dunning = callsOf('recordDunningNotice', again.workflowId);
    expect(dunning.map((c) => c.input.step)).toEqual([1, 2]);
    expect(dunning[1]!.at).toBeGreaterThanOrEqual(last.money.receivables[0]!.dunningAt[0]!);
    await pay(again, '113.00');
    expect((await again.result()).status).toBe('Completed');
  });

  it('records a bank notice with bad data, or one whose step fails for good, as refused, and still completes', async () => {
    Object.assign(schedule, { overdueAfterMs: 60_000, dunningAfterMs: [] });
    const h = await approvedOrder();
    await deliver(h, '10');
    await invoice(h);
    stubs.failNext('recordReceipt', ApplicationFailure.create({ message: 'new row violates check constraint', type: '23514', nonRetryable: true }));
    await h.signal(bankPaymentNoticeSignal, { noticeId: 'BN-ZERO', amount: '0.00' });
    await h.signal(bankPaymentNoticeSignal, { noticeId: 'BN-\u0000', amount: '5.00' });
    await h.signal(bankPaymentNoticeSignal, { noticeId: 'BN-NEG', amount: '-3' });
    await h.signal(bankPaymentNoticeSignal, { noticeId: 'BN-CHECK', amount: '1.00' });
    await h.signal(bankPaymentNoticeSignal, { noticeId: 'BN-GOOD', amount: '113.00' });
    const result = await h.result();
    expect(result).toMatchObject({ status: 'Completed', receivedTotal: '113.00' });
    expect(result.refusedBankNotices!.map((r) => r.noticeId)).toEqual(['"BN-ZERO"', '"BN-\\u0000"', '"BN-NEG"', '"BN-CHECK"']);
    expect(result.refusedBankNotices!.map((r) => r.reason)).toEqual([
      expect.stringContaining('amount must be greater than zero'),
      expect.stringContaining('noticeId'),
      expect.stringContaining('amount must be a decimal number'),
      expect.stringContaining('check constraint'),
    ]);
    const recorded = callsOf('recordRefusedBankNotice', h.workflowId);
    expect(recorded).toHaveLength(4);
    // Nothing that reached a stub carried the NUL byte itself.
    expect(JSON.stringify(callsOf('recordReceipt', h.workflowId).map((c) => c.input)).includes('\\u0000')).toBe(false);
  });
});
