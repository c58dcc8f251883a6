import type { Notification } from '../../domain/notifications.js';
import type { Channel, Language } from '../../db/outbox/enqueue.js';
import { APPROVE_ACTION, REJECT_ACTION } from '../chat-http.js';

export type ChatChannel = Exclude<Channel, 'email'>;

/** Renders a notification as one chat platform's webhook body; `mentions` are the recipients' chat ids there. */
export type ChatRenderer = (n: Notification, lang: Language, mentions: string[]) => unknown;

const lines = (n: Notification, lang: Language) => [n.title[lang], ...n.facts.map((f) => f[lang])];

/** Slack Block Kit: the title and facts, and Approve / Reject buttons the interaction endpoint reads back (order approvals). */
export const renderSlack: ChatRenderer = (n, lang, mentions) => {
  const [title, ...facts] = lines(n, lang);
  const who = mentions.map((m) => `<@${m}>`).join(' ');
  const order = n.actions.find((a) => a.kind === 'approve_order');
  return {
    text: title,
    ...(n.kind === 'approval_decided' ? { replace_original: true } : {}),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*${who ? ` ${who}` : ''}\n${facts.join('\n')}` } },
      ...(order && 'orderNumber' in order
        ? [{
            type: 'actions',
            block_id: `approval:${order.orderNumber}`,
            elements: [
              { type: 'button', action_id: APPROVE_ACTION, style: 'primary', value: order.orderNumber, text: { type: 'plain_text', text: lang === 'zh' ? '审批' : 'Approve' } },
              { type: 'button', action_id: REJECT_ACTION, style: 'danger', value: order.orderNumber, text: { type: 'plain_text', text: lang === 'zh' ? '驳回' : 'Reject' } },
            ],
          }]
        : []),
    ],
  };
};

/** Plain text for a group robot, until a platform has a card renderer of its own. */
const renderDingTalkText: ChatRenderer = (n, lang, mentions) => ({ msgtype: 'text', text: { content: lines(n, lang).join('\n') }, at: { atUserIds: mentions } });
const renderFeishuText: ChatRenderer = (n, lang) => ({ msg_type: 'text', content: { text: lines(n, lang).join('\n') } });

export const DEFAULT_CHAT_RENDERERS: Record<ChatChannel, ChatRenderer> = { slack: renderSlack, dingtalk: renderDingTalkText, feishu: renderFeishuText };
