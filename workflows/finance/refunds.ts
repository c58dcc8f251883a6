import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { RecordedRefund, RecordRefundInput } from './definitions.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** 退款: one refund document per request key; no order is told (the credit was the payer's, not an order's). */
export async function customerRefund(input: RecordRefundInput): Promise<RecordedRefund> {
  return acts.recordRefund(input);
}
