import { log, proxyActivities, condition } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { OrderContext } from './context.js';

/** Chat is a courtesy: a few attempts, then the order goes on without it. */
const chat = proxyActivities<Pick<Activities, 'postApprovalRequest' | 'updateApprovalMessage'>>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', maximumAttempts: 5 },
});

async function courtesy(step: string, post: () => Promise<unknown>): Promise<void> {
  try {
    await post();
  } catch (err) {
    log.warn('chat message not delivered', { step, error: String(err) });
  }
}

/** Posts the approval request while the order waits for approval, and updates it once someone decides. */
export async function announceApproval(ctx: OrderContext): Promise<void> {
  const { state, wf } = ctx;
  if (state.status !== 'Unapproved') return;
  await courtesy('request', () => chat.postApprovalRequest({ orderNumber: state.orderNumber, key: `${wf}/approval-request` }));
  await condition(() => state.status !== 'Unapproved');
  await courtesy('decision', () =>
    chat.updateApprovalMessage({
      orderNumber: state.orderNumber,
      key: `${wf}/approval-decided`,
      status: state.status,
      decidedBy: state.approvedBy ?? state.rejectedBy ?? state.cancelledBy ?? '',
    }),
  );
}
