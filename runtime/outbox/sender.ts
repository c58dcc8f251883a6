import { lookup } from 'node:dns/promises';
import type { Notification } from '../../domain/notifications.js';
import { isInternalHost } from '../../domain/webhooks.js';
import type { Sql } from '../../db/client.js';
import { robotOf, type Channel, type Language } from '../../db/outbox/enqueue.js';
import { feishuSign, signedDingTalkWebhook } from '../../messages/chat-render.js';
import { postJson, robotRefusal } from '../chat-http.js';
import { chatRenderers, type ChatChannel, type ChatRenderer } from './chat.js';
import { renderMail, type Mail } from './email.js';

export interface ClaimedDelivery {
  id: string;
  channel: Channel;
  address: string;
  recipients: string[];
  language: Language;
  attempts: number;
  notification: Notification;
}

export interface RetryPolicy {
  /** The wait before the second attempt; each later wait doubles, up to capMs. */
  firstMs: number;
  capMs: number;
  /** After this many attempts a delivery is given up as failed. */
  maxAttempts: number;
}

/** The wait after the n-th failed attempt (1-based): exponential, capped. */
export const retryDelayMs = (policy: RetryPolicy, attempt: number) => Math.min(policy.firstMs * 2 ** (attempt - 1), policy.capMs);

export interface SenderSetup {
  sql: Sql;
  /** Sends mail; absent: email deliveries wait in the outbox for a sender that has SMTP. */
  mailer?: { send(to: string, mail: Mail, deliveryId?: string): Promise<void>; close(): void } | undefined;
  /** Chat renderers per platform (the chat cards); the defaults render a Slack Block Kit message and plain text. */
  renderers?: Partial<Record<ChatChannel, ChatRenderer>>;
  retry: RetryPolicy;
  pollMs: number;
  /** How long a claimed delivery is held before another sender may take it (a sender that died mid-send). */
  leaseMs: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** Which webhook URLs may be posted to (the tests: loopback only); absent: any the routing names. */
  webhookAllowed?: (url: URL) => boolean;
  /**
   * Whether a webhook may be on the local network (WEBHOOK_INTERNAL_HOSTS_ALLOWED: a local receiver in development).
   * Otherwise a webhook whose host is, or resolves to, an internal address is not posted to: the routing refuses such
   * an address when it is typed, and this catches a public name that resolves inside (a DNS name pointed at 127.0.0.1
   * or 169.254.169.254) and a route saved before.
   */
  internalHostsAllowed?: boolean;
  /**
   * The signing secrets of group robots by webhook URL (DingTalk 加签, Feishu 签名校验), from the environment, never
   * stored with the routing: a robot that demands a signature refuses an unsigned post.
   */
  webhookSecrets?: ReadonlyMap<string, string>;
  /** The console's public address, for the buttons of a Feishu card. */
  consoleUrl?: string | undefined;
  /** How long one post may take; a slower receiver counts as failed (default 30 s, as a mail). */
  sendTimeoutMs?: number;
  now?: () => Date;
}

