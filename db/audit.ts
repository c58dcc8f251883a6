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

/**
 * The one rule for which audit rows are an order's: order numbers are predictable, so a command sent to a number
 * before an order had it (refused, its input whatever the sender liked) must not show on the order that later got
 * it. A row belongs when it was written while the order existed, or is the command that created it; a NOT_FOUND
 * refusal was about no order at all.
 */
const belongsToOrder = (sql: Sql, orderNumber: string) => sql`
  a.order_number = ${orderNumber} AND a.outcome <> 'NOT_FOUND'
  AND (a.at >= o.created_at OR (a.outcome = 'ok' AND a.command IN ('create', 'opening')))`;

const VIEW_COLUMNS = (sql: Sql) => sql`
  to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, a.actor, a.actor_role AS "actorRole", a.channel, a.platform,
  a.command, a.order_number AS "orderNumber", a.path, a.input, a.outcome, a.message`;

/** A page of the order's rows (belongsToOrder), oldest first, and how many there are in all. */
async function orderRows(sql: Sql, orderNumber: string, which: ReturnType<Sql>, page: { limit: number; offset: number }) {
  const where = sql`${belongsToOrder(sql, orderNumber)} AND ${which}`;
  const [rows, [count]] = await Promise.all([
    sql<AuditView[]>`
      SELECT ${VIEW_COLUMNS(sql)}
      FROM audit_entries a JOIN sales_orders o ON o.number = a.order_number
      WHERE ${where} ORDER BY a.id LIMIT ${page.limit} OFFSET ${page.offset}`,
    sql<{ total: number }[]>`SELECT count(*)::int AS total FROM audit_entries a JOIN sales_orders o ON o.number = a.order_number WHERE ${where}`,
  ]);
  return { rows: [...rows], total: count!.total };
}

/** Every command on the order, a page at a time: anyone may send commands to it by the thousand. */
export function auditOfOrder(sql: Sql, orderNumber: string, page: { limit: number; offset: number }): Promise<{ rows: AuditView[]; total: number }> {
  return orderRows(sql, orderNumber, sql`true`, page);
}

/** The order's refused commands, the oldest `limit` of them, and how many there are in all. */
export function refusalsOfOrder(sql: Sql, orderNumber: string, limit: number): Promise<{ rows: AuditView[]; total: number }> {
  return orderRows(sql, orderNumber, sql`a.outcome NOT IN ('ok', 'pending')`, { limit, offset: 0 });
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
