import { Hono, type MiddlewareHandler } from 'hono';
import { userOfToken, type AuthSettings } from '../api/auth/middleware.js';
import type { Sql } from '../db/client.js';
import { chooseLang, langOf, say, type Lang } from './i18n.js';
import { Layout } from './layout.js';
import { csrfTokenOf, endSession, originAllowed, requireFormToken, sessionTokenOf, startSession, type ConsoleEnv } from './session.js';

export interface SignInDeps {
  sql: Sql;
  auth?: AuthSettings | undefined;
  timeZone: string;
}

/** Only a path inside the console, so the login form cannot send anyone elsewhere. */
const safeNext = (v: unknown) => (typeof v === 'string' && /^\/console(\/[\w\-./?=&%]*)?$/.test(v) && !v.startsWith('//') ? v : '/console');

function LoginPage(props: { lang: Lang; next: string; user?: string; error?: string }) {
  const t = (zh: string, en: string) => say(props.lang, { zh, en });
  return (
    <Layout title={t('登录', 'Sign in')} lang={props.lang}>
      {props.error ? <p class="flash error" role="alert">{props.error}</p> : ''}
      <form method="post" action="/console/login">
        <input type="hidden" name="next" value={props.next} />
        <p><label>{t('用户名', 'User name')} <input name="user" autocomplete="username" required value={props.user ?? ''} /></label></p>
        <p><label>{t('API 令牌', 'API token')} <input name="token" type="password" autocomplete="current-password" required /></label></p>
        <p class="muted">
          {t('由 ', 'An API token from ')}<code>npm run token:create</code>{t(' 生成的令牌（或 JWT）；开发环境的演示用户为 ', " (or a JWT); the dev stack's demo users have ")}
          <code>dev-&lt;user name&gt;</code>.
        </p>
        <button type="submit">{t('登录', 'Sign in')}</button>
      </form>
    </Layout>
  );
}

/** The login and logout forms; everything else in the console needs a session. */
export function signInRoutes(deps: SignInDeps) {
  const app = new Hono<ConsoleEnv>();

  app.get('/login', (c) => c.html(<LoginPage lang={langOf(c)} next={safeNext(c.req.query('next'))} />));

  // The language switch works before sign-in too; it only sets a cookie and goes back where the user was.
  app.get('/lang/:lang', (c) => {
    if (!chooseLang(c, c.req.param('lang'))) return c.text('Unknown language.', 404);
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  app.post('/login', async (c) => {
    if (!originAllowed(c)) return c.text('Sign-in from another site is refused.', 403);
    const form = await c.req.parseBody();
    const name = typeof form.user === 'string' ? form.user.trim() : '';
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const next = safeNext(form.next);
    const user = token ? await userOfToken(deps.sql, deps.auth ?? {}, token) : undefined;
    // The name must match the token's owner, so a pasted token never signs in as somebody unexpected.
    if (!user || user.name !== name) {
      return c.html(<LoginPage lang={langOf(c)} next={next} user={name} error="UNAUTHENTICATED: this user name and token do not match an active token." />, 401);
    }
    startSession(c, token);
    return c.redirect(next, 303);
  });

  return app;
}

/** Reads the session for every other console route; a browser without one is sent to the login page. */
export function sessionMiddleware(deps: SignInDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = sessionTokenOf(c);
    const user = token ? await userOfToken(deps.sql, deps.auth ?? {}, token) : undefined;
    if (!token || !user) {
      if (c.req.method === 'GET') return c.redirect(`/console/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search))}`, 303);
      return c.text('Your session has ended; sign in again.', 401);
    }
    c.set('session', { user, token, csrfToken: csrfTokenOf(token), lang: langOf(c), timeZone: deps.timeZone });
    // The API's request log names the actor (api/observability.ts).
    c.set('user', user);
    return requireFormToken(c, next);
  };
}

/** Logout clears the cookie (behind the CSRF check, so another site cannot sign anybody out). */
export function signOutRoutes() {
  const app = new Hono<ConsoleEnv>();
  app.post('/logout', (c) => {
    endSession(c);
    return c.redirect('/console/login', 303);
  });
  return app;
}
