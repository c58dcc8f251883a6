import { money } from '../../console/format.js';
import { mayPerform, rolesAllowedTo } from '../../domain/authorization.js';
import { mayDecideWriteOff } from '../../domain/order/write-off.js';
import { businessDate } from '../../domain/calendar.js';
import { undecidedWriteOffs } from '../../db/finance-lists.js';
import { stuckPayments as stuckPaymentOrders, waitingAt } from '../../db/stuck-payments.js';
import { writeOffAuthorityOf } from '../../db/write-off-requests.js';
import { writeOffRequestNumber } from '../../domain/notices.js';
import type { NotificationAction } from '../../domain/notifications.js';
import { actionCommand, NO_REASON, TYPED_REJECT_REASON } from '../../messages/chat-actions.js';
import { approvalInbox } from '../approvals/inbox.js';
import type { AuthenticatedUser } from '../auth/tokens.js';
import type { ChatDeps } from './commands.js';
import type { ChatLang } from './parse.js';
import { approvalFacts, neededFrom } from './needed.js';
import { refusal, stillNeeded } from './replies.js';
import { closed, roleList, roleName, say } from './words.js';

/** How many of each a chat answer lists; the console shows the rest. */
const SHOWN = 20;

/**
 * 待办: what waits for this user's decision — the approval inbox's orders and changes
 * (api/approvals/inbox.ts, the console's 待我审批) and the write-off requests the
 * domain lets them decide (mayDecideWriteOff, the console's buttons) — each with
 * the command that decides it.
 */
export async function waitingFor(deps: ChatDeps, user: AuthenticatedUser, lang: ChatLang): Promise<string> {
  const approves = mayPerform(user.role, 'approve');
  const decidesWriteOffs = mayPerform(user.role, 'decideWriteOff');
  if (!approves && !decidesWriteOffs) {
    // Two different sets of roles decide (orders and changes; write-offs): each is named for what it decides.
    return closed(lang, say(lang, {
      zh: `你的角色（${roleName(lang, user.role)}）不审批单据，所以没有待办。审批订单和变更的角色：${roleList(lang, rolesAllowedTo('approve'))}；审批坏账核销的角色：${roleList(lang, rolesAllowedTo('decideWriteOff'))}`,
      en: `your role (${roleName(lang, user.role)}) does not approve or decide documents, so none waits for you. Roles that approve orders and changes: ${roleList(lang, rolesAllowedTo('approve'))}; roles that decide write-offs: ${roleList(lang, rolesAllowedTo('decideWriteOff'))}`,
    }));
  }
  // Both commands, as a person types them: the approval, and the rejection with the place of its reason.
  const decide = (approve: NotificationAction, reject: NotificationAction) =>
    `${actionCommand(approve, lang, NO_REASON)} ${lang === 'en' ? 'or' : '或'} ${actionCommand(reject, lang, TYPED_REJECT_REASON)}`;
  const lines: string[] = [];
  let total = 0;
  if (approves) {
    const [inbox, facts] = await Promise.all([approvalInbox(deps, user.name, { limit: SHOWN, offset: 0 }), approvalFacts(deps.sql)]);
    total += inbox.total;
    for (const i of inbox.items) {
      const doc = i.kind === 'change'
        ? say(lang, { zh: `订单 ${i.orderNumber} 的变更 ${i.version}`, en: `change ${i.version} of order ${i.orderNumber}` })
        : say(lang, { zh: `订单 ${i.orderNumber}`, en: `order ${i.orderNumber}` });
      const command = i.kind === 'change'
        ? decide({ kind: 'approve_change', orderNumber: i.orderNumber, changeNumber: String(i.version) }, { kind: 'reject_change', orderNumber: i.orderNumber, changeNumber: String(i.version) })
        : decide({ kind: 'approve_order', orderNumber: i.orderNumber }, { kind: 'reject_order', orderNumber: i.orderNumber });
      const needs = stillNeeded(lang, neededFrom(lang, facts, i.waitingFor, i.gross, [i.askedBy]));
      lines.push(`• ${doc} · ${i.customerCode} ${i.customerName} · ${money(i.gross)} ${i.currency} · ${say(lang, { zh: `提交人 ${i.askedBy}`, en: `asked by ${i.askedBy}` })}${needs ? ` · ${needs}` : ''} → ${command}`);
    }
  }
  if (decidesWriteOffs) {
    const authority = await writeOffAuthorityOf(deps.sql, user.name);
    const mine = (await undecidedWriteOffs(deps.sql)).filter((r) => mayDecideWriteOff(r, user, authority));
    total += mine.length;
    for (const r of mine.slice(0, SHOWN)) {
      const number = writeOffRequestNumber(r.orderNumber, r.id);
      lines.push(`• ${say(lang, { zh: `核销申请 ${number}`, en: `write-off request ${number}` })} · ${r.customerCode} ${r.customerName} · ${money(r.amount)} ${r.currency} · ${say(lang, { zh: `申请人 ${r.requestedBy}`, en: `asked by ${r.requestedBy}` })} → ${decide({ kind: 'approve_write_off', requestNumber: number }, { kind: 'reject_write_off', requestNumber: number })}`);
    }
  }
  if (total === 0) return say(lang, { zh: '没有等你审批的单据。', en: 'Nothing waits for you.' });
  const more = total > lines.length ? say(lang, { zh: `\n…另有 ${total - lines.length} 项，请在控制台查看。`, en: `\n…and ${total - lines.length} more in the console.` }) : '';
  return `${say(lang, { zh: `等你审批的（${total}）：`, en: `Waiting for you (${total}):` })}\n${lines.join('\n')}${more}`;
}

/** Finance's stuck payments, the first 20 orders, oldest due first. */
export async function stuckPayments(deps: ChatDeps, user: AuthenticatedUser, lang: ChatLang): Promise<string> {
  if (!mayPerform(user.role, 'listStuckPayments')) {
    return closed(lang, refusal(lang, { code: 'FORBIDDEN', details: { role: user.role, command: 'listStuckPayments', allowedRoles: rolesAllowedTo('listStuckPayments') } }));
  }
  const asOf = businessDate((deps.now ?? (() => new Date()))(), deps.timeZone ?? 'Asia/Shanghai');
  const { items } = await stuckPaymentOrders(deps.sql, { asOf, limit: SHOWN, offset: 0 });
  if (items.length === 0) return say(lang, { zh: '没有等待收款的订单。', en: 'No order is waiting for money.' });
  return [
    say(lang, { zh: '等待收款的订单：', en: 'Orders waiting for money:' }),
    ...items.map((r) => {
      const due = r.oldestDueOn ? say(lang, { zh: `，到期 ${r.oldestDueOn}`, en: ` due ${r.oldestDueOn}` }) : '';
      const where = waitingAt(r.step, r.daysOverdue, r.remindersSent, money(r.unmatchedReceipts), lang);
      return lang === 'en'
        ? `• ${r.orderNumber} ${r.customerCode}: ${money(r.amountDue)} ${r.currency}${due}, ${where}`
        : `• ${r.orderNumber} ${r.customerCode}：${money(r.amountDue)} ${r.currency}${due}，${where}`;
    }),
  ].join('\n');
}
