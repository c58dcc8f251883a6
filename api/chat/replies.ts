import { money } from '../../console/format.js';
import { dec } from '../../domain/decimal.js';
import { COMMANDS, type Command } from '../../domain/authorization.js';
import { isDomainErrorCode } from '../../domain/errors.js';
import type { Words } from '../../domain/notifications.js';
import type { SalesOrderView, WaitingFor } from '../../workflows/sales-order/definitions.js';
import { changeNeeds, orderNeeds, type ApprovalFacts, type Needed } from './needed.js';
import type { ChatLang } from './parse.js';
import { capitalized, COMMAND_WORDS, FIELD_WORDS, REFUSAL_WORDS, roleList, roleName, say, statusName } from './words.js';

/** What the API answered with a refusal (api/errors.ts errorBody). */
export interface ApiRefusal {
  code: string;
  field?: string | null;
  details?: Record<string, unknown>;
}

const WAITING_WORDS: Record<Exclude<WaitingFor, 'nothing'>, { zh: string; en: string }> = {
  approval: { zh: '等待审批', en: 'waiting for approval' },
  changeApproval: { zh: '变更等待审批', en: 'a change waiting for approval' },
  deposit: { zh: '等待订金', en: 'waiting for the deposit' },
  delivery: { zh: '等待出货', en: 'waiting for delivery' },
  invoice: { zh: '等待开票', en: 'waiting for the invoice' },
  payment: { zh: '等待收款', en: 'waiting for payment' },
};

const orList = (lang: ChatLang, people: string[]) =>
  lang === 'en' ? (people.length > 1 ? `${people.slice(0, -1).join(', ')} or ${people.at(-1)}` : people.join('')) : people.join('、').replace(/、([^、]+)$/, ' 或 $1');

/**
 * Who must still approve, by name and role, and why: "还需 credit.sun（信用管理员：单价低于下限）审批" /
 * "still needs approval by credit.sun (credit controller: prices under the floor need the credit controller)".
 */
export function stillNeeded(lang: ChatLang, needed: Needed[]): string {
  if (needed.length === 0) return '';
  const each = needed.map((n) => {
    const role = roleName(lang, n.role);
    if (n.people.length === 0) {
      return say(lang, {
        zh: `${role}（目前没有可审批的人${n.reason ? `；${n.reason}` : ''}）`,
        en: `the ${role} role (nobody active can give it now${n.reason ? `; ${n.reason}` : ''})`,
      });
    }
    return say(lang, {
      zh: `${orList(lang, n.people)}（${role}${n.reason ? `：${n.reason}` : ''}）`,
      en: `${orList(lang, n.people)} (${role}${n.reason ? `: ${n.reason}` : ''})`,
    });
  });
  return say(lang, { zh: `还需 ${each.join('和 ')}审批`, en: `still needs approval by ${each.join(' and ')}` });
}

/** Who approved an order or a change: "Approved by a (approver)" / "审批：a（审批人）"; so far while it still waits. */
function approvedBy(lang: ChatLang, approvals: { actor: string; role: string }[], sofar: boolean, capital = true): string {
  const zh = approvals.map((a) => `${a.actor}（${roleName(lang, a.role)}）`).join('、');
  const en = approvals.map((a) => `${a.actor} (${roleName(lang, a.role)})`).join(', ');
  const words = say(lang, { zh: `${sofar ? '已审批' : '审批'}：${zh}`, en: `${sofar ? 'approved so far by' : 'approved by'} ${en}` });
  return capital ? capitalized(words) : words;
}

const sentence = (lang: ChatLang, parts: string[]) =>
  parts.filter(Boolean).map((p) => (lang === 'en' ? capitalized(p) : p)).join(lang === 'en' ? '. ' : '。') + (lang === 'en' ? '.' : '。');

/**
 * An order's state in words: what it waits for and from whom. A rejected or
 * cancelled order says by whom and why; an amount due only once something is.
 */
