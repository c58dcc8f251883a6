import { lineAmountsOf, moneyTotals, totals } from '../amounts.js';
import type { Role } from '../authorization.js';
import { DomainError } from '../errors.js';
import type { InvoiceMode } from '../receivables.js';
import { refuseState, type NewOrderLine, type SalesOrderState, type ShortfallPolicy } from './state.js';

/**
 * 草稿: an order before approval is a draft its creator edits (lines, prices,
 * dates, header), and a rejected order is revised the same way and goes back to
 * approval. Each edit is a numbered revision; the checks run again on it.
 *
 * Once an approver has approved the draft (one approval of several), it is no
 * longer edited: the approval was given to these lines and amounts, and voiding
 * it silently would let the creator change what someone already signed. The
 * approver rejects it instead (with a reason, kept), and the creator revises it.
 */

/** The order as the edit leaves it: everything a clerk enters, priced by the API as on order entry. */
export interface DraftEdit {
  lines: NewOrderLine[];
  shortfallPolicy: ShortfallPolicy;
  invoiceMode: InvoiceMode;
  depositRequired: string;
}

/** One rejection the order received, kept when the order is revised. */
export interface RejectionRecord {
  by: string;
  reason: string;
  /** The revision that was rejected (0: the order as created). */
  revision: number;
}

/** Whether `actor` may edit the order as a draft now: its creator (or an admin), before any approval, or once rejected. */
export function checkEditDraft(state: SalesOrderState, actor: string, role: Role | undefined): void {
  if (state.status !== 'Unapproved' && state.status !== 'Rejected') refuseState(state, 'be edited as a draft (an approved order takes a change instead)');
  if (state.status === 'Unapproved' && state.approvals.length > 0) {
    throw new DomainError(
      'APPROVAL_STARTED',
      `order ${state.orderNumber} already has an approval (${state.approvals.map((a) => a.actor).join(', ')}); it is edited only after an approver rejects it`,
      'status',
      { approvals: state.approvals.map((a) => a.actor) },
    );
  }
  if (role !== 'admin' && actor !== state.createdBy) {
    throw new DomainError('FORBIDDEN', `only ${state.createdBy}, who created order ${state.orderNumber}, or an admin may edit it`, 'actor', {
      createdBy: state.createdBy,
    });
  }
}

/** The rejections so far, the last one included even when it was recorded before rejections were kept as a list. */
export function rejectionsOf(state: SalesOrderState): RejectionRecord[] {
  const kept = state.rejections ?? [];
  if (kept.length === 0 && state.rejectedBy) return [{ by: state.rejectedBy, reason: state.rejectReason ?? '', revision: state.revision ?? 0 }];
  return kept;
}

/**
 * Replaces the draft's lines and header with the edit and numbers the revision.
 * A rejected order goes back to waiting for approval: its rejection stays in the
 * history, the approvals given before no longer count, and the reminders start again.
 */
export function applyDraftEdit(state: SalesOrderState, edit: DraftEdit, revision: number): { resubmitted: boolean } {
  const resubmitted = state.status === 'Rejected';
  if (resubmitted) {
    state.rejections = rejectionsOf(state);
    state.status = 'Unapproved';
    delete state.rejectedBy;
    delete state.rejectReason;
    state.approvals = [];
    state.approvalReminders = { reminded: false, escalated: false };
  }
  state.lines = edit.lines.map((l) => ({
    ...l,
    overDeliveryRate: l.overDeliveryRate ?? '0',
    reservedQty: '0',
    deliveredQty: '0',
    invoicedQty: '0',
    closeStatus: 'N',
  }));
  state.totals = moneyTotals(totals(state.lines.map(lineAmountsOf)));
  state.shortfallPolicy = edit.shortfallPolicy;
  state.money.invoiceMode = edit.invoiceMode;
  state.money.depositRequired = edit.depositRequired;
  state.revision = revision;
  return { resubmitted };
}
