import { money } from '../../console/format.js';
import { isRole, mayPerform, type Command } from '../../domain/authorization.js';
import type { Words } from '../../domain/notifications.js';
import type { Sql } from '../../db/client.js';
import { textProblem } from '../../contracts/text.js';
import { writeOffRequestNumber } from '../../domain/notices.js';
import type { OrderNow, SalesOrderView } from '../../workflows/sales-order/definitions.js';
import type { AuthenticatedUser } from '../auth/tokens.js';
import type { WorkflowCommandDeps } from '../orders/workflow-commands.js';
import type { ChatCommand, ChatLang } from './parse.js';
import { approvalFacts, changeNeeds, orderNeeds, type ApprovalFacts, type Needed } from './needed.js';
import { alreadyDecided, describeOrder, orderDecided, refusal, stillNeeded, type ApiRefusal } from './replies.js';
import { stuckPayments, waitingFor } from './lists.js';
import { closed, say, statusName, USAGE } from './words.js';
import { actionCommand, TYPED_REJECT_REASON } from '../../messages/chat-actions.js';

export type ChatPlatform = 'slack' | 'dingtalk';

/** A chat value that reaches a text column or a lookup (a user id, a reply URL): one storable line, or nothing. */
export function chatText(value: unknown, max = 500): string | undefined {
  return typeof value === 'string' && value.length <= max && !textProblem(value) ? value : undefined;
}

/** A platform's JSON body or field as an object; anything else (not JSON, `null`, a number, an array) is undefined. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How a chat command reaches the API: in-process (`app.request`) with this binding,
 * which only the server itself can set (a network request carries the HTTP server's
 * bindings), so the API authenticates the linked user and audits the command as `chat`.
 */
export interface ChatBinding {
  channel: 'chat';
  platform: ChatPlatform;
  user: AuthenticatedUser;
}
export type ChatApi = (path: string, init: RequestInit, binding: ChatBinding) => Promise<Response>;

export interface ChatRequest {
  platform: ChatPlatform;
  chatUserId: string;
  /** The answer to slow work, posted after the acknowledgement (response_url, sessionWebhook). */
  replyLater(text: string): Promise<void>;
}

export interface ChatDeps extends WorkflowCommandDeps {
  /** The API app itself: every chat command runs the API's own route. */
  api: ChatApi;
  /** The company's calendar, for days overdue in `stuck`. */
  timeZone?: string;
  now?: () => Date;
  /** Where slow work runs after the acknowledgement; tests may collect it. */
  background?: (work: Promise<unknown>) => void;
}

/** The system user a chat account is mapped to; it acts with that user's role. */
export async function chatUser(sql: Sql, platform: ChatPlatform, chatUserId: string): Promise<AuthenticatedUser | undefined> {
  const [row] = await sql<{ name: string; role: string }[]>`
    SELECT u.name, u.role FROM chat_users cu JOIN users u ON u.name = cu.user_name
    WHERE cu.platform = ${platform} AND cu.chat_user_id = ${chatUserId} AND u.active`;
  return row && isRole(row.role) ? { name: row.name, role: row.role } : undefined;
}

type Outcome = { ok: true; body: any } | { ok: false; error: ApiRefusal };

async function callApi(deps: ChatDeps, binding: ChatBinding, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Outcome> {
  const init: RequestInit = method === 'GET' ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) };
  const res = await deps.api(path, init, binding);
  const parsed = (await res.json().catch(() => ({}))) as { error?: ApiRefusal };
  return res.ok ? { ok: true, body: parsed } : { ok: false, error: parsed.error ?? { code: `HTTP_${res.status}` } };
}

type Decision = Extract<ChatCommand, { kind: 'approve' | 'reject' | 'approveChange' | 'rejectChange' | 'approveWriteOff' | 'rejectWriteOff' }>;

/**
 * A decision's API route, what it is about, and how its answer is told. A command answers with where the
 * order stands (status, approvals missing), not who may give them: an approval is told from the order as
 * GET /orders/{number} shows it (`live`), or from the answer alone when no worker answers the read.
 */
