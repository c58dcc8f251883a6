import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The route pattern a write request will be handled by (`/orders/:number/approve`), or undefined when no route
 * takes it (a 404) or it is not a command of the API: the console and the chat endpoints act through the API's
 * own routes or audit their commands themselves (api/chat/commands.ts).
 */
export function commandRouteOf(c: Context): string | undefined {
  if (!WRITE_METHODS.has(c.req.method) || !c.get('user')) return undefined;
  if (/^\/(console|chat)(\/|$)/.test(c.req.path)) return undefined;
  const handler = [...matchedRoutes(c)].reverse().find((r) => r.method === c.req.method && r.path !== '*' && !r.path.endsWith('/*'));
  return handler?.path;
}
