import { Hono } from 'hono';
import { postJson } from '../../runtime/chat-http.js';
import { errorBody } from '../errors.js';
import { chatText, handleChatCommand, jsonObject, type ChatDeps } from './commands.js';
import { parseChatCommand } from './parse.js';
import { firstUseOfSignature, refuseChatRequest } from './rejections.js';
import type { ChatSettings } from './settings.js';
import { verifyDingTalkRequest } from './signatures.js';

interface DingTalkMessage {
  msgtype?: string;
  text?: { content?: string };
  senderStaffId?: string;
  senderId?: string;
  sessionWebhook?: string;
}

const text = (content: string) => ({ msgtype: 'text', text: { content } });

/** Later answers go only to DingTalk's own session webhooks (when origins are configured), never to any URL a body names. */
function allowedReplyUrl(url: string | undefined, origins: string[] | undefined): string | undefined {
  if (!url) return undefined;
  if (!origins) return url;
  try {
    return origins.includes(new URL(url).origin) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * DingTalk outgoing robot (机器人 HTTP 回调): the same commands as Slack, e.g.
 * "@bot 审批 SO-…"; an ActionCard's button sends its command as the user's own
 * message (messages/chat-render.ts dingTalkSendLink), so it arrives here too. The answer goes in the response body; slow work is answered
 * later through the message's sessionWebhook.
 */
export function dingTalkRoutes(deps: ChatDeps & { chat: ChatSettings; now?: () => Date }) {
  const app = new Hono();
  app.post('/robot', async (c) => {
    const secret = deps.chat.dingtalkAppSecret;
    if (!secret) return c.json(errorBody('NOT_FOUND', 'DingTalk is not configured (DINGTALK_APP_SECRET)', null), 404);
    const rawBody = await c.req.text();
    const timestamp = c.req.header('timestamp');
    const sign = c.req.header('sign');
    const verdict = verifyDingTalkRequest({ appSecret: secret, timestamp, sign, now: (deps.now ?? (() => new Date()))() });
    if (!verdict.ok) return refuseChatRequest(deps.sql, c, 'dingtalk', verdict.reason, timestamp, rawBody);
    // The sign covers only the timestamp: without this, a captured header pair would carry any body for an hour.
    if (!(await firstUseOfSignature(deps.sql, 'dingtalk', sign!))) {
      return refuseChatRequest(deps.sql, c, 'dingtalk', 'signature already used (replay)', timestamp, rawBody);
    }
    const msg = jsonObject(rawBody) as DingTalkMessage | undefined;
    if (!msg) return c.json(errorBody('VALIDATION_FAILED', 'the body must be a JSON object', 'body'), 400);
    const webhook = allowedReplyUrl(msg.sessionWebhook, deps.chat.dingtalkReplyOrigins);
    const answer = await handleChatCommand(
      deps,
      {
        platform: 'dingtalk',
        chatUserId: chatText(msg.senderStaffId ?? msg.senderId, 100) ?? '',
        replyLater: async (content) => {
          if (webhook) await postJson(webhook, text(content));
        },
      },
      parseChatCommand(typeof msg.text?.content === 'string' ? msg.text.content : ''),
    );
    return c.json(text(answer), 200);
  });
  return app;
}
