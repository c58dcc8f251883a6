import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createSql, type Sql } from '../../db/client.js';

/**
 * The driver patch (patches/postgres+3.4.9.patch, docs/postgres-driver-patch.md): on one connection,
 * a query that throws while it is being built, with other queries pipelined around it, is rejected
 * alone, and every other query gets its own answer. Unpatched, the query ahead took the error, each
 * later answer went to the query before its own, and the last never settled.
 */
const APP = `driver_pipeline_${randomBytes(3).toString('hex')}`;
const DB = `${APP}_${process.pid}`;
let admin: Sql;
let sql: Sql;

beforeAll(async () => {
  admin = createSql(inject('pgAdminUrl'), { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${DB}`);
});

// One connection (max: 1) per test, so a test that wedges it cannot take the next one down with it.
beforeEach(async () => {
  sql = postgres(inject('pgAdminUrl').replace(/\/postgres$/, `/${DB}`), { max: 1, onnotice: () => {}, connection: { application_name: APP } });
});

afterEach(async () => {
  await sql.end({ timeout: 1 });
});

afterAll(async () => {
  await admin?.unsafe(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin?.end();
});

/** A hang is the failure this file exists for: each query must settle within the bound. */
function within<T>(promise: PromiseLike<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

function deeplyNested(depth = 100_000): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

type Db = Sql | postgres.TransactionSql;
const numbered = (db: Db, i: number) => db`SELECT ${i}::int AS i`;
const poisons: Record<string, (db: Db) => postgres.PendingQuery<postgres.Row[]>> = {
  'an undefined parameter': (db) => db`SELECT ${undefined as unknown as number}::int AS i`,
  'JSON nested past the stack': (db) => db`SELECT ${db.json(deeplyNested() as never)}::jsonb AS j`,
  'JSON holding a BigInt': (db) => db`SELECT ${db.json({ n: 1n } as never)}::jsonb AS j`,
};

/**
 * Valid queries 1..n with the poison at `at`, all started in one tick so they share the pipeline;
 * what each answered: its `i`, or 'rejected'.
 */
async function pipeline(db: Db, poison: (db: Db) => PromiseLike<unknown>, at: number, n: number): Promise<(number | 'rejected')[]> {
  const queries = Array.from({ length: n }, (_, k) => (k + 1 === at ? poison(db) : numbered(db, k + 1)));
  return Promise.all(
    queries.map((q, k) =>
      within(
        Promise.resolve(q).then((rows) => (rows as { i: number }[])[0]!.i, () => 'rejected' as const),
        `query ${k + 1}`,
      ),
    ),
  );
}

const expected = (n: number, at: number) => Array.from({ length: n }, (_, k) => (k + 1 === at ? 'rejected' : k + 1));

/**
 * Prepares the statements first: a query whose statement is new is described before its parameters
 * are sent, and nothing is pipelined behind it. Prepared ones are pipelined, and their parameters are
 * serialised inside execute(), the path the defect lived on.
 */
async function warmUp() {
  await within(numbered(sql, 0), 'warm-up');
  await within(sql`SELECT ${sql.json({ ok: true })}::jsonb AS j`, 'warm-up JSON');
}

async function sessionState(): Promise<string[]> {
  const rows = await admin<{ state: string }[]>`SELECT state FROM pg_stat_activity WHERE application_name = ${APP}`;
  return rows.map((r) => r.state);
}

describe('a query that throws while being built, on one pipelined connection', () => {
  for (const [name, poison] of Object.entries(poisons)) {
    it(`${name}: only it fails; every other query gets its own answer`, async () => {
      await warmUp();

      expect(await pipeline(sql, poison, 3, 6)).toEqual(expected(6, 3));
      // The connection is whole afterwards: the next answers are still their own.
      expect((await within(numbered(sql, 42), 'query after'))[0]!.i).toBe(42);
    });
  }

  it('the poisoned query first on an idle connection, valid ones behind it', async () => {
    expect(await pipeline(sql, poisons['an undefined parameter']!, 1, 4)).toEqual(expected(4, 1));
  });

  it('a JSON value first seen unprepared (serialised when its statement is described) fails alone', async () => {
    const fresh = (db: Db) => db`SELECT ${db.json(deeplyNested() as never)}::jsonb AS never_prepared_${db.unsafe(randomBytes(3).toString('hex'))}`;
    expect(await pipeline(sql, fresh, 2, 4)).toEqual(expected(4, 2));
  });

  it('inside sql.begin: the transaction rolls back, nothing else is crossed, the session is not left in a transaction', async () => {
    await within(sql`CREATE TABLE marks (v int NOT NULL)`, 'create table');
    await warmUp();
    const inner: (number | 'rejected')[][] = [];
    const begin = sql.begin(async (tx) => {
      await tx`INSERT INTO marks VALUES (1)`;
      inner.push(await pipeline(tx, poisons['JSON nested past the stack']!, 2, 4));
      await tx`INSERT INTO marks VALUES (2)`;
    });
    await expect(within(begin, 'sql.begin')).rejects.toThrow(/call stack/i);
    expect(inner).toEqual([expected(4, 2)]);
    expect(await within(sql`SELECT count(*)::int AS n FROM marks`, 'count')).toEqual([{ n: 0 }]);
    expect(await sessionState()).toEqual(['idle']);

    // The same connection commits the next transaction.
    await within(sql.begin((tx) => tx`INSERT INTO marks VALUES (3)`), 'second sql.begin');
    expect(await within(sql`SELECT array_agg(v)::int[] AS v FROM marks`, 'marks')).toEqual([{ v: [3] }]);
    expect(await sessionState()).toEqual(['idle']);
  });
});

describe('a query sent on a transaction whose connection the server closed', () => {
  it('is rejected with CONNECTION_CLOSED, neither dropped nor crashing the process, and the pool reconnects', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    let sendLate!: (query: PromiseLike<unknown>) => void;
    const late = new Promise<unknown>((resolve) => (sendLate = resolve));
    const begin = sql.begin(async (tx) => {
      const [backend] = await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await admin`SELECT pg_terminate_backend(${backend!.pid})`;
      await connectionClosed;
      // The transaction's next query, on its pinned connection that has no socket now: its write is deferred.
      sendLate(tx`SELECT 1 AS i`);
    });
    begin.catch(() => closed());
    await expect(within(begin, 'sql.begin')).rejects.toMatchObject({ code: expect.stringMatching(/CONNECTION_CLOSED|57P01/) });
    await expect(within(late, 'the late query')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(await within(numbered(sql, 7), 'a query after the close')).toEqual([{ i: 7 }]);
  });
});
