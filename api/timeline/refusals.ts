import { auditOfOrder } from '../../db/audit.js';
import type { Sql } from '../../db/client.js';
import type { TimelineEvent } from './event.js';

/**
 * Every command on the order that was refused, from the audit trail (操作留痕): who tried what and the code
 * they got back. Most refusals never reach the workflow's history (a role check, a validator, an over-delivery
 * caught before the update runs), so the audit is the one place they are all recorded.
 */
export async function refusedCommands(sql: Sql, number: string): Promise<TimelineEvent[]> {
  const rows = await auditOfOrder(sql, number);
  return rows
    .filter((r) => r.outcome !== 'ok' && r.outcome !== 'pending')
    .map((r) => ({
      at: r.at,
      source: 'business' as const,
      kind: 'command.refused',
      summary: `${r.actor}${r.actorRole ? ` (${r.actorRole})` : ''} tried ${r.command}: refused with ${r.outcome}${r.message ? `: ${r.message}` : ''}`,
      actor: r.actor,
      details: { command: r.command, code: r.outcome, role: r.actorRole, channel: r.channel, path: r.path, message: r.message, input: r.input },
    }));
}
