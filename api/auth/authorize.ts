import type { Context, MiddlewareHandler } from 'hono';
import { authorize, type Command, type Role } from '../../domain/authorization.js';

const guards = new WeakMap<MiddlewareHandler, Command>();

/** The command a route middleware made by `requires` checks: the OpenAPI document names its roles from it. */
export const commandGuardedBy = (handler: unknown): Command | undefined => guards.get(handler as MiddlewareHandler);

/** Route middleware: refuses with 403 FORBIDDEN before the input is even read. */
export function requires(command: Command): MiddlewareHandler {
  const guard: MiddlewareHandler = async (c, next) => {
    authorize(c.get('user')?.role, command);
    await next();
  };
  guards.set(guard, command);
  return guard;
}

/** What a command carries to the workflow about who sends it. */
export function actorOf(c: Context): { actor: string; actorRole: Role } {
  const user = c.get('user');
  return { actor: user.name, actorRole: user.role };
}
