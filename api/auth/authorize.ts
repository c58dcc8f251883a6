import type { Context, MiddlewareHandler } from 'hono';
import { authorize, type Command, type Role } from '../../domain/authorization.js';

/** Route middleware: refuses with 403 FORBIDDEN before the input is even read. */
export function requires(command: Command): MiddlewareHandler {
  return async (c, next) => {
    authorize(c.get('user')?.role, command);
    await next();
  };
}

/** What a command carries to the workflow about who sends it. */
export function actorOf(c: Context): { actor: string; actorRole: Role } {
  const user = c.get('user');
  return { actor: user.name, actorRole: user.role };
}
