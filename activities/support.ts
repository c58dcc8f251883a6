import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import postgres from 'postgres';
import { DomainError } from '../domain/errors.js';
import type { Sql, Tx } from '../db/client.js';
import type { BusinessConfig } from '../runtime/config.js';

export interface ActivityDeps {
  sql: Sql;
  business: Pick<BusinessConfig, 'BUSINESS_TIME_ZONE'>;
  now?: () => Date;
  /** A chat group that also gets approval requests (activities/chat.ts); read on each use, so it may be set after the worker starts. */
  chat?: { webhookUrl?: string | undefined };
}

/**
 * Business refusals become non-retryable failures whose type is the DomainError
 * code, so the workflow can branch on it and the API can show it. So do the data
 * the database refuses (see storeRefusal): a retry sends the same data and cannot
 * succeed, and the order would take no other command meanwhile. Anything else
 * (a lost connection, a serialization failure, a deadlock) is left retryable.
 */
export function asActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof DomainError) {
        throw ApplicationFailure.create({
          message: err.message,
          type: err.code,
          nonRetryable: true,
          details: [{ field: err.field ?? null, ...(err.details ?? {}) }],
        });
      }
      throw storeRefusal(err) ?? err;
    }
  };
}

/**
 * A data exception (SQLSTATE class 22: a NUL byte, a value past its column's precision, text that is not
 * a number) or a CHECK or NOT NULL violation is VALIDATION_FAILED (400); another integrity violation (a
 * foreign key, a unique constraint) is CONFLICT (409). Not a unique violation on an idempotency key or on
 * activity_results: that is a racing attempt of the same step, whose retry returns the first result.
 */
export function storeRefusal(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof postgres.PostgresError)) return undefined;
  const { code, constraint_name: constraint, column_name: column, table_name: table } = err;
  if (!code.startsWith('22') && !code.startsWith('23')) return undefined;
  if (code === '23505' && /(^activity_results_pkey|_idempotency_key_key)$/.test(constraint ?? '')) return undefined;
  const invalid = code.startsWith('22') || code === '23514' || code === '23502';
  const where = [table && `table ${table}`, column && `column ${column}`, constraint && `constraint ${constraint}`].filter(Boolean).join(', ');
  return ApplicationFailure.create({
    message: `${stepName()}: the database refused the data: ${err.message}${where ? ` (${where})` : ''}`,
    type: invalid ? 'VALIDATION_FAILED' : 'CONFLICT',
    nonRetryable: true,
    details: [{ field: column ?? null, step: stepName(), sqlState: code, ...(constraint ? { constraint } : {}) }],
  });
}

function stepName(): string {
  try {
    return Context.current().info.activityType;
  } catch {
    return 'a step'; // called outside an activity (a test calling the function itself)
  }
}

/**
 * Runs one step in one transaction, at most once per key: the result is stored
 * with the step's writes, so a retry (after a crash, a timeout, a lost reply)
 * returns the first result. Two racing attempts meet at the primary key; the
 * loser's transaction rolls back and its retry reads the winner's result.
 */
export async function once<R>(sql: Sql, key: string, step: (tx: Tx) => Promise<R | Ending<R>>): Promise<R> {
  try {
    return (await sql.begin(async (tx) => {
      const [done] = await tx<{ result: R }[]>`SELECT result FROM activity_results WHERE idempotency_key = ${key}`;
      if (done) return done.result;
      const out = await step(tx);
      const result = out instanceof Ending ? out.result : out;
      // Sent together and run in this order: the step's last statements (row locks on shared rows) follow the result's
      // row, so they are the transaction's final statements and their locks last one statement and the commit.
      // execute() queues the result's row now, before last() queues its own statements (postgres.js sends a query
      // when it is first awaited, so without it the locking statements, awaited inside last(), would go first).
      await Promise.all([
        tx`INSERT INTO activity_results (idempotency_key, result) VALUES (${key}, ${tx.json(result as never)})`.execute(),
        out instanceof Ending ? out.last() : null,
      ]);
      return result;
    })) as R;
  } catch (err) {
    if (!isDuplicateResult(err)) throw err;
    // Another attempt of the same step committed first: its result is the result.
    const [done] = await sql<{ result: R }[]>`SELECT result FROM activity_results WHERE idempotency_key = ${key}`;
    if (!done) throw err;
    return done.result;
  }
}

/**
 * A step's result and the statements it leaves for the very end of its transaction: those that lock a row many
 * transactions want (a hot product's stock level), so the lock is held for that statement and the commit only.
 */
export class Ending<R> {
  constructor(
    readonly result: R,
    readonly last: () => Promise<unknown>,
  ) {}
}

function isDuplicateResult(err: unknown): boolean {
  const pg = err as { code?: string; constraint_name?: string };
  return pg?.code === '23505' && pg.constraint_name === 'activity_results_pkey';
}

export interface OrderRow {
  id: string;
  number: string;
  customer_id: string;
  status: string;
  currency: string;
}

/** Locks the order row: every write to one order's documents queues behind it. */
export async function lockOrder(tx: Tx, orderNumber: string): Promise<OrderRow> {
  const [order] = await tx<OrderRow[]>`
    SELECT id, number, customer_id, status, currency FROM sales_orders WHERE number = ${orderNumber} FOR UPDATE`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'orderNumber');
  return order;
}

export async function ids(tx: Tx, kind: 'products' | 'warehouses', codes: string[]): Promise<Map<string, string>> {
  const rows = await tx<{ id: string; code: string }[]>`SELECT id, code FROM ${tx(kind)} WHERE code IN ${tx(codes)}`;
  return new Map(rows.map((r) => [r.code, r.id]));
}
