import { addDays } from './calendar.js';

/**
 * One calendar for what is due and what is overdue, used by the activity that
 * books a receivable (its overdue instant and dunning steps) and through them by
 * the order's search attributes, and matching /finance/stuck-payments, which
 * counts a receivable overdue once its due date is past in the business time
 * zone: due on its due date, overdue from the start of the day after it. Cash
 * terms are due the day of the invoice and overdue from the start of the next.
 */

const DAY_MS = 86_400_000;

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in `timeZone`. */
export function startOfDay(isoDate: string, timeZone: string): number {
  const midnightUtc = Date.parse(`${isoDate}T00:00:00Z`);
  const guess = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  // Once more at the guess, for a day whose offset differs from the previous evening's (daylight saving).
  return midnightUtc - zoneOffsetMs(guess, timeZone);
}

/** The instant from which a receivable due on `dueOn` is overdue: the start of the next day in the business time zone. */
export function overdueFrom(dueOn: string, timeZone: string): number {
  return startOfDay(addDays(dueOn, 1), timeZone);
}

export interface CollectionInstants {
  /** Absolute (epoch ms): from here the receivable is overdue. */
  overdueAt: number;
  /** Absolute (epoch ms): one dunning reminder at each, in order. */
  dunningAt: number[];
}

/**
 * A new receivable's instants, as of `nowMs`. `dayMs` is how long a day lasts
 * (company setting collection.day_seconds; a test shortens it): the time left
 * until the calendar's overdue instant shrinks in proportion, so with a real
 * day the instants are exactly the calendar's.
 */
export function collectionInstants(c: { dueOn: string; timeZone: string; nowMs: number; dayMs: number; dunningDays: number[] }): CollectionInstants {
  const untilOverdue = Math.max(0, overdueFrom(c.dueOn, c.timeZone) - c.nowMs);
  const overdueAt = c.nowMs + Math.round((untilOverdue * c.dayMs) / DAY_MS);
  return { overdueAt, dunningAt: c.dunningDays.map((d) => overdueAt + d * c.dayMs) };
}
