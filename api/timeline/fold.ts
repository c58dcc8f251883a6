import type { TimelineEvent } from './event.js';

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
/** A refusal the audit recorded and the workflow's failed update are one fact when they are this close. */
const SAME_REFUSAL_MS = 60_000;

/**
 * The timeline as a person reads it: one row per step of the workflow instead of its bookkeeping.
 * - An activity's scheduled / started / finished events become the finished row: its step in words, outcome,
 *   duration and attempts (and what failed before a retry). One still running shows as pending (DescribeWorkflow).
 * - A command's accepted and completed (or refused) events become the completion row, with who sent it.
 *   A refusal the audit recorded as well (same person, same code) is shown once, from the audit.
 * - A timer that fired is one row naming what fell due; a timer the workflow re-armed before it fired waited
 *   for nothing that happened and is left out; one still waiting stays.
 * `?detail=full` gives every event as recorded.
 */
export function foldTimeline(events: readonly TimelineEvent[]): TimelineEvent[] {
  const key = (e: TimelineEvent, id: unknown) => `${e.runId}/${String(id)}`;
  const accepted = new Map<string, TimelineEvent>();
  const ended = new Set<string>();
  const timerEnded = new Set<string>();
  const auditRefusals = events.filter((e) => e.kind === 'command.refused');
  for (const e of events) {
    if (e.kind === 'update.accepted') accepted.set(key(e, e.updateId), e);
    if (e.kind === 'update.completed' || e.kind === 'update.failed') ended.add(key(e, e.updateId));
    if (e.kind === 'timer.fired' || e.kind === 'timer.cancelled') timerEnded.add(key(e, e.details?.['timerId']));
  }
  const out: TimelineEvent[] = [];
  for (const e of events) {
    const d = e.details ?? {};
    switch (e.kind) {
      case 'activity.scheduled':
      case 'activity.started':
      case 'timer.cancelled':
        continue;
      case 'timer.started':
        if (!timerEnded.has(key(e, d['timerId']))) out.push(e);
        continue;
      case 'update.accepted':
        if (!ended.has(key(e, e.updateId))) out.push(e);
        continue;
      case 'update.completed':
      case 'update.failed': {
        const start = accepted.get(key(e, e.updateId));
        const actor = e.actor ?? start?.actor ?? null;
        const code = (d['failure'] as { type?: string } | undefined)?.type;
        if (
          e.kind === 'update.failed' &&
          auditRefusals.some((r) => r.actor === actor && r.details?.['code'] === code && Math.abs(Date.parse(r.at) - Date.parse(e.at)) < SAME_REFUSAL_MS)
        ) {
          continue;
        }
        const by = actor ? ` by ${actor}` : '';
        const summary =
          e.kind === 'update.completed'
            ? `command ${d['command']}${by} completed`
            : `command ${d['command']}${by} refused${code ? ` with ${code}` : ''}: ${(d['failure'] as { message?: string } | undefined)?.message ?? ''}`;
        out.push({ ...e, actor, summary, details: { ...d, ...(start ? { args: start.details?.['args'] } : {}) } });
        continue;
      }
      case 'activity.completed':
      case 'activity.failed':
      case 'activity.timed_out':
      case 'activity.cancelled': {
        const attempts = Number(d['attempt'] ?? 1);
        const ms = d['durationMs'] as number | undefined;
        const outcome = e.kind === 'activity.completed' ? 'done' : e.kind.slice('activity.'.length).replace('_', ' ');
        const failure = (d['failure'] as { message?: string } | undefined)?.message;
        const previous = (d['previousFailure'] as { message?: string } | undefined)?.message;
        const summary =
          `step ${words(String(d['activity']))}: ${outcome}` +
          (ms !== undefined ? ` in ${ms} ms` : '') +
          (attempts > 1 ? ` after ${attempts} attempts${previous ? ` (before: ${previous})` : ''}` : '') +
          (failure ? `: ${failure}` : '');
        out.push({ ...e, summary });
        continue;
      }
      default:
        out.push(e);
    }
  }
  return out;
}
