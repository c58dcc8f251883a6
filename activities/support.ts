import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors.js';
import type { Sql, Tx } from '../db/client.js';
import type { BusinessConfig } from '../runtime/config.js';

export interface ActivityDeps {
  sql: Sql;
  business: Pick<BusinessConfig, 'BUSINESS_TIME_ZONE'>;
  now?: () => Date;
  /** Where approval requests go (activities/chat.ts); read on each use, so it may be set after the worker starts. */
  chat?: { webhookUrl?: string | undefined };
}

/**
 * Business refusals become non-retryable failures whose type is the DomainError
 * code, so the workflow can branch on it and the API can show it. Anything else
 * (a lost connection, a serialization failure) is left retryable.
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
      throw err;
    }
  };
}

/**
 * Runs one step in one transaction, at most once per key: the result is stored
 * with the step's writes, so a retry (after a crash, a timeout, a lost reply)
 * returns the first result. Two racing attempts meet at the primary key; the
 * loser's transaction rolls back and its retry reads the winner's result.
 */
export async function once<R>(sql: Sql, key: string, step: (tx: Tx) => Promise<R>): Promise<R> {
  try {
    return (await sql.begin(async (tx) => {
      const [done] = await tx<{ result: R }[]>`SELECT result FROM activity_results WHERE idempotency_key = ${key}`;
      if (done) return done.result;
      const result = await step(tx);
      await tx`INSERT INTO activity_results (idempotency_key, result) VALUES (${key}, ${tx.json(result as never)})`;
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
