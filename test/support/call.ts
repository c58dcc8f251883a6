import { devToken } from '../../api/auth/demo-users.js';
import type { createApp } from '../../api/app.js';

/** A JSON request to an app of the test's own (its own workflow options), as a demo user. */
export async function callAs(app: ReturnType<typeof createApp>, method: string, path: string, user: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
