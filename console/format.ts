import { dec } from '../domain/decimal.js';
import { label, say, term, type View } from './i18n.js';
import type { Kind } from './words/index.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Thousands separators on a decimal's string, digit by digit: no float ever sees the value. */
export function grouped(v: string): string {
  if (!DECIMAL.test(v)) return v;
  const negative = v.startsWith('-');
  const [whole, fraction] = (negative ? v.slice(1) : v).split('.') as [string, string | undefined];
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${withCommas}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** An amount or price grouped, with at least cents and never a digit fewer than it has: 1234567.5 → 1,234,567.50, 33.333 stays. */
export function money(v: string | number): string {
  const s = String(v);
  if (!DECIMAL.test(s)) return s;
  const d = dec(s);
  return grouped(d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed());
}

/** A quantity without the column's trailing zeros, grouped: 1200.0000 → 1,200. */
export const qty = (v: string | number): string => (DECIMAL.test(String(v)) ? grouped(dec(String(v)).toFixed()) : String(v));

/** An instant in the business time zone, to the minute: what the clerk's wall clock said. */
export function when(at: string | Date, timeZone: string): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const FLAG_TRUE = new Set(['true', 'Y', 't', '1']);

/** A value as a person reads it, by its kind; a code with a known name (a status, a step) shows that name. */
export function shown(v: unknown, kind: Kind | undefined, view: View): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  switch (kind) {
    case 'money':
      return money(s);
    case 'qty':
      return qty(s);
    case 'percent':
      return DECIMAL.test(s) ? `${grouped(dec(s).toFixed())}%` : s;
    case 'time':
      return when(s, view.timeZone);
    case 'date':
      return s.slice(0, 10);
    case 'flag':
      return label(view.lang, FLAG_TRUE.has(s) ? 'yes' : 'no');
    case 'code': {
      const t = term(s);
      return t ? say(view.lang, t) : s;
    }
    default:
      return s;
  }
}

/** Whether the column holds numbers (right-aligned). */
export const numeric = (kind: Kind | undefined) => kind === 'money' || kind === 'qty' || kind === 'percent';
