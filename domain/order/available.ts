import { DomainError } from '../errors.js';
import { checkApprove, checkReject } from './approval.js';
import { checkReceipt, planInvoice } from './billing.js';
import { checkRetryReservation, planDelivery } from './fulfilment.js';
import { checkCancel, type SalesOrderState } from './state.js';

/** The order commands a person can be offered (the console's buttons). */
export type OfferedCommand = 'approve' | 'reject' | 'reserve' | 'deliver' | 'invoice' | 'receipt' | 'cancel';

const allows = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
};

/**
 * Which commands the order's state lets this person run now: the same checks the
 * workflow's validators run (one rule, two uses), so a button is offered only when
 * its command would not be refused for the state. The role is decided apart
 * (domain/authorization.ts); the amount and lines a person enters are checked when sent.
 */
export function commandsOffered(state: SalesOrderState, actor: string): Set<OfferedCommand> {
  const checks: Record<OfferedCommand, () => unknown> = {
    approve: () => checkApprove(state, actor),
    reject: () => checkReject(state, actor, 'a reason'),
    reserve: () => checkRetryReservation(state),
    deliver: () => planDelivery(state, undefined),
    invoice: () => planInvoice(state),
    receipt: () => checkReceipt(state, '0.01'),
    cancel: () => checkCancel(state),
  };
  return new Set((Object.keys(checks) as OfferedCommand[]).filter((name) => allows(checks[name])));
}
