import type { TimelineEvent } from './event.js';

/** `?detail=full` lists refusals one by one up to this many. */
export const FULL_REFUSALS_SHOWN = 100;

const isRefusal = (e: TimelineEvent) => e.kind === 'command.refused';
const sameTry = (e: TimelineEvent) => JSON.stringify([e.actor ?? null, e.details?.['command'], e.details?.['code']]);

/**
 * Anyone can send a refused command a thousand times; a person reads that as one fact. Within a run of refusals
 * (nothing else happened between them), those by the same person, for the same command, with the same code become
 * one row at the first one's place: "refused N times between t1 and t2", the first one's details kept.
 */
export function foldRefusalRuns(events: readonly TimelineEvent[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const groups: { index: number; count: number; last: string }[] = [];
  let run = new Map<string, (typeof groups)[number]>();
  for (const e of events) {
    if (!isRefusal(e)) {
      run = new Map();
      out.push(e);
      continue;
    }
    const seen = run.get(sameTry(e));
    if (seen) {
      seen.count += 1;
      seen.last = e.at;
      continue;
    }
    const group = { index: out.length, count: 1, last: e.at };
    run.set(sameTry(e), group);
    groups.push(group);
    out.push(e);
  }
  for (const { index, count, last } of groups) {
    if (count === 1) continue;
    const first = out[index]!;
    const d = first.details ?? {};
    out[index] = {
      ...first,
      summary: `${first.actor ?? ''}${d['role'] ? ` (${String(d['role'])})` : ''} tried ${String(d['command'])}: refused ${count} times between ${first.at} and ${last} with ${String(d['code'])}${d['message'] ? `: ${String(d['message'])}` : ''}`,
      details: { ...d, count, firstAt: first.at, lastAt: last },
    };
  }
  return out;
}

/** `?detail=full` lists refusals one by one, but only the first FULL_REFUSALS_SHOWN; returns how many it left out. */
export function capRefusals(events: readonly TimelineEvent[]): { events: TimelineEvent[]; leftOut: number } {
  let shown = 0;
  const kept = events.filter((e) => !isRefusal(e) || ++shown <= FULL_REFUSALS_SHOWN);
  return { events: kept, leftOut: events.length - kept.length };
}

/** One row after the last refusal shown, saying how many the timeline leaves out (none when it leaves none). */
export function withRefusalsLeftOut(events: readonly TimelineEvent[], count: number): TimelineEvent[] {
  const last = events.map(isRefusal).lastIndexOf(true);
  if (count <= 0 || last < 0) return [...events];
  const note: TimelineEvent = {
    at: events[last]!.at,
    source: 'business',
    kind: 'command.refused.omitted',
    summary: `${count} more refused commands not shown`,
    details: { count },
  };
  return [...events.slice(0, last + 1), note, ...events.slice(last + 1)];
}
