import type { Context, MiddlewareHandler } from 'hono';
import { recordAuditIntent, recordAuditOutcome } from '../../db/audit.js';
import type { Sql } from '../../db/client.js';
import { errorBody } from '../errors.js';
import { commandRouteOf } from '../commands/route-of.js';
import { auditInput, storableText } from './bound.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The validated body (or query) of the request, stashed by the validation hook for the audit. */
    validInput: unknown;
  }
}

/**
 * The command's name in the audit: an order's commands by their verb (`approve`, `changes.approve`, `create`),
 * every other command by method and route (`POST /customers`).
 */
export function commandName(method: string, route: string): string {
  if (route === '/orders' && method === 'POST') return 'create';
  const order = /^\/orders\/(?::number\/)?(.+)$/.exec(route);
  if (order && method === 'POST') {
    return order[1]!.split('/').filter((part) => !part.startsWith(':')).join('.');
  }
  return `${method} ${route}`;
}

function orderNumberOf(c: Context, route: string): string | null {
  const segment = route.startsWith('/orders/:number') ? /^\/orders\/([^/]+)/.exec(c.req.path)?.[1] : undefined;
  if (segment === undefined) return null;
  try {
    return storableText(decodeURIComponent(segment), 100);
  } catch {
    return storableText(segment, 100);
  }
}

/**
 * 操作留痕 for every write route, by construction: after authentication and before the route runs, the intent is
 * written (outcome `pending`); when the intent cannot be written the command does not run (503). Afterwards the
 * row gets the outcome the caller saw (`ok` or the error code, refusals included) and the validated input
 * (bounded: api/audit/bound.ts); failing to write that is logged, never turned into an error for a command done.
 */
export function auditCommands(sql: Sql): MiddlewareHandler {
  return async (c, next) => {
    const route = commandRouteOf(c);
    if (!route) return next();
    const user = c.get('user');
    let id: string;
    try {
      id = await recordAuditIntent(sql, {
        actor: user.name,
        actorRole: user.role,
        ...channelOf(c),
        command: commandName(c.req.method, route),
        orderNumber: orderNumberOf(c, route),
        path: storableText(c.req.path, 500),
        input: {},
      });
    } catch (err) {
      console.error(JSON.stringify({ msg: 'audit intent not written; command refused', path: c.req.path, err: String(err) }));
      return c.json(errorBody('UNAVAILABLE', 'the audit trail could not be written, so nothing was done; try again', null), 503);
    }
    await next();
    try {
      const ok = c.res.status < 400;
      const created = ok && (route === '/orders' || route === '/orders/opening');
      const body = !ok || created
        ? ((await c.res.clone().json().catch(() => null)) as { error?: { code?: string; message?: string }; order?: { number?: string } } | null)
        : null;
      await recordAuditOutcome(sql, id, {
        outcome: ok ? 'ok' : storableText(body?.error?.code ?? `HTTP_${c.res.status}`, 100),
        message: ok
          ? c.res.headers.get('idempotent-replayed') ? 'the first response, replayed for its Idempotency-Key' : null
          : storableText(body?.error?.message ?? '', 2000) || null,
        input: auditInput(c.get('validInput') ?? {}),
        orderNumber: created && body?.order?.number ? storableText(body.order.number, 100) : null,
      });
    } catch (err) {
      console.error(JSON.stringify({ msg: 'audit outcome not written', auditId: id, path: c.req.path, err: String(err) }));
    }
  };
}

/**
 * The console and the chat bot call the API in-process (`app.request(path, init, { channel: 'console' })`, or
 * `{ channel: 'chat', platform }`): only they can set these bindings; a request from the network carries the
 * HTTP server's bindings and no header can claim them.
 */
function channelOf(c: Context): { channel: 'api' | 'console' | 'chat'; platform?: string | null } {
  const env = c.env as { channel?: unknown; platform?: unknown } | undefined;
  if (env?.channel === 'console') return { channel: 'console' };
  if (env?.channel === 'chat') return { channel: 'chat', platform: typeof env.platform === 'string' ? storableText(env.platform, 50) : null };
  return { channel: 'api' };
}
