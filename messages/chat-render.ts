import { createHmac } from 'node:crypto';
import type { Notification, NotificationAction, Words } from '../domain/notifications.js';
import { actionCommand, actionLabel, NO_REASON, parseWriteOffRequestNumber, TYPED_REJECT_REASON } from './chat-actions.js';

/**
 * A notification as each chat platform takes it, pure (no I/O, no clock but the one
 * passed in): the sender renders, signs where the platform asks, and posts.
 */
export type ChatChannel = 'slack' | 'dingtalk' | 'feishu';
/** The console's languages (console/i18n.ts Lang). */
export type RenderLang = 'zh-CN' | 'en';

export interface RenderOptions {
  /** Feishu robot with 签名校验: its secret; the body then carries `timestamp` and `sign`. */
  feishuSecret?: string | undefined;
  /** The signing instant (Feishu); the sender's clock. */
  now?: Date;
  /** Where the console is reached (https://bo.example.com): Feishu's buttons open the document there. */
  consoleUrl?: string | undefined;
  /** Slack user ids of the recipients in the group: the message mentions them. */
  mentions?: string[];
}

const pick = (lang: RenderLang, w: Words) => (lang === 'en' ? w.en : w.zh);
const short = (lang: RenderLang) => (lang === 'en' ? 'en' : 'zh');
/** One line of a message: a fact never breaks the message's layout (its own line breaks become spaces). */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Slack mrkdwn: &, < and > are the only characters Slack asks to escape (they would start a link or mention). */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const slackConfirm = (lang: RenderLang, title: string, label: Words) => ({
  title: { type: 'plain_text', text: pick(lang, label).slice(0, 100) },
  text: { type: 'plain_text', text: title.slice(0, 300) },
  confirm: { type: 'plain_text', text: pick(lang, label).slice(0, 30) },
  deny: { type: 'plain_text', text: pick(lang, { zh: '取消', en: 'Cancel' }) },
});

/** A user id that can stand in a Slack mention (no `>` or `|` to break out of it); anything else is left out. */
const SLACK_USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The command a chat button sends (Slack's value, DingTalk's send-message link). A rejection goes without a reason:
 * the answer then says how to give one (驳回 SO-… <原因>), so nobody rejects with one tap or in words he did not write.
 */
const buttonCommand = (a: NotificationAction, lang: RenderLang) => actionCommand(a, short(lang), NO_REASON);

/**
 * Slack Block Kit: the title with the recipients mentioned, the facts, and a button per action whose value is the
 * command it runs. A decision posted to a request's response URL replaces the request (Slack's `replace_original`).
 */
export function slackMessage(n: Notification, lang: RenderLang, mentions: string[] = []) {
  const title = oneLine(pick(lang, n.title));
  const facts = n.facts.map((f) => `• ${slackEscape(oneLine(pick(lang, f)))}`).join('\n');
  const who = mentions.filter((m) => SLACK_USER_ID.test(m)).map((m) => ` <@${m}>`).join('');
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(title)}*${who}` } }];
  if (facts) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: facts } });
  if (n.actions.length) {
    blocks.push({
      type: 'actions',
      block_id: `actions:${n.documentNumber ?? n.orderNumber ?? n.kind}`,
      elements: n.actions.map((a) => ({
        type: 'button',
        action_id: a.kind,
        // A reject button sends the command without a reason: the answer says how to give one.
        value: buttonCommand(a, lang),
        style: a.kind.startsWith('approve') ? 'primary' : 'danger',
        text: { type: 'plain_text', text: pick(lang, actionLabel(a)) },
        // An approval is final: Slack asks once more before sending it.
        ...(a.kind.startsWith('approve') ? { confirm: slackConfirm(lang, title, actionLabel(a)) } : {}),
      })),
    });
  }
  return { text: title, ...(n.kind === 'approval_decided' ? { replace_original: true } : {}), blocks };
}

/**
 * DingTalk's link that, tapped in a chat with the robot, sends `content` as the
 * user's own message: the robot then receives the command as if typed (and the
 * user's signature and link are checked as for any message).
 */
export const dingTalkSendLink = (content: string) => `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(content)}`;

/**
 * DingTalk markdown: a fact holds people's own words (a reason, a name), which must stay words. Link and image
 * syntax ([text](url), ![](url), <a>, <at>) would turn them into a link someone else clicks, so its square and angle
 * brackets become their full-width look-alikes; a fact that starts with markdown syntax would be read as a heading or a list.
 */
const dingTalkLine = (s: string) =>
  oneLine(s)
    .replace(/[[\]<>]/g, (c) => ({ '[': '［', ']': '］', '<': '＜', '>': '＞' })[c]!)
    .replace(/^([#>*\-+!]|\d+\.)/, '\\$1');



/** DingTalk robot: an ActionCard with a button per action (独立跳转), or markdown when nothing is asked. */
export function dingTalkMessage(n: Notification, lang: RenderLang) {
  const title = oneLine(pick(lang, n.title));
  const text = [`### ${title}`, ...n.facts.map((f) => `- ${dingTalkLine(pick(lang, f))}`)].join('\n\n');
  if (n.actions.length === 0) return { msgtype: 'markdown', markdown: { title, text } };
  return {
    msgtype: 'actionCard',
    actionCard: {
      title,
      text,
      btnOrientation: '1',
      btns: n.actions.map((a) => ({ title: pick(lang, actionLabel(a)), actionURL: dingTalkSendLink(buttonCommand(a, lang)) })),
    },
  };
}

