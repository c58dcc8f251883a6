import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../domain/notifications.js';
import { parseChatCommand } from '../../api/chat/parse.js';
import { writeOffRequestNumber } from '../../domain/notices.js';
import { parseWriteOffRequestNumber } from '../../messages/chat-actions.js';
import { renderFor, signedDingTalkWebhook } from '../../messages/chat-render.js';
import { robotRefusal } from '../../runtime/chat-http.js';

const changeRequest: Notification = {
  kind: 'change_approval_request',
  orderNumber: 'SO-20261202-0001',
  documentNumber: '2',
  title: { zh: '订单 SO-20261202-0001 的变更 2 待审批', en: 'Change 2 of order SO-20261202-0001 waits for approval' },
  facts: [
    { zh: '客户 C0001 <上海华东贸易>', en: 'Customer C0001 <Shanghai East>' },
    { zh: '变更后含税金额 1,271.20 CNY', en: 'Gross after the change 1,271.20 CNY' },
    { zh: '# 还需信用管理员审批\n第二行', en: '# still needs a credit controller\nsecond line' },
  ],
  actions: [
    { kind: 'approve_change', orderNumber: 'SO-20261202-0001', changeNumber: '2' },
    { kind: 'reject_change', orderNumber: 'SO-20261202-0001', changeNumber: '2' },
  ],
};

const writeOff: Notification = {
  kind: 'write_off_approval_request',
  orderNumber: 'SO-20261202-0002',
  documentNumber: writeOffRequestNumber('SO-20261202-0002', 1),
  title: { zh: '坏账核销申请待审批', en: 'A bad-debt write-off waits for a decision' },
  facts: [{ zh: '金额 88.00 CNY', en: 'Amount 88.00 CNY' }],
  actions: [
    { kind: 'approve_write_off', requestNumber: writeOffRequestNumber('SO-20261202-0002', 1) },
    { kind: 'reject_write_off', requestNumber: writeOffRequestNumber('SO-20261202-0002', 1) },
  ],
};

const dunning: Notification = { ...writeOff, kind: 'dunning', title: { zh: '逾期提醒', en: 'Payment overdue' }, actions: [] };

/** HMAC-SHA256 through WebCrypto, apart from the node:crypto code the renderers use. */
async function hmacBase64(key: string, data: string): Promise<string> {
  const k = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Buffer.from(await webcrypto.subtle.sign('HMAC', k, new TextEncoder().encode(data))).toString('base64');
}

describe('Slack rendering', () => {
  it('gives the title, escaped one-line facts and a button per action whose value is the chat command', () => {
    const m = renderFor('slack', changeRequest, 'zh-CN') as { text: string; blocks: any[] };
    expect(m.text).toBe('订单 SO-20261202-0001 的变更 2 待审批');
    expect(m.blocks[1].text.text).toBe('• 客户 C0001 &lt;上海华东贸易&gt;\n• 变更后含税金额 1,271.20 CNY\n• # 还需信用管理员审批 第二行');
    // Approving is final, so Slack asks once more; rejecting only asks for the reason (the command carries none).
    expect(m.blocks[2].elements[0].confirm).toMatchObject({ title: { text: '审批通过变更 2' }, deny: { text: '取消' } });
    expect(m.blocks[2].elements[1].confirm).toBeUndefined();
    expect(m.blocks[2].elements.map((b: any) => [b.action_id, b.value, b.text.text, b.style])).toEqual([
      ['approve_change', '审批 SO-20261202-0001 变更 2', '审批通过变更 2', 'primary'],
      ['reject_change', '驳回 SO-20261202-0001 变更 2', '驳回变更 2', 'danger'],
    ]);
  });

  it("a button's value is a command the chat parser takes back, in the message's language", () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const m = renderFor('slack', writeOff, lang) as { blocks: any[] };
      const [approve, reject] = m.blocks[2].elements.map((b: any) => parseChatCommand(b.value));
      expect(approve).toMatchObject({ kind: 'approveWriteOff', orderNumber: 'SO-20261202-0002', seq: 1, lang: lang === 'en' ? 'en' : 'zh' });
      expect(reject).toMatchObject({ kind: 'help', missingReason: true });
    }
  });

  it('mentions the recipients by their Slack ids, leaving out anything that could break out of a mention', () => {
    const m = renderFor('slack', dunning, 'en', { mentions: ['U_WANG', 'U1>|<!channel'] }) as { blocks: any[] };
    expect(m.blocks[0].text.text).toBe('*Payment overdue* <@U_WANG>');
  });

  it('replaces the request it answers when it is the decision', () => {
    const decided = renderFor('slack', { ...dunning, kind: 'approval_decided' }, 'en') as { replace_original?: boolean };
    expect(decided.replace_original).toBe(true);
    expect((renderFor('slack', dunning, 'en') as { replace_original?: boolean }).replace_original).toBeUndefined();
  });

  it('has no actions block when nothing is asked', () => {
    const m = renderFor('slack', dunning, 'en') as { blocks: any[] };
    expect(m.blocks.map((b) => b.type)).toEqual(['section', 'section']);
  });
});

