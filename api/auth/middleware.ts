import type { MiddlewareHandler } from 'hono';
import { verify } from 'hono/jwt';
import { isRole } from '../../domain/authorization.js';
import type { Sql } from '../../db/client.js';
import { errorBody } from '../errors.js';
import type { TokenCache } from './token-cache.js';
import { USER_NAME, userByToken, type AuthenticatedUser } from './tokens.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The authenticated caller; set by `authenticate` on every route it guards. */
    user: AuthenticatedUser;
  }
}

export interface AuthSettings {
  /** HS256 secret for signed JWTs (claims `sub` = user name, `role`); JWTs are refused when unset. */
  jwtSecret?: string | undefined;
}

/**
 * Open without a token: the probe, the docs, the chat endpoints (they verify platform signatures instead)
 * and the console (it signs in with a cookie and sends people to its login page; console/session.ts).
 */
const PUBLIC = [/^\/health$/, /^\/docs$/, /^\/openapi\.json$/, /^\/chat\//, /^\/console(\/|$)/];

const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

async function userOfJwt(token: string, secret: string): Promise<AuthenticatedUser | undefined> {
  try {
    const claims = await verify(token, secret, 'HS256');
    if (typeof claims.sub === 'string' && USER_NAME.test(claims.sub) && isRole(claims.role)) return { name: claims.sub, role: claims.role };
  } catch {
    /* bad signature, expired, malformed: refused below */
  }
  return undefined;
}

/**
 * The user an API token or (with a secret configured) an HS256 JWT stands for; undefined when unknown, revoked or bad.
 * API tokens come from the process's cache when given one.
 */
export async function userOfToken(sql: Sql, settings: AuthSettings, token: string, tokens?: TokenCache): Promise<AuthenticatedUser | undefined> {
  if (settings.jwtSecret && looksLikeJwt(token)) return userOfJwt(token, settings.jwtSecret);
  return tokens ? tokens.userByToken(token) : userByToken(sql, token);
}

/** Writes that can change who a token stands for (a role, today). */
const changesAuthority = (method: string, path: string) => method !== 'GET' && method !== 'HEAD' && /^\/authority(\/|$)/.test(path);

/**
 * The chat endpoints call the API in-process (`app.request(path, init, { channel: 'chat', platform, user })`)
 * after verifying the platform's signature and the account's link (api/chat/commands.ts): only the server can
 * set these bindings; a request from the network carries the HTTP server's bindings and no header can claim them.
 */
function inProcessChatUser(env: unknown): AuthenticatedUser | undefined {
  const e = env as { channel?: unknown; user?: { name?: unknown; role?: unknown } } | undefined;
  if (e?.channel !== 'chat' || typeof e.user?.name !== 'string' || !USER_NAME.test(e.user.name) || !isRole(e.user.role)) return undefined;
  return { name: e.user.name, role: e.user.role };
}

/** Bearer API token (hashed in Postgres) or HS256 JWT, or a chat command's linked user in-process; 401 when missing or bad. */
export function authenticate(sql: Sql, settings: AuthSettings = {}, tokens?: TokenCache): MiddlewareHandler {
  return async (c, next) => {
    if (PUBLIC.some((p) => p.test(c.req.path))) return next();
    const chatUser = inProcessChatUser(c.env);
    if (chatUser) {
      c.set('user', chatUser);
      return next();
    }
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) {
      return c.json(errorBody('UNAUTHENTICATED', 'an Authorization: Bearer <token> header is required', 'authorization'), 401, {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const user = await userOfToken(sql, settings, token, tokens);
    if (!user) {
      return c.json(errorBody('UNAUTHENTICATED', 'the token is unknown, revoked or expired', 'authorization'), 401, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    c.set('user', user);
    await next();
    // The caller's next request, in this process, already sees the change they made (other processes hear it
    // as soon as the notification reaches them).
    if (tokens && changesAuthority(c.req.method, c.req.path)) await tokens.settled();
  };
}
