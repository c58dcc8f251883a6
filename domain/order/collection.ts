import { dec } from '../decimal.js';
import { amountDue, type SalesOrderState } from './state.js';
import { depositOutstanding, openReceivables, receivableOf } from './billing.js';

/**
 * 催款 and where the order's money stands: the collection clock's rules (each
 * open receivable turns overdue at its instant, then reminds at each dunning
 * instant) and what the search attributes say, in the same terms as
 * /finance/stuck-payments (db/stuck-payments.ts).
 */

/** The next instant at which the collection clock has something to do, if any. */
export function nextCollectionInstant(state: SalesOrderState): number | undefined {
  const instants = openReceivables(state).map((r) => (r.overdue ? r.dunningAt[0] : r.overdueAt)).filter((t): t is number => t !== undefined);
  return instants.length > 0 ? Math.min(...instants) : undefined;
}

/** Marks overdue every open receivable whose instant has come; true when one changed. */
export function markOverdueAsOf(state: SalesOrderState, nowMs: number): string[] {
  const due = openReceivables(state).filter((r) => !r.overdue && r.overdueAt <= nowMs);
  for (const r of due) r.overdue = true;
  return due.map((r) => r.invoice);
}

/** The dunning reminders due by now: at most one per receivable (the next), numbered from 1. */
export function dunningDue(state: SalesOrderState, nowMs: number): { invoice: string; step: number }[] {
  return openReceivables(state)
    .filter((r) => r.overdue && r.dunningAt[0] !== undefined && r.dunningAt[0] <= nowMs)
    .map((r) => ({ invoice: r.invoice, step: r.reminders + 1 }));
}

/** A dunning reminder went out: counted, and its instant leaves the schedule. */
export function recordReminder(state: SalesOrderState, invoice: string): void {
  const r = receivableOf(state, invoice);
  if (!r) return;
  r.reminders += 1;
  r.dunningAt = r.dunningAt.slice(1);
}

/**
 * The deposit still to be paid, as finance lists it: only while the order waits
 * for it (before delivery; a cancelled or rejected order owes nothing).
 */
export function depositDue(state: SalesOrderState): string {
  return state.status === 'Unapproved' || state.status === 'Approved' ? depositOutstanding(state).toFixed(2) : '0.00';
}

/** What the payer still owes on this order: its open invoices, or the deposit it waits for. */
export function amountOwed(state: SalesOrderState): string {
  return dec(amountDue(state)).plus(dec(depositDue(state))).toFixed(2);
}

/** PaymentState search attribute: where the order's money stands. */
export function paymentState(state: SalesOrderState): string {
  if (!dec(depositDue(state)).isZero()) return 'DepositDue';
  const open = openReceivables(state);
  if (open.some((r) => r.overdue)) return 'Overdue';
  if (open.length > 0) return 'Open';
  if (state.invoices.length === 0) return 'NotInvoiced';
  return dec(state.money.writtenOffTotal).isZero() ? 'Paid' : 'Settled';
}

/** PaymentDueAt: the earliest instant from which an open receivable is overdue. */
export function paymentDueAt(state: SalesOrderState): number | undefined {
  const instants = openReceivables(state).map((r) => r.overdueAt);
  return instants.length > 0 ? Math.min(...instants) : undefined;
}
