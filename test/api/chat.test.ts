import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingTalkSign } from '../../api/chat/signatures.js';
import { orderStateQuery, orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { startChatReceiver, type ChatReceiver } from '../support/chat-receiver.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
let receiver: ChatReceiver;

beforeAll(async () => {
  receiver = await startChatReceiver();
  stack.chat.webhookUrl = `${receiver.url}/webhook`;
  await stack.sql`
    INSERT INTO chat_users (platform, chat_user_id, user_name) VALUES
      ('slack', 'U_WANG', 'manager.wang'), ('slack', 'U_LI', 'clerk.li'), ('slack', 'U_CHEN', 'finance.chen')`;
  // The admin command links the others.
  for (const [platform, id, user] of [['slack', 'U_ROOT', 'admin.root'], ['dingtalk', 'staff-wang', 'manager.wang']] as const) {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/link-chat-user.ts', '--platform', platform, '--chat-user', id, '--user', user], {
      env: { ...process.env, DATABASE_URL: stack.databaseUrl },
    });
    expect(stdout).toContain(`${platform} ${id} → ${user}`);
  }
});
afterAll(async () => receiver?.close());

const line = { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' };

async function createOrder(user = 'clerk.li') {
  const res = await stack.request('POST', '/orders', { user, body: { customerCode: 'C0001', lines: [line] } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const liveState = (number: string) => stack.client.workflow.getHandle(orderWorkflowId(number)).query(orderStateQuery);
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function slack(path: 'commands' | 'interactions', body: string, opts: { secret?: string; timestamp?: string; sentBody?: string } = {}) {
  const timestamp = opts.timestamp ?? nowSeconds();
  const signature = `v0=${createHmac('sha256', opts.secret ?? stack.chat.slackSigningSecret!).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return stack.request('POST', `/chat/slack/${path}`, {
    body: opts.sentBody ?? body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
  });
}

let replies = 0;
function slashCommand(userId: string, text: string) {
  const responsePath = `/response/${++replies}`;
  const body = new URLSearchParams({ token: 'x', team_id: 'T1', user_id: userId, command: '/order', text, response_url: `${receiver.url}${responsePath}` });
  return { body: body.toString(), responsePath };
}

const auditOf = async (number: string) => (await stack.request('GET', `/orders/${number}/audit`, { user: 'admin.root' })).body.items;

describe('the approval request message', () => {
  it('is posted to the webhook through the outbox when an order waits for approval, with summary, checks, who is needed and buttons, and updated once decided', async () => {
    const number = await createOrder();
    // Through the outbox: the sender posts it to the group webhook, in the group's language (zh).
    const request = await receiver.waitFor((p) => p.path === '/webhook' && p.body.text === `订单 ${number} 待审批`);
    expect(request.body.blocks[0].text.text).toBe(
      `*订单 ${number} 待审批*\n客户：C0001 上海华东贸易有限公司 Shanghai East Trading\n金额：271.20 CNY（1 行）\n制单：clerk.li\n检查全部通过\n` +
        '待审批：审批人 (director.liu, gm.huang, manager.wang)',
    );
    expect(request.body.blocks[1].elements.map((b: { action_id: string; value: string }) => [b.action_id, b.value])).toEqual([
      ['approve_order', number],
      ['reject_order', number],
    ]);
    const [note] = await stack.sql`SELECT kind, message FROM notifications WHERE order_number = ${number}`;
    expect(note).toEqual({ kind: 'approval_request', message: `Approval needed: ${number}. Still needed: approver (director.liu, gm.huang, manager.wang)` });

    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'director.liu', body: {} })).status).toBe(200);
    const decided = await receiver.waitFor((p) => p.path === '/webhook' && String(p.body.text).startsWith(`订单 ${number} 已审批`));
    expect(decided.body.text).toBe(`订单 ${number} 已审批（director.liu）`);
  });
});

describe('Slack slash command /order', () => {
  it('approve: acknowledged at once, approved in the workflow, answered through response_url, audited as chat', async () => {
    const number = await createOrder();
    const cmd = slashCommand('U_WANG', `approve ${number}`);
    const ack = await slack('commands', cmd.body);
    expect(ack.status).toBe(200);
    expect(ack.body).toEqual({ response_type: 'ephemeral', text: `Working on it: approving ${number}…` });
    const answer = await receiver.waitFor((p) => p.path === cmd.responsePath);
    expect(answer.body.text).toMatch(new RegExp(`^${number} approved by manager\\.wang\\. ${number}: Approved, waiting for delivery`));
    expect(await liveState(number)).toMatchObject({ status: 'Approved', approvedBy: 'manager.wang' });
    expect((await auditOf(number)).at(-1)).toMatchObject({ actor: 'manager.wang', actorRole: 'approver', channel: 'chat', platform: 'slack', command: 'approve', outcome: 'ok' });
  });

  it('reject: the approver gives a reason and the order ends in the workflow', async () => {
    const number = await createOrder();
    const cmd = slashCommand('U_WANG', `reject ${number} price not agreed with the customer`);
    expect((await slack('commands', cmd.body)).status).toBe(200);
    await receiver.waitFor((p) => p.path === cmd.responsePath);
    expect(await liveState(number)).toMatchObject({ status: 'Rejected', rejectedBy: 'manager.wang', rejectReason: 'price not agreed with the customer' });
    expect((await auditOf(number)).at(-1)).toMatchObject({ actor: 'manager.wang', channel: 'chat', command: 'reject', outcome: 'ok' });
  });

  it('refuses approving your own order (SELF_APPROVAL) and a clerk approving (FORBIDDEN), as the API does', async () => {
    const own = await createOrder('admin.root');
    const cmd = slashCommand('U_ROOT', `approve ${own}`);
    expect((await slack('commands', cmd.body)).body.text).toBe(`Working on it: approving ${own}…`);
    const answer = await receiver.waitFor((p) => p.path === cmd.responsePath);
    expect(answer.body.text).toMatch(/was not approved: admin\.root created order .* and cannot approve it \(SELF_APPROVAL\)$/);
    expect((await liveState(own)).status).toBe('Unapproved');

    const number = await createOrder();
    const byClerk = await slack('commands', slashCommand('U_LI', `approve ${number}`).body);
    expect(byClerk.body.text).toMatch(/^Refused: role clerk may not approve/);
    const rejectByClerk = await slack('commands', slashCommand('U_LI', `reject ${number} too expensive`).body);
    expect(rejectByClerk.body.text).toMatch(/^Refused: role clerk may not reject/);
    expect((await liveState(number)).status).toBe('Unapproved');
    expect((await auditOf(own)).map((e: { command: string; outcome: string }) => [e.command, e.outcome])).toEqual([
      ['create', 'ok'],
      ['approve', 'SELF_APPROVAL'],
    ]);
    expect((await auditOf(number)).slice(1).map((e: { actor: string; command: string; outcome: string; input: unknown }) => [e.actor, e.command, e.outcome, e.input])).toEqual([
      ['clerk.li', 'approve', 'FORBIDDEN', {}],
      ['clerk.li', 'reject', 'FORBIDDEN', { reason: 'too expensive' }],
    ]);
  });

  it('status answers at once from the workflow; stuck lists unpaid orders for finance only', async () => {
    const number = await createOrder();
    const status = await slack('commands', slashCommand('U_LI', `status ${number}`).body);
    expect(status.body.text).toBe(`${number}: Unapproved, waiting for approval. Customer C0001, gross 271.20 CNY, due 0.00. Created by clerk.li.`);

    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    const stuck = await slack('commands', slashCommand('U_CHEN', 'stuck').body);
    expect(stuck.body.text).toMatch(new RegExp(`^Orders waiting for money:\\n(.*\\n)*• ${number} C0001: 271\\.20 CNY due \\d{4}-\\d{2}-\\d{2}, payment not yet due`));
    expect((await slack('commands', slashCommand('U_LI', 'stuck').body)).body.text).toMatch(/^Refused: role clerk may not listStuckPayments/);
  });

  it('answers an unlinked chat account and a malformed command without acting', async () => {
    expect((await slack('commands', slashCommand('U_NOBODY', 'stuck').body)).body.text).toMatch(/not linked to a back-office user/);
    expect((await slack('commands', slashCommand('U_WANG', 'approve everything').body)).body.text).toMatch(/^Usage: \/order approve/);
  });
});

describe('Slack Approve button', () => {
  it('approves and replaces the approval request through the response_url', async () => {
    const number = await createOrder();
    await receiver.waitFor((p) => p.path === '/webhook' && p.body.text === `订单 ${number} 待审批`);
    const responsePath = `/interaction/${number}`;
    const payload = {
      type: 'block_actions',
      user: { id: 'U_WANG', username: 'wang' },
      response_url: `${receiver.url}${responsePath}`,
      actions: [{ action_id: 'approve_order', value: number, type: 'button' }],
    };
    const res = await slack('interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(res.status).toBe(200);
    const replaced = await receiver.waitFor((p) => p.path === responsePath && p.body.replace_original === true);
    expect(replaced.body.text).toBe(`订单 ${number} 已审批（manager.wang）`);
    expect(replaced.body.blocks.some((b: { type: string }) => b.type === 'actions')).toBe(false);
    expect(await liveState(number)).toMatchObject({ status: 'Approved', approvedBy: 'manager.wang' });
  });
});

describe('forged or replayed chat requests', () => {
  it('are refused with 401, recorded, and act on nothing', async () => {
    const number = await createOrder();
    const { body } = slashCommand('U_WANG', `approve ${number}`);
    const wrongSecret = await slack('commands', body, { secret: 'not-the-signing-secret' });
    const replayed = await slack('commands', body, { timestamp: String(Number(nowSeconds()) - 600) });
    const tampered = await slack('commands', slashCommand('U_WANG', `status ${number}`).body, { sentBody: body });
    const unsigned = await stack.request('POST', '/chat/slack/commands', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    for (const res of [wrongSecret, replayed, tampered, unsigned]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    const rejections = await stack.sql`SELECT platform, reason FROM chat_rejections ORDER BY id DESC LIMIT 4`;
    expect(rejections.map((r) => r.reason).reverse()).toEqual([
      'signature mismatch',
      'timestamp too old (replay?)',
      'signature mismatch',
      'missing signature headers',
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await liveState(number)).status).toBe('Unapproved');
    expect((await auditOf(number)).map((e: { command: string }) => e.command)).toEqual(['create']);
  });
});

describe('a signed request sent twice', () => {
  it('is a replay: the second is refused and recorded', async () => {
    const number = await createOrder();
    const { body } = slashCommand('U_WANG', `status ${number}`);
    const timestamp = nowSeconds();
    const first = await slack('commands', body, { timestamp });
    expect(first.status).toBe(200);
    const again = await slack('commands', body, { timestamp });
    expect(again.status).toBe(401);
    const [last] = await stack.sql`SELECT platform, reason FROM chat_rejections ORDER BY id DESC LIMIT 1`;
    expect(last).toEqual({ platform: 'slack', reason: 'signature already used (replay)' });
  });
});

describe('DingTalk outgoing robot', () => {
  function dingtalk(content: string, opts: { secret?: string; timestamp?: string; sender?: string } = {}) {
    const timestamp = opts.timestamp ?? String(Date.now());
    const sessionWebhook = `${receiver.url}/dingtalk/${++replies}`;
    const body = { msgtype: 'text', text: { content }, senderStaffId: opts.sender ?? 'staff-wang', senderNick: '王经理', conversationId: 'cid1', sessionWebhook };
    return {
      sessionPath: new URL(sessionWebhook).pathname,
      send: () =>
        stack.request('POST', '/chat/dingtalk/robot', {
          body,
          headers: { timestamp, sign: dingTalkSign(timestamp, opts.secret ?? stack.chat.dingtalkAppSecret!) },
        }),
    };
  }

  it('approve: acknowledged in the response, approved in the workflow, answered through the sessionWebhook', async () => {
    const number = await createOrder();
    const req = dingtalk(` approve ${number}`);
    const ack = await req.send();
    expect(ack.status).toBe(200);
    expect(ack.body).toEqual({ msgtype: 'text', text: { content: `Working on it: approving ${number}…` } });
    const answer = await receiver.waitFor((p) => p.path === req.sessionPath);
    expect(answer.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringMatching(new RegExp(`^${number} approved by manager\\.wang`)) } });
    expect(await liveState(number)).toMatchObject({ status: 'Approved', approvedBy: 'manager.wang' });
    expect((await auditOf(number)).at(-1)).toMatchObject({ channel: 'chat', platform: 'dingtalk', actor: 'manager.wang', outcome: 'ok' });
  });

  it('refuses a captured timestamp and sign sent again with another body (the sign does not cover it)', async () => {
    const number = await createOrder();
    const timestamp = String(Date.now() - 1000);
    expect((await dingtalk(`status ${number}`, { timestamp }).send()).status).toBe(200);
    const forged = await dingtalk(`approve ${number}`, { timestamp, sender: 'staff-wang' }).send();
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toBe('request refused: signature already used (replay)');
    expect((await liveState(number)).status).toBe('Unapproved');
  });

  it('refuses a wrong secret and a timestamp over an hour old', async () => {
    const number = await createOrder();
    expect((await dingtalk(`approve ${number}`, { secret: 'wrong' }).send()).status).toBe(401);
    expect((await dingtalk(`approve ${number}`, { timestamp: String(Date.now() - 3_700_000) }).send()).status).toBe(401);
    const [last] = await stack.sql`SELECT platform, reason FROM chat_rejections ORDER BY id DESC LIMIT 1`;
    expect(last).toEqual({ platform: 'dingtalk', reason: 'timestamp too old (replay?)' });
    expect((await liveState(number)).status).toBe('Unapproved');
  });
});
