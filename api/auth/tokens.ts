import { createHash, randomBytes } from 'node:crypto';
import { isRole, type Role } from '../../domain/authorization.js';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';

export interface AuthenticatedUser {
  name: string;
  role: Role;
}

export const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates (or re-roles) the user. */
export async function upsertUser(sql: Sql, name: string, role: string): Promise<AuthenticatedUser> {
  if (!USER_NAME.test(name)) throw new DomainError('VALIDATION_FAILED', `user name ${name} is not valid`, 'user');
  if (!isRole(role)) throw new DomainError('VALIDATION_FAILED', `role ${role} is not one of the roles`, 'role');
  await sql`INSERT INTO users (name, role) VALUES (${name}, ${role}) ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, active = true`;
  return { name, role };
}

/**
 * Stores a token for the user and returns it; only its hash is kept, so this is
 * the one time the token can be read. `token` fixes the value (known dev tokens).
 */
export async function createApiToken(sql: Sql, user: string, role: string, options: { label?: string; token?: string } = {}): Promise<string> {
  await upsertUser(sql, user, role);
  const token = options.token ?? `sbo_${randomBytes(32).toString('base64url')}`;
  await sql`
    INSERT INTO api_tokens (token_hash, user_name, label) VALUES (${tokenHash(token)}, ${user}, ${options.label ?? null})
    ON CONFLICT (token_hash) DO NOTHING`;
  return token;
}

export async function userByToken(sql: Sql, token: string): Promise<AuthenticatedUser | undefined> {
  return userByTokenHash(sql, tokenHash(token));
}

/** The active user a live token (by its hash) stands for; the one read the token cache saves. */
export async function userByTokenHash(sql: Sql, hash: string): Promise<AuthenticatedUser | undefined> {
  const [row] = await sql<{ name: string; role: string }[]>`
    SELECT u.name, u.role FROM api_tokens t JOIN users u ON u.name = t.user_name
    WHERE t.token_hash = ${hash} AND t.revoked_at IS NULL AND u.active`;
  return row && isRole(row.role) ? { name: row.name, role: row.role } : undefined;
}
