/**
 * What the audit stores of an input: a JSON value that can always be serialised and stored. Depth, breadth and
 * string length are cut, NUL (which jsonb refuses) is replaced, values JSON has no form for are dropped, and
 * what is still over AUDIT_INPUT_MAX_CHARS once serialised is kept as its head only.
 * (H2 writes the same kind of bound in db/ for every stored JSON value; one of the two should go on merge.)
 */
export const AUDIT_INPUT_MAX_CHARS = 16 * 1024;
const MAX_DEPTH = 8;
const MAX_ITEMS = 200;
const MAX_STRING = 2000;

/** Text safe for a Postgres text or jsonb column: no NUL, at most `max` characters. */
export function storableText(s: string, max = MAX_STRING): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  // A lone surrogate (or one left by the cut) is refused by jsonb like NUL is.
  return cut.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function bounded(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => bounded(v, depth + 1) ?? null);
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (n++ >= MAX_ITEMS) break;
    const b = bounded(v, depth + 1);
    if (b !== undefined) out[storableText(k, 200)] = b;
  }
  return out;
}

/** The input as the audit keeps it (never throws, never more than about AUDIT_INPUT_MAX_CHARS when serialised). */
export function auditInput(value: unknown): unknown {
  const b = bounded(value, 0) ?? null;
  const text = JSON.stringify(b);
  if (text.length <= AUDIT_INPUT_MAX_CHARS) return b;
  // The head is escaped again when stored (quotes, backslashes): shorten it until that fits too.
  let head = storableText(text, AUDIT_INPUT_MAX_CHARS - 100);
  while (JSON.stringify(head).length > AUDIT_INPUT_MAX_CHARS - 100) head = storableText(head, Math.floor(head.length * 0.75));
  return { truncated: true, chars: text.length, head };
}
