import { refusalsOfOrder } from '../../db/audit.js';
import type { Sql } from '../../db/client.js';
import type { TimelineEvent } from './event.js';

/** At most this many refusals are read from the audit for one timeline; the rest are counted. */
export const REFUSALS_READ = 500;

/**
 * The commands on the order that were refused, from the audit trail (操作留痕): who tried what and the code they
 * got back. Most refusals never reach the workflow's history (a role check, a validator, an over-delivery caught
 * before the update runs), so the audit is the one place they are all recorded. Which rows are the order's is
 * db/audit.ts's rule; `unread` counts the newer ones past REFUSALS_READ.
 */
export async function refusedCommands(sql: Sql, number: string): Promise<{ events: TimelineEvent[]; unread: number }> {
  const { rows, total } = await refusalsOfOrder(sql, number, REFUSALS_READ);
  const events = rows.map((r) => ({
    at: r.at,
    source: 'business' as const,
    kind: 'command.refused',
    summary: `${r.actor}${r.actorRole ? ` (${r.actorRole})` : ''} tried ${r.command}: refused with ${r.outcome}${r.message ? `: ${r.message}` : ''}`,
    actor: r.actor,
    details: { command: r.command, code: r.outcome, role: r.actorRole, channel: r.channel, path: r.path, message: r.message, input: r.input },
  }));
  return { events, unread: total - rows.length };
}
