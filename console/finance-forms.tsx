import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { callApi, type ApiCall } from './api-call.js';
import { setFlash } from './flash.js';
import { CsrfField } from './layout.js';
import type { FormFields } from './order-actions.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

/** A form field as typed, trimmed; a file or a repeated field counts as empty. */
export const field = (f: FormFields, k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');

/** A console form that posts once: the session's CSRF token and a fresh Idempotency-Key per rendering. */
export function ApiForm(props: { action: string; name: string; session: ConsoleSession; button: string; children?: Child }) {
  return (
    <form method="post" action={props.action} data-action={props.name}>
      <CsrfField session={props.session} />
      <input type="hidden" name="_key" value={randomUUID()} />
      {props.children}
      <button type="submit">{props.button}</button>
    </form>
  );
}

/**
 * Sends the form's command to its API route as the signed-in user and flashes the outcome:
 * `ok` words from the answer, or the API's refusal with its code, message and field.
 */
export async function sendAndFlash(
  c: Context<ConsoleEnv>,
  api: ApiCall,
  path: string,
  body: unknown,
  form: FormFields,
  ok: (answer: Record<string, unknown>) => string,
): Promise<Record<string, unknown> | undefined> {
  const outcome = await callApi(api, c.get('session'), path, body, field(form, '_key') || undefined);
  if (outcome.ok) {
    setFlash(c, { kind: 'ok', text: ok(outcome.body) });
    return outcome.body;
  }
  setFlash(c, { kind: 'error', text: outcome.error.message, code: outcome.error.code, field: outcome.error.field });
  return undefined;
}

/** A GET form's filter inputs keep what was asked. */
export const queryOf = (c: Context) => c.req.query() as Record<string, string | undefined>;
