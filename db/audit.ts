import type { Sql } from './client.js';

/** Who sent a command and through which channel; the input and outcome follow once known. */
export interface AuditIntent {
  actor: string;
  actorRole: string | null;
  channel: 'api' | 'chat' | 'cli' | 'console';
  platform?: string | null;
  command: string;
  orderNumber: string | null;
  /** The concrete path, which names the document of a command that is not an order's. */
  path?: string | null;
  /** Already bounded for storage (api/audit/bound.ts). */
  input: unknown;
  /** A refusal known before anything ran is written with its outcome at once. */
  outcome?: string;
  message?: string | null;
}

export interface AuditOutcome {
  /** `ok` or the error code that refused the command. */
  outcome: string;
  message: string | null;
  input?: unknown;
  orderNumber?: string | null;
}

/** The intent, before the command runs: outcome `pending` until `recordAuditOutcome`. Returns the row's id. */
export async function recordAuditIntent(sql: Sql, e: AuditIntent): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO audit_entries (actor, actor_role, channel, platform, command, order_number, path, input, outcome, message)
    VALUES (${e.actor}, ${e.actorRole}, ${e.channel}, ${e.platform ?? null}, ${e.command}, ${e.orderNumber}, ${e.path ?? null},
            ${sql.json((e.input ?? {}) as never)}, ${e.outcome ?? 'pending'}, ${e.message ?? null})
    RETURNING id`;
  return row!.id;
}

export async function recordAuditOutcome(sql: Sql, id: string, o: AuditOutcome): Promise<void> {
  await sql`
    UPDATE audit_entries SET outcome = ${o.outcome}, message = ${o.message},
      input = coalesce(${o.input === undefined ? null : sql.json(o.input as never)}::jsonb, input),
      order_number = coalesce(order_number, ${o.orderNumber ?? null})
    WHERE id = ${id}`;
}

export interface AuditView {
  at: string;
  actor: string;
  actorRole: string | null;
  channel: 'api' | 'chat' | 'cli' | 'console';
  platform: string | null;
  command: string;
  orderNumber: string | null;
  path: string | null;
  input: unknown;
  outcome: string;
  message: string | null;
}

export async function auditOfOrder(sql: Sql, orderNumber: string): Promise<AuditView[]> {
  return [...(await sql<AuditView[]>`
    SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, actor_role AS "actorRole", channel, platform,
           command, order_number AS "orderNumber", path, input, outcome, message
    FROM audit_entries WHERE order_number = ${orderNumber} ORDER BY id`)];
}

/** Any command's rows, newest first, filtered by command and actor. */
export async function listAudit(sql: Sql, q: { command?: string | undefined; actor?: string | undefined; limit: number; offset: number }): Promise<AuditView[]> {
  return [...(await sql<AuditView[]>`
    SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, actor_role AS "actorRole", channel, platform,
           command, order_number AS "orderNumber", path, input, outcome, message
    FROM audit_entries
    WHERE (${q.command ?? null}::text IS NULL OR command = ${q.command ?? null})
      AND (${q.actor ?? null}::text IS NULL OR actor = ${q.actor ?? null})
    ORDER BY id DESC LIMIT ${q.limit} OFFSET ${q.offset}`)];
}
