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

/** Query parameters that carry a credential in a webhook URL (DingTalk and WeCom access_token, a signature, a key). */
const SECRET_PARAMS = /^(access_token|token|key|secret|sign)$/i;

/**
 * A URL as the audit keeps it: a group robot's webhook is a credential (whoever has it posts to the group), so the
 * token in its query, and a Slack webhook's secret last segment, are kept as "redacted"; what it points at stays readable.
 */
export function withoutUrlSecrets(text: string): string {
  if (!/^https?:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  for (const name of [...url.searchParams.keys()]) if (SECRET_PARAMS.test(name)) url.searchParams.set(name, 'redacted');
  if (url.hostname === 'hooks.slack.com') url.pathname = url.pathname.replace(/[^/]+$/, 'redacted');
  // Feishu and Lark robots: /open-apis/bot/v2/hook/<token>.
  url.pathname = url.pathname.replace(/(\/bot\/v2\/hook\/)[^/]+$/, '$1redacted');
  return url.toString();
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
