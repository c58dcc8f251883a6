import type { Role } from '../../domain/authorization.js';
import { tokenCachesSettled } from './token-cache.js';
import { createApiToken } from './tokens.js';
import type { Sql } from '../../db/client.js';

/** The demo (and test) users and their roles. */
export const DEMO_USERS: { name: string; role: Role }[] = [
  { name: 'clerk.li', role: 'clerk' },
  { name: 'clerk.zhang', role: 'clerk' },
  { name: 'manager.wang', role: 'approver' },
  { name: 'director.liu', role: 'approver' },
  { name: 'gm.huang', role: 'approver' },
  { name: 'credit.sun', role: 'credit_controller' },
  { name: 'warehouse.zhao', role: 'warehouse' },
  { name: 'finance.chen', role: 'finance' },
  { name: 'finance.zhou', role: 'finance' },
  { name: 'admin.root', role: 'admin' },
];

/** A known token per demo user, for the dev stack and tests only; real tokens come from `npm run token:create`. */
export const devToken = (user: string) => `dev-${user}`;

export async function seedDemoUsers(sql: Sql): Promise<void> {
  for (const u of DEMO_USERS) await createApiToken(sql, u.name, u.role, { label: 'dev', token: devToken(u.name) });
  // Where the outbox reaches them (the local mail catcher in dev); director.liu reads English.
  const names = DEMO_USERS.map((u) => u.name);
  await sql`UPDATE users SET email = name || '@example.com' WHERE name IN ${sql(names)} AND email IS NULL`;
  await sql`UPDATE users SET language = 'en' WHERE name = 'director.liu'`;
  // A seed that put a role back counts on the next request of an API in this process (the dev stack, tests).
  await tokenCachesSettled();
}
