import { money } from '../../console/format.js';
import { label } from '../../console/i18n.js';
import { dec } from '../../domain/decimal.js';
import { missingApprovals, whoCanApprove, type Approver, type ApprovalRule, type ApproverRole } from '../../domain/order/index.js';
import { readApprovalRules } from '../../db/approval-rules.js';
import type { Sql } from '../../db/client.js';
import { activeApprovers } from '../../db/outbox/routing.js';
import type { SalesOrderView } from '../../workflows/sales-order/definitions.js';
import type { ChatLang } from './parse.js';

/** One approval still missing: its role, the people who can give it, and why, in the reply's language ('' when not known in it). */
export interface Needed {
  role: string;
  people: string[];
  reason: string;
}

/** What naming the approvers needs: who approves with what authority, and the rules (whose descriptions are the reasons). */
export interface ApprovalFacts {
  approvers: Approver[];
  rules: ApprovalRule[];
}

export async function approvalFacts(sql: Sql): Promise<ApprovalFacts> {
  const [approvers, rules] = await Promise.all([activeApprovers(sql), readApprovalRules(sql)]);
  return { approvers, rules };
}

const hasHan = (text: string) => /\p{Script=Han}/u.test(text);
const hasLatin = (text: string) => /[A-Za-z]{2,}/.test(text);

/** Reasons the workflow gives without a rule (workflows/sales-order/changes.ts ORDINARY_APPROVAL). */
const KNOWN_REASONS: Record<string, string> = { 'the change needs approval': '变更需要审批' };

/**
 * A reason in the reply's language, never a sentence of the other: the rules' descriptions are
 * whatever the admin typed (the seeded ones are English), so a Chinese reply words a known rule
 * from what triggers it (the check's console word, the amount) and leaves out one it cannot word.
 */
function reasonIn(lang: ChatLang, reason: string, rules: ApprovalRule[]): string {
  if (lang === 'en') return hasHan(reason) ? '' : reason;
  if (hasHan(reason) && !hasLatin(reason)) return reason;
  const rule = rules.find((r) => r.description === reason);
  if (rule?.kind === 'check' && rule.checkCode) {
    const word = label('zh-CN', rule.checkCode);
    return word === rule.checkCode ? '' : word;
  }
  if (rule?.kind === 'amount') return dec(rule.minAmount ?? '0').greaterThan(0) ? `含税金额超过 ${money(rule.minAmount!)}` : '每张订单都需审批';
  return KNOWN_REASONS[reason] ?? '';
}

/** Each missing approval with the people who can give it, chosen as the mails choose them (whoCanApprove). */
export function neededFrom(
  lang: ChatLang,
  facts: ApprovalFacts,
  missing: { role: string; reason: string }[],
  gross: string,
  exclude: string[],
): Needed[] {
  return missing.map((m) => ({
    role: m.role,
    people: whoCanApprove(facts.approvers, [{ ruleId: 0, role: m.role as ApproverRole, reason: m.reason }], gross, exclude)[0]?.people ?? [],
    reason: reasonIn(lang, m.reason, facts.rules),
  }));
}

/** What the order still needs: not from its creator, nor from anyone who approved it already. */
export const orderNeeds = (lang: ChatLang, facts: ApprovalFacts, v: SalesOrderView): Needed[] =>
  neededFrom(lang, facts, v.pendingApprovals, v.totals.gross, [v.createdBy, ...v.approvals.map((a) => a.actor)]);

/** What the order's pending change still needs: not from who asked for it, the order's creator, nor who approved it already. */
export function changeNeeds(lang: ChatLang, facts: ApprovalFacts, v: SalesOrderView): Needed[] {
  const p = v.pendingChange;
  if (!p) return [];
  return neededFrom(lang, facts, missingApprovals(p.requiredApprovals, p.approvals), p.grossAfter, [
    p.request.requestedBy,
    v.createdBy,
    ...p.approvals.map((a) => a.actor),
  ]);
}
