import { approvalDecidedNotice, approvalRequestNotice, withNeeded } from '../domain/notices.js';
import { enqueueNotification, type GroupDestination } from '../db/outbox/enqueue.js';
import { asActivity, once, type ActivityDeps } from './support.js';
import { orderFactsOf } from './notify.js';

/**
 * The approval request and its decision, written to the outbox (the sender delivers them): to the
 * approvers the order still needs, by name, and to the configured chat group (CHAT_WEBHOOK_URL).
 */
export function chatActivities({ sql, chat }: ActivityDeps) {
  const group = (): GroupDestination[] => (chat?.webhookUrl ? [{ channel: 'slack', address: chat.webhookUrl }] : []);

  async function postApprovalRequest({ orderNumber, key }: { orderNumber: string; key: string }): Promise<{ deliveries: number }> {
    return once(sql, key, async (tx) => {
      const facts = await orderFactsOf(tx, orderNumber);
      if (!facts) return { deliveries: 0 };
      const notification = approvalRequestNotice(facts);
      // Kept so a Slack button pressed on the request can record where to show the decision.
      await tx`
        INSERT INTO approval_messages (order_number, message) VALUES (${orderNumber}, ${tx.json(notification as never)})
        ON CONFLICT (order_number) DO NOTHING`;
      return enqueueNotification(tx, { key, notification, recipients: facts.asked.map((user) => ({ user })), groups: group(), message: withNeeded(notification) });
    });
  }

  /**
   * Shows the decision: the order's creator is told, and the chat group's request is replaced through
   * the response URL of the button that decided it (else a second post in the group).
   */
  async function updateApprovalMessage(input: { orderNumber: string; key: string; status: string; decidedBy: string }): Promise<{ deliveries: number }> {
    return once(sql, input.key, async (tx) => {
      const [row] = await tx<{ response_url: string | null; decision: string | null; reject_reason: string | null }[]>`
        SELECT m.response_url, m.decision, o.reject_reason FROM approval_messages m JOIN sales_orders o ON o.number = m.order_number
        WHERE m.order_number = ${input.orderNumber} FOR UPDATE OF m`;
      const facts = await orderFactsOf(tx, input.orderNumber);
      if (!row || row.decision || !facts) return { deliveries: 0 };
      await tx`UPDATE approval_messages SET decision = ${input.status}, decided_at = now() WHERE order_number = ${input.orderNumber}`;
      const groups: GroupDestination[] = row.response_url ? [{ channel: 'slack', address: row.response_url }] : group();
      return enqueueNotification(tx, {
        key: input.key,
        notification: approvalDecidedNotice(facts, input.status, input.decidedBy, input.status === 'Rejected' ? row.reject_reason : null),
        recipients: [{ user: facts.createdBy }],
        groups,
      });
    });
  }

  return { postApprovalRequest: asActivity(postApprovalRequest), updateApprovalMessage: asActivity(updateApprovalMessage) };
}
