/** One line of an order's timeline: a business fact from Postgres or a step of its workflow's history. */
export interface TimelineEvent {
  /** ISO time of the fact. */
  at: string;
  source: 'business' | 'workflow';
  /** Stable kind, e.g. `order.created`, `delivery.issued`, `update.accepted`, `activity.failed`. */
  kind: string;
  summary: string;
  /** Who did it, where known. */
  actor?: string | null;
  /** The document the fact is about (delivery note, invoice, receipt number…). */
  document?: string;
  runId?: string;
  eventId?: number;
  updateId?: string;
  details?: Record<string, unknown>;
}

/** Newest last; facts at the same instant keep the order they were given in (business before workflow). */
export function mergeTimeline(...parts: TimelineEvent[][]): TimelineEvent[] {
  return parts
    .flat()
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ e }) => e);
}
