/**
 * A message to a person, as the outbox stores it and every channel renders it.
 *
 * The step that causes a notification writes it in its own transaction; a sender later
 * renders it for each channel its recipients use (mail, Slack, DingTalk, Feishu) and
 * delivers it with retries. So everything a renderer needs is in the row: channels never
 * read the order again, and a retry sends exactly what the step decided.
 */
export const NOTIFICATION_KINDS = [
  'approval_request',
  'approval_reminder',
  'approval_escalation',
  'approval_decided',
  'change_approval_request',
  'change_approval_reminder',
  'change_approval_escalation',
  'write_off_approval_request',
  'overdue_notice',
  'dunning',
  'shipment_notice',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A decision a recipient can take from the message itself (a chat button, a link in a mail). */
export type NotificationAction =
  | { kind: 'approve_order' | 'reject_order'; orderNumber: string }
  | { kind: 'approve_change' | 'reject_change'; orderNumber: string; changeNumber: string }
  | { kind: 'approve_write_off' | 'reject_write_off'; requestNumber: string };

/** Text in both console languages: a recipient reads the one their channel is set to. */
export interface Words {
  zh: string;
  en: string;
}

export interface Notification {
  kind: NotificationKind;
  orderNumber: string | null;
  /** The document the message is about: a change, write-off request, invoice or delivery note. */
  documentNumber: string | null;
  /** One line: what happened and what is asked. */
  title: Words;
  /** Facts, one per line: customer, amount with currency, failed checks, who else must still decide. */
  facts: Words[];
  actions: NotificationAction[];
}

/** Who a notification is for: a user (reached through their channels) or a customer contact's address. */
export type Recipient = { user: string } | { email: string; name?: string | undefined };
