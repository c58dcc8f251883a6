import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { recordAuditIntent, recordAuditOutcome, type AuditIntent } from '../../db/audit.js';
import { fromTemporal } from '../errors.js';
import { auditInput, storableText } from './bound.js';

/**
 * 操作留痕 of commands that do not come through an API route (the chat bot's); the API's routes are audited
 * by api/audit/middleware.ts. The input is bounded here (api/audit/bound.ts).
 */
export type AuditEntry = Omit<AuditIntent, 'outcome' | 'message'>;

/** The code an error is reported with, as the API would answer it. */
export function outcomeOf(err: unknown): { outcome: string; message: string } {
  const e = fromTemporal(err);
  if (e instanceof DomainError) return { outcome: e.code, message: e.message };
  return { outcome: 'INTERNAL', message: String((e as Error)?.message ?? e) };
}

const bounded = (e: AuditEntry): AuditIntent => ({ ...e, input: auditInput(e.input), orderNumber: e.orderNumber && storableText(e.orderNumber, 100) });

/** A command refused before it ran (its role may not): one row with the refusal. */
export async function recordRefusal(sql: Sql, entry: AuditEntry, err: unknown): Promise<void> {
  const { outcome, message } = outcomeOf(err);
  await recordAuditIntent(sql, { ...bounded(entry), outcome, message: storableText(message) });
}

/**
 * Writes the intent, runs the command, then writes its outcome. No row, no command: when the intent cannot be
 * written the command does not run (the error is the caller's). A failed outcome write is logged; it never turns
 * a command that was done into a failure.
 */
export async function audited<T>(sql: Sql, entry: AuditEntry, run: () => Promise<T>): Promise<T> {
  const id = await recordAuditIntent(sql, bounded(entry));
  const settle = (outcome: string, message: string | null) =>
    recordAuditOutcome(sql, id, { outcome, message: message && storableText(message) }).catch((err) =>
      console.error(JSON.stringify({ msg: 'audit outcome not written', auditId: id, err: String(err) })),
    );
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const { outcome, message } = outcomeOf(err);
    await settle(outcome, message);
    throw err;
  }
  await settle('ok', null);
  return result;
}
