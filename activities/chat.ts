import { dec, money } from '../domain/decimal.js';
import type { OrderCheck } from '../domain/order/index.js';
import type { Sql } from '../db/client.js';
import { APPROVE_ACTION, postJson, REJECT_ACTION } from '../runtime/chat-http.js';
import { asActivity, type ActivityDeps } from './support.js';

interface ApprovalSummary {
  orderNumber: string;
  customer: string;
  gross: string;
  currency: string;
  createdBy: string;
  lineCount: number;
  failedChecks: OrderCheck[];
}

async function approvalSummary(sql: Sql, orderNumber: string): Promise<ApprovalSummary | undefined> {
  const [o] = await sql<{ number: string; customer: string; gross: string; currency: string; created_by: string; checks: OrderCheck[]; lines: number }[]>`
    SELECT o.number, c.code || ' ' || c.name AS customer, o.gross_amount::text AS gross, o.currency, o.created_by, o.checks,
           (SELECT count(*)::int FROM sales_order_lines l WHERE l.order_id = o.id) AS lines
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${orderNumber}`;
  if (!o) return undefined;
  return {
    orderNumber: o.number,
    customer: o.customer,
    gross: money(dec(o.gross)),
    currency: o.currency,
    createdBy: o.created_by,
    lineCount: o.lines,
    failedChecks: (o.checks ?? []).filter((c) => !c.passed),
  };
}

const headline = (s: ApprovalSummary) => `${s.orderNumber} · ${s.customer} · ${s.gross} ${s.currency} · ${s.lineCount} line(s) · by ${s.createdBy}`;

/** Slack Block Kit (the de-facto incoming-webhook format): summary, failed checks, Approve / Reject buttons. */
export function approvalRequestMessage(s: ApprovalSummary) {
  const checks = s.failedChecks.length
    ? s.failedChecks.map((c) => `• ${c.code}: ${c.message}`).join('\n')
    : 'All checks passed.';
  return {
    text: `Approval needed: ${headline(s)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*Approval needed* (审核)\n${headline(s)}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Failed checks*\n${checks}` } },
      {
        type: 'actions',
        block_id: `approval:${s.orderNumber}`,
        elements: [
          { type: 'button', action_id: APPROVE_ACTION, style: 'primary', value: s.orderNumber, text: { type: 'plain_text', text: 'Approve' } },
          { type: 'button', action_id: REJECT_ACTION, style: 'danger', value: s.orderNumber, text: { type: 'plain_text', text: 'Reject' } },
        ],
      },
    ],
  };
}

export function approvalDecidedMessage(s: ApprovalSummary, status: string, decidedBy: string) {
  const text = `${s.orderNumber} is ${status}${decidedBy ? ` (by ${decidedBy})` : ''} · ${s.customer} · ${s.gross} ${s.currency}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*Decided*: ${text}` } }] };
}

export function chatActivities({ sql, chat }: ActivityDeps) {
  /**
   * Posts the approval request to the configured webhook (or, without one, only
   * records it in notifications). A retry after a successful post does not post twice.
   */
  async function postApprovalRequest({ orderNumber, key }: { orderNumber: string; key: string }): Promise<{ delivered: boolean }> {
    const [done] = await sql<{ delivered: boolean }[]>`SELECT delivered FROM approval_messages WHERE order_number = ${orderNumber}`;
    if (done?.delivered) return { delivered: true };
    const summary = await approvalSummary(sql, orderNumber);
    if (!summary) return { delivered: false };
    const message = approvalRequestMessage(summary);
    const url = chat?.webhookUrl;
    // Recorded before it is posted, so a button pressed at once finds the request to update.
    await sql.begin(async (tx) => {
      await tx`
        INSERT INTO notifications (idempotency_key, order_number, kind, message) VALUES (${key}, ${orderNumber}, 'approval_request', ${message.text})
        ON CONFLICT (idempotency_key) DO NOTHING`;
      await tx`
        INSERT INTO approval_messages (order_number, message, delivered) VALUES (${orderNumber}, ${tx.json(message as never)}, false)
        ON CONFLICT (order_number) DO NOTHING`;
    });
    if (!url) return { delivered: false };
    await postJson(url, message);
    await sql`UPDATE approval_messages SET delivered = true WHERE order_number = ${orderNumber}`;
    return { delivered: true };
  }

  /**
   * Shows the decision on the request: replaces the original message through the
   * response URL of the button that decided it, else posts a second message.
   */
  async function updateApprovalMessage(input: { orderNumber: string; key: string; status: string; decidedBy: string }): Promise<{ delivered: boolean }> {
    const [row] = await sql<{ response_url: string | null; decision: string | null }[]>`
      SELECT response_url, decision FROM approval_messages WHERE order_number = ${input.orderNumber}`;
    if (!row || row.decision) return { delivered: false };
    const summary = await approvalSummary(sql, input.orderNumber);
    if (!summary) return { delivered: false };
    const message = approvalDecidedMessage(summary, input.status, input.decidedBy);
    let delivered = false;
    if (row.response_url) {
      await postJson(row.response_url, { replace_original: true, ...message });
      delivered = true;
    } else if (chat?.webhookUrl) {
      await postJson(chat.webhookUrl, message);
      delivered = true;
    }
    await sql.begin(async (tx) => {
      await tx`
        INSERT INTO notifications (idempotency_key, order_number, kind, message) VALUES (${input.key}, ${input.orderNumber}, 'approval_decided', ${message.text})
        ON CONFLICT (idempotency_key) DO NOTHING`;
      await tx`UPDATE approval_messages SET decision = ${input.status}, decided_at = now() WHERE order_number = ${input.orderNumber}`;
    });
    return { delivered };
  }

  return { postApprovalRequest: asActivity(postApprovalRequest), updateApprovalMessage: asActivity(updateApprovalMessage) };
}
