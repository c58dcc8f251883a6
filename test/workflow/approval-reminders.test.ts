import { devToken } from '../../api/auth/demo-users.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { useStack } from '../support/stack.js';
import { nextApprovalInstant } from '../../domain/order/index.js';
import { orderStateQuery } from '../../workflows/sales-order/definitions.js';

const stack = useStack();
let app: ReturnType<typeof createApp>;

const recipientsOf = async (number: string) =>
  (await stack.sql<{ kind: string; recipients: string[] }[]>`
    SELECT n.kind, array_agg(r ORDER BY r) AS recipients FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id, unnest(d.recipients) r
    WHERE n.order_number = ${number} AND n.kind IN ('approval_reminder', 'approval_escalation') GROUP BY n.id, n.kind ORDER BY n.id`).map((r) => [r.kind, r.recipients]);

beforeAll(async () => {
  await stack.sql`UPDATE company_settings SET value = '"gm.huang"' WHERE key = 'notify.escalation_user'`;
  // The durations come from the workflow input (APPROVAL_REMINDER_AFTER / APPROVAL_ESCALATION_AFTER), here seconds.
  app = createApp({
    sql: stack.sql,
    temporal: stack.client,
    taskQueue: stack.taskQueue,
    timeZone: 'Asia/Shanghai',
    orderWorkflow: { approvalReminderAfterMs: 1000, approvalEscalationAfterMs: 1500 },
  });
});

async function post(path: string, user: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

async function createOrder() {
  const res = await post('/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5' }] });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const notices = (number: string) =>
  stack.sql<{ kind: string; message: string }[]>`SELECT kind, message FROM notifications WHERE order_number = ${number} AND kind IN ('approval_reminder', 'approval_escalation') ORDER BY id`;

describe('approval reminders', () => {
  it('an order left waiting reminds the approvers it needs, then escalates to a named person, once each', async () => {
    const number = await createOrder();
    await expect.poll(async () => (await notices(number)).length, { timeout: 15_000, interval: 250 }).toBe(2);
    const [reminder, escalation] = await notices(number);
    expect(reminder).toEqual({
      kind: 'approval_reminder',
      message: `Reminder: order ${number} still waits for approval. Still needed: approver (director.liu, gm.huang, manager.wang)`,
    });
    // The escalation names a person: the configured escalation user.
    expect(escalation).toEqual({ kind: 'approval_escalation', message: expect.stringMatching(new RegExp(`^Escalated to gm\\.huang: order ${number} is overdue for approval`)) });
    // Each went into the outbox for the people it names: the reminder to every approver still needed, the escalation to gm.huang.
    expect(await recipientsOf(number)).toEqual([
      ['approval_reminder', ['director.liu', 'gm.huang', 'manager.wang']],
      ['approval_escalation', ['gm.huang']],
    ]);
    // Nothing more is owed: both went out, as the order's state says, and approval still works after the escalation.
    const live = await stack.client.workflow.getHandle(`order-${number}`).query(orderStateQuery);
    expect(live.approvalReminders).toMatchObject({ reminded: true, escalated: true });
    expect(nextApprovalInstant(live)).toBeUndefined();
    expect((await post(`/orders/${number}/approve`, 'manager.wang', {})).body.order.status).toBe('Approved');
    expect(await notices(number)).toHaveLength(2);
  });

  it('an order approved before the delay sends no reminder', async () => {
    // A longer delay here, so a busy machine still approves well before it.
    const patient = createApp({
      sql: stack.sql,
      temporal: stack.client,
      taskQueue: stack.taskQueue,
      timeZone: 'Asia/Shanghai',
      orderWorkflow: { approvalReminderAfterMs: 5000, approvalEscalationAfterMs: 1000 },
    });
    const created = await patient.request('/orders', {
      method: 'POST',
      headers: { authorization: `Bearer ${devToken('clerk.li')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5' }] }),
    });
    const number = ((await created.json()) as any).order.number as string;
    const approved = await post(`/orders/${number}/approve`, 'manager.wang', {});
    const approvedAt = Date.now();
    expect(approved.status).toBe(200);
    // Approved before its reminder instant: the order owes no approval notice any more, and none went out.
    const live = await stack.client.workflow.getHandle(`order-${number}`).query(orderStateQuery);
    expect(live.approvalReminders.reminded).toBe(false);
    expect(live.approvalReminders.remindAt).toBeGreaterThan(approvedAt);
    expect(nextApprovalInstant(live)).toBeUndefined();
    expect(await notices(number)).toEqual([]);
  });

  it('a change left waiting reminds the approvers it still needs, then escalates to a named person, once each, across continue-as-new', async () => {
    // Short runs: the reminders are kept in the order's state and fall due in a later run than the one that asked.
    const continuing = createApp({
      sql: stack.sql,
      temporal: stack.client,
      taskQueue: stack.taskQueue,
      timeZone: 'Asia/Shanghai',
      orderWorkflow: { approvalReminderAfterMs: 1500, approvalEscalationAfterMs: 1500, continueAsNewAfterEvents: 10 },
    });
    const call = async (path: string, user: string, body: unknown) => {
      const res = await continuing.request(path, { method: 'POST', headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const created = await call('/orders', 'clerk.li', { customerCode: 'C0001', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5' }] });
    const number = created.body.order.number as string;
    expect((await call(`/orders/${number}/approve`, 'manager.wang', {})).body.order.status).toBe('Approved');
    const changed = await call(`/orders/${number}/changes`, 'clerk.li', { reason: 'more please', lines: [{ action: 'change', lineNo: 1, quantity: '8' }] });
    expect(changed.body.change).toMatchObject({ status: 'pending_approval' });
    const change = changed.body.change.version as string;

    const changeNotices = async () =>
      (await stack.sql<{ kind: string; message: string; recipients: string[] }[]>`
        SELECT n.kind, n.message, array_agg(r ORDER BY r) AS recipients
        FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id, unnest(d.recipients) r
        WHERE n.order_number = ${number} AND n.kind IN ('change_approval_reminder', 'change_approval_escalation')
        GROUP BY n.id ORDER BY n.id`).map((r) => ({ ...r }));
    await expect.poll(async () => (await changeNotices()).length, { timeout: 20_000, interval: 250 }).toBe(2);
    const [reminder, escalation] = await changeNotices();
    // The reminder goes to whoever can still approve it (not the clerk who asked), the escalation to the configured person.
    expect(reminder).toMatchObject({ kind: 'change_approval_reminder', recipients: ['director.liu', 'gm.huang', 'manager.wang'] });
    expect(escalation).toMatchObject({ kind: 'change_approval_escalation', recipients: ['gm.huang'] });
    expect(escalation!.message).toContain(`Escalated to gm.huang: change ${change} of order ${number} is overdue for approval`);

    let runs = 0;
    for await (const _ of stack.client.workflow.list({ query: `WorkflowId = 'order-${number}'` })) runs += 1;
    expect(runs).toBeGreaterThan(1);
    // Still decidable after both went out, and nothing more is owed.
    const approved = await call(`/orders/${number}/changes/${change}/approve`, 'director.liu', {});
    expect(approved.status).toBe(200);
    expect(approved.body.change.status).toBe('applied');
    const live = await stack.client.workflow.getHandle(`order-${number}`).query(orderStateQuery);
    expect(live.pendingChange).toBeUndefined();
    expect(live.lines[0]!.quantity).toBe('8');
    expect(await changeNotices()).toHaveLength(2);
  });
});
