import { dec } from '../decimal.js';
import { DomainError } from '../errors.js';
import { failedChecks, type OrderCheck } from './checks.js';

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

/** Someone with no approval authority at all. */
export function notAnApprover(userName: string): DomainError {
  return new DomainError('NO_APPROVAL_AUTHORITY', `${userName} is not an approver`, 'actor');
}
