import { dec } from '../decimal.js';
import { DomainError } from '../errors.js';
import { failedChecks, type OrderCheck } from './checks.js';
import { applyReserved, settleDeliveryStatus } from './fulfilment.js';
import { refuseState, type SalesOrderState } from './state.js';

/**
 * 审核: who must approve an order follows from data — the approval rules and the
 * approvers' authority — applied to the order's amount and what its checks found.
 * Each matching rule asks for one approval; one person gives at most one.
 */
export type ApproverRole = 'approver' | 'senior_approver' | 'credit_controller';

export interface ApprovalRule {
  id: number;
  kind: 'amount' | 'check';
  /** kind 'amount': the rule applies when the order's gross is above this. */
  minAmount?: string;
  /** kind 'check': the rule applies when this check failed. */
  checkCode?: string;
  requiredRole: ApproverRole;
  description: string;
}

export interface Approver {
  userName: string;
  role: ApproverRole;
  /** Above this gross the approver's approval does not count; absent: no limit. */
  maxAmount?: string;
}

/** One approval the order still needs (or got). */
export interface ApprovalRequirement {
  ruleId: number;
  role: ApproverRole;
  reason: string;
}

export interface GivenApproval {
  actor: string;
  role: ApproverRole;
  ruleId: number;
}

export function requiredApprovals(rules: ApprovalRule[], checks: OrderCheck[], gross: string): ApprovalRequirement[] {
  const failed = new Set(failedChecks(checks).map((c) => c.code as string));
  return rules
    .filter((r) => (r.kind === 'amount' ? dec(gross).greaterThan(dec(r.minAmount ?? '0')) : failed.has(r.checkCode ?? '')))
    .map((r) => ({ ruleId: r.id, role: r.requiredRole, reason: r.description }));
}

export function missingApprovals(required: ApprovalRequirement[], given: GivenApproval[]): ApprovalRequirement[] {
  const met = new Set(given.map((g) => g.ruleId));
  return required.filter((r) => !met.has(r.ruleId));
}

/** A senior approver may also give the ordinary approval; other roles only their own. */
function covers(approver: Approver, role: ApproverRole): 'exact' | 'senior' | undefined {
  if (approver.role === role) return 'exact';
  if (approver.role === 'senior_approver' && role === 'approver') return 'senior';
  return undefined;
}

/**
 * Which missing approval this approver's approval fills: their own role first, the
 * ordinary approval only if nothing of their own is missing. Refuses when their
 * authority covers nothing that is still missing.
 */
export function approvalFilledBy(approver: Approver, missing: ApprovalRequirement[], gross: string): ApprovalRequirement {
  const withinLimit = approver.maxAmount === undefined || !dec(gross).greaterThan(dec(approver.maxAmount));
  const fits = withinLimit ? missing.filter((r) => covers(approver, r.role) !== undefined) : [];
  const chosen = fits.find((r) => covers(approver, r.role) === 'exact') ?? fits[0];
  if (!chosen) {
    const wanted = [...new Set(missing.map((r) => r.role))].join(', ');
    throw new DomainError(
      'NO_APPROVAL_AUTHORITY',
      withinLimit
        ? `${approver.userName} (${approver.role}) cannot give the approval still missing: ${wanted}`
        : `the order amount ${gross} is above what ${approver.userName} may approve (${approver.maxAmount})`,
      'actor',
      { role: approver.role, missing: missing.map((r) => r.role) },
    );
  }
  return chosen;
}

/**
 * Who can give each approval still missing, by name: the active approvers whose authority fills
 * it (as approvalFilledBy decides), not the order's creator and not someone who approved already.
 */
export function whoCanApprove(
  approvers: Approver[],
  missing: ApprovalRequirement[],
  gross: string,
  exclude: string[],
): { role: ApproverRole; people: string[] }[] {
  const candidates = approvers.filter((a) => !exclude.includes(a.userName));
  return [...new Set(missing.map((r) => r.role))].map((role) => ({
    role,
    people: candidates
      .filter((a) => {
        try {
          return covers(a, approvalFilledBy(a, missing.filter((r) => r.role === role), gross).role) !== undefined;
        } catch {
          return false;
        }
      })
      .map((a) => a.userName),
  }));
}

/**
 * Who may be named the escalation user: someone an escalation can ask to act, an approver who can decide or an admin
 * who can give someone the authority. Refuses anyone else, naming the field.
 */
export function checkEscalationUser(user: { name: string; role: string; approves: boolean }): void {
  if (!user.approves && user.role !== 'admin') {
    throw new DomainError('VALIDATION_FAILED', `${user.name} can neither approve orders nor grant approval authority`, 'escalationUser');
  }
}

/**
 * An escalation goes to a named person who can act on it: the configured escalation user when he can give what is
 * missing (he is among `able`, those whoCanApprove names) or is an admin (who can give someone the authority); else
 * the senior approvers among those who can give it (the next approver up); else the admins; else those who can.
 */
export function escalationTargets(approvers: Approver[], configured: string | null, able: string[], exclude: string[], admins: string[]): string[] {
  if (configured && (able.includes(configured) || admins.includes(configured))) return [configured];
  const seniors = approvers.filter((a) => a.role === 'senior_approver' && able.includes(a.userName) && !exclude.includes(a.userName)).map((a) => a.userName);
  if (seniors.length) return seniors;
  return admins.length ? admins : able;
}

