import type { Notification, Recipient } from '../../domain/notifications.js';
import type { Tx } from '../client.js';

export const CHANNELS = ['email', 'slack', 'dingtalk', 'feishu'] as const;
export type Channel = (typeof CHANNELS)[number];
export type Language = 'zh' | 'en';

/** A chat group that gets a message whoever is in it (the configured approval-request webhook). */
export interface GroupDestination {
  channel: Exclude<Channel, 'email'>;
  address: string;
}

interface Destination {
  channel: Channel;
  address: string;
  recipient: string;
  language: Language;
}

/** Where each user is reached: their role's channels, their own address for email, the role's webhook for chat. */
async function userDestinations(tx: Tx, users: string[]): Promise<Destination[]> {
  if (users.length === 0) return [];
  const rows = await tx<{ name: string; email: string | null; language: Language; channel: Channel; webhook_url: string | null }[]>`
    SELECT u.name, u.email, u.language, r.channel, r.webhook_url
    FROM users u JOIN notification_routes r ON r.role = u.role
    WHERE u.name IN ${tx(users)} AND u.active
    ORDER BY u.name, r.channel`;
  return rows.flatMap((r) => {
    const address = r.channel === 'email' ? r.email : r.webhook_url;
    return address ? [{ channel: r.channel, address, recipient: r.name, language: r.language }] : [];
  });
}

/**
 * The group robot a webhook URL names, however it is spelled (host in any case, a trailing slash, its query in
 * another order): two roles routed to one robot are one group of readers. The path and the query's values keep
 * their case, since a robot's token is case-sensitive.
 */
export function robotOf(address: string): string {
  try {
    const u = new URL(address);
    const query = [...u.searchParams].sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}?${new URLSearchParams(query).toString()}`;
  } catch {
    return address;
  }
}

/**
 * Writes a notification and its deliveries in the caller's transaction: one delivery per channel and
 * address as the recipient sees it (two approvers in one chat group get one post; each mailbox one mail).
 * Keyed by the step: a retry of the step finds the row and writes nothing twice.
 */
export async function enqueueNotification(
  tx: Tx,
  input: { key: string; notification: Notification; recipients: Recipient[]; groups?: GroupDestination[]; message?: string },
): Promise<{ deliveries: number }> {
  const n = input.notification;
  const users = [...new Set(input.recipients.flatMap((r) => ('user' in r ? [r.user] : [])))];
  const destinations: Destination[] = [
    ...(await userDestinations(tx, users)),
    ...input.recipients.flatMap((r) => ('email' in r ? [{ channel: 'email' as const, address: r.email, recipient: r.name ?? r.email, language: 'zh' as const }] : [])),
    ...(input.groups ?? []).map((g) => ({ ...g, recipient: g.channel, language: 'zh' as const })),
  ];
  const merged = new Map<string, Destination & { recipients: string[] }>();
  for (const d of destinations) {
    const k = `${d.channel} ${d.channel === 'email' ? d.address.toLowerCase() : robotOf(d.address)}`;
    const seen = merged.get(k);
    if (seen) {
      seen.recipients.push(d.recipient);
      // A group shared by readers of both languages reads the default one (zh).
      if (d.language === 'zh') seen.language = 'zh';
    } else merged.set(k, { ...d, recipients: [d.recipient] });
  }
  // Written even when it reaches nobody (no customer contact, no route for the role, no address): the order's
  // timeline then says so, instead of a message that silently never was.
  const unsent = merged.size === 0 ? ` (not sent: nobody to send it to${users.length ? `; ${users.join(', ')} have no channel` : ''})` : '';
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO notifications (idempotency_key, order_number, document_number, kind, message, body)
    VALUES (${input.key}, ${n.orderNumber ?? ''}, ${n.documentNumber}, ${n.kind}, ${(input.message ?? n.title.en) + unsent}, ${tx.json(n as never)})
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;
  if (!row) return { deliveries: 0 };
  for (const d of merged.values()) {
    await tx`
      INSERT INTO notification_deliveries (notification_id, channel, address, recipients, language)
      VALUES (${row.id}, ${d.channel}, ${d.address}, ${[...new Set(d.recipients)]}, ${d.language})
      ON CONFLICT (notification_id, channel, address) DO NOTHING`;
  }
  return { deliveries: merged.size };
}
