import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../runtime/dev/ports.js';

/**
 * `npm start` as root from a clone under root's home (mode 0700): PostgreSQL runs as the user postgres,
 * who cannot enter that home. Here a copy of runtime/dev's Postgres start (with node_modules hard-linked,
 * never written) runs from under a 0700 folder and keeps its data in the clone's .data/postgres, as
 * scripts/dev.ts does. Before the fix its first spawn failed with `spawn …/initdb EACCES`.
 */
const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const asRoot = process.getuid?.() === 0;
const home = asRoot ? mkdtempSync(path.join(os.tmpdir(), 'home700-')) : '';
const app = path.join(home, 'app');

// Starts the server on the clone's data, runs the statements, stops: what one `npm start` does to Postgres.
const START = `
import postgres from 'postgres';
import { startEmbeddedPostgres } from './runtime/dev/postgres.js';
const pg = await startEmbeddedPostgres({ dir: '.data/postgres', port: Number(process.argv[2]), persistent: true });
const sql = postgres(pg.url('postgres'), { max: 1, onnotice: () => {} });
let rows: unknown = [];
for (const statement of process.argv.slice(3)) rows = await sql.unsafe(statement);
await sql.end();
await pg.stop();
console.log(JSON.stringify(rows));
`;

/** The last statement's rows. */
async function startAndRun(...statements: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'start.ts', String(await freePort()), ...statements], { cwd: app, timeout: 90_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe.skipIf(!asRoot)('embedded Postgres as root from a clone under a 0700 home (skipped unless root: only root runs it as the user postgres)', () => {
  afterAll(() => {
    const data = path.join(app, '.data/postgres');
    if (lstatSync(data, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(readlinkSync(data), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('starts, answers, and finds its data again on the next start; the home keeps mode 0700', async () => {
    chmodSync(home, 0o700);
    mkdirSync(path.join(app, 'runtime/dev'), { recursive: true });
    for (const file of ['postgres.ts', 'postgres-as-root.ts']) copyFileSync(path.join(repo, 'runtime/dev', file), path.join(app, 'runtime/dev', file));
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(path.join(app, 'start.ts'), START);
    await run('cp', ['-al', path.join(repo, 'node_modules'), path.join(app, 'node_modules')]);

    expect(await startAndRun('CREATE TABLE kept (note text)', `INSERT INTO kept VALUES ('first start') RETURNING note`)).toEqual([{ note: 'first start' }]);
    expect(await startAndRun('SELECT note FROM kept')).toEqual([{ note: 'first start' }]);
    expect(statSync(home).mode & 0o777).toBe(0o700);
  }, 180_000);
});
