import { authorize, isRole, type Command } from '../../domain/authorization.js';
import type { Sql } from '../../db/client.js';
import { orderDocuments } from '../../db/orders.js';
import { stuckPayments as stuckPaymentOrders } from '../../db/stuck-payments.js';
import { textProblem } from '../../contracts/text.js';
import { businessDate } from '../../domain/calendar.js';
import { DOCUMENT_NUMBER } from '../../domain/numbering.js';
import { approveUpdate, orderStateQuery, type SalesOrderView } from '../../workflows/sales-order/definitions.js';
import type { AuthenticatedUser } from '../auth/tokens.js';
import { audited, outcomeOf, recordRefusal } from '../audit/record.js';
import { decideWriteOff } from '../finance/write-offs.js';
import { orderHandle, rejectUpdate, runOrderCommand, type WorkflowCommandDeps } from '../orders/workflow-commands.js';

export type ChatPlatform = 'slack' | 'dingtalk';

export type ChatCommand =
  | { kind: 'approve'; number: string }
  | { kind: 'reject'; number: string; reason: string }
  | { kind: 'status'; number: string }
  | { kind: 'stuck' }
  | { kind: 'writeOffApprove'; number: string; id: number }
  | { kind: 'writeOffReject'; number: string; id: number; reason: string }
  | { kind: 'help'; text: string };

/** A chat value that reaches a text column or a lookup (a user id, a reply URL): one storable line, or nothing. */
export function chatText(value: unknown, max = 500): string | undefined {
  return typeof value === 'string' && value.length <= max && !textProblem(value) ? value : undefined;
}

export const USAGE =
  'Usage: /order approve SO-… | /order reject SO-… reason | /order status SO-… | /order stuck | /order writeoff-approve SO-… N | /order writeoff-reject SO-… N reason';

/** `approve SO-1`, `/order reject SO-1 price too low`, `status SO-1`, `stuck`, `writeoff-approve SO-1 1`, `writeoff-reject SO-1 1 still paying`. */
export function parseChatCommand(text: string): ChatCommand {
  const words = text.trim().replace(/^\/order\b/i, '').trim().split(/\s+/).filter(Boolean);
  const [verb = '', number = '', ...rest] = words;
  const v = verb.toLowerCase();
  if (v === 'stuck' && !number) return { kind: 'stuck' };
  // Text that cannot be stored (NUL, control characters) is answered with the usage, never run.
  if (!DOCUMENT_NUMBER.test(number) || textProblem(text, 'free')) return { kind: 'help', text };
  if (v === 'approve' && rest.length === 0) return { kind: 'approve', number };
  if (v === 'status' && rest.length === 0) return { kind: 'status', number };
  if (v === 'reject') return { kind: 'reject', number, reason: rest.join(' ') || 'rejected in chat' };
  const [id = '', ...reason] = rest;
  if (!/^[1-9]\d{0,3}$/.test(id)) return { kind: 'help', text };
  if (v === 'writeoff-approve' && reason.length === 0) return { kind: 'writeOffApprove', number, id: Number(id) };
  // A rejection says why: without a reason it is not a command.
  if (v === 'writeoff-reject' && reason.length > 0) return { kind: 'writeOffReject', number, id: Number(id), reason: reason.join(' ') };
  return { kind: 'help', text };
}

export interface ChatRequest {
  platform: ChatPlatform;
  chatUserId: string;
  /** The answer to slow work, posted after the acknowledgement (response_url, sessionWebhook). */
  replyLater(text: string): Promise<void>;
}

