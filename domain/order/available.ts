import { DomainError } from '../errors.js';
import { checkApprove, checkReject } from './approval.js';
import { checkReceipt, planInvoice, uninvoicedLines } from './billing.js';
import type { Role } from '../authorization.js';
import { checkChangeAllowed, checkDecideChange } from './changes.js';
import { checkEditDraft } from './drafts.js';
import { checkCloseLine, checkQualityCheck, checkRetryReservation, planDelivery, planShippingNotice } from './fulfilment.js';
import { planAllowance, planReturn } from './returns.js';
import { checkCancel, type SalesOrderState } from './state.js';

/** The order commands a person can be offered (the console's buttons). */
export const OFFERED_COMMANDS = [
  'approve',
  'reject',
  'editDraft',
  'change',
  'approveChange',
  'rejectChange',
  'reserve',
  'shippingNotice',
  'qualityCheck',
  'deliver',
  'invoice',
  'receipt',
  'closeLine',
  'return',
  'allowance',
  'cancel',
] as const;
export type OfferedCommand = (typeof OFFERED_COMMANDS)[number];

/** What the state allows now, and on which documents and lines the commands that name one may act. */
export interface OrderOffers {
  commands: Set<OfferedCommand>;
  /** The change waiting for approval this person may decide (approveChange / rejectChange). */
  changeVersion?: number;
  /** Shipping notices that may take a quality re-check (出货复核), and those that may be delivered now. */
  noticesToCheck: string[];
  noticesToDeliver: string[];
  /** Lines that may be closed by hand (指定结束). */
  linesToClose: number[];
  /** Lines with delivered goods that may come back (销退), and lines with invoiced money an allowance (折让) may give back. */
  linesToReturn: number[];
  linesToAllow: number[];
  /** 部分开票: each line's delivered quantity not yet invoiced, the most an invoice may take of it. */
  linesToInvoice: { lineNo: number; quantity: string }[];
}

const allows = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
};

/** The smallest amount the rules take: a probe for "would any amount be accepted", not a proposal. */
const SMALLEST = '0.01';
const PROBE_REASON = 'a reason';

/**
 * Which commands the order's state lets this person run now: the same checks the
 * workflow's validators run (one rule, two uses), so a button is offered only when
 * its command would not be refused for the state. Commands that name a notice or a
 * line are probed with each one. The role is decided apart (domain/authorization.ts),
 * beside it only whether an admin edits someone else's draft (drafts.ts);
 * the amounts and quantities a person enters are checked when sent.
 */
export function orderOffers(state: SalesOrderState, actor: string, role?: Role): OrderOffers {
  const lineNos = state.lines.map((l) => l.lineNo);
  const notices = state.shippingNotices.map((n) => n.number);
  const lastNote = state.deliveryNotes.at(-1);
  const pending = state.pendingChange?.version;
  const returnable = (lineNo: number, quantity: string) =>
    lastNote !== undefined &&
    allows(() => planReturn(state, { deliveryNote: lastNote, disposition: 'redeliver', reason: PROBE_REASON, lines: [{ lineNo, quantity }] }));
  const offers: OrderOffers = {
    commands: new Set(),
    noticesToCheck: notices.filter((n) => allows(() => checkQualityCheck(state, n))),
    noticesToDeliver: notices.filter((n) => allows(() => planDelivery(state, undefined, n))),
    linesToClose: lineNos.filter((n) => allows(() => checkCloseLine(state, n))),
    linesToReturn: state.lines.filter((l) => returnable(l.lineNo, l.deliveredQty)).map((l) => l.lineNo),
    linesToAllow: lineNos.filter((n) => allows(() => planAllowance(state, { reason: PROBE_REASON, lines: [{ lineNo: n, amount: SMALLEST }] }))),
    linesToInvoice: uninvoicedLines(state).map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })),
  };
  const decideChange = () => pending !== undefined && allows(() => checkDecideChange(state, pending, actor));
  const offered: Record<OfferedCommand, () => boolean> = {
    approve: () => allows(() => checkApprove(state, actor)),
    reject: () => allows(() => checkReject(state, actor, PROBE_REASON)),
    editDraft: () => allows(() => checkEditDraft(state, actor, role)),
    change: () => allows(() => checkChangeAllowed(state)),
    approveChange: decideChange,
    rejectChange: decideChange,
    reserve: () => allows(() => checkRetryReservation(state)),
    shippingNotice: () => allows(() => planShippingNotice(state, {})),
    qualityCheck: () => offers.noticesToCheck.length > 0,
    deliver: () => allows(() => planDelivery(state, undefined)),
    invoice: () => allows(() => planInvoice(state)),
    receipt: () => allows(() => checkReceipt(state, SMALLEST)),
    closeLine: () => offers.linesToClose.length > 0,
    return: () => offers.linesToReturn.length > 0,
    allowance: () => offers.linesToAllow.length > 0,
    cancel: () => allows(() => checkCancel(state)),
  };
  for (const name of OFFERED_COMMANDS) if (offered[name]()) offers.commands.add(name);
  if (pending !== undefined && offers.commands.has('approveChange')) offers.changeVersion = pending;
  return offers;
}

/** The commands alone (see orderOffers). */
export function commandsOffered(state: SalesOrderState, actor: string, role?: Role): Set<OfferedCommand> {
  return orderOffers(state, actor, role).commands;
}
