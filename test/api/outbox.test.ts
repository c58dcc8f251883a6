import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatReceiver, type ChatReceiver } from '../support/chat-receiver.js';
import { startMailReceiver, type MailReceiver } from '../support/mail-receiver.js';
import { createApp } from '../../api/app.js';
import { devToken } from '../../api/auth/demo-users.js';
import { useStack } from '../support/stack.js';

/**
 * The outbox against real receivers: an SMTP server (smtp-server) and a chat webhook. Mails and posts
 * are counted where they arrive; a receiver that is down makes the sender try again, and nothing twice.
 */
const stack = useStack();
let mail: MailReceiver;
let chat: ChatReceiver;

beforeAll(async () => {
  mail = await startMailReceiver();
  chat = await startChatReceiver();
  // Retries after 300 ms, doubling to at most 1 s; three attempts, then failed.
  await stack.startSender({ smtpUrl: mail.url, retry: { firstMs: 300, capMs: 1000, maxAttempts: 3 } });
  await stack.sql`UPDATE company_settings SET value = '1' WHERE key = 'collection.day_seconds'`;
  await stack.sql`UPDATE company_settings SET value = '[1]' WHERE key = 'collection.dunning_days'`;
  await stack.sql`
    INSERT INTO customers (code, name, settlement_terms, settlement_days, contacts) VALUES
      ('C0901', '杭州西湖商贸 Hangzhou West Lake', 'cash', 0, ${stack.sql.json([
        { name: '赵会计', role: '财务', email: 'ap@westlake.example' },
        { name: 'Li Receiving', role: 'receiving', email: 'goods@westlake.example' },
        { name: 'Buyer without mail', role: 'buyer' },
      ])})`;
});
afterAll(async () => {
  await mail?.close();
  await chat?.close();
});

const line = { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' };

async function createOrder(customerCode = 'C0001') {
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines: [line] } });
  expect(res.status).toBe(201);
  return res.body.order.number as string;
}

const mailsFor = (to: string, number: string) => mail.mails.filter((m) => m.to.includes(to) && m.subject.includes(number));

async function deliveriesOf(number: string, kind: string) {
  return stack.sql<{ id: string; channel: string; address: string; status: string; attempts: number }[]>`
    SELECT d.id::text, d.channel, d.address, d.status, d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
    WHERE n.order_number = ${number} AND n.kind = ${kind} ORDER BY d.address`;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the approval request by mail', () => {
  it('reaches each approver who can give the approval the order needs, in their language, with order number, customer and amount', async () => {
    const number = await createOrder();
    const wang = await mail.waitFor((m) => m.to.includes('manager.wang@example.com') && m.subject.includes(number));
    expect(wang.subject).toBe(`订单 ${number} 待审批`);
    expect(wang.text).toContain('客户：C0001 上海华东贸易有限公司 Shanghai East Trading');
    expect(wang.text).toContain('金额：271.20 CNY（1 行）');
    expect(wang.text).toContain('待审批：审批人 (director.liu, gm.huang, manager.wang)');
    expect(wang.text).toContain(`审批 ${number}`);
    // The reject command shows where the reason goes: a person types it (a chat button fills its own in).
    expect(wang.text).toContain(`驳回 ${number} <原因>`);
    expect(wang.html).toContain(`<h2 style="font-size: 1.1em">订单 ${number} 待审批</h2>`);
    // director.liu reads English.
    const liu = await mail.waitFor((m) => m.to.includes('director.liu@example.com') && m.subject.includes(number));
    expect(liu.subject).toBe(`Approval needed: ${number}`);
    expect(liu.text).toContain('Amount: 271.20 CNY (1 line(s))');
    const sent = await until(() => deliveriesOf(number, 'approval_request'), (ds) => ds.every((d) => d.status === 'sent'));
    // Not the clerk who created it, not the credit controller whom no rule asks for.
    expect(sent.map((d) => d.address)).toEqual(['director.liu@example.com', 'gm.huang@example.com', 'manager.wang@example.com']);
    expect(mail.mails.filter((m) => m.subject.includes(number)).flatMap((m) => m.to).sort()).toEqual(sent.map((d) => d.address));
    // Each mail is its delivery: a mail sent again after a crash is the same message to the recipient's mail program.
    for (const d of sent) expect(mailsFor(d.address, number).map((m) => m.messageId)).toEqual([`<outbox-delivery-${d.id}@test.example>`]);
  });
});

