import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { dec } from '../../domain/decimal.js';
import { amountOwed, depositOutstanding, paymentDueAt, paymentState, type SalesOrderState } from '../../domain/order/index.js';
import {
  AmountDueKey,
  CustomerCodeKey,
  ExpectedDeliveryDateKey,
  OrderAmountKey,
  OrderStatusKey,
  PaymentDueAtKey,
  PaymentStateKey,
  WaitingForKey,
  type WaitingFor,
} from './definitions.js';

/** The step the order waits at, as finance and the console filter on it. */
export function waitingFor(state: SalesOrderState): WaitingFor {
  if (state.pendingChange) return 'changeApproval';
  switch (state.status) {
    case 'Unapproved':
      return 'approval';
    case 'Approved':
    case 'PartiallyDelivered':
      return depositOutstanding(state).isZero() ? 'delivery' : 'deposit';
    case 'Delivered':
      return state.lines.some((l) => dec(l.invoicedQty).lessThan(dec(l.deliveredQty))) ? 'invoice' : 'payment';
    default:
      return 'nothing';
  }
}

function earliestExpectedDelivery(state: SalesOrderState): Date | null {
  const dates = state.lines.filter((l) => l.closeStatus === 'N' && l.expectedDeliveryDate).map((l) => l.expectedDeliveryDate!);
  if (dates.length === 0) return null;
  return new Date(`${dates.sort()[0]}T00:00:00Z`);
}

/**
 * The order's search attributes, from its state: what the workflow upserts as
 * the order moves, and what the API starts it with (so the first upsert is the
 * first change). `PaymentState='Overdue'` lists what finance must chase; with
 * `AmountDue` (the deposit it waits for included) and `PaymentDueAt` (when the
 * oldest open invoice turns overdue) it says what /finance/stuck-payments says,
 * by the rules of domain/order/collection.ts and domain/due.ts.
 */
export function orderSearchAttributes(state: SalesOrderState): SearchAttributeUpdatePair[] {
  const dueAt = paymentDueAt(state);
  return [
    { key: OrderStatusKey, value: state.status },
    { key: CustomerCodeKey, value: state.customerCode },
    { key: WaitingForKey, value: waitingFor(state) },
    { key: OrderAmountKey, value: Number(state.totals.gross) },
    { key: AmountDueKey, value: Number(amountOwed(state)) },
    { key: PaymentStateKey, value: paymentState(state) },
    { key: PaymentDueAtKey, value: dueAt ? new Date(dueAt) : null },
    { key: ExpectedDeliveryDateKey, value: earliestExpectedDelivery(state) },
  ];
}
