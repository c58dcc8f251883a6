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

/**
 * Where a webhook's credential sits, found in any text (a URL the route refused as mistyped, without a scheme, with
 * another scheme or inside a sentence keeps its token all the same): a query parameter named as a credential, a
 * Slack webhook's last segment, a Feishu or Lark robot's hook token, a password before the host.
 */
const SECRET_SPOTS: [RegExp, string][] = [
  [/([?&](?:access_token|token|key|secret|sign)=)[^&#\s"'<>]+/gi, '$1redacted'],
  [/(hooks\.slack\.com\/services\/[^/\s?#]+\/[^/\s?#]+\/)[^/\s?#"'<>]+/gi, '$1redacted'],
  [/(\/bot\/v2\/hook\/)[^/\s?#"'<>]+/gi, '$1redacted'],
  [/(\/\/[^/\s:@?#]*:)[^/\s@?#]+@/g, '$1redacted@'],
];

/**
 * A text as the audit keeps it: a group robot's webhook is a credential (whoever has it posts to the group), so the
 * token in its query, a Slack webhook's secret last segment and a Feishu robot's hook token are kept as "redacted";
 * what it points at stays readable.
 */
export function withoutUrlSecrets(text: string): string {
  return SECRET_SPOTS.reduce((t, [spot, keep]) => t.replace(spot, keep), text);
}

function redacted(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return withoutUrlSecrets(value);
  if (depth > LIMITS.depth || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redacted(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, depth + 1)]));
}

/** The input as the audit keeps it (never throws, never more than about AUDIT_INPUT_MAX_CHARS when serialised). */
export function auditInput(value: unknown): unknown {
  const b = redacted(boundedJson(value, LIMITS));
  const text = JSON.stringify(b);
  if (text.length <= AUDIT_INPUT_MAX_CHARS) return b;
  // The head is escaped again when stored (quotes, backslashes): shorten it until that fits too.
  let head = storableText(text, AUDIT_INPUT_MAX_CHARS - 100);
  while (JSON.stringify(head).length > AUDIT_INPUT_MAX_CHARS - 100) head = storableText(head, Math.floor(head.length * 0.75));
  return { truncated: true, chars: text.length, head };
}
