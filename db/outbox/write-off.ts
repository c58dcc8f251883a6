import { writeOffApprovalRequestNotice } from '../../domain/notices.js';
import type { Tx } from '../client.js';
import { enqueueNotification } from './enqueue.js';
import { writeOffDeciders } from './routing.js';

/** The write-off approval request, to the finance approvers other than the requester, in the request's transaction. */
export async function requestWriteOffApproval(
  tx: Tx,
  r: { orderNumber: string; orderId: string; seq: number; amount: string; currency: string; reason: string; requestedBy: string },
): Promise<void> {
  const [customer] = await tx<{ name: string }[]>`
    SELECT c.code || ' ' || c.name AS name FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ${r.orderId}`;
  await enqueueNotification(tx, {
    key: `write-off-request/${r.orderNumber}/${r.seq}`,
    notification: writeOffApprovalRequestNotice({ ...r, customer: customer!.name }),
    recipients: await writeOffDeciders(tx, r.requestedBy),
  });
}