export function describeOrder(lang: ChatLang, v: SalesOrderView, facts: ApprovalFacts, customerName?: string): string {
  const head = say(lang, {
    zh: `订单 ${v.orderNumber}：${statusName(lang, v.status)}，客户 ${v.customerCode}${customerName ? ` ${customerName}` : ''}，含税 ${money(v.totals.gross)} ${v.currency}，制单 ${v.createdBy}`,
    en: `Order ${v.orderNumber}: ${statusName(lang, v.status)}. Customer ${v.customerCode}${customerName ? ` ${customerName}` : ''}, gross ${money(v.totals.gross)} ${v.currency}, created by ${v.createdBy}`,
  });
  const parts = [head];
  if (v.status === 'Rejected') {
    parts.push(say(lang, { zh: `由 ${v.rejectedBy ?? '?'} 驳回，原因：${v.rejectReason ?? ''}`, en: `Rejected by ${v.rejectedBy ?? '?'}: ${v.rejectReason ?? ''}` }));
    return sentence(lang, parts);
  }
  if (v.status === 'Cancelled') {
    const why = v.cancelReason ? { zh: `，原因：${v.cancelReason}`, en: `: ${v.cancelReason}` } : { zh: '', en: '' };
    parts.push(say(lang, { zh: `由 ${v.cancelledBy ?? '?'} 取消${why.zh}`, en: `Cancelled by ${v.cancelledBy ?? '?'}${why.en}` }));
    return sentence(lang, parts);
  }
  if (v.approvals.length) parts.push(approvedBy(lang, v.approvals, v.status === 'Unapproved'));
  if (v.status === 'Unapproved') {
    parts.push(stillNeeded(lang, orderNeeds(lang, facts, v)) || say(lang, { zh: '还需一位审批人审批', en: 'still needs one approver' }));
    return sentence(lang, parts);
  }
  const pending = v.pendingChange;
  // A change waiting is told once, as the change: what it waits for and from whom.
  if (v.waitingFor !== 'nothing' && !(pending && v.waitingFor === 'changeApproval')) parts.push(say(lang, WAITING_WORDS[v.waitingFor]));
  if (pending) {
    const sep = lang === 'en' ? '; ' : '；';
    const sofar = pending.approvals.length ? approvedBy(lang, pending.approvals, true, false) : '';
    const needs = stillNeeded(lang, changeNeeds(lang, facts, v));
    const detail = [sofar, needs].filter(Boolean).join(sep);
    parts.push(say(lang, { zh: `变更 ${pending.version} 待审批`, en: `change ${pending.version} waits for approval` }) + (detail ? (lang === 'en' ? ': ' : '：') + detail : ''));
  }
  if (v.waitingFor === 'payment' || Number(v.amountDue) > 0) parts.push(say(lang, { zh: `应收 ${money(v.amountDue)} ${v.currency}`, en: `${money(v.amountDue)} ${v.currency} due` }));
  if (v.status === 'Completed') {
    const writtenOff = dec(v.money.writtenOffTotal);
    const received = { zh: `已收款 ${money(v.receivedTotal)} ${v.currency}`, en: `${money(v.receivedTotal)} ${v.currency} received` };
    const off = { zh: `坏账核销 ${money(writtenOff.toFixed(2))} ${v.currency}`, en: `${money(writtenOff.toFixed(2))} ${v.currency} written off as bad debt` };
    const told = [dec(v.receivedTotal).isZero() && !writtenOff.isZero() ? undefined : received, writtenOff.isZero() ? undefined : off].filter((w) => w !== undefined);
    parts.push(told.map((w) => say(lang, w)).join(lang === 'en' ? ', ' : '，'));
  }
  return sentence(lang, parts);
}

const asCommand = (value: unknown): Command | undefined => (COMMANDS as readonly unknown[]).includes(value) ? (value as Command) : undefined;
/** What a document decided already is, by whom: the phrase after its name ("change 1 of order SO-1 …"). */
const decidedWords = (by: string): Record<string, Words> => ({
  approved: { zh: `早已由 ${by} 审批`, en: `was already approved by ${by}` },
  approving: { zh: `正在由 ${by} 审批`, en: `is being approved by ${by}` },
  rejected: { zh: `早已由 ${by} 驳回`, en: `was already rejected by ${by}` },
  cancelled: { zh: `已由 ${by} 取消`, en: `was cancelled by ${by}` },
});

/**
 * An order a decision came too late for (the API refused it as INVALID_STATE): decided already, and by whom,
 * as a change or a write-off decided already is told. Undefined while it still waits for approval.
 */
export function orderDecided(lang: ChatLang, v: SalesOrderView): string | undefined {
  const by = v.status === 'Rejected' ? ['rejected', v.rejectedBy] : v.status === 'Cancelled' ? ['cancelled', v.cancelledBy] : v.status === 'Unapproved' ? [] : ['approved', v.approvedBy];
  const [status, decidedBy] = by;
  return status && decidedBy ? alreadyDecided(lang, { code: 'CONFLICT', details: { status, decidedBy } }) : undefined;
}

