import { money } from '../../console/format.js';
import { COMMANDS, type Command } from '../../domain/authorization.js';
import { isDomainErrorCode } from '../../domain/errors.js';
import type { ApprovalRequirement } from '../../domain/order/index.js';
import type { SalesOrderView, WaitingFor } from '../../workflows/sales-order/definitions.js';
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

/** "还需信用管理员审批（信用超额）" / "still needs approval by a credit controller (credit over the limit)". */
export function stillNeeded(lang: ChatLang, missing: ApprovalRequirement[]): string {
  if (missing.length === 0) return '';
  const each = missing.map((m) => `${roleName(lang, m.role)}${m.reason ? (lang === 'en' ? ` (${m.reason})` : `（${m.reason}）`) : ''}`);
  return say(lang, { zh: `还需${each.join('、')}审批`, en: `still needs approval by ${each.map((e) => `${/^[aeiou]/.test(e) ? 'an' : 'a'} ${e}`).join(' and ')}` });
}

const sentence = (lang: ChatLang, parts: string[]) =>
  parts.filter(Boolean).map((p) => (lang === 'en' ? capitalized(p) : p)).join(lang === 'en' ? '. ' : '。') + (lang === 'en' ? '.' : '。');

/**
 * An order's state in words: what it waits for and from whom. A rejected or
 * cancelled order says by whom and why; an amount due only once something is.
 */
export function describeOrder(lang: ChatLang, v: SalesOrderView, customerName?: string): string {
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
    parts.push(say(lang, { zh: `由 ${v.cancelledBy ?? '?'} 取消`, en: `Cancelled by ${v.cancelledBy ?? '?'}` }));
    return sentence(lang, parts);
  }
  if (v.approvals.length) {
    const zh = v.approvals.map((a) => `${a.actor}（${roleName(lang, a.role)}）`).join('、');
    const en = v.approvals.map((a) => `${a.actor} (${roleName(lang, a.role)})`).join(', ');
    const sofar = v.status === 'Unapproved';
    parts.push(say(lang, { zh: `${sofar ? '已审批' : '审批'}：${zh}`, en: `${sofar ? 'Approved so far by' : 'Approved by'} ${en}` }));
  }
  if (v.status === 'Unapproved') {
    parts.push(stillNeeded(lang, v.pendingApprovals) || say(lang, { zh: '还需一位审批人审批', en: 'still needs one approver' }));
    return sentence(lang, parts);
  }
  if (v.waitingFor !== 'nothing') parts.push(say(lang, WAITING_WORDS[v.waitingFor]));
  const pending = v.pendingChange;
  if (pending) {
    const missing = pending.requiredApprovals.filter((r) => !pending.approvals.some((a) => a.ruleId === r.ruleId));
    parts.push(say(lang, { zh: `变更 ${pending.version} 待审批`, en: `change ${pending.version} waits for approval` }) + (missing.length ? (lang === 'en' ? ', ' : '，') + stillNeeded(lang, missing) : ''));
  }
  if (v.waitingFor === 'payment' || Number(v.amountDue) > 0) parts.push(say(lang, { zh: `应收 ${money(v.amountDue)} ${v.currency}`, en: `${money(v.amountDue)} ${v.currency} due` }));
  return sentence(lang, parts);
}

const asCommand = (value: unknown): Command | undefined => (COMMANDS as readonly unknown[]).includes(value) ? (value as Command) : undefined;
const decidedWords: Record<string, { zh: string; en: string }> = {
  approved: { zh: '审批', en: 'approved' },
  approving: { zh: '正在审批', en: 'being approved' },
  rejected: { zh: '驳回', en: 'rejected' },
};

/** A refusal as one sentence: never the internal command name or message, always what to do or who may. */
export function refusal(lang: ChatLang, e: ApiRefusal): string {
  const d = e.details ?? {};
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
    return say(lang, { zh: `${REFUSAL_WORDS.NO_APPROVAL_AUTHORITY.zh}：它还需${missing}审批`, en: `${REFUSAL_WORDS.NO_APPROVAL_AUTHORITY.en}: it still needs a ${missing}` });
  }
  if (e.code === 'INVALID_STATE' && typeof d.status === 'string') {
    const status = statusName(lang, d.status);
    return say(lang, { zh: `订单当前是「${status}」，不能再这样做`, en: `the order is ${status}; it cannot take this any more` });
  }
  if (e.code === 'CONFLICT' && typeof d.status === 'string' && typeof d.decidedBy === 'string' && decidedWords[d.status]) {
    const w = decidedWords[d.status]!;
    return say(lang, { zh: `已由 ${d.decidedBy} ${w.zh}`, en: `it was already ${w.en} by ${d.decidedBy}` });
  }
  if (e.code === 'VALIDATION_FAILED' && e.field && FIELD_WORDS[e.field]) {
    return say(lang, { zh: `${REFUSAL_WORDS.VALIDATION_FAILED.zh}：${FIELD_WORDS[e.field]!.zh}`, en: `${REFUSAL_WORDS.VALIDATION_FAILED.en}: ${FIELD_WORDS[e.field]!.en}` });
  }
  return say(lang, isDomainErrorCode(e.code) ? REFUSAL_WORDS[e.code] : REFUSAL_WORDS.UNAVAILABLE);
}
