import { expect } from 'vitest';
import { devToken } from '../../api/auth/demo-users.js';
import type { Stack } from './stack.js';

/** A signed-in console user as a browser holds it: the session cookie and the CSRF token its pages carry. */
export interface ConsoleUser {
  user: string;
  cookie: string;
  csrf: string;
}

/** Signs in through the login form as a browser would, with the demo user's dev token. */
export async function consoleSignIn(stack: Stack, user: string): Promise<ConsoleUser> {
  const res = await stack.app.request('/console/login', { method: 'POST', body: new URLSearchParams({ user, token: devToken(user), next: '/console' }) });
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await (await stack.app.request('/console', { headers: { cookie } })).text();
  return { user, cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
}