/** A refusal because the document was decided already (CONFLICT naming how and by whom), as what is true of it. */
export function alreadyDecided(lang: ChatLang, e: ApiRefusal): string | undefined {
  const d = e.details ?? {};
  if (e.code !== 'CONFLICT' || typeof d.status !== 'string') return undefined;
  // A change that raised nothing applied without anyone's approval.
  if (d.status === 'applied') return say(lang, { zh: '已经生效，无需审批', en: 'already applies; it needed no approval' });
  const words = typeof d.decidedBy === 'string' ? decidedWords(d.decidedBy)[d.status] : undefined;
  return words && say(lang, words);
}

/** The refusals that mean someone else must approve, said short when the answer goes on to name who. */
const WHO_ELSE: Record<string, Words> = {
  SELF_APPROVAL: { zh: '不能审批自己提交的单据', en: 'you cannot decide what you asked for yourself' },
  DUPLICATE_APPROVAL: { zh: '你已经审批过了', en: 'you have already approved it' },
  NO_APPROVAL_AUTHORITY: { zh: '你的审批权限不包括它还缺的审批', en: 'your approval authority does not cover the approval it still needs' },
};

/**
 * A refusal as one sentence: never the internal command name or message, always what to do or who may.
 * `needed`: the approvals still missing, by name, for a refusal that means someone else must approve.
 */
export function refusal(lang: ChatLang, e: ApiRefusal, needed?: Needed[]): string {
  const d = e.details ?? {};
  const instead = WHO_ELSE[e.code];
  if (instead && needed?.length) return `${say(lang, instead)}${lang === 'en' ? '; it ' : '；'}${stillNeeded(lang, needed)}`;
  const command = asCommand(d.command);
  if (e.code === 'FORBIDDEN' && command) {
    const allowed = Array.isArray(d.allowedRoles) ? roleList(lang, d.allowedRoles as string[]) : '';
    const role = typeof d.role === 'string' ? roleName(lang, d.role) : '';
    return say(lang, {
      zh: `你的角色（${role}）不能${COMMAND_WORDS[command].zh}；可以的角色：${allowed}`,
      en: `your role (${role}) may not ${COMMAND_WORDS[command].en}; roles that may: ${allowed}`,
    });
  }
  if (e.code === 'NO_APPROVAL_AUTHORITY' && Array.isArray(d.missing) && d.missing.length) {
    const missing = roleList(lang, d.missing as string[]);
    return say(lang, { zh: `${REFUSAL_WORDS.NO_APPROVAL_AUTHORITY.zh}：它还需${missing}审批`, en: `${REFUSAL_WORDS.NO_APPROVAL_AUTHORITY.en}, which is approval by: ${missing}` });
  }
  // Deciding a write-off takes a place on the finance approvers' list (domain/order/write-off.ts), not only a role.
  if (e.code === 'FORBIDDEN' && e.field === 'approver') {
    if (typeof d.maxAmount === 'string' && typeof d.amount === 'string') {
      return say(lang, { zh: `你可审批的核销金额上限是 ${money(d.maxAmount)}，这笔是 ${money(d.amount)}`, en: `you may approve write-offs up to ${money(d.maxAmount)}; this one is ${money(d.amount)}` });
    }
    return say(lang, { zh: '审批坏账核销需要财务审批人，你不在财务审批人名单中', en: 'deciding a write-off needs a finance approver, and you are not on the finance approvers\' list' });
  }
  if (e.code === 'INVALID_STATE' && typeof d.status === 'string') {
    const status = statusName(lang, d.status);
    return say(lang, { zh: `订单当前是「${status}」，不能再这样做`, en: `the order is ${status}; it cannot take this any more` });
  }
  const decided = alreadyDecided(lang, e);
  if (decided) return lang === 'en' ? `it ${decided}` : `它${decided}`;
  if (e.code === 'VALIDATION_FAILED' && e.field && FIELD_WORDS[e.field]) {
    return say(lang, { zh: `${REFUSAL_WORDS.VALIDATION_FAILED.zh}：${FIELD_WORDS[e.field]!.zh}`, en: `${REFUSAL_WORDS.VALIDATION_FAILED.en}: ${FIELD_WORDS[e.field]!.en}` });
  }
  return say(lang, isDomainErrorCode(e.code) ? REFUSAL_WORDS[e.code] : REFUSAL_WORDS.UNAVAILABLE);
}
