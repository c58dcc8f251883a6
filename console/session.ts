import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Role } from '../domain/authorization.js';
import type { Lang } from './i18n.js';

/**
 * A console session is the user's own API token (or JWT) in an HttpOnly,
 * SameSite=Strict cookie: the console signs in with exactly what the API accepts,
 * and its forms call the API with it, so no second credential exists to manage.
 */
export const SESSION_COOKIE = 'sbo_console';

export interface ConsoleSession {
  user: { name: string; role: Role };
  /** The API token (or JWT) the console forwards to the API on the user's behalf. */
  token: string;
  /** Sent back by every form; only a page rendered for this session knows it. */
  csrfToken: string;
  /** The user's language (cookie) and the business's time zone: how every page speaks and tells the time. */
  lang: Lang;
  timeZone: string;
}

export type ConsoleEnv = { Variables: { session: ConsoleSession } };

/** Bound to the session's token, so a form rendered for one session is refused in any other. */
export function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('console-form').digest('base64url');
}

const secure = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

export function startSession(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: secure(c), maxAge: 12 * 3600 });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: secure(c) });
}

/** A bearer header (scripts, the older tests) or the session cookie (the browser). */
export function sessionTokenOf(c: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? getCookie(c, SESSION_COOKIE);
}

/**
 * A form post must come from this site: the browser's Origin header (when sent) names
 * this host, and the form carries the session's CSRF token. The SameSite=Strict cookie
 * already stays home on cross-site posts; these two hold even where it would not.
 */
export function isSameOriginPost(c: Context, sentToken: unknown, session: ConsoleSession): boolean {
  const origin = c.req.header('origin');
  if (origin && origin !== new URL(c.req.url).origin) return false;
  if (typeof sentToken !== 'string') return false;
  const a = Buffer.from(sentToken);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Same-site check for the login form, which has no session (and so no CSRF token) yet. */
export const originAllowed = (c: Context) => {
  const origin = c.req.header('origin');
  return !origin || origin === new URL(c.req.url).origin;
};

/** Refuses a form post whose CSRF token is missing or wrong (after reading its body once). */
export const requireFormToken: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  const form = await c.req.parseBody();
  if (!isSameOriginPost(c, form._csrf, c.get('session'))) {
    return c.text('This form is stale or came from another site; reload the page and try again.', 403);
  }
  return next();
};
