import { getExternalWorkflowHandle, log, proxyActivities, type SignalDefinition } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { PaymentApplied } from '../../domain/order/index.js';
import { invoicedSignal, orderWorkflowId, paymentAppliedSignal } from '../sales-order/definitions.js';
import type { MonthlyInvoice, MonthlyInvoicingInput, PayerReceiptInput, RecordedReceipt } from './definitions.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** Tells an order; an order that already finished has nothing left to learn. */
async function tell<A extends unknown[]>(orderNumber: string, signal: SignalDefinition<A>, ...args: A): Promise<void> {
  try {
    await getExternalWorkflowHandle(orderWorkflowId(orderNumber)).signal(signal, ...args);
  } catch (err) {
    log.warn('order not told', { orderNumber, err: String(err) });
  }
}

/**
 * 收款单 at payer level: records the money and matches it to the payer's invoices
 * (chosen or oldest due first), then tells every order whose invoices got money.
 */
export async function payerReceipt(input: PayerReceiptInput): Promise<RecordedReceipt> {
  const receipt = await acts.recordReceipt({ ...input, scope: 'payer' });
  const byOrder = new Map<string, PaymentApplied[]>();
  for (const { orderNumber, ...p } of receipt.applied) byOrder.set(orderNumber, [...(byOrder.get(orderNumber) ?? []), p]);
  for (const [orderNumber, payments] of byOrder) {
    await tell(orderNumber, paymentAppliedSignal, payments);
  }
  return receipt;
}

/** 月结发票: one invoice for a customer's month across its orders; each order learns its part. */
export async function monthlyInvoicing(input: MonthlyInvoicingInput): Promise<MonthlyInvoice> {
  const doc = await acts.issueMonthlyInvoice(input);
  for (const o of doc.orders) {
    await tell(o.orderNumber, invoicedSignal, { invoice: o.invoice, lines: o.lines });
  }
  return doc;
}
