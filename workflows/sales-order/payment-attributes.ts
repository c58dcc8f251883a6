import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { paymentDueAt, paymentState, type SalesOrderState } from '../../domain/order/index.js';
import { PaymentDueAtKey, PaymentStateKey } from './definitions.js';

/** The payment search attributes, so `PaymentState='Overdue'` lists what finance must chase. */
export function paymentSearchAttributes(state: SalesOrderState): SearchAttributeUpdatePair[] {
  const dueAt = paymentDueAt(state);
  return [
    { key: PaymentStateKey, value: paymentState(state) },
    { key: PaymentDueAtKey, value: dueAt ? new Date(dueAt) : null },
  ];
}