function decisionRoute(
  cmd: Decision,
  by: string,
): { path: string; body?: unknown; permission: Command; what: Words; told: (body: any, facts: ApprovalFacts, live: SalesOrderView | null) => string } {
  const lang = cmd.lang;
  const approve = cmd.kind.startsWith('approve');
  const reason = 'reason' in cmd ? cmd.reason : '';
  const n = encodeURIComponent(cmd.orderNumber);
  const rejected = { zh: `已由 ${by} 驳回：${reason}`, en: `rejected by ${by}: ${reason}` };
  const approvedThen = (needed: Needed[], done: Words) =>
    needed.length ? say(lang, { zh: `已由 ${by} 审批；`, en: `approved by ${by}; ` }) + stillNeeded(lang, needed) : say(lang, done);
  switch (cmd.kind) {
    case 'approve':
    case 'reject':
      return {
        path: `/orders/${n}/${cmd.kind}`,
        body: approve ? {} : { reason },
        permission: cmd.kind,
        what: { zh: `订单 ${cmd.orderNumber}`, en: `order ${cmd.orderNumber}` },
        told: ({ order }: { order: OrderNow }, facts, live) =>
          !approve ? say(lang, rejected)
          : order.status === 'Unapproved'
            ? say(lang, { zh: `已由 ${by} 审批；`, en: `approved by ${by}; ` }) +
              ((live?.status === 'Unapproved' && stillNeeded(lang, orderNeeds(lang, facts, live))) || say(lang, { zh: '还需另一位审批人审批', en: 'still needs another approver' }))
            : say(lang, { zh: `已由 ${by} 审批通过。`, en: `approved by ${by}. ` }) + (live ? describeOrder(lang, live, facts) : ''),
      };
    case 'approveChange':
    case 'rejectChange':
      return {
        path: `/orders/${n}/changes/${cmd.version}/${approve ? 'approve' : 'reject'}`,
        body: approve ? {} : { reason },
        permission: approve ? 'approve' : 'reject',
        what: { zh: `订单 ${cmd.orderNumber} 的变更 ${cmd.version}`, en: `change ${cmd.version} of order ${cmd.orderNumber}` },
        told: ({ change }: { change: { status: string } }, facts, live) =>
          !approve ? say(lang, { zh: `${rejected.zh}；订单保持原样`, en: `${rejected.en}; the order stays as it was` })
          : change.status === 'pending_approval' && !live?.pendingChange
            ? say(lang, { zh: `已由 ${by} 审批；变更仍待审批`, en: `approved by ${by}; the change still waits for approval` })
            : approvedThen(change.status === 'pending_approval' ? changeNeeds(lang, facts, live!) : [], { zh: `已由 ${by} 审批，变更已生效`, en: `approved by ${by}; the change now applies` }),
      };
    case 'approveWriteOff':
    case 'rejectWriteOff':
      return {
        path: `/orders/${n}/write-offs/${cmd.seq}/${approve ? 'approve' : 'reject'}`,
        ...(approve ? {} : { body: { reason } }),
        permission: 'decideWriteOff',
        what: { zh: `核销申请 ${writeOffRequestNumber(cmd.orderNumber, cmd.seq)}`, en: `write-off request ${writeOffRequestNumber(cmd.orderNumber, cmd.seq)}` },
        told: ({ writeOffRequest: r }: { writeOffRequest: { amount: string; currency: string; requestedBy: string } }) =>
          !approve ? say(lang, rejected)
          : say(lang, { zh: `已由 ${by} 审批：已核销 ${money(r.amount)} ${r.currency}（申请人 ${r.requestedBy}）`, en: `approved by ${by}: ${money(r.amount)} ${r.currency} written off (asked by ${r.requestedBy})` }),
      };
  }
}

/** Refusals that mean "someone else must approve": the answer names who. */
const SOMEONE_ELSE = new Set(['SELF_APPROVAL', 'DUPLICATE_APPROVAL', 'NO_APPROVAL_AUTHORITY']);

/** The order's live state as GET /orders/{number} shows it to the chat user, or null when it cannot be read. */
async function liveOrder(deps: ChatDeps, binding: ChatBinding, number: string): Promise<SalesOrderView | null> {
  const o = await callApi(deps, binding, 'GET', `/orders/${encodeURIComponent(number)}`);
  return o.ok ? (o.body as { live: SalesOrderView | null }).live : null;
}

/** Who can give what a refused approval of an order or a change was for: its missing approvals, by name. */
async function neededInstead(deps: ChatDeps, binding: ChatBinding, cmd: Decision, e: ApiRefusal): Promise<Needed[] | undefined> {
  if (!SOMEONE_ELSE.has(e.code) || cmd.kind === 'approveWriteOff' || cmd.kind === 'rejectWriteOff') return undefined;
  const live = await liveOrder(deps, binding, cmd.orderNumber);
  if (!live) return undefined;
  const facts = await approvalFacts(deps.sql);
  if (cmd.kind === 'approveChange' || cmd.kind === 'rejectChange') return live.pendingChange?.version === cmd.version ? changeNeeds(cmd.lang, facts, live) : undefined;
  return live.status === 'Unapproved' ? orderNeeds(cmd.lang, facts, live) : undefined;
}

/** An order's approval or rejection refused for its state: decided already, by whom (read from the order), or undefined. */
async function tooLate(deps: ChatDeps, binding: ChatBinding, cmd: Decision, e: ApiRefusal): Promise<string | undefined> {
  if (e.code !== 'INVALID_STATE' || (cmd.kind !== 'approve' && cmd.kind !== 'reject')) return undefined;
  const live = await liveOrder(deps, binding, cmd.orderNumber);
  return live ? orderDecided(cmd.lang, live) : undefined;
}

/**
 * One decision through the API's own route. A role that may not decide is answered
 * at once (the API refuses before any workflow is asked, and audits the refusal);
 * otherwise the command is acknowledged and answered later through `replyLater`,
 * because chat platforms wait only about three seconds.
 */
