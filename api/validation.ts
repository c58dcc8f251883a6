import type { Context } from 'hono';
import { errorBody } from './errors.js';

/** `["lines", 0, "quantity"]` → `lines[0].quantity`, the form every error body uses. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
}

/** An unknown field is named itself (`lines[0].colour`), not the object that holds it. */
const pathOf = (i: ZodLikeIssue) => (i.code === 'unrecognized_keys' && i.keys?.length ? [...i.path, i.keys[0]!] : i.path);

/**
 * The one hook for every route: a refused input is a 400 naming the first bad field, with all issues listed.
 * An accepted body (or query) is kept on the context as the audit's record of the command's input: the
 * validated value, never the raw body (api/audit/middleware.ts).
 */
export function validationHook(
  result: { success: boolean; data?: unknown; error?: { issues: ZodLikeIssue[] }; target?: string },
  c: Context,
): Response | undefined {
  if (result.success) {
    if (result.target === 'json' || result.target === 'form' || (result.target === 'query' && c.req.method !== 'GET')) c.set('validInput', result.data);
    return undefined;
  }
  const issues = (result.error?.issues ?? []).map((i) => ({
    field: fieldPath(pathOf(i)) || (result.target === 'json' ? 'body' : (result.target ?? 'body')),
    message: i.code === 'unrecognized_keys' ? 'unknown field' : i.message,
  }));
  const first = issues[0] ?? { field: 'body', message: 'invalid input' };
  return c.json(errorBody('VALIDATION_FAILED', `${first.field}: ${first.message}`, first.field, { issues }), 400);
}
