import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../../db/client.js';
import { jsonbRefuses, textProblem } from '../../contracts/text.js';
import { recordAudit } from './record.js';

/** POST /orders creates; POST /orders/<number>/<command> commands one order. */
const COMMAND_PATH = /^\/orders(?:\/([^/]+)\/([a-z-]+))?\/?$/;

/**
 * Records every order command that comes through the API, after it ran: who, the
 * input, and the outcome the caller saw (`ok` or the error code), refusals included.
 * Runs after authentication, so the actor is always known.
 */
export function auditOrderCommands(sql: Sql): MiddlewareHandler {
  return async (c, next) => {
    const match = c.req.method === 'POST' ? COMMAND_PATH.exec(c.req.path) : null;
    if (!match) return next();
    const raw = await c.req.text();
    let input: unknown = raw;
    try {
      input = raw ? JSON.parse(raw) : {};
    } catch {
      /* not JSON: the raw text is what was sent */
    }
    // A refused body may hold what jsonb cannot store (NUL): the audit then says so instead of failing the answer.
    if (jsonbRefuses(input)) input = { unstorable: 'the input held NUL or broken Unicode; it was refused' };
    await next();
    const ok = c.res.status < 400;
    // The response is read only for what the path does not say: a new order's number, a refusal's code.
    const needsBody = !ok || match[1] === undefined;
    const body = needsBody
      ? ((await c.res.clone().json().catch(() => null)) as { error?: { code?: string; message?: string }; order?: { number?: string } } | null)
      : null;
    const user = c.get('user');
    await recordAudit(sql, {
      actor: user.name,
      actorRole: user.role,
      channel: 'api',
      command: match[2] ?? 'create',
      // A path segment that is no document number (NUL in it) was refused; the row keeps no text it cannot store.
      orderNumber: match[1] !== undefined ? (textProblem(match[1]) ? null : match[1]) : (body?.order?.number ?? null),
      input,
      outcome: ok ? 'ok' : (body?.error?.code ?? `HTTP_${c.res.status}`),
      message: ok ? null : (body?.error?.message ?? null),
    });
  };
}