/** The console page where an action's document is decided. */
function consolePage(consoleUrl: string, a: NotificationAction): string {
  const base = consoleUrl.replace(/\/+$/, '');
  const order = 'requestNumber' in a ? parseWriteOffRequestNumber(a.requestNumber)?.orderNumber : a.orderNumber;
  return order ? `${base}/console/orders/${encodeURIComponent(order)}` : `${base}/console/finance/write-offs`;
}

/** Messages to a customer's own people, who have no console to open. */
const TO_CUSTOMERS: ReadonlySet<Notification['kind']> = new Set(['dunning', 'shipment_notice']);

/** Where a colleague opens what a message is about in the console: the page that decides it, else the order. */
export function consoleLinkOf(consoleUrl: string | undefined, n: Notification): string | undefined {
  if (!consoleUrl || TO_CUSTOMERS.has(n.kind)) return undefined;
  if (n.actions[0]) return consolePage(consoleUrl, n.actions[0]);
  return n.orderNumber ? `${consoleUrl.replace(/\/+$/, '')}/console/orders/${encodeURIComponent(n.orderNumber)}` : undefined;
}

/**
 * Feishu custom robot (自定义机器人) signature: the key is timestamp (seconds) + "\n" +
 * secret, the HMAC-SHA256 is taken over nothing, and sent base64 as `sign`.
 */
export function feishuSign(timestamp: string, secret: string): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

/**
 * Feishu interactive card. A custom robot cannot take a button's answer back, so a
 * button opens the document in the console (when its address is known), and the
 * card names the chat command that decides it on Slack or DingTalk.
 */
export function feishuMessage(n: Notification, lang: RenderLang, options: RenderOptions = {}) {
  const title = oneLine(pick(lang, n.title));
  const elements: unknown[] = [];
  // Plain text, not lark_md: a fact holds people's own words, which must not become links or <at id=all> mentions.
  if (n.facts.length) elements.push({ tag: 'div', text: { tag: 'plain_text', content: n.facts.map((f) => `• ${oneLine(pick(lang, f))}`).join('\n') } });
  if (n.actions.length && options.consoleUrl) {
    const url = options.consoleUrl;
    elements.push({
      tag: 'action',
      actions: n.actions.map((a) => ({
        tag: 'button',
        type: a.kind.startsWith('approve') ? 'primary' : 'danger',
        text: { tag: 'plain_text', content: pick(lang, actionLabel(a)) },
        url: consolePage(url, a),
      })),
    });
  }
  if (n.actions.length) {
    const commands = n.actions.map((a) => actionCommand(a, short(lang), TYPED_REJECT_REASON)).join(' | ');
    const where: Words = { zh: `在 Slack 或钉钉中发送：${commands}`, en: `On Slack or DingTalk, send: ${commands}` };
    elements.push({ tag: 'note', elements: [{ tag: 'plain_text', content: pick(lang, where) }] });
  }
  const card = {
    config: { wide_screen_mode: true },
    header: { template: n.actions.length ? 'orange' : 'blue', title: { tag: 'plain_text', content: title } },
    elements,
  };
  const body = { msg_type: 'interactive', card };
  if (!options.feishuSecret) return body;
  const timestamp = String(Math.floor((options.now ?? new Date()).getTime() / 1000));
  return { timestamp, sign: feishuSign(timestamp, options.feishuSecret), ...body };
}

/**
 * DingTalk custom robot with 加签: the webhook URL carries `timestamp` (ms) and
 * `sign` = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded.
 */
export function signedDingTalkWebhook(webhookUrl: string, secret: string, now: Date): string {
  const timestamp = String(now.getTime());
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  const url = new URL(webhookUrl);
  url.searchParams.set('timestamp', timestamp);
  url.searchParams.set('sign', sign);
  return url.toString();
}

/** The body to post for a notification on a channel, in the recipient's language. */
export function renderFor(channel: ChatChannel, n: Notification, lang: RenderLang, options: RenderOptions = {}): Record<string, unknown> {
  switch (channel) {
    case 'slack':
      return slackMessage(n, lang, options.mentions);
    case 'dingtalk':
      return dingTalkMessage(n, lang);
    case 'feishu':
      return feishuMessage(n, lang, options);
  }
}
