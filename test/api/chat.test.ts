import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingTalkSign } from '../../api/chat/signatures.js';
import { COMMANDS } from '../../domain/authorization.js';
import { renderFor } from '../../messages/chat-render.js';
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

/** Every immediate answer the bot gave in this file (the later ones are the receiver's posts): checked for plain words at the end. */
const said: string[] = [];

async function slack(path: 'commands' | 'interactions', body: string, opts: { secret?: string; timestamp?: string; sentBody?: string } = {}) {
  const timestamp = opts.timestamp ?? nowSeconds();
  const signature = `v0=${createHmac('sha256', opts.secret ?? stack.chat.slackSigningSecret!).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const res = await stack.request('POST', `/chat/slack/${path}`, {
    body: opts.sentBody ?? body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
  });
  if (typeof res.body?.text === 'string') said.push(res.body.text);
  return res;
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
    expect(request.body.blocks[0].text.text).toBe(`*订单 ${number} 待审批*`);
    expect(request.body.blocks[1].text.text).toBe(
      '• 客户：C0001 上海华东贸易有限公司 Shanghai East Trading\n• 金额：271.20 CNY（1 行）\n• 制单：clerk.li\n• 检查全部通过\n' +
        '• 待审批：审批人 (director.liu, gm.huang, manager.wang)',
    );
    // Each button's value is the chat command it stands for, read back by the same parser as typed text.
    expect(request.body.blocks[2].elements.map((b: { action_id: string; value: string }) => [b.action_id, b.value])).toEqual([
      ['approve_order', `审批 ${number}`],
      ['reject_order', `驳回 ${number}`],
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
    expect(ack.body).toEqual({ response_type: 'ephemeral', text: `Working on it: approving order ${number}…` });
    const answer = await receiver.waitFor((p) => p.path === cmd.responsePath);
    expect(answer.body.text).toMatch(new RegExp(`^Order ${number} approved by manager\\.wang\\. Order ${number}: Approved\\. .*Approved by manager\\.wang \\(approver\\)\\. Waiting for delivery\\.$`));
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
    expect((await slack('commands', cmd.body)).body.text).toBe(`Working on it: approving order ${own}…`);
    const answer = await receiver.waitFor((p) => p.path === cmd.responsePath);
    expect(answer.body.text).toBe(`Order ${own} was not approved: you cannot decide what you asked for yourself; it still needs approval by director.liu, gm.huang or manager.wang (approver: every order is approved by an approver).`);
    expect((await liveState(own)).status).toBe('Unapproved');

    const number = await createOrder();
    const byClerk = await slack('commands', slashCommand('U_LI', `approve ${number}`).body);
    expect(byClerk.body.text).toBe(
      `Order ${number} was not approved: your role (clerk) may not approve orders and changes; roles that may: approver, credit controller, administrator.`,
    );
    const rejectByClerk = await slack('commands', slashCommand('U_LI', `reject ${number} too expensive`).body);
    expect(rejectByClerk.body.text).toMatch(new RegExp(`^Order ${number} was not rejected: your role \\(clerk\\) may not reject orders and changes;`));
    expect((await liveState(number)).status).toBe('Unapproved');
    expect((await auditOf(own)).map((e: { command: string; outcome: string }) => [e.command, e.outcome])).toEqual([
      ['create', 'ok'],
      ['approve', 'SELF_APPROVAL'],
    ]);
    expect((await auditOf(number)).slice(1).map((e: { actor: string; command: string; outcome: string; input: unknown }) => [e.actor, e.command, e.outcome, e.input])).toEqual([
      // Refused by the role before the body is read, as from the console.
      ['clerk.li', 'approve', 'FORBIDDEN', {}],
      ['clerk.li', 'reject', 'FORBIDDEN', {}],
    ]);
  });

  it('status answers at once from the workflow; stuck lists unpaid orders for finance only', async () => {
    const number = await createOrder();
    const status = await slack('commands', slashCommand('U_LI', `status ${number}`).body);
    // Nothing is due on an order not yet approved: no amount due is shown.
    expect(status.body.text).toBe(
      `Order ${number}: Unapproved. Customer C0001 上海华东贸易有限公司 Shanghai East Trading, gross 271.20 CNY, created by clerk.li. Still needs approval by director.liu, gm.huang or manager.wang (approver: every order is approved by an approver).`,
    );

    await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
    await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} });
    await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    const stuck = await slack('commands', slashCommand('U_CHEN', 'stuck').body);
    expect(stuck.body.text).toMatch(new RegExp(`^Orders waiting for money:\\n(.*\\n)*• ${number} C0001: 271\\.20 CNY due \\d{4}-\\d{2}-\\d{2}, payment not yet due`));
    // In Chinese with Chinese punctuation, as every other Chinese reply.
    expect((await slack('commands', slashCommand('U_CHEN', '待收款').body)).body.text).toMatch(new RegExp(`^等待收款的订单：\\n(.*\\n)*• ${number} C0001：271\\.20 CNY，到期 \\d{4}-\\d{2}-\\d{2}，未到期`));
    expect((await slack('commands', slashCommand('U_LI', 'stuck').body)).body.text).toBe(
      'Your role (clerk) may not see the orders waiting for money; roles that may: finance, administrator.',
    );
  });

  it('answers an unlinked chat account and a malformed command without acting', async () => {
    expect((await slack('commands', slashCommand('U_NOBODY', 'stuck').body)).body.text).toMatch(/not linked to a back-office user/);
    expect((await slack('commands', slashCommand('U_WANG', 'approve everything').body)).body.text).toMatch(/^Usage:\napprove &lt;order&gt; /);
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

describe('the Approve button pressed by someone who may not approve', () => {
  it('writes nothing: the request keeps no reply address of theirs, the order still waits, and the right approver still can', async () => {
    const number = await createOrder();
    await receiver.waitFor((p) => p.path === '/webhook' && p.body.text === `订单 ${number} 待审批`);
    for (const id of ['U_NOBODY', 'U_LI']) {
      const payload = { type: 'block_actions', user: { id }, response_url: `${receiver.url}/interaction/${id}-${number}`, actions: [{ action_id: 'approve_order', value: number, type: 'button' }] };
      expect((await slack('interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).status).toBe(200);
      await receiver.waitFor((p) => p.path === `/interaction/${id}-${number}`);
    }
    const [message] = await stack.sql`SELECT response_url, decision FROM approval_messages WHERE order_number = ${number}`;
    expect(message).toEqual({ response_url: null, decision: null });
    expect((await liveState(number)).status).toBe('Unapproved');
    const cmd = slashCommand('U_WANG', `approve ${number}`);
    await slack('commands', cmd.body);
    expect((await receiver.waitFor((p) => p.path === cmd.responsePath)).body.text).toMatch(new RegExp(`^Order ${number} approved by manager\\.wang\\.`));
  });
});

describe('Slack Reject button', () => {
  it('rejects nothing by itself: it asks for the reason; the rejection typed with one tells the clerk why, and a reply never turns words into links', async () => {
    const number = await createOrder();
    const responsePath = `/reject-button/${number}`;
    const payload = {
      type: 'block_actions',
      user: { id: 'U_WANG', username: 'wang' },
      response_url: `${receiver.url}${responsePath}`,
      actions: [{ action_id: 'reject_order', value: `驳回 ${number}`, type: 'button' }],
    };
    expect((await slack('interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).status).toBe(200);
    const asked = await receiver.waitFor((p) => p.path === responsePath);
    expect(asked.body.text).toMatch(/原因/);
    expect(await liveState(number)).toMatchObject({ status: 'Unapproved' });

    const reason = 'price too low <!channel> <https://evil.example|open>';
    const typed = slashCommand('U_WANG', `reject ${number} ${reason}`);
    expect((await slack('commands', typed.body)).status).toBe(200);
    await Promise.all(stack.background);
    expect(await liveState(number)).toMatchObject({ status: 'Rejected', rejectReason: reason });
    const status = await slack('commands', slashCommand('U_WANG', `status ${number}`).body);
    expect(status.body.text).toContain('&lt;!channel&gt; &lt;https://evil.example|open&gt;');
    expect(status.body.text).not.toContain('<!channel>');
    // The clerk's message about the decision carries the reason.
    await expect.poll(async () => (await stack.sql`
      SELECT body FROM notifications WHERE order_number = ${number} AND kind = 'approval_decided'`).map((r) => r.body.facts.at(-1).en), { timeout: 15_000 }).toEqual([`Reason: ${reason}`]);
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
    expect(ack.body).toEqual({ msgtype: 'text', text: { content: `Working on it: approving order ${number}…` } });
    const answer = await receiver.waitFor((p) => p.path === req.sessionPath);
    expect(answer.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringMatching(new RegExp(`^Order ${number} approved by manager\\.wang`)) } });
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

// ---- issue 18: Chinese commands, changes and write-offs in chat, replies in plain words ----

/** Command names are internal: a reply names what a role may do in words. Single English words (read, approve) are ordinary English. */
const INTERNAL_NAMES = COMMANDS.filter((c) => /[A-Z]/.test(c));
function inPlainWords(text: string, lang: 'zh' | 'en') {
  for (const name of lang === 'zh' ? COMMANDS : INTERNAL_NAMES) expect(text, `"${name}" in: ${text}`).not.toMatch(new RegExp(`\\b${name}\\b`));
  for (const code of ['FORBIDDEN', 'SELF_APPROVAL', 'NO_APPROVAL_AUTHORITY', 'INVALID_STATE', 'nothing', 'due 0.00', '应收 0.00']) expect(text).not.toContain(code);
}

/** A message to the DingTalk robot, signed as DingTalk signs it; the later answer comes to the receiver's sessionWebhook. */
async function ding(sender: string, content: string) {
  const timestamp = String(Date.now());
  const sessionWebhook = `${receiver.url}/dingtalk/${++replies}`;
  const res = await stack.request('POST', '/chat/dingtalk/robot', {
    body: { msgtype: 'text', text: { content }, senderStaffId: sender, conversationId: 'cid1', sessionWebhook },
    headers: { timestamp, sign: dingTalkSign(timestamp, stack.chat.dingtalkAppSecret!) },
  });
  expect(res.status).toBe(200);
  const ack = res.body.text.content as string;
  said.push(ack);
  return { ack, later: async () => (await receiver.waitFor((p) => p.path === new URL(sessionWebhook).pathname)).body.text.content as string };
}

async function orderUnderTheFloor() {
  // P0002 under its floor price: the approver's approval and the credit controller's are both needed.
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [{ productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '4', unitPrice: '1500.00' }] } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

describe('in Chinese on DingTalk (审批 / 驳回 / 状态 / 待办)', () => {
  beforeAll(async () => {
    await stack.sql`
      INSERT INTO chat_users (platform, chat_user_id, user_name) VALUES
        ('dingtalk', 'staff-li', 'clerk.li'), ('dingtalk', 'staff-sun', 'credit.sun'), ('dingtalk', 'staff-zhou', 'finance.zhou')`;
  });

  it('says who approved and who is still needed, refuses a clerk in plain words, lists what waits, and tells a rejection by whom and why', async () => {
    const number = await orderUnderTheFloor();
    const before = (await ding('staff-li', `状态 ${number}`)).ack;
    expect(before).toMatch(new RegExp(`^订单 ${number}：未审核，客户 C0001 .*，含税 6,?780\\.00 CNY，制单 clerk\\.li。还需 director\\.liu、gm\\.huang 或 manager\\.wang（审批人：每张订单都需审批）和 credit\\.sun（信用管理员：单价低于下限）审批。$`));

    const byWang = await ding('staff-wang', `审批 ${number}`);
    expect(byWang.ack).toBe(`正在审批订单 ${number}…`);
    expect(await byWang.later()).toMatch(new RegExp(`^订单 ${number} 已由 manager\\.wang 审批；还需 credit\\.sun（信用管理员：单价低于下限）审批。$`));

    const byClerk = await ding('staff-li', `审批 ${number}`);
    expect(byClerk.ack).toBe(`订单 ${number} 未能审批：你的角色（业务员）不能审批订单和变更；可以的角色：审批人、信用管理员、系统管理员。`);

    const waiting = (await ding('staff-sun', '待办')).ack;
    expect(waiting).toMatch(/^等你审批的（\d+）：/);
    expect(waiting).toContain(`• 订单 ${number} · C0001 `);
    expect(waiting).toContain('还需 credit.sun（信用管理员：单价低于下限）审批');
    expect(waiting).toContain(`→ 审批 ${number} 或 驳回 ${number} <原因>`);
    expect((await ding('staff-li', '待办')).ack).toBe('你的角色（业务员）不审批单据，所以没有待办。审批订单和变更的角色：审批人、信用管理员、系统管理员；审批坏账核销的角色：财务、审批人、系统管理员。');
    expect((await slack('commands', slashCommand('U_LI', 'waiting').body)).body.text).toBe(
      'Your role (clerk) does not approve or decide documents, so none waits for you. Roles that approve orders and changes: approver, credit controller, administrator; roles that decide write-offs: finance, approver, administrator.',
    );

    const bySun = await ding('staff-sun', `驳回 ${number} 低于底价太多`);
    expect(bySun.ack).toBe(`正在驳回订单 ${number}…`);
    expect(await bySun.later()).toBe(`订单 ${number} 已由 credit.sun 驳回：低于底价太多。`);
    const after = (await ding('staff-li', `状态 ${number}`)).ack;
    expect(after).toMatch(new RegExp(`^订单 ${number}：已驳回，.*。由 credit\\.sun 驳回，原因：低于底价太多。$`));
    expect((await ding('staff-wang', `驳回 ${number}`)).ack).toBe(`驳回需要写明原因，请输入：驳回 ${number} <原因>`);

    for (const text of [before, byClerk.ack, waiting, after]) inPlainWords(text, 'zh');
    // No English rule text in a Chinese reply.
    for (const text of [before, waiting]) expect(text).not.toMatch(/every order|floor|approver|controller/);
    expect((await auditOf(number)).slice(1).map((e: any) => [e.actor, e.channel, e.platform, e.command, e.outcome])).toEqual([
      ['manager.wang', 'chat', 'dingtalk', 'approve', 'ok'],
      ['clerk.li', 'chat', 'dingtalk', 'approve', 'FORBIDDEN'],
      ['credit.sun', 'chat', 'dingtalk', 'reject', 'ok'],
    ]);
  });

  it('understands a command as typed on a phone: a colon after the verb, lower case, full-width spaces', async () => {
    const number = await createOrder();
    for (const text of [`状态：${number}`, `状态:${number.toLowerCase()}`, `状态\u3000\u3000${number}\u3000`]) {
      expect((await ding('staff-li', text)).ack).toMatch(new RegExp(`^订单 ${number}：未审核，`));
    }
  });

  it('tells an unlinked sender their id, and one DingTalk sent no id for without a gap', async () => {
    expect((await ding('staff-nobody', '待办')).ack).toBe('你的钉钉账号（staff-nobody）还没有关联后台用户，请管理员关联后再试。');
    expect((await ding('', '待办')).ack).toBe('钉钉没有告诉我们你的账号，所以无法确认你是谁；请管理员检查机器人的设置。');
  });

  it('answers every refusal of a decision in a sentence, never a code or an internal name', async () => {
    const number = await createOrder();
    expect((await ding('staff-li', `状态 SO-404`)).ack).toBe('订单 SO-404：找不到这张单据。');
    const twice = await ding('staff-wang', `审批 ${number}`);
    await twice.later();
    const again = await ding('staff-wang', `approve ${number}`);
    const text = await again.later();
    // Too late: who decided it, as for a change or a write-off, not only the state it is in.
    expect(text).toBe(`Order ${number} was already approved by manager.wang.`);
    inPlainWords(text, 'en');
    expect(await (await ding('staff-wang', `驳回 ${number} 太晚了`)).later()).toBe(`订单 ${number} 早已由 manager.wang 审批。`);
    const rejected = await createOrder();
    await (await ding('staff-wang', `驳回 ${rejected} 价格不对`)).later();
    expect(await (await ding('staff-sun', `审批 ${rejected}`)).later()).toBe(`订单 ${rejected} 早已由 manager.wang 驳回。`);
    const cancelled = await createOrder();
    expect((await stack.request('POST', `/orders/${cancelled}/cancel`, { user: 'clerk.li', body: { reason: 'customer withdrew' } })).status).toBe(200);
    expect(await (await ding('staff-wang', `approve ${cancelled}`)).later()).toBe(`Order ${cancelled} was cancelled by clerk.li.`);
    expect((await auditOf(cancelled)).at(-1)).toMatchObject({ actor: 'manager.wang', channel: 'chat', command: 'approve', outcome: 'INVALID_STATE' });
  });
});

describe('hostile chat input', () => {
  it('a reason too long to keep, the same approver twice, and a poisoned command are told in words and change nothing', async () => {
    const number = await orderUnderTheFloor();
    const long = await ding('staff-wang', `驳回 ${number} ${'太贵'.repeat(300)}`);
    expect(await long.later()).toBe(`订单 ${number} 未能驳回：输入不完整或不正确：原因。`);
    await (await ding('staff-wang', `审批 ${number}`)).later();
    const twice = await ding('staff-wang', `审批 ${number}`);
    expect(await twice.later()).toBe(`订单 ${number} 未能审批：你已经审批过了；还需 credit.sun（信用管理员：单价低于下限）审批。`);
    expect((await ding('staff-wang', `驳回 ${number} 不\u0007行`)).ack).toBe('消息中含有控制字符（看不见的字符），没有执行；请重新输入命令。');
    expect((await liveState(number)).status).toBe('Unapproved');
    expect((await auditOf(number)).slice(1).map((e: any) => [e.command, e.outcome])).toEqual([
      ['reject', 'VALIDATION_FAILED'],
      ['approve', 'ok'],
      ['approve', 'DUPLICATE_APPROVAL'],
    ]);
  });
});

describe('a signed body that is JSON but not a message', () => {
  it('is answered 400 in words, not a 500, on DingTalk and on Slack\'s interactions', async () => {
    for (const raw of ['null', '5', '"approve"']) {
      const timestamp = String(Date.now());
      const res = await stack.request('POST', '/chat/dingtalk/robot', { body: raw, headers: { timestamp, sign: dingTalkSign(timestamp, stack.chat.dingtalkAppSecret!) } });
      expect(res.status, raw).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
      const button = await slack('interactions', new URLSearchParams({ payload: raw }).toString());
      expect(button.status, raw).toBe(400);
      expect(button.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'payload' });
    }
  });
});

describe('a change and a write-off decided in chat', () => {
  it('approves a change with the button its message renders (Slack) and rejects the next in Chinese (DingTalk), audited as chat', async () => {
    const number = await createOrder();
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const changed = await stack.request('POST', `/orders/${number}/changes`, { user: 'clerk.li', body: { reason: 'more please', lines: [{ action: 'change', lineNo: 1, quantity: '5' }] } });
    expect(changed.body.change).toMatchObject({ status: 'pending_approval' });

    // Slack escapes < and > in its text (it shows <reason>).
    expect((await slack('commands', slashCommand('U_WANG', 'waiting').body)).body.text).toContain(`→ approve ${number} change 1 or reject ${number} change 1 &lt;reason&gt;`);
    const message = renderFor('slack', {
      kind: 'change_approval_request',
      orderNumber: number,
      documentNumber: '1',
      title: { zh: `订单 ${number} 的变更 1 待审批`, en: `Change 1 of order ${number} waits for approval` },
      facts: [],
      actions: [
        { kind: 'approve_change', orderNumber: number, changeNumber: '1' },
        { kind: 'reject_change', orderNumber: number, changeNumber: '1' },
      ],
    }, 'en') as { blocks: { type: string; elements?: { action_id: string; value: string }[] }[] };
    const button = message.blocks.find((b) => b.type === 'actions')!.elements![0]!;
    const responsePath = `/interaction/change-${number}`;
    const payload = { type: 'block_actions', user: { id: 'U_WANG' }, response_url: `${receiver.url}${responsePath}`, actions: [{ ...button, type: 'button' }] };
    expect((await slack('interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).status).toBe(200);
    const told = await receiver.waitFor((p) => p.path === responsePath && String(p.body.text).startsWith('Change'));
    expect(told.body.text).toBe(`Change 1 of order ${number} approved by manager.wang; the change now applies.`);
    // Deciding it again: who decided it, not "no such document"; and the refusal is on the order's audit trail.
    expect(await (await ding('staff-sun', `审批 ${number} 变更 1`)).later()).toBe(`订单 ${number} 的变更 1 早已由 manager.wang 审批。`);
    const late = slashCommand('U_WANG', `reject ${number.toLowerCase()} change 1 too late`);
    await slack('commands', late.body);
    expect((await receiver.waitFor((p) => p.path === late.responsePath)).body.text).toBe(`Change 1 of order ${number} was already approved by manager.wang.`);

    await stack.request('POST', `/orders/${number}/changes`, { user: 'clerk.li', body: { reason: 'even more', lines: [{ action: 'change', lineNo: 1, quantity: '6' }] } });
    const rejected = await ding('staff-wang', `驳回 ${number} 变更 2 本月不做`);
    expect(rejected.ack).toBe(`正在驳回订单 ${number} 的变更 2…`);
    expect(await rejected.later()).toBe(`订单 ${number} 的变更 2 已由 manager.wang 驳回：本月不做；订单保持原样。`);
    const changes = await stack.sql`
      SELECT ch.version, ch.status, ch.decided_by FROM order_changes ch JOIN sales_orders o ON o.id = ch.order_id WHERE o.number = ${number} ORDER BY ch.version`;
    expect(changes.map((c) => [c.version, c.status, c.decided_by])).toEqual([[1, 'applied', 'manager.wang'], [2, 'rejected', 'manager.wang']]);
    expect((await auditOf(number)).filter((e: any) => e.channel === 'chat').map((e: any) => [e.actor, e.platform, e.command, e.outcome, e.input])).toEqual([
      ['manager.wang', 'slack', 'changes.approve', 'ok', {}],
      ['credit.sun', 'dingtalk', 'changes.approve', 'CONFLICT', {}],
      ['manager.wang', 'slack', 'changes.reject', 'CONFLICT', { reason: 'too late' }],
      ['manager.wang', 'dingtalk', 'changes.reject', 'ok', { reason: '本月不做' }],
    ]);
  });

  it('lists a write-off request to the other finance approver and approves it by its number (审批 SO-…-W1)', async () => {
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10.00' }] } });
    const number = created.body.order.number as string;
    for (const [user, path] of [['manager.wang', 'approve'], ['warehouse.zhao', 'deliver'], ['finance.chen', 'invoice']] as const) {
      expect((await stack.request('POST', `/orders/${number}/${path}`, { user, body: {} })).status).toBe(200);
    }
    expect((await stack.request('POST', `/orders/${number}/write-offs`, { user: 'finance.chen', body: { reason: 'customer insolvent' } })).status).toBe(201);

    const waiting = (await ding('staff-zhou', '待办')).ack;
    expect(waiting).toContain(`• 核销申请 ${number}-W1 · C0002 `);
    expect(waiting).toContain(`113.00 CNY · 申请人 finance.chen → 审批 ${number}-W1`);
    // An approver is not a finance approver: told what deciding a write-off needs.
    expect(await (await ding('staff-wang', `审批 ${number}-W1`)).later()).toBe(`核销申请 ${number}-W1 未能审批：审批坏账核销需要财务审批人，你不在财务审批人名单中。`);
    const approved = await ding('staff-zhou', `审批 ${number}-W1`);
    expect(approved.ack).toBe(`正在审批核销申请 ${number}-W1…`);
    expect(await approved.later()).toBe(`核销申请 ${number}-W1 已由 finance.zhou 审批：已核销 113.00 CNY（申请人 finance.chen）。`);
    expect((await ding('staff-zhou', '待办')).ack).not.toContain(`${number}-W1`);
    const [request] = await stack.sql`SELECT w.status, w.decided_by FROM write_off_requests w JOIN sales_orders o ON o.id = w.order_id WHERE o.number = ${number}`;
    expect(request).toEqual({ status: 'approved', decided_by: 'finance.zhou' });
    expect((await auditOf(number)).at(-1)).toMatchObject({ actor: 'finance.zhou', channel: 'chat', platform: 'dingtalk', command: 'write-offs.approve', outcome: 'ok' });
    inPlainWords(waiting, 'zh');
  });
});

describe('every answer the bot gave in this file', () => {
  it('names no internal command and no error code, in either language', () => {
    const later = receiver.posts.filter((p) => /^\/(dingtalk|response|interaction)\//.test(p.path)).map((p) => String(p.body.text?.content ?? p.body.text ?? ''));
    const answers = [...said, ...later];
    expect(answers.length).toBeGreaterThan(30);
    // An answer in English starts with a letter (Order…, Working on it…); one in Chinese with a Chinese word.
    for (const text of answers) inPlainWords(text, /^[A-Za-z]/.test(text) ? 'en' : 'zh');
  });
});