/**
 * What one approval does: the approval as given (the requirement it fills; with
 * nothing required, the approver's own role under no rule) and whether it is the
 * final one, the approval that completes the requirements and reserves the stock.
 */
export function decideApproval(
  approver: Approver,
  required: ApprovalRequirement[],
  given: GivenApproval[],
  gross: string,
): { approval: GivenApproval; final: boolean } {
  const missing = missingApprovals(required, given);
  const filled = missing.length === 0 ? { ruleId: 0, role: approver.role } : approvalFilledBy(approver, missing, gross);
  return { approval: { actor: approver.userName, role: approver.role, ruleId: filled.ruleId }, final: missing.length <= 1 };
}

/** Someone with no approval authority at all. */
export function notAnApprover(userName: string): DomainError {
  return new DomainError('NO_APPROVAL_AUTHORITY', `${userName} is not an approver`, 'actor');
}

// ---- the approval commands on the order ---------------------------------

/** State-only rules for an approval; the approver's authority is checked when the handler knows it. */
export function checkApprove(state: SalesOrderState, actor: string): void {
  if (state.status !== 'Unapproved') refuseState(state, 'be approved');
  if (actor === state.createdBy) {
    throw new DomainError('SELF_APPROVAL', `${actor} created order ${state.orderNumber} and cannot approve it`, 'actor');
  }
  if (state.approvals.some((a) => a.actor === actor)) {
    throw new DomainError('DUPLICATE_APPROVAL', `${actor} has already approved order ${state.orderNumber}`, 'actor');
  }
}

export function applyApproval(state: SalesOrderState, approval: GivenApproval): void {
  state.approvals.push(approval);
}

export function applyApproved(state: SalesOrderState, actor: string, reserved: { lineNo: number; quantity: string }[]): void {
  applyReserved(state, reserved);
  state.status = 'Approved';
  state.approvedBy = actor;
}

/** 期初开账: a line cannot have delivered more than it ordered, and a loaded order must still have something open. */
export function checkOpeningBalance(lines: { quantity: string; deliveredQty: string }[]): void {
  lines.forEach((l, i) => {
    if (dec(l.deliveredQty).greaterThan(dec(l.quantity))) {
      throw new DomainError('OVER_DELIVERY', `line ${i + 1}: delivered ${l.deliveredQty} is more than the ${l.quantity} ordered`, `lines[${i}].deliveredQty`);
    }
  });
  if (lines.every((l) => dec(l.deliveredQty).greaterThanOrEqualTo(dec(l.quantity)))) {
    throw new DomainError('VALIDATION_FAILED', 'every line is fully delivered; only open orders are loaded', 'lines');
  }
}

/** 期初开账: approved in the old system; its open remainder is reserved (or back-ordered) on loading. */
export function applyOpeningApproval(state: SalesOrderState, approvedBy: string, reserved: { lineNo: number; quantity: string }[]): void {
  applyApproved(state, approvedBy, reserved);
  settleDeliveryStatus(state);
}

export function checkReject(state: SalesOrderState, actor: string, reason: string): void {
  if (state.status !== 'Unapproved') refuseState(state, 'be rejected');
  if (actor === state.createdBy) {
    throw new DomainError('SELF_APPROVAL', `${actor} created order ${state.orderNumber} and cannot decide on it`, 'actor');
  }
  if (reason.trim().length === 0) throw new DomainError('VALIDATION_FAILED', 'a rejection needs a reason', 'reason');
}

export function applyRejected(state: SalesOrderState, actor: string, reason: string): void {
  for (const l of state.lines) l.closeStatus = 'y';
  state.status = 'Rejected';
  state.rejectedBy = actor;
  state.rejectReason = reason;
  (state.rejections ??= []).push({ by: actor, reason, revision: state.revision ?? 0 });
}

/** Fixes when an order waiting for approval reminds and escalates (once; a continued run keeps them). */
export function armApprovalReminders(state: SalesOrderState, nowMs: number, remindAfterMs: number, escalateAfterMs: number): void {
  const r = state.approvalReminders;
  r.remindAt ??= nowMs + remindAfterMs;
  r.escalateAt ??= r.remindAt + escalateAfterMs;
}

/** The approval notice the order owes by now, if any: the reminder first, then the escalation. */
export function approvalNoticeDue(state: SalesOrderState, nowMs: number): 'approval_reminder' | 'approval_escalation' | undefined {
  const r = state.approvalReminders;
  if (state.status !== 'Unapproved') return undefined;
  if (!r.reminded) return r.remindAt !== undefined && r.remindAt <= nowMs ? 'approval_reminder' : undefined;
  if (!r.escalated) return r.escalateAt !== undefined && r.escalateAt <= nowMs ? 'approval_escalation' : undefined;
  return undefined;
}

/** The next instant an approval notice falls due, if the order still waits for one. */
export function nextApprovalInstant(state: SalesOrderState): number | undefined {
  const r = state.approvalReminders;
  if (state.status !== 'Unapproved') return undefined;
  return !r.reminded ? r.remindAt : !r.escalated ? r.escalateAt : undefined;
}
