import type { Sql } from '../../db/client.js';
import type { ChatConfig, OutboxConfig } from '../config.js';
import { smtpMailer } from './email.js';
import { createSender, type Sender, type SenderSetup } from './sender.js';

/** The sender as configured by the environment (runtime/config.ts outboxConfig). */
export function senderFromConfig(sql: Sql, c: OutboxConfig, chat: ChatConfig, log?: SenderSetup['log']): Sender {
  // A group robot's secret is configured beside its URL; the routing names the URL, the sender signs what it posts there.
  const webhookSecrets = new Map<string, string>();
  if (chat.DINGTALK_WEBHOOK_URL && chat.DINGTALK_WEBHOOK_SECRET) webhookSecrets.set(chat.DINGTALK_WEBHOOK_URL, chat.DINGTALK_WEBHOOK_SECRET);
  if (chat.FEISHU_WEBHOOK_URL && chat.FEISHU_SECRET) webhookSecrets.set(chat.FEISHU_WEBHOOK_URL, chat.FEISHU_SECRET);
  return createSender({
    sql,
    webhookSecrets,
    consoleUrl: chat.CONSOLE_PUBLIC_URL,
    sendTimeoutMs: c.OUTBOX_SEND_TIMEOUT,
    mailer: c.SMTP_URL ? smtpMailer(c.SMTP_URL, c.MAIL_FROM, c.OUTBOX_SEND_TIMEOUT) : undefined,
    retry: { firstMs: c.OUTBOX_RETRY_AFTER, capMs: c.OUTBOX_RETRY_CAP, maxAttempts: c.OUTBOX_MAX_ATTEMPTS },
    pollMs: c.OUTBOX_POLL_INTERVAL,
    internalHostsAllowed: c.WEBHOOK_INTERNAL_HOSTS_ALLOWED,
    // Longer than a send may take (mail and chat time out by then), so a live sender's claim never lapses.
    leaseMs: c.OUTBOX_SEND_TIMEOUT * 2,
    ...(log ? { log } : {}),
  });
}