export interface ChatDeps extends WorkflowCommandDeps {
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

function describe(v: SalesOrderView): string {
  return `${v.orderNumber}: ${v.status}, waiting for ${v.waitingFor}. Customer ${v.customerCode}, gross ${v.totals.gross} ${v.currency}, due ${v.amountDue}. Created by ${v.createdBy}${v.approvedBy ? `, approved by ${v.approvedBy}` : ''}.`;
}

async function status(deps: WorkflowCommandDeps, number: string): Promise<string> {
  try {
    return describe(await orderHandle(deps, number).query(orderStateQuery));
  } catch {
    const doc = await orderDocuments(deps.sql, number);
    if (!doc) return `Order ${number} does not exist.`;
    return `${doc.number}: ${doc.status}. Customer ${doc.customerCode}, gross ${doc.totals.gross} ${doc.currency}.`;
  }
}

/** Finance's stuck payments, the first 20 orders, oldest due first. */
async function stuckPayments(deps: ChatDeps): Promise<string> {
  const asOf = businessDate((deps.now ?? (() => new Date()))(), deps.timeZone ?? 'Asia/Shanghai');
  const { items } = await stuckPaymentOrders(deps.sql, { asOf, limit: 20, offset: 0 });
  if (items.length === 0) return 'No order is waiting for money.';
  return [
    'Orders waiting for money:',
    ...items.map((r) => `• ${r.orderNumber} ${r.customerCode}: ${r.amountDue} ${r.currency}${r.oldestDueOn ? ` due ${r.oldestDueOn}` : ''}, ${r.waitingAt}`),
  ].join('\n');
}

/**
 * One chat command, with the same authority as through the API. Returns the
 * immediate answer; a workflow update is acknowledged at once and answered later
 * through `replyLater`, because chat platforms wait only about three seconds.
 */
export async function handleChatCommand(deps: ChatDeps, req: ChatRequest, cmd: ChatCommand): Promise<string> {
  const user = await chatUser(deps.sql, req.platform, req.chatUserId);
  if (!user) return `Your ${req.platform} account ${req.chatUserId} is not linked to a back-office user; ask an admin to link it.`;
  if (cmd.kind === 'help') return USAGE;
  const permission: Command =
    cmd.kind === 'status' ? 'read' : cmd.kind === 'stuck' ? 'listStuckPayments' : cmd.kind === 'writeOffApprove' || cmd.kind === 'writeOffReject' ? 'decideWriteOff' : cmd.kind;
  const entry = {
    actor: user.name,
    actorRole: user.role,
    channel: 'chat' as const,
    platform: req.platform,
    command: cmd.kind,
    orderNumber: 'number' in cmd ? cmd.number : null,
    input: {
      ...(cmd.kind === 'reject' || cmd.kind === 'writeOffReject' ? { reason: cmd.reason } : {}),
      ...(cmd.kind === 'writeOffApprove' || cmd.kind === 'writeOffReject' ? { writeOffRequest: cmd.id } : {}),
    },
  };
  try {
    authorize(user.role, permission);
  } catch (err) {
    if (cmd.kind !== 'status' && cmd.kind !== 'stuck') await recordRefusal(deps.sql, entry, err);
    return `Refused: ${outcomeOf(err).message}`;
  }
  if (cmd.kind === 'status') return status(deps, cmd.number);
  if (cmd.kind === 'stuck') return stuckPayments(deps);
  if (cmd.kind === 'writeOffApprove' || cmd.kind === 'writeOffReject') {
    const approve = cmd.kind === 'writeOffApprove';
    const what = `write-off ${cmd.id} of ${cmd.number}`;
    const work = audited(deps.sql, entry, () =>
      decideWriteOff(deps, cmd.number, cmd.id, user, approve ? 'approve' : 'reject', approve ? undefined : cmd.reason),
    ).then(
      ({ writeOffRequest: r }) => req.replyLater(`${what} ${r.status} by ${user.name}: ${r.amount} ${r.currency} asked by ${r.requestedBy}.`),
      (err) => req.replyLater(`${what} was not ${approve ? 'approved' : 'rejected'}: ${outcomeOf(err).message} (${outcomeOf(err).outcome})`),
    );
    (deps.background ?? (() => undefined))(work.catch((err) => console.error(JSON.stringify({ msg: 'chat reply failed', err: String(err) }))));
    return `Working on it: ${approve ? 'approving' : 'rejecting'} ${what}…`;
  }

  const actor = { actor: user.name, actorRole: user.role };
  const work = audited(deps.sql, entry, () =>
    runOrderCommand(deps, cmd.number, (h) =>
      cmd.kind === 'approve'
        ? h.executeUpdate(approveUpdate, { args: [actor] })
        : h.executeUpdate(rejectUpdate, { args: [{ ...actor, reason: cmd.reason }] }),
    ),
  ).then(
    (view) => req.replyLater(`${cmd.number} ${cmd.kind === 'approve' ? 'approved' : 'rejected'} by ${user.name}. ${describe(view)}`),
    (err) => {
      const { outcome, message } = outcomeOf(err);
      return req.replyLater(`${cmd.number} was not ${cmd.kind === 'approve' ? 'approved' : 'rejected'}: ${message} (${outcome})`);
    },
  );
  const settled = work.catch((err) => console.error(JSON.stringify({ msg: 'chat reply failed', err: String(err) })));
  (deps.background ?? (() => undefined))(settled);
  return `Working on it: ${cmd.kind === 'approve' ? 'approving' : 'rejecting'} ${cmd.number}…`;
}
