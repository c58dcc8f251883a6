import { z } from '@hono/zod-openapi';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';

/**
 * Text that can be stored. Postgres refuses NUL in text (22021) and a lone
 * surrogate cannot be encoded as UTF-8; the other control characters would be
 * stored but break every screen, CSV and log that shows them. So the boundary
 * refuses them all, naming the field, before anything runs.
 */
// C0 controls, DEL and C1 controls; free text may hold tab, line feed and carriage return (a browser's textarea sends CRLF).
// Also the bidirectional overrides and isolates, which make a text read otherwise than it is stored, and the
// Unicode line and paragraph separators, which break a line where no screen expects it.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const FREE_TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Something a reader sees: not only white space and invisible format characters (a zero-width space). */
const VISIBLE = /[^\s\p{Cf}]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(value: string, control: RegExp): string | undefined {
  const bad = control.exec(value) ?? LONE_SURROGATE.exec(value);
  if (!bad) return undefined;
  const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters or broken Unicode (U+${code})`;
}

/** The zod check both kinds share: the message names the first character refused. */
const storable = (control: RegExp) => (value: string, ctx: z.core.$RefinementCtx<string>) => {
  const message = unstorable(value, control);
  if (message) ctx.addIssue({ code: 'custom', message });
};

/** A text that must not be empty must show something: invisible characters alone are blank. */
const said = (text: z.ZodString, min: number) => (min > 0 ? text.refine((v) => v === '' || VISIBLE.test(v), 'must not be blank') : text);

/** One line: names, codes, carriers, tracking numbers, references. Trimmed; no control character at all. */
export const SingleLine = (max = 200, min = 1) => said(z.string().trim().superRefine(storable(CONTROL)).min(min).max(max), min);

/** Free text: reasons, notes, addresses. Trimmed; tab and line breaks allowed, no other control character. */
export const FreeText = (max = 500, min = 1) => said(z.string().trim().superRefine(storable(FREE_TEXT_CONTROL)).min(min).max(max), min);

/** A reason is free text that says something: blank after trimming is refused. */
export const Reason = FreeText(500, 1);

/** For values checked elsewhere that still land in a text column (CSV cells, chat payloads). */
export function textProblem(value: string, kind: 'line' | 'free' = 'line'): string | undefined {
  return unstorable(value, kind === 'line' ? CONTROL : FREE_TEXT_CONTROL);
}

/** A master-data code (customer, product, warehouse) or a document number's part: one line, at most 40. */
export const Code = SingleLine(40);

/** A document number any numbering rule can produce (domain/numbering.ts): SO-20261123-0001, SO_20261123_0001, SO202611230001. */
export const DocumentNumber = (example = 'SO-20261123-0001') =>
  z.string().max(60).regex(DOCUMENT_NUMBER, `a document number such as ${example}`).openapi({ example });

