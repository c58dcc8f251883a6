import type { Approver, ApproverRole } from '../../domain/order/index.js';
import type { Recipient } from '../../domain/notifications.js';
import type { Sql, Tx } from '../client.js';
import type { Channel } from './enqueue.js';

/** Which customer contacts (by their role) get each kind of customer message; empty: every contact with an email. */
export type ContactRoles = Record<'dunning' | 'shipment_notice', string[]>;

export interface NotificationRouting {
  routes: { role: string; channel: Channel; webhookUrl: string | null }[];
  escalationUser: string | null;
  contactRoles: ContactRoles;
}

const NO_CONTACT_ROLES: ContactRoles = { dunning: [], shipment_notice: [] };

export async function readRouting(sql: Sql | Tx): Promise<NotificationRouting> {
  const [routes, settings] = await Promise.all([
    sql<{ role: string; channel: Channel; webhook_url: string | null }[]>`SELECT role, channel, webhook_url FROM notification_routes ORDER BY role, channel`,
    sql<{ key: string; value: unknown }[]>`SELECT key, value FROM company_settings WHERE key LIKE 'notify.%'`,
  ]);
  const v = new Map(settings.map((s) => [s.key, s.value]));
  return {
    routes: routes.map((r) => ({ role: r.role, channel: r.channel, webhookUrl: r.webhook_url })),
    escalationUser: (v.get('notify.escalation_user') as string | null | undefined) ?? null,
    contactRoles: { ...NO_CONTACT_ROLES, ...((v.get('notify.contact_roles') as Partial<ContactRoles> | undefined) ?? {}) },
  };
}

/** Replaces the routing whole, in the caller's transaction (the admin route audits it). */
export async function saveRouting(tx: Tx, r: NotificationRouting): Promise<void> {
  // One replacement at a time: two PUTs at once would each delete the rows they saw and insert theirs, and the
  // second's inserts would then meet the first's rows (a duplicate-key 409 for a request that did nothing wrong).
  // Readers (the outbox choosing recipients) are not held: SHARE ROW EXCLUSIVE conflicts only with writers.
  await tx`LOCK TABLE notification_routes IN SHARE ROW EXCLUSIVE MODE`;
  await tx`DELETE FROM notification_routes`;
  for (const route of r.routes) {
    await tx`INSERT INTO notification_routes (role, channel, webhook_url) VALUES (${route.role}, ${route.channel}, ${route.webhookUrl})`;
  }
  for (const [key, value] of [['notify.escalation_user', r.escalationUser], ['notify.contact_roles', r.contactRoles]] as const) {
    // JSON null (nobody named), not SQL NULL: the setting is there and says so.
    await tx`INSERT INTO company_settings (key, value) VALUES (${key}, ${value === null ? tx`'null'::jsonb` : tx.json(value as never)})
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
  }
}

/** Every active order approver's authority (what whoCanApprove chooses from). */
export async function activeApprovers(sql: Sql | Tx): Promise<Approver[]> {
  const rows = await sql<{ user_name: string; role: ApproverRole; max_amount: string | null }[]>`
    SELECT a.user_name, a.role, a.max_amount::text FROM approvers a JOIN users u ON u.name = a.user_name AND u.active
    WHERE a.active ORDER BY a.user_name`;
  return rows.map((r) => ({ userName: r.user_name, role: r.role, ...(r.max_amount === null ? {} : { maxAmount: r.max_amount }) }));
}

/** The users of a role (finance for overdue notices). */
export async function usersWithRole(sql: Sql | Tx, role: string): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`SELECT name FROM users WHERE role = ${role} AND active ORDER BY name`;
  return rows.map((r) => r.name);
}

/** Finance approvers who may decide a write-off (not the one who asked for it). */
export async function writeOffDeciders(sql: Sql | Tx, requester: string): Promise<Recipient[]> {
  const rows = await sql<{ user_name: string }[]>`SELECT user_name FROM finance_approvers WHERE user_name <> ${requester} ORDER BY user_name`;
  return rows.map((r) => ({ user: r.user_name }));
}

/** The customer's contacts with an email whose role the routing names for this kind (any, when it names none). */
export async function customerContacts(sql: Sql | Tx, customerId: string, kind: keyof ContactRoles): Promise<Recipient[]> {
  const [routing, [customer]] = await Promise.all([
    readRouting(sql),
    sql<{ contacts: { name: string; email?: string | null; role?: string | null }[] }[]>`SELECT contacts FROM customers WHERE id = ${customerId}`,
  ]);
  const roles = routing.contactRoles[kind].map((r) => r.toLowerCase());
  return (customer?.contacts ?? [])
    .filter((c) => c.email && (roles.length === 0 || roles.includes((c.role ?? '').toLowerCase())))
    .map((c) => ({ email: c.email!, name: c.name }));
}