describe('a robot that answers 200 to a post it refuses', () => {
  it('is read from the body: DingTalk errcode, Feishu code or StatusCode; 0 or a plain "ok" is taken', () => {
    expect(robotRefusal('{"errcode":310000,"errmsg":"sign not match"}')).toBe('the robot refused the post: 310000 sign not match');
    expect(robotRefusal('{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}')).toMatch(/^the robot refused the post: 19021 /);
    expect(robotRefusal('{"StatusCode":9499,"StatusMessage":"Bad Request"}')).toBe('the robot refused the post: 9499 Bad Request');
    expect(robotRefusal('{"errcode":0,"errmsg":"ok"}')).toBeUndefined();
    expect(robotRefusal('{"code":0,"msg":"success"}')).toBeUndefined();
    expect(robotRefusal('ok')).toBeUndefined();
  });
});

describe('DingTalk rendering', () => {
  it('is an ActionCard whose buttons send the command as the user (dtmd link)', () => {
    const m = renderFor('dingtalk', changeRequest, 'en') as { msgtype: string; actionCard: any };
    expect(m.msgtype).toBe('actionCard');
    expect(m.actionCard.title).toBe('Change 2 of order SO-20261202-0001 waits for approval');
    expect(m.actionCard.text).toContain('- \\# still needs a credit controller second line');
    const [approve, reject] = m.actionCard.btns;
    expect(approve.title).toBe('Approve change 2');
    expect(approve.actionURL).toBe(`dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('approve SO-20261202-0001 change 2')}`);
    // Reject sends the command without a reason: the robot answers how to give one, so one tap never rejects.
    expect(decodeURIComponent(reject.actionURL.split('content=')[1])).toBe('reject SO-20261202-0001 change 2');
    expect(parseChatCommand(decodeURIComponent(reject.actionURL.split('content=')[1]))).toMatchObject({ kind: 'help', missingReason: true });
  });

  it("keeps people's words as words: no links, images or mentions out of a reason", () => {
    const reason = '[钉钉登录](https://evil.example/dt) <at id=all></at> ![img](https://evil.example/i.png)';
    const poisoned: Notification = { ...changeRequest, facts: [{ zh: reason, en: reason }] };
    const text = (renderFor('dingtalk', poisoned, 'zh-CN') as { actionCard: { text: string } }).actionCard.text;
    expect(text).toContain('［钉钉登录］(https://evil.example/dt) ＜at id=all＞＜/at＞ !［img］');
    expect(text).not.toMatch(/\]\(|<at/);
    const card = (renderFor('feishu', poisoned, 'zh-CN') as { card: { elements: any[] } }).card;
    expect(card.elements[0].text).toEqual({ tag: 'plain_text', content: `• ${reason}` });
  });

  it('is markdown when nothing is asked, and a signed webhook URL carries timestamp and sign (加签)', async () => {
    expect(renderFor('dingtalk', dunning, 'zh-CN')).toMatchObject({ msgtype: 'markdown', markdown: { title: '逾期提醒' } });
    const now = new Date('2026-12-02T08:00:00Z');
    const url = new URL(signedDingTalkWebhook('https://oapi.dingtalk.com/robot/send?access_token=abc', 'SECxyz', now));
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    expect(url.searchParams.get('sign')).toBe(await hmacBase64('SECxyz', `${now.getTime()}\nSECxyz`));
  });
});

describe('Feishu rendering', () => {
  const now = new Date('2026-12-02T08:00:00Z');

  it('is an interactive card signed as Feishu asks: key timestamp + "\\n" + secret over nothing, base64', async () => {
    const m = renderFor('feishu', changeRequest, 'zh-CN', { feishuSecret: 'fs-secret', now, consoleUrl: 'https://bo.example.com/' }) as any;
    expect(m.timestamp).toBe(String(now.getTime() / 1000));
    expect(m.sign).toBe(await hmacBase64(`${m.timestamp}\nfs-secret`, ''));
    expect(m.sign).not.toBe(await hmacBase64(`${m.timestamp}\nother-secret`, ''));
    expect(m.msg_type).toBe('interactive');
    expect(m.card.header).toEqual({ template: 'orange', title: { tag: 'plain_text', content: '订单 SO-20261202-0001 的变更 2 待审批' } });
    const [facts, actions, note] = m.card.elements;
    expect(facts.text.content.split('\n')).toHaveLength(3);
    expect(actions.actions.map((a: any) => [a.text.content, a.url])).toEqual([
      ['审批通过变更 2', 'https://bo.example.com/console/orders/SO-20261202-0001'],
      ['驳回变更 2', 'https://bo.example.com/console/orders/SO-20261202-0001'],
    ]);
    expect(note.elements[0].content).toBe('在 Slack 或钉钉中发送：审批 SO-20261202-0001 变更 2 | 驳回 SO-20261202-0001 变更 2 <原因>');
  });

  it('without a secret has no sign, and without the console address no buttons', () => {
    const m = renderFor('feishu', writeOff, 'en') as any;
    expect(m).not.toHaveProperty('sign');
    expect(m.card.elements.map((e: any) => e.tag)).toEqual(['div', 'note']);
  });
});

describe('write-off request numbers', () => {
  it('name the order and the request, and nothing else parses as one', () => {
    expect(parseWriteOffRequestNumber('SO-20261202-0002-W12')).toEqual({ orderNumber: 'SO-20261202-0002', seq: 12 });
    for (const bad of ['SO-1-W0', 'SO-1-W', 'so-1-W1', 'SO-1-W12345', '-W1', 'SO 1-W1']) expect(parseWriteOffRequestNumber(bad)).toBeUndefined();
  });
});