describe('customer messages', () => {
  it('the shipment notice reaches the receiving contact with carrier and tracking number; the dunning mail reaches the finance contact', async () => {
    const number = await createOrder('C0901');
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const delivered = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { carrier: '顺丰速运 SF Express', trackingNumber: 'SF1234567890' } });
    expect(delivered.status).toBe(200);
    const shipped = await mail.waitFor((m) => m.to.includes('goods@westlake.example') && m.subject.includes(number));
    expect(shipped.subject).toMatch(new RegExp(`^订单 ${number} 已发货（.+）$`));
    expect(shipped.text).toContain('承运商：顺丰速运 SF Express');
    expect(shipped.text).toContain('运单号：SF1234567890');
    expect(shipped.text).toContain('P0001 工业传感器 Industrial sensor × 2');

    const invoiced = await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} });
    expect(invoiced.status).toBe(200);
    const invoice = invoiced.body.invoice as string;
    const dunned = await mail.waitFor((m) => m.to.includes('ap@westlake.example') && m.subject.includes(invoice), 30_000);
    expect(dunned.subject).toBe(`第 1 次催款：发票 ${invoice} 尚有 271.20 CNY 未付`);
    expect(dunned.text).toContain('客户：C0901 杭州西湖商贸 Hangzhou West Lake');
    // The company's finance users are told it is overdue; the customer's receiving contact gets no dunning.
    await mail.waitFor((m) => m.to.includes('finance.chen@example.com') && m.subject === `发票 ${invoice} 已逾期`);
    expect(mail.mails.filter((m) => m.to.includes('goods@westlake.example')).map((m) => m.subject)).toEqual([shipped.subject]);
  });
});

describe('the overdue notice, and a message with nobody to send it to', () => {
  it('finance is told the day an invoice falls overdue, before the first dunning step, and once', async () => {
    // Dunning 4 "days" (seconds here) after the due date, so the overdue notice visibly comes first.
    await stack.sql`UPDATE company_settings SET value = '[4]' WHERE key = 'collection.dunning_days'`;
    try {
      const number = await createOrder('C0901');
      expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
      expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
      const invoice = (await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} })).body.invoice as string;
      await mail.waitFor((m) => m.to.includes('finance.chen@example.com') && m.subject === `发票 ${invoice} 已逾期`);
      expect(mail.mails.filter((m) => m.subject.includes(invoice) && m.subject.includes('催款'))).toEqual([]);
      await mail.waitFor((m) => m.to.includes('ap@westlake.example') && m.subject.includes(invoice), 30_000);
      expect(mail.mails.filter((m) => m.to.includes('finance.chen@example.com') && m.subject === `发票 ${invoice} 已逾期`)).toHaveLength(1);
    } finally {
      await stack.sql`UPDATE company_settings SET value = '[1]' WHERE key = 'collection.dunning_days'`;
    }
  });

  it('a shipment notice for a customer without a receiving contact says on the timeline that it went to nobody', async () => {
    await stack.sql`
      INSERT INTO customers (code, name, settlement_terms, settlement_days, contacts) VALUES
        ('C0902', '无收货联系人 No receiving contact', 'cash', 0, ${stack.sql.json([{ name: '钱会计', role: '财务', email: 'ap@nocontact.example' }])})`;
    const number = await createOrder('C0902');
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
    const timeline = await stack.request('GET', `/orders/${number}/timeline`, { user: 'admin.root' });
    const notice = timeline.body.events.find((e: { kind: string }) => e.kind === 'notification.shipment_notice');
    expect(notice.summary).toMatch(/\(not sent: nobody to send it to\)$/);
    expect(mail.mails.filter((m) => m.to.includes('ap@nocontact.example'))).toEqual([]);
  });
});