async function decide(deps: ChatDeps, req: ChatRequest, binding: ChatBinding, cmd: Decision): Promise<string> {
  const lang = cmd.lang;
  const route = decisionRoute(cmd, binding.user.name);
  const approve = cmd.kind.startsWith('approve');
  const what = say(lang, route.what);
  const notDone = (e: ApiRefusal, needed?: Needed[]) =>
    `${what} ${say(lang, approve ? { zh: '未能审批', en: 'was not approved' } : { zh: '未能驳回', en: 'was not rejected' })}${lang === 'en' ? ': ' : '：'}${refusal(lang, e, needed)}`;
  const tell = async (o: Outcome) => {
    if (o.ok) {
      const live = approve && cmd.kind !== 'approveWriteOff' ? await liveOrder(deps, binding, cmd.orderNumber) : null;
      return closed(lang, `${what} ${route.told(o.body, await approvalFacts(deps.sql), live)}`);
    }
    const decided = alreadyDecided(lang, o.error) ?? (await tooLate(deps, binding, cmd, o.error));
    return closed(lang, decided ? `${what} ${decided}` : notDone(o.error, await neededInstead(deps, binding, cmd, o.error)));
  };
  const run = () => callApi(deps, binding, 'POST', route.path, route.body);
  if (!mayPerform(binding.user.role, route.permission)) return tell(await run());
  const work = run()
    .then(tell, () => closed(lang, notDone({ code: 'UNAVAILABLE' })))
    .then((text) => req.replyLater(text));
  (deps.background ?? (() => undefined))(work.catch((err) => console.error(JSON.stringify({ msg: 'chat reply failed', err: String(err) }))));
  return say(lang, approve ? { zh: `正在审批${what}…`, en: `Working on it: approving ${what}…` } : { zh: `正在驳回${what}…`, en: `Working on it: rejecting ${what}…` });
}

async function status(deps: ChatDeps, binding: ChatBinding, lang: ChatLang, number: string): Promise<string> {
  const o = await callApi(deps, binding, 'GET', `/orders/${encodeURIComponent(number)}`);
  if (!o.ok) return closed(lang, `${say(lang, { zh: `订单 ${number}：`, en: `Order ${number}: ` })}${refusal(lang, o.error)}`);
  const { order, live } = o.body as { order: { number: string; status: string; customerName?: string; totals: { gross: string }; currency: string }; live: SalesOrderView | null };
  if (live) return describeOrder(lang, live, await approvalFacts(deps.sql), order.customerName);
  // No worker answered: what the documents say.
  return say(lang, {
    zh: `订单 ${order.number}：${statusName(lang, order.status)}，含税 ${money(order.totals.gross)} ${order.currency}（流程暂未应答）。`,
    en: `Order ${order.number}: ${statusName(lang, order.status)}, gross ${money(order.totals.gross)} ${order.currency} (its workflow did not answer).`,
  });
}

/** One chat command, with the same authority, checks and audit as through the API. Returns the immediate answer. */
export async function handleChatCommand(deps: ChatDeps, req: ChatRequest, cmd: ChatCommand): Promise<string> {
  const lang = cmd.lang;
  const user = await chatUser(deps.sql, req.platform, req.chatUserId);
  const platform = req.platform === 'slack' ? 'Slack' : say(lang, { zh: '钉钉', en: 'DingTalk' });
  if (!user) {
    // Without the sender's id (the platform sent none, or one that cannot be stored) there is nothing an admin could link.
    if (!req.chatUserId) {
      return say(lang, {
        zh: `${platform}没有告诉我们你的账号，所以无法确认你是谁；请管理员检查机器人的设置。`,
        en: `${platform} did not say which account sent this, so you cannot be identified; ask an admin to check the robot's set-up.`,
      });
    }
    return say(lang, {
      zh: `你的${platform}账号（${req.chatUserId}）还没有关联后台用户，请管理员关联后再试。`,
      en: `Your ${platform} account (${req.chatUserId}) is not linked to a back-office user; ask an admin to link it.`,
    });
  }
  const binding: ChatBinding = { channel: 'chat', platform: req.platform, user };
  switch (cmd.kind) {
    case 'help':
      if (cmd.controlCharacters) {
        return say(lang, { zh: '消息中含有控制字符（看不见的字符），没有执行；请重新输入命令。', en: 'The message has control characters (invisible ones) in it, so nothing was done; type the command again.' });
      }
      if (cmd.rejecting) {
        // The command to type, with the place of the reason shown (a Reject button sends none: it has no text box).
        const typed = actionCommand(cmd.rejecting, lang, TYPED_REJECT_REASON);
        return say(lang, { zh: `驳回需要写明原因，请输入：${typed}`, en: `A rejection needs a reason; type: ${typed}` });
      }
      return (cmd.missingReason ? say(lang, { zh: '驳回需要写明原因。\n', en: 'A rejection needs a reason.\n' }) : '') + say(lang, USAGE);
    case 'status':
      return status(deps, binding, lang, cmd.orderNumber);
    case 'waiting':
      return waitingFor(deps, user, lang);
    case 'stuck':
      return stuckPayments(deps, user, lang);
    default:
      return decide(deps, req, binding, cmd);
  }
}
