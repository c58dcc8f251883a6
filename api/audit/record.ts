import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { fromTemporal } from '../errors.js';

export type Channel = 'api' | 'chat';

export interface AuditEntry {
  actor: string;
  actorRole: string | null;
  channel: Channel;
  platform?: string | null;
  command: string;
  orderNumber: string | null;
  input: unknown;
  /** `ok` or the error code that refused the command. */
  outcome: string;
  message?: string | null;
}

export async function recordAudit(sql: Sql, e: AuditEntry): Promise<void> {
  await sql`
    INSERT INTO audit_entries (actor, actor_role, channel, platform, command, order_number, input, outcome, message)
    VALUES (${e.actor}, ${e.actorRole}, ${e.channel}, ${e.platform ?? null}, ${e.command}, ${e.orderNumber},
            ${sql.json((e.input ?? {}) as never)}, ${e.outcome}, ${e.message ?? null})`;
}

/** The code an error is reported with, as the API would answer it. */
export function outcomeOf(err: unknown): { outcome: string; message: string } {
  const e = fromTemporal(err);
  if (e instanceof DomainError) return { outcome: e.code, message: e.message };
  return { outcome: 'INTERNAL', message: String((e as Error)?.message ?? e) };
}

/** Runs a command and records it with its outcome, whether it succeeds or is refused. */
export async function audited<T>(sql: Sql, entry: Omit<AuditEntry, 'outcome' | 'message'>, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    await recordAudit(sql, { ...entry, outcome: 'ok' });
    return result;
  } catch (err) {
    await recordAudit(sql, { ...entry, ...outcomeOf(err) });
    throw err;
  }
}

export interface AuditView {
  at: string;
  actor: string;
  actorRole: string | null;
  channel: Channel;
  platform: string | null;
  command: string;
  input: unknown;
  outcome: string;
  message: string | null;
}

export async function auditOfOrder(sql: Sql, orderNumber: string): Promise<AuditView[]> {
  const rows = await sql<AuditView[]>`
    SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, actor_role AS "actorRole", channel, platform,
           command, input, outcome, message
    FROM audit_entries WHERE order_number = ${orderNumber} ORDER BY id`;
  return [...rows];
}