describe('a receiver that is down', () => {
  it('an SMTP server refusing makes the sender try again later; each approver gets the mail once', async () => {
    // The refusals are meant for this order's mails: first let the earlier tests' mails go out.
    await until(() => stack.sql`SELECT count(*)::int AS n FROM notification_deliveries WHERE status = 'pending' AND channel = 'email'`, (rows) => rows[0]!.n === 0);
    mail.refuseNext(4);
    const number = await createOrder();
    const sent = await until(() => deliveriesOf(number, 'approval_request'), (ds) => ds.length === 3 && ds.every((d) => d.status === 'sent'));
    expect(mail.refused).toBeGreaterThanOrEqual(4);
    expect(sent.some((d) => d.attempts > 1)).toBe(true);
    for (const d of sent) expect(mailsFor(d.address, number)).toHaveLength(1);
  });

  it('a chat webhook answering 500 gets the post later, once; the retries show in the metrics', async () => {
    stack.chat.webhookUrl = `${chat.url}/down-then-up`;
    chat.failNext(2);
    const number = await createOrder();
    const post = await chat.waitFor((p) => p.path === '/down-then-up' && String(p.body.text).includes(number));
    expect(post.body.blocks[1].text.text).toContain('客户：C0001 上海华东贸易有限公司 Shanghai East Trading');
    const [slack] = await until(() => deliveriesOf(number, 'approval_request').then((ds) => ds.filter((d) => d.channel === 'slack')), (ds) => ds[0]?.status === 'sent');
    expect(slack).toMatchObject({ status: 'sent', attempts: 3 });
    expect(chat.failed).toBe(2);
    expect(chat.posts.filter((p) => String(p.body.text).includes(number))).toHaveLength(1);
    const metrics = (await stack.request('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^notification_delivery_retries_total\{channel="slack"\} [2-9]\d*$/m);
    expect(metrics).toMatch(/^notification_deliveries_sent_total\{channel="email"\} [1-9]\d*$/m);
    stack.chat.webhookUrl = undefined;
  });

  it('a group robot answering 200 with an error code is tried again, and its post arrives once; the timeline says it came late', async () => {
    const before = (await stack.request('GET', '/notification-routing', { user: 'admin.root' })).body;
    const { users: _users, ...saved } = before;
    await stack.request('PUT', '/notification-routing', { user: 'admin.root', body: { ...saved, routes: [{ role: 'approver', channel: 'dingtalk', webhookUrl: `${chat.url}/picky-robot` }] } });
    try {
      chat.refuseAsRobotNext(2, { errcode: 310000, errmsg: 'sign not match' });
      const number = await createOrder();
      const [robot] = await until(() => deliveriesOf(number, 'approval_request').then((ds) => ds.filter((d) => d.channel === 'dingtalk')), (ds) => ds[0]?.status === 'sent');
      expect(robot!.attempts).toBe(3);
      expect(chat.refusedAsRobot).toBe(2);
      expect(chat.posts.filter((p) => p.path === '/picky-robot' && JSON.stringify(p.body).includes(number))).toHaveLength(1);
      const timeline = await stack.request('GET', `/orders/${number}/timeline`, { user: 'admin.root' });
      const late = timeline.body.events.find((e: { kind: string; summary: string }) => e.kind === 'delivery.recovered' && e.summary.includes('dingtalk'));
      expect(late.summary).toBe(
        'approval_request by dingtalk to director.liu, gm.huang, manager.wang delivered at attempt 3 (before: the robot refused the post: 310000 sign not match)',
      );
    } finally {
      await stack.request('PUT', '/notification-routing', { user: 'admin.root', body: saved });
    }
  });

  it("a group that was down reads its posts in order: the request before its decision", async () => {
    stack.chat.webhookUrl = `${chat.url}/in-order`;
    // Two failures: the request is still being retried (three attempts here) when the decision is written.
    chat.failNext(2);
    const number = await createOrder();
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const decided = await chat.waitFor((p) => p.path === '/in-order' && String(p.body.text).startsWith(`订单 ${number} 已审批`));
    const posts = chat.posts.filter((p) => p.path === '/in-order' && String(p.body.text).includes(number));
    expect(posts.map((p) => p.body.text)).toEqual([`订单 ${number} 待审批`, decided.body.text]);
    stack.chat.webhookUrl = undefined;
  });

  it('a webhook that stays down is given up after the last attempt, and the order timeline shows it', async () => {
    stack.chat.webhookUrl = `${chat.url}/always-down`;
    chat.failNext(1000);
    const number = await createOrder();
    const [failed] = await until(
      () => deliveriesOf(number, 'approval_request').then((ds) => ds.filter((d) => d.channel === 'slack')),
      (ds) => ds[0]?.status === 'failed',
    );
    expect(failed!.attempts).toBe(3);
    const timeline = await stack.request('GET', `/orders/${number}/timeline`, { user: 'admin.root' });
    const event = timeline.body.events.find((e: { kind: string }) => e.kind === 'delivery.failed');
    expect(event.summary).toBe(`approval_request by slack to slack failed after 3 attempts: chat post to ${new URL(chat.url).host} answered 500`);
    chat.failNext(0);
    stack.chat.webhookUrl = undefined;
  });
});

describe('change and write-off approval requests', () => {
  it('a change that waits goes to the approvers who can approve it; a write-off request to the finance approvers other than the requester', async () => {
    const number = await createOrder();
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    const changed = await stack.request('POST', `/orders/${number}/changes`, { user: 'clerk.li', body: { reason: 'customer wants more', lines: [{ action: 'change', lineNo: 1, quantity: '3' }] } });
    expect(changed.body.change.status).toBe('pending_approval');
    const toWang = await mail.waitFor((m) => m.to.includes('manager.wang@example.com') && m.subject === `订单 ${number} 的变更 0001 待审批`);
    expect(toWang.text).toContain('金额：271.20 → 406.80 CNY');
    expect(toWang.text).toContain(`审批 ${number} 变更 0001`);

    expect((await stack.request('POST', `/orders/${number}/changes/0001/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} })).status).toBe(200);
    expect((await stack.request('POST', `/orders/${number}/write-offs`, { user: 'finance.chen', body: { reason: 'insolvent' } })).status).toBe(201);
    const toZhou = await mail.waitFor((m) => m.to.includes('finance.zhou@example.com') && m.subject.includes(`${number}-W1`));
    expect(toZhou.subject).toBe(`坏账核销申请 ${number}-W1 待审批`);
    expect(toZhou.text).toContain('核销金额：406.80 CNY');
    const [row] = await stack.sql<{ recipients: string[] }[]>`
      SELECT array_agg(r ORDER BY r) AS recipients FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id, unnest(d.recipients) r
      WHERE n.kind = 'write_off_approval_request' AND n.order_number = ${number}`;
    // finance.chen asked, so only the other finance approvers decide (director.liu, finance.zhou).
    expect(row!.recipients).toEqual(['director.liu', 'finance.zhou']);
  });
});

describe('routing as configuration (PUT /notification-routing)', () => {
  const routing = (user: string, body: unknown) => stack.request('PUT', '/notification-routing', { user, body });

  it('an admin sends approvers to one chat group as well; two approvers in the group see one post; the change is audited', async () => {
    const body = {
      routes: [
        { role: 'approver', channel: 'dingtalk', webhookUrl: `${chat.url}/approvers-group` },
        { role: 'approver', channel: 'email', webhookUrl: null },
      ],
      escalationUser: 'gm.huang',
      contactRoles: { dunning: ['财务'], shipment_notice: [] },
    };
    expect((await routing('clerk.li', body)).status).toBe(403);
    const saved = await routing('admin.root', body);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ routes: body.routes, escalationUser: 'gm.huang', contactRoles: body.contactRoles });
    const number = await createOrder();
    const inCard = (p: { body: any }) => String(p.body.actionCard?.text ?? '').includes(number);
    const post = await chat.waitFor((p) => p.path === '/approvers-group' && inCard(p));
    expect(post.body.actionCard.text).toContain('待审批：审批人 (director.liu, gm.huang, manager.wang)');
    // An ActionCard: each button sends the command it stands for as the approver's own message.
    expect(post.body.actionCard.btns.map((b: { title: string }) => b.title)).toEqual(['审批通过', '驳回']);
    expect(decodeURIComponent(post.body.actionCard.btns[0].actionURL)).toContain(`审批 ${number}`);
    await until(() => deliveriesOf(number, 'approval_request'), (ds) => ds.length === 4 && ds.every((d) => d.status === 'sent'));
    expect(chat.posts.filter((p) => p.path === '/approvers-group' && inCard(p))).toHaveLength(1);
    const [audit] = await stack.sql`SELECT actor, outcome FROM audit_entries WHERE command = 'PUT /notification-routing' ORDER BY id DESC LIMIT 1`;
    expect(audit).toEqual({ actor: 'admin.root', outcome: 'ok' });
  });

  it('signs what it posts to a group robot whose secret is configured: DingTalk in the URL, Feishu in the card', async () => {
    const ding = `${chat.url}/signed-ding`;
    const feishu = `${chat.url}/signed-feishu`;
    await stack.startSender({ smtpUrl: mail.url, retry: { firstMs: 300, capMs: 1000, maxAttempts: 3 }, webhookSecrets: new Map([[ding, 'SEC-ding'], [feishu, 'feishu-secret']]) });
    try {
      const routes = [
        // Spelled otherwise than configured (a trailing slash): still the same robot, and its secret is found.
        { role: 'approver', channel: 'dingtalk', webhookUrl: `${ding}/` },
        { role: 'approver', channel: 'feishu', webhookUrl: feishu },
      ];
      expect((await routing('admin.root', { routes, escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } })).status).toBe(200);
      const number = await createOrder();
      const dingPost = await chat.waitFor((p) => p.path.startsWith('/signed-ding/?') && String(p.body.actionCard?.text ?? '').includes(number));
      const q = new URL(dingPost.path, chat.url).searchParams;
      // DingTalk 加签: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), the timestamp in milliseconds.
      expect(q.get('sign')).toBe(createHmac('sha256', 'SEC-ding').update(`${q.get('timestamp')}\nSEC-ding`).digest('base64'));
      expect(Math.abs(Number(q.get('timestamp')) - Date.now())).toBeLessThan(60_000);
      const feishuPost = await chat.waitFor((p) => p.path === '/signed-feishu' && JSON.stringify(p.body).includes(number));
      // Feishu 签名校验: sign = base64(HMAC-SHA256 keyed by timestamp + "\n" + secret, of nothing), the timestamp in seconds.
      const ts = String(feishuPost.body.timestamp);
      expect(feishuPost.body.sign).toBe(createHmac('sha256', `${ts}\nfeishu-secret`).update('').digest('base64'));
      expect(feishuPost.body.msg_type).toBe('interactive');
    } finally {
      await routing('admin.root', { routes: [{ role: 'approver', channel: 'email', webhookUrl: null }], escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } });
      await stack.startSender({ smtpUrl: mail.url, retry: { firstMs: 300, capMs: 1000, maxAttempts: 3 } });
    }
  });

  it('two roles routed to one group robot, its URL spelled two ways, get one post there: the robot is who reads it', async () => {
    const robot = `${chat.url}/one-robot`;
    const routes = [
      { role: 'approver', channel: 'dingtalk', webhookUrl: `${robot}?access_token=t1` },
      { role: 'credit_controller', channel: 'dingtalk', webhookUrl: `${robot}/?access_token=t1` },
    ];
    expect((await routing('admin.root', { routes, escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } })).status).toBe(200);
    try {
      // Under the floor price: the approver and the credit controller are both asked.
      const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [{ ...line, unitPrice: '90.00' }] } });
      expect(created.status).toBe(201);
      const number = created.body.order.number as string;
      const post = await chat.waitFor((p) => p.path.startsWith('/one-robot') && String(p.body.actionCard?.text ?? '').includes(number));
      expect(post.body.actionCard.text).toContain('信用管理员 (credit.sun)');
      await until(() => deliveriesOf(number, 'approval_request'), (ds) => ds.length > 0 && ds.every((d) => d.status === 'sent'));
      expect(chat.posts.filter((p) => p.path.startsWith('/one-robot') && String(p.body.actionCard?.text ?? '').includes(number))).toHaveLength(1);
    } finally {
      await routing('admin.root', { routes: [{ role: 'approver', channel: 'email', webhookUrl: null }], escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } });
    }
  });

  it('refuses a chat webhook inside the network (loopback, private, cloud metadata, a bare service name) where local receivers are not allowed', async () => {
    const guarded = createApp({ sql: stack.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai' });
    const before = (await stack.request('GET', '/notification-routing', { user: 'admin.root' })).body.routes;
    const put = async (webhookUrl: string) => {
      const res = await guarded.request('/notification-routing', {
        method: 'PUT',
        headers: { authorization: `Bearer ${devToken('admin.root')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ routes: [{ role: 'approver', channel: 'email', webhookUrl: null }, { role: 'finance', channel: 'dingtalk', webhookUrl }], escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; field: string; message: string } } };
    };
    for (const url of ['http://169.254.169.254/latest/meta-data/', `${chat.url}/hook`, 'http://[::1]:5432/', 'http://postgres:5432/', 'http://10.1.2.3/robot/send?access_token=x']) {
      const refused = await put(url);
      expect([refused.status, refused.body.error?.code, refused.body.error?.field]).toEqual([400, 'VALIDATION_FAILED', 'routes[1].webhookUrl']);
      expect(refused.body.error?.message).toContain('is an internal host');
    }
    expect((await stack.request('GET', '/notification-routing', { user: 'admin.root' })).body.routes).toEqual(before);
    expect((await put('https://oapi.dingtalk.com/robot/send?access_token=abc')).status).toBe(200);
    await stack.request('PUT', '/notification-routing', { user: 'admin.root', body: { routes: before, escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } } });
  });

  it('a sender that may not post inside the network does not post to a route on it saved before, and the timeline says why', async () => {
    await stack.startSender({ smtpUrl: mail.url, retry: { firstMs: 300, capMs: 1000, maxAttempts: 2 }, internalHostsAllowed: false });
    try {
      const routes = [{ role: 'approver', channel: 'dingtalk', webhookUrl: `${chat.url}/inside` }];
      expect((await routing('admin.root', { routes, escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } })).status).toBe(200);
      const number = await createOrder();
      const [given] = await until(() => deliveriesOf(number, 'approval_request'), (ds) => ds.length === 1 && ds[0]!.status === 'failed');
      expect(given!.attempts).toBe(2);
      expect(chat.posts.filter((p) => p.path === '/inside')).toEqual([]);
      const timeline = (await stack.request('GET', `/orders/${number}/timeline`, { user: 'clerk.li' })).body.events as { kind: string; summary: string }[];
      expect(timeline.find((e) => e.kind === 'delivery.failed')?.summary).toContain('webhook host 127.0.0.1 is an internal host; not posted');
    } finally {
      await routing('admin.root', { routes: [{ role: 'approver', channel: 'email', webhookUrl: null }], escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } });
      await stack.startSender({ smtpUrl: mail.url, retry: { firstMs: 300, capMs: 1000, maxAttempts: 3 } });
    }
  });

  it('concurrent PUTs of the routing each replace it whole: every one answers 200, none a duplicate-key 409, nothing doubled', async () => {
    const bodies = Array.from({ length: 6 }, (_, i) => ({
      routes: [
        { role: 'approver', channel: 'email', webhookUrl: null },
        { role: 'finance', channel: 'dingtalk', webhookUrl: `${chat.url}/group-${i}` },
      ],
      escalationUser: null,
      contactRoles: { dunning: [], shipment_notice: [] },
    }));
    const answers = await Promise.all(bodies.map((b) => routing('admin.root', b)));
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual(bodies.map(() => [200, undefined]));
    const rows = await stack.sql<{ role: string; channel: string }[]>`SELECT role, channel FROM notification_routes ORDER BY role, channel`;
    expect(rows).toEqual([{ role: 'approver', channel: 'email' }, { role: 'finance', channel: 'dingtalk' }]);
  });

  it('refuses, naming the field: a chat route without its webhook, an unknown escalation user, a bad address; a user’s mail and language change', async () => {
    const chatWithout = await routing('admin.root', { routes: [{ role: 'finance', channel: 'slack', webhookUrl: null }], escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] } });
    expect(chatWithout.status).toBe(400);
    expect(chatWithout.body.error.field).toBe('routes[0].webhookUrl');
    const smuggled = await routing('admin.root', {
      routes: [{ role: 'finance', channel: 'slack', webhookUrl: 'http://127.0.0.1:4718/x\r\nHost: evil' }], escalationUser: null, contactRoles: { dunning: [], shipment_notice: [] },
    });
    expect([smuggled.status, smuggled.body.error.field]).toEqual([400, 'routes[0].webhookUrl']);
    const nobody = await routing('admin.root', { routes: [], escalationUser: 'no.such.user', contactRoles: { dunning: [], shipment_notice: [] } });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.field).toBe('escalationUser');
    // An escalation to someone who can do nothing about it is refused, and the routing stays as it was.
    const before = (await stack.request('GET', '/notification-routing', { user: 'admin.root' })).body.escalationUser;
    const powerless = await routing('admin.root', { routes: [], escalationUser: 'warehouse.zhao', contactRoles: { dunning: [], shipment_notice: [] } });
    expect(powerless.status).toBe(400);
    expect(powerless.body.error).toMatchObject({ field: 'escalationUser', message: 'warehouse.zhao can neither approve orders nor grant approval authority' });
    expect((await stack.request('GET', '/notification-routing', { user: 'admin.root' })).body.escalationUser).toBe(before);
    const [audited] = await stack.sql`SELECT input FROM audit_entries WHERE command = 'PUT /notification-routing' AND outcome = 'VALIDATION_FAILED' ORDER BY id DESC LIMIT 1`;
    expect(audited!.input.escalationUser).toBe('warehouse.zhao');
    const badMail = await stack.request('PUT', '/notification-routing/users/manager.wang', { user: 'admin.root', body: { email: 'wang@\u0000x', language: 'zh' } });
    expect(badMail.status).toBe(400);
    expect(badMail.body.error.field).toBe('email');
    const changed = await stack.request('PUT', '/notification-routing/users/credit.sun', { user: 'admin.root', body: { email: 'sun@example.org', language: 'en' } });
    expect(changed.body.users.find((u: { name: string }) => u.name === 'credit.sun')).toEqual({ name: 'credit.sun', role: 'credit_controller', email: 'sun@example.org', language: 'en' });
  });
});
