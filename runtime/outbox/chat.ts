import type { Notification } from '../../domain/notifications.js';
import type { Channel, Language } from '../../db/outbox/enqueue.js';
import { renderFor } from '../../messages/chat-render.js';

export type ChatChannel = Exclude<Channel, 'email'>;

/** Renders a notification as one chat platform's webhook body; `mentions` are the recipients' chat ids there. */
export type ChatRenderer = (n: Notification, lang: Language, mentions: string[]) => unknown;

/**
 * The renderers per platform, all from messages/chat-render.ts: Slack's blocks (mentions, a button per decision),
 * DingTalk's ActionCard and Feishu's card, whose buttons open the document in the console when its address is known.
 * Feishu's signature is added when the card is sent (sender.ts).
 */
export function chatRenderers(options: { consoleUrl?: string | undefined } = {}): Record<ChatChannel, ChatRenderer> {
  const lang = (l: Language) => (l === 'en' ? 'en' : 'zh-CN');
  return {
    slack: (n, l, mentions) => renderFor('slack', n, lang(l), { mentions }),
    dingtalk: (n, l) => renderFor('dingtalk', n, lang(l)),
    feishu: (n, l) => renderFor('feishu', n, lang(l), { consoleUrl: options.consoleUrl }),
  };
}
