import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import proto from '@temporalio/proto';
import { approveUpdate, orderStateQuery, orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';

const stack = useStack();

async function newOrder(customerCode = 'C0002') {
  const res = await stack.request('POST', '/orders', {
    user: 'clerk.zhang',
    body: { customerCode, lines: [{ productCode: 'P0004', warehouseCode: 'WH-SH', quantity: '1.5' }] },
  });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

async function eventTypes(number: string): Promise<string[]> {
  const history = await stack.client.workflow.getHandle(orderWorkflowId(number)).fetchHistory();
  const names = proto.temporal.api.enums.v1.EventType;
  return (history.events ?? []).map((e) => names[e.eventType ?? 0] ?? String(e.eventType));
}

describe('the sales order workflow', () => {
  it('refuses a command that does not fit the state before it enters history', async () => {
    const number = await newOrder();
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));
    await expect(handle.executeUpdate(approveUpdate, { args: [{ actor: 'clerk.zhang', actorRole: 'approver' as const }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const state = await handle.executeUpdate(approveUpdate, { args: [{ actor: 'manager.wang', actorRole: 'approver' as const }] });
    expect(state.order.status).toBe('Approved');
    const again = await handle.executeUpdate(approveUpdate, { args: [{ actor: 'director.liu', actorRole: 'approver' as const }] }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((again as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'INVALID_STATE' });
    const types = await eventTypes(number);
    // Only the approval that was carried out is in the history; both refusals were rejected by the validator.
    expect(types.filter((t) => /UPDATE_ACCEPTED/.test(t))).toHaveLength(1);
    expect(types.filter((t) => /UPDATE_COMPLETED/.test(t))).toHaveLength(1);
  });

  it('a repeated update id acts once', async () => {
    const number = await newOrder();
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));
    const a = await handle.executeUpdate(approveUpdate, { args: [{ actor: 'manager.wang', actorRole: 'approver' as const }], updateId: 'approve-once' });
    const b = await handle.executeUpdate(approveUpdate, { args: [{ actor: 'manager.wang', actorRole: 'approver' as const }], updateId: 'approve-once' });
    expect(b).toEqual(a);
    expect((await eventTypes(number)).filter((t) => /UPDATE_ACCEPTED/.test(t))).toHaveLength(1);
  });

  it('answers the state query with the amounts as exact strings', async () => {
    const number = await newOrder();
    const state = await stack.client.workflow.getHandle(orderWorkflowId(number)).query(orderStateQuery);
    // C0002 is a regular customer: 95% of the 800.00 list price = 760.00; 1.5 h → 1140.00 net; consulting is taxed at 6% → 68.40
    expect(state.totals).toEqual({ net: '1140.00', tax: '68.40', gross: '1208.40' });
    expect(state.waitingFor).toBe('approval');
  });

  it('publishes search attributes so operators can list orders by status and customer', async () => {
    const number = await newOrder('C0001');
    await stack.client.workflow.getHandle(orderWorkflowId(number)).executeUpdate(approveUpdate, { args: [{ actor: 'manager.wang', actorRole: 'approver' as const }] });
    const query = `OrderStatus = 'Approved' AND CustomerCode = 'C0001' AND WaitingFor = 'delivery' AND WorkflowId = '${orderWorkflowId(number)}'`;
    const deadline = Date.now() + 15_000;
    let found: string[] = [];
    while (Date.now() < deadline) {
      found = [];
      for await (const wf of stack.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toEqual([orderWorkflowId(number)]);
  });

  it('runs an order as process version 2: the approval is its one local activity, no step only reads, and no search attribute is upserted again unchanged', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '2' }] },
    });
    const number = created.body.order.number as string;
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
    const invoice = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: invoice.body.gross, method: 'cash' } });
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));
    expect((await handle.result()).status).toBe('Completed');

    const events = (await handle.fetchHistory()).events ?? [];
    const payload = (p: { data?: Uint8Array | null } | null | undefined) => Buffer.from(p?.data ?? new Uint8Array()).toString();
    const localActivities = events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) => JSON.parse(payload(e.markerRecordedEventAttributes!.details!['data']!.payloads![0])).activity_type);
    expect(localActivities).toEqual(['approveOrder']);
    const activities = events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
    expect(activities).toEqual(['postApprovalRequest', 'updateApprovalMessage', 'issueDeliveryNote', 'issueInvoice', 'recordReceipt', 'setOrderStatus']);

    // Each upsert changes something: the start's attributes count as the first values.
    const seen = new Map<string, string>();
    for (const [name, value] of Object.entries(events[0]!.workflowExecutionStartedEventAttributes!.searchAttributes?.indexedFields ?? {})) seen.set(name, payload(value));
    const upserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes);
    for (const e of upserts) {
      for (const [name, value] of Object.entries(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields ?? {})) {
        expect(payload(value), `${name} upserted again unchanged`).not.toBe(seen.get(name) ?? 'null');
        seen.set(name, payload(value));
      }
    }
    expect(upserts).toHaveLength(5);
    expect(seen.get('OrderStatus')).toBe('"Completed"');
  });
});
