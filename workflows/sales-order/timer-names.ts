import { openReceivables } from '../../domain/order/billing.js';
import type { SalesOrderState } from '../../domain/order/index.js';

/**
 * What the order's one timer waits for when it is set for `at`: the order's or a change's approval reminder or escalation, an
 * invoice's payment due date, its next dunning step. Given to the timer as its summary, so the order's history
 * (timeline, Temporal Web UI) names it.
 */
export function timerSummary(state: SalesOrderState, at: number): string {
  const names: string[] = [];
  const r = state.approvalReminders;
  if (state.status === 'Unapproved') {
    if (!r.reminded && r.remindAt === at) names.push('approval reminder');
    else if (r.reminded && !r.escalated && r.escalateAt === at) names.push('approval escalation');
  }
  const n = state.pendingChange?.notices;
  if (n && !n.reminded && n.remindAt === at) names.push(`change approval reminder: change ${state.pendingChange!.version}`);
  else if (n && n.reminded && !n.escalated && n.escalateAt === at) names.push(`change approval escalation: change ${state.pendingChange!.version}`);
  for (const receivable of openReceivables(state)) {
    if (!receivable.overdue && receivable.overdueAt === at) names.push(`payment due: invoice ${receivable.invoice}`);
    else if (receivable.overdue && receivable.dunningAt[0] === at) names.push(`dunning step ${receivable.reminders + 1}: invoice ${receivable.invoice}`);
  }
  return names.join('; ') || 'next due step';
}
