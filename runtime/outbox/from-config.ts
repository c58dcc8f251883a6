import type { Sql } from '../../db/client.js';
import type { OutboxConfig } from '../config.js';
import { smtpMailer } from './email.js';
import { createSender, type Sender, type SenderSetup } from './sender.js';

/** The sender as configured by the environment (runtime/config.ts outboxConfig). */
export function senderFromConfig(sql: Sql, c: OutboxConfig, log?: SenderSetup['log']): Sender {
  return createSender({
    sql,
    mailer: c.SMTP_URL ? smtpMailer(c.SMTP_URL, c.MAIL_FROM, c.OUTBOX_SEND_TIMEOUT) : undefined,
    retry: { firstMs: c.OUTBOX_RETRY_AFTER, capMs: c.OUTBOX_RETRY_CAP, maxAttempts: c.OUTBOX_MAX_ATTEMPTS },
    pollMs: c.OUTBOX_POLL_INTERVAL,
    // Longer than a send may take (mail and chat time out by then), so a live sender's claim never lapses.
    leaseMs: c.OUTBOX_SEND_TIMEOUT * 2,
    ...(log ? { log } : {}),
  });
}
