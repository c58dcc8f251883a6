import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { TokenCache } from '../../api/auth/token-cache.js';
import { createApiToken, tokenHash } from '../../api/auth/tokens.js';
import { devToken } from '../../api/auth/demo-users.js';
import { useStack } from '../support/stack.js';

const stack = useStack({ worker: false });

/** One API process: its own pool (named, so its LISTEN backend can be found) and its own token cache. */
interface Process {
  name: string;
  sql: postgres.Sql;
  cache: TokenCache;
  app: ReturnType<typeof createApp>;
  /** Statements this process ran that read api_tokens. */
  tokenReads: number;
}

const processes: Process[] = [];

async function startProcess(name: string, maxEntries = 1000): Promise<Process> {
  const p = { name, tokenReads: 0 } as Process;
  p.sql = postgres(stack.databaseUrl, {
    max: 4,
    onnotice: () => {},
    connection: { application_name: name },
    debug: (_connection, query) => {
      if (query.includes('api_tokens')) p.tokenReads += 1;
    },
  });
  p.cache = new TokenCache(p.sql, { maxEntries, heartbeatMs: 100, roundTripTimeoutMs: 500 });
  await p.cache.start();
  p.app = createApp({ sql: p.sql, temporal: stack.client, taskQueue: stack.taskQueue, timeZone: 'Asia/Shanghai', tokenCache: p.cache });
  processes.push(p);
  return p;
}

const get = async (p: Process, token: string) => (await p.app.request('/customers', { headers: { authorization: `Bearer ${token}` } })).status;
const newOrder = async (p: Process, token: string) => {
  const res = await p.app.request('/orders', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerCode: 'C0001', lines: [] }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; field: string } } };
};
const settled = (...ps: Process[]) => Promise.all(ps.map((p) => p.cache.settled()));

let a: Process;
let b: Process;

beforeAll(async () => {
  a = await startProcess('api-a');
  b = await startProcess('api-b');
});

afterAll(async () => {
  for (const p of processes) {
    await p.cache.stop();
    await p.sql.end({ timeout: 5 });
  }
});

describe('token cache (issue 20)', () => {
  it('a known token reads no row; revoked in the database, it is refused on the next request in both processes', async () => {
    const token = await createApiToken(stack.sql, 'cache.user', 'finance');
    expect(await get(a, token)).toBe(200);
    expect(await get(b, token)).toBe(200);
    const reads = [a.tokenReads, b.tokenReads];
    for (let i = 0; i < 5; i++) {
      expect(await get(a, token)).toBe(200);
      expect(await get(b, token)).toBe(200);
    }
    expect([a.tokenReads, b.tokenReads]).toEqual(reads);

    await stack.sql`UPDATE api_tokens SET revoked_at = now() WHERE token_hash = ${tokenHash(token)}`;
    await settled(a, b);
    expect(await get(a, token)).toBe(401);
    expect(await get(b, token)).toBe(401);
  });

  it('without waiting for anything but the refusal, a revocation reaches both processes within a bound', async () => {
    const token = await createApiToken(stack.sql, 'cache.user2', 'finance');
    expect([await get(a, token), await get(b, token)]).toEqual([200, 200]);
    await stack.sql`UPDATE api_tokens SET revoked_at = now() WHERE token_hash = ${tokenHash(token)}`;
    await expect.poll(async () => [await get(a, token), await get(b, token)], { timeout: 1000, interval: 5 }).toEqual([401, 401]);
  });

  it('a role changed through one process counts at once there, and in the other as soon as it hears; a deactivated user is refused', async () => {
    const admin = devToken('admin.root');
    const clerk = devToken('clerk.zhang');
    expect((await newOrder(a, clerk)).body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await newOrder(b, clerk)).body.error).toMatchObject({ code: 'VALIDATION_FAILED' });

    const put = await a.app.request('/authority/users/clerk.zhang/role', {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'warehouse' }),
    });
    expect(put.status).toBe(200);
    // No wait in the process that made the change: its response came after it heard the change.
    expect((await newOrder(a, clerk)).body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
    await settled(b);
    expect((await newOrder(b, clerk)).body.error).toMatchObject({ code: 'FORBIDDEN', field: 'role' });

    await stack.sql`UPDATE users SET role = 'clerk' WHERE name = 'clerk.zhang'`;
    await settled(a, b);
    expect((await newOrder(b, clerk)).body.error).toMatchObject({ code: 'VALIDATION_FAILED' });

    await stack.sql`UPDATE users SET active = false WHERE name = 'clerk.zhang'`;
    await settled(a, b);
    expect([await get(a, clerk), await get(b, clerk)]).toEqual([401, 401]);
    await stack.sql`UPDATE users SET active = true WHERE name = 'clerk.zhang'`;
    await settled(a, b);
    expect([await get(a, clerk), await get(b, clerk)]).toEqual([200, 200]);
  });

  it('keeps at most its bound: 10,000 random tokens are refused and cached not at all, valid ones beyond the bound push out the oldest', async () => {
    const small = await startProcess('api-small', 50);
    const valid = await Promise.all(Array.from({ length: 60 }, (_, i) => createApiToken(stack.sql, `bound.user${i}`, 'clerk')));
    for (const token of valid) expect(await get(small, token)).toBe(200);
    expect(small.cache.size).toBe(50);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_000; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => get(small, `sbo_${randomBytes(32).toString('base64url')}`)));
      for (const s of batch) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 10_000 });
    expect(small.cache.size).toBe(50);
    // The flood pushed out none of the valid tokens: the 50 most recent are still answered without a read.
    const reads = small.tokenReads;
    for (const token of valid.slice(10)) expect(await get(small, token)).toBe(200);
    expect(small.tokenReads).toBe(reads);
  });

  it('a revocation made while the listener was down is honoured once it is back (the cache is emptied on reconnect)', async () => {
    const token = await createApiToken(stack.sql, 'cache.user3', 'finance');
    expect(await get(b, token)).toBe(200);
    const db = (await stack.sql<{ db: string }[]>`SELECT current_database() AS db`)[0]!.db;
    // Nobody may connect while the listener is down, so its notification cannot reach a new listener either.
    const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
    try {
      const killed = await stack.sql`
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'api-b' AND query ILIKE 'listen%'`;
      expect(killed.length).toBe(1);
      await stack.sql`UPDATE api_tokens SET revoked_at = now() WHERE token_hash = ${tokenHash(token)}`;
    } finally {
      await admin.unsafe(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // Within a heartbeat and a round trip's timeout (100 + 500 ms here), or at once when postgres.js relistens.
    await expect.poll(() => get(b, token), { timeout: 3000, interval: 20 }).toBe(401);

    // Back on its feet: it caches again and hears the next revocation.
    await expect.poll(() => b.cache.listening, { timeout: 3000, interval: 20 }).toBe(true);
    const next = await createApiToken(stack.sql, 'cache.user4', 'finance');
    expect(await get(b, next)).toBe(200);
    const reads = b.tokenReads;
    expect(await get(b, next)).toBe(200);
    expect(b.tokenReads).toBe(reads);
    await stack.sql`UPDATE api_tokens SET revoked_at = now() WHERE token_hash = ${tokenHash(next)}`;
    await settled(b);
    expect(await get(b, next)).toBe(401);
  });
});
