import { authorize, type Role } from '../authorization.js';
import { dec } from '../decimal.js';
import { DomainError } from '../errors.js';

/**
 * 坏账核销 with two people: finance asks for a bad debt to be written off (the
 * amount open on the order at that moment, with a reason); another person with a
 * finance approver's authority approves or rejects it with their own command. The
 * API, the chat bot and the console's buttons all decide with these rules.
 */
export type WriteOffRequestStatus = 'pending' | 'approving' | 'approved' | 'rejected';

export interface WriteOffRequestFacts {
  id: number;
  orderNumber: string;
  /** `approving`: an approver claimed it and its write-off is being booked (only that approver may finish it). */
  status: WriteOffRequestStatus;
  amount: string;
  requestedBy: string;
  decidedBy: string | null;
}

/** A finance approver's authority (finance_approvers); maxAmount null: no limit. */
export interface WriteOffAuthority {
  maxAmount: string | null;
}

export type WriteOffDecision = 'approve' | 'reject';

const ENDED = new Set(['Cancelled', 'Rejected', 'Completed']);

/** A reason is read later by people (and stored by Postgres, which refuses NUL): words, no control characters. */
function checkReason(reason: string | undefined, what: string): void {
  if (!reason?.trim()) throw new DomainError('VALIDATION_FAILED', `${what} needs a reason`, 'reason');
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(reason)) throw new DomainError('VALIDATION_FAILED', 'the reason must not contain control characters', 'reason');
  if (reason.length > 500) throw new DomainError('VALIDATION_FAILED', 'the reason is longer than 500 characters', 'reason');
}

/** A request needs money open on an order that still takes commands, and one request at a time per order. */
export function checkWriteOffRequest(order: { number: string; status: string; open: string }, undecided: WriteOffRequestFacts | undefined, reason: string): void {
  checkReason(reason, 'a write-off');
  if (ENDED.has(order.status)) {
    throw new DomainError('INVALID_STATE', `order ${order.number} is ${order.status}; nothing can be written off`, 'status', { status: order.status });
  }
  if (!dec(order.open).greaterThan(0)) throw new DomainError('INVALID_STATE', `order ${order.number} has no open receivable to write off`, 'amountDue');
  if (undecided) {
    throw new DomainError('CONFLICT', `write-off request ${undecided.id} of order ${order.number} still waits for a decision`, 'number', { requestId: undecided.id });
  }
}

/** Whether to offer the request at all (the console's button): the role may, and the request would be taken now. */
export function mayRequestWriteOff(role: Role | string | undefined, order: { number: string; status: string; open: string }, undecided: WriteOffRequestFacts | undefined): boolean {
  try {
    authorize(role, 'writeOff');
    checkWriteOffRequest(order, undecided, 'a reason the person will give');
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
}

/**
 * Who may decide a request, and when: someone whose role may decide write-offs,
 * who is not the requester, who holds a finance approver's authority covering the
 * amount (to approve), and only once. A rejection needs a reason.
 */
export function checkWriteOffDecision(
  request: WriteOffRequestFacts,
  decider: { name: string; role: Role | string | undefined },
  authority: WriteOffAuthority | undefined,
  decision: WriteOffDecision,
  reason?: string,
): void {
  authorize(decider.role, 'decideWriteOff');
  if (decider.name === request.requestedBy) {
    throw new DomainError('SELF_APPROVAL', `${decider.name} asked for write-off ${request.id} and cannot decide it; another finance approver must`, 'approver');
  }
  if (request.status === 'approved' || request.status === 'rejected') {
    throw new DomainError('CONFLICT', `write-off request ${request.id} of order ${request.orderNumber} was already ${request.status} by ${request.decidedBy}`, 'id', {
      status: request.status,
      decidedBy: request.decidedBy,
    });
  }
  // A claimed approval is finished by the one who claimed it (repeating their command), never decided again.
  if (request.status === 'approving' && (decision === 'reject' || request.decidedBy !== decider.name)) {
    throw new DomainError('CONFLICT', `write-off request ${request.id} of order ${request.orderNumber} is being approved by ${request.decidedBy}`, 'id', {
      status: request.status,
      decidedBy: request.decidedBy,
    });
  }
  if (!authority) throw new DomainError('FORBIDDEN', `${decider.name} is not a finance approver and may not decide a bad-debt write-off`, 'approver');
  if (decision === 'approve' && authority.maxAmount !== null && dec(request.amount).greaterThan(dec(authority.maxAmount))) {
    throw new DomainError('FORBIDDEN', `${decider.name} may approve write-offs up to ${authority.maxAmount}; this one is ${request.amount}`, 'approver', {
      maxAmount: authority.maxAmount,
      amount: request.amount,
    });
  }
  if (decision === 'reject') checkReason(reason, 'a rejection');
}

/** Whether this user may decide the request now (the console's buttons); the command checks again. */
export function mayDecideWriteOff(request: WriteOffRequestFacts, decider: { name: string; role: Role | string | undefined }, authority: WriteOffAuthority | undefined): boolean {
  try {
    checkWriteOffDecision(request, decider, authority, 'approve');
    return request.status === 'pending';
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
}

/** What the approver approves is what was asked: if receipts or credit notes changed the open amount since, it is asked again. */
export function checkWriteOffAmountUnchanged(request: Pick<WriteOffRequestFacts, 'orderNumber' | 'amount'>, openNow: string): void {
  if (!dec(openNow).equals(dec(request.amount))) {
    throw new DomainError('CONFLICT', `order ${request.orderNumber} now has ${openNow} open, not the ${request.amount} asked to write off; reject this request and ask again`, 'amount', {
      requested: request.amount,
      open: openNow,
    });
  }
}

/** The note on each ledger entry a bad-debt write-off books: the reason and both people. */
export const writeOffNote = (reason: string, requestedBy: string, approvedBy: string) =>
  `bad debt: ${reason} (requested by ${requestedBy}, approved by ${approvedBy})`;
