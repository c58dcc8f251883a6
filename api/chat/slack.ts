import { Hono } from 'hono';
import { APPROVE_ACTION, postJson, REJECT_ACTION } from '../../runtime/chat-http.js';
import { errorBody } from '../errors.js';
import { slackEscape } from '../../messages/chat-render.js';
import { DOCUMENT_NUMBER } from '../../domain/numbering.js';
import { mayPerform } from '../../domain/authorization.js';
import { chatText, chatUser, handleChatCommand, jsonObject, type ChatDeps } from './commands.js';
import { parseChatCommand, type ChatCommand } from './parse.js';
import { firstUseOfSignature, refuseChatRequest } from './rejections.js';
import type { ChatSettings } from './settings.js';
import { verifySlackRequest } from './signatures.js';

interface BlockActionsPayload {
  type: string;
  user?: { id?: string };
  response_url?: string;
  actions?: { action_id?: string; value?: string }[];
}

/**
 * A button's command: its value is the chat command it stands for (messages/chat-render.ts);
 * the approval request posted before the outbox (activities/chat.ts) carries the bare order number.
 */
function buttonCommand(actionId: string | undefined, value: string | undefined): ChatCommand | undefined {
  if (typeof value !== 'string') return undefined;
  if (DOCUMENT_NUMBER.test(value) && actionId === APPROVE_ACTION) return { kind: 'approve', orderNumber: value, lang: 'en' };
  // A reject button carries no reason: its command is answered with how to give one.
  const command = parseChatCommand(DOCUMENT_NUMBER.test(value) && actionId === REJECT_ACTION ? `reject ${value}` : value);
  return command.kind === 'help' && !command.missingReason ? undefined : command;
}

/** Slack: the `/order` slash command and the Approve / Reject buttons of an approval request. */
export function slackRoutes(deps: ChatDeps & { chat: ChatSettings; now?: () => Date }) {
  const app = new Hono();
  const ephemeral = (responseUrl: string | undefined) => async (text: string) => {
    // A reply quotes people's words (a reason, a name): escaped, so they cannot become a link or an @channel.
    if (responseUrl) await postJson(responseUrl, { response_type: 'ephemeral', replace_original: false, text: slackEscape(text) });
  };

  /** Verifies the signature on the raw body first; nothing is parsed from an unverified request. */
  app.use('*', async (c, next) => {
    const secret = deps.chat.slackSigningSecret;
    if (!secret) return c.json(errorBody('NOT_FOUND', 'Slack is not configured (SLACK_SIGNING_SECRET)', null), 404);
    const rawBody = await c.req.text();
    const timestamp = c.req.header('x-slack-request-timestamp');
    const signature = c.req.header('x-slack-signature');
    const verdict = verifySlackRequest({ signingSecret: secret, timestamp, signature, rawBody, now: (deps.now ?? (() => new Date()))() });
    if (!verdict.ok) return refuseChatRequest(deps.sql, c, 'slack', verdict.reason, timestamp, rawBody);
    if (!(await firstUseOfSignature(deps.sql, 'slack', signature!))) {
      return refuseChatRequest(deps.sql, c, 'slack', 'signature already used (replay)', timestamp, rawBody);
    }
    await next();
  });

  app.post('/commands', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const reply = ephemeral(chatText(form.get('response_url') ?? undefined, 2000));
    const text = await handleChatCommand(
      deps,
      { platform: 'slack', chatUserId: chatText(form.get('user_id') ?? undefined, 100) ?? '', replyLater: reply },
      parseChatCommand(form.get('text') ?? ''),
    );
    return c.json({ response_type: 'ephemeral', text: slackEscape(text) }, 200);
  });

  app.post('/interactions', async (c) => {
    const payload = jsonObject(new URLSearchParams(await c.req.text()).get('payload') ?? '') as BlockActionsPayload | undefined;
    if (!payload) return c.json(errorBody('VALIDATION_FAILED', 'payload must be a JSON object in a form field', 'payload'), 400);
    const action = payload.actions?.[0];
    const responseUrl = chatText(payload.response_url, 2000);
    const command = buttonCommand(action?.action_id, action?.value);
    if (payload.type !== 'block_actions' || !command) return c.body(null, 200);
    const reply = ephemeral(responseUrl);
    const chatUserId = chatText(payload.user?.id, 100) ?? '';
    // The decision replaces the request message through this URL (activities/chat.ts updateApprovalMessage);
    // kept only for a press that can decide: an unlinked account or a role refused writes nothing.
    if (responseUrl && (command.kind === 'approve' || command.kind === 'reject')) {
      const user = chatUserId ? await chatUser(deps.sql, 'slack', chatUserId) : undefined;
      if (user && mayPerform(user.role, command.kind)) {
        await deps.sql`UPDATE approval_messages SET response_url = ${responseUrl} WHERE order_number = ${command.orderNumber} AND decision IS NULL`;
      }
    }
    const ack = await handleChatCommand(deps, { platform: 'slack', chatUserId, replyLater: reply }, command);
    (deps.background ?? (() => undefined))(reply(ack).catch((err) => console.error(JSON.stringify({ msg: 'slack ack failed', err: String(err) }))));
    return c.body(null, 200);
  });

  return app;
}
