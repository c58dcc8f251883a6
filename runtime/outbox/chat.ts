import type { Notification } from '../../domain/notifications.js';
import type { Channel, Language } from '../../db/outbox/enqueue.js';
import { renderFor } from '../../messages/chat-render.js';
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

/**
 * The renderers per platform: Slack's own (mentions, approve / reject buttons), DingTalk's ActionCard and Feishu's
 * card from messages/chat-render.ts, whose buttons open the document in the console when its address is known.
 * Feishu's signature is added when the card is sent (sender.ts).
 */
export function chatRenderers(options: { consoleUrl?: string | undefined } = {}): Record<ChatChannel, ChatRenderer> {
  const lang = (l: Language) => (l === 'en' ? 'en' : 'zh-CN');
  return {
    slack: renderSlack,
    dingtalk: (n, l) => renderFor('dingtalk', n, lang(l)),
    feishu: (n, l) => renderFor('feishu', n, lang(l), { consoleUrl: options.consoleUrl }),
  };
}
