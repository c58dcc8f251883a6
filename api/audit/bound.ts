import { boundedJson, withoutUnstorable } from '../../db/json.js';

/**
 * What the audit stores of an input: a JSON value that can always be serialised and stored (db/json.ts bounds
 * depth, size and text and marks what it cut); what is still over AUDIT_INPUT_MAX_CHARS once serialised (JSON
 * escapes can double a text) is kept as its head only.
 */
export const AUDIT_INPUT_MAX_CHARS = 16 * 1024;
const MAX_STRING = 2000;
const LIMITS = { depth: 8, size: AUDIT_INPUT_MAX_CHARS, text: MAX_STRING };

/** Text safe for a Postgres text or jsonb column: no NUL, at most `max` characters. */
export function storableText(s: string, max = MAX_STRING): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  // A lone surrogate (or one left by the cut) is refused by jsonb like NUL is.
  return withoutUnstorable(cut);
}

/** The input as the audit keeps it (never throws, never more than about AUDIT_INPUT_MAX_CHARS when serialised). */
export function auditInput(value: unknown): unknown {
  const b = boundedJson(value, LIMITS);
  const text = JSON.stringify(b);
  if (text.length <= AUDIT_INPUT_MAX_CHARS) return b;
  // The head is escaped again when stored (quotes, backslashes): shorten it until that fits too.
  let head = storableText(text, AUDIT_INPUT_MAX_CHARS - 100);
  while (JSON.stringify(head).length > AUDIT_INPUT_MAX_CHARS - 100) head = storableText(head, Math.floor(head.length * 0.75));
  return { truncated: true, chars: text.length, head };
}