export interface Sender {
  /** Claims the due deliveries once, sends them, records each outcome; resolves with how many it claimed. */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The outbox sender: claims due deliveries with FOR UPDATE SKIP LOCKED (so any number of senders
 * share the work and each delivery is in one sender's hands), renders each for its channel, sends
 * it outside any transaction, and marks it sent; a failure records the error and schedules the next
 * attempt with exponential backoff, and gives up as failed after the last one.
 */
export function createSender(setup: SenderSetup): Sender {
  const { sql, retry } = setup;
  const renderers = { ...chatRenderers({ consoleUrl: setup.consoleUrl }), ...setup.renderers };
  const channels: Channel[] = [...(setup.mailer ? ['email' as const] : []), 'slack', 'dingtalk', 'feishu'];

  /**
   * The due deliveries. A chat group reads its posts in order: a post waits while an older one to the same group
   * is still undelivered (the request is seen before its decision, whatever the retries did). Mail has no such
   * order, so one person's failing mailbox holds up nobody else's mail.
   */
  async function claim(): Promise<ClaimedDelivery[]> {
    return sql<ClaimedDelivery[]>`
      UPDATE notification_deliveries d
      SET attempts = d.attempts + 1, next_attempt_at = now() + ${setup.leaseMs} * interval '1 millisecond', last_attempt_at = now()
      FROM (SELECT x.id FROM notification_deliveries x
            WHERE x.status = 'pending' AND x.next_attempt_at <= now() AND x.channel IN ${sql(channels)}
              AND (x.channel = 'email' OR NOT EXISTS (
                SELECT 1 FROM notification_deliveries older
                WHERE older.status = 'pending' AND older.address = x.address AND older.channel = x.channel AND older.id < x.id))
            ORDER BY x.next_attempt_at, x.id LIMIT 20 FOR UPDATE OF x SKIP LOCKED) due, notifications n
      WHERE d.id = due.id AND n.id = d.notification_id
      RETURNING d.id, d.channel, d.address, d.recipients, d.language, d.attempts, n.body AS notification`;
  }

  async function deliver(d: ClaimedDelivery): Promise<void> {
    if (d.channel === 'email') return setup.mailer!.send(d.address, renderMail(d.notification, d.language, setup.consoleUrl), d.id);
    if (setup.webhookAllowed && !setup.webhookAllowed(new URL(d.address))) throw new Error(`webhook host ${new URL(d.address).host} is not allowed here`);
    if (!setup.internalHostsAllowed) await refuseInternal(new URL(d.address));
    const mentions = await sql<{ chat_user_id: string }[]>`
      SELECT chat_user_id FROM chat_users WHERE platform = ${d.channel} AND user_name IN ${sql(d.recipients)} ORDER BY chat_user_id`;
    const body = renderers[d.channel](d.notification, d.language, mentions.map((m) => m.chat_user_id));
    const [url, signed] = signedPost(d.channel, d.address, body);
    const answer = await postJson(url, signed, setup.sendTimeoutMs ?? 30_000);
    const refused = d.channel === 'slack' ? undefined : robotRefusal(answer);
    if (refused) throw new Error(refused);
  }

  async function refuseInternal(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isInternalHost(url.hostname)) throw new Error(`webhook host ${url.hostname} is an internal host; not posted`);
    const addresses = await lookup(host, { all: true });
    const inside = addresses.find((a) => isInternalHost(a.address));
    if (inside) throw new Error(`webhook host ${url.hostname} resolves to the internal address ${inside.address}; not posted`);
  }

  // A robot's secret by the robot it names, however the routing spells its URL (the same robot its posts merge by).
  const secrets = new Map([...(setup.webhookSecrets ?? new Map<string, string>())].map(([url, secret]) => [robotOf(url), secret]));

  /** The URL and body as the platform wants them: DingTalk signs the URL, Feishu the body. */
  function signedPost(channel: ChatChannel, address: string, body: unknown): [string, unknown] {
    const secret = secrets.get(robotOf(address));
    if (!secret) return [address, body];
    const at = (setup.now ?? (() => new Date()))();
    if (channel === 'dingtalk') return [signedDingTalkWebhook(address, secret, at), body];
    if (channel === 'feishu') {
      const timestamp = String(Math.floor(at.getTime() / 1000));
      return [address, { timestamp, sign: feishuSign(timestamp, secret), ...(body as object) }];
    }
    return [address, body];
  }

  async function settle(d: ClaimedDelivery, err: unknown): Promise<void> {
    if (err === undefined) {
      await sql`UPDATE notification_deliveries SET status = 'sent', sent_at = now() WHERE id = ${d.id} AND status = 'pending'`;
      return;
    }
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    const giveUp = d.attempts >= retry.maxAttempts;
    await sql`
      UPDATE notification_deliveries SET last_error = ${message},
             status = ${giveUp ? 'failed' : 'pending'},
             next_attempt_at = now() + ${giveUp ? 0 : retryDelayMs(retry, d.attempts)} * interval '1 millisecond'
      WHERE id = ${d.id} AND status = 'pending'`;
    setup.log?.(giveUp ? 'delivery failed for good' : 'delivery failed; trying again later', {
      delivery: d.id, channel: d.channel, kind: d.notification.kind, orderNumber: d.notification.orderNumber, attempt: d.attempts, error: message,
    });
  }

  async function drain(): Promise<number> {
    const claimed = await claim();
    await Promise.all(claimed.map(async (d) => {
      let failure: unknown;
      try {
        await deliver(d);
      } catch (err) {
        failure = err ?? new Error('failed');
      }
      await settle(d, failure);
    }));
    return claimed.length;
  }

  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        // A full batch means more may be due: take the next at once.
        if ((await drain()) === 20) continue;
      } catch (err) {
        setup.log?.('outbox sender could not claim deliveries', { error: String(err) });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, setup.pollMs);
        wake = () => (clearTimeout(timer), resolve());
      });
    }
  }
  return {
    drain,
    start() {
      stopping = false;
      running ??= loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
      setup.mailer?.close();
    },
  };
}
