import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { seedDemoData } from '../db/seed.js';
import { seedDemoUsers } from '../api/auth/demo-users.js';
import { ensureDatabase, startEmbeddedPostgres } from '../runtime/dev/postgres.js';
import { startTemporalDevServer } from '../runtime/dev/temporal.js';
import { freePort } from '../runtime/dev/ports.js';
import { stopChild } from '../runtime/dev/child.js';

export interface BenchStack {
  sql: Sql;
  databaseUrl: string;
  temporalAddress: string;
  apiUrl: string;
  /** The dev server's SQLite file (its size per open order); undefined against an external Temporal. */
  temporalDbFile: string | undefined;
  workerPid(): number;
  stop(): Promise<void>;
}

function startProcess(script: string, env: Record<string, string>, log: string): ChildProcess {
  const out = openSync(log, 'a');
  // BENCH_CPU_PROF=<dir>: each process writes a V8 CPU profile there when it exits (open in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return spawn(process.execPath, [...profile, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
}

/**
 * The benchmark's own stack: embedded Postgres and the Temporal dev server
 * (unless DATABASE_URL / TEMPORAL_ADDRESS are set), and the real worker and API
 * as separate processes, as in production, plus the floor workflow's worker.
 */
export async function startBenchStack(): Promise<BenchStack> {
  const stops: (() => Promise<void>)[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sales-bench-'));
  chmodSync(tmp, 0o755);
  stops.push(async () => rmSync(tmp, { recursive: true, force: true }));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
    stops.push(() => pg.stop());
    await ensureDatabase(pg.url('postgres'), 'bench');
    databaseUrl = pg.url('bench');
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalDbFile: string | undefined;
  if (!temporalAddress) {
    temporalDbFile = path.join(tmp, 'temporal.db');
    // Its output must be read: a pipe nobody drains fills up under load, and the server blocks on its next log line.
    mkdirSync('bench/results', { recursive: true });
    const logFile = createWriteStream('bench/results/temporal.log', { flags: 'a' });
    const server = await startTemporalDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: temporalDbFile, logFile });
    stops.push(() => server.stop());
    temporalAddress = server.address;
  }
  const sql = createSql(databaseUrl, { max: 40 });
  stops.push(() => sql.end({ timeout: 5 }));
  await migrate(sql);
  await seedDemoData(sql);
  await seedDemoUsers(sql);

  const apiPort = await freePort();
  const env = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, DATABASE_POOL_SIZE: '20' };
  mkdirSync('bench/results', { recursive: true });
  const log = 'bench/results/processes.log';
  // BENCH_WORKERS (default 1) worker processes on the one task queue: the measured effect of scaling workers out.
  const workers = Array.from({ length: Math.max(1, Number(process.env.BENCH_WORKERS ?? 1)) }, () =>
    startProcess('runtime/worker-main.ts', { ...env, TEMPORAL_TASK_QUEUE: 'bench-orders' }, log),
  );
  const worker = workers[0]!;
  const api = startProcess('api/server-main.ts', { ...env, TEMPORAL_TASK_QUEUE: 'bench-orders', PORT: String(apiPort) }, log);
  const floor = startProcess('bench/floor-worker.ts', { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: 'bench-floor' }, log);
  for (const child of [floor, api, ...workers]) stops.push(() => stopChild(child));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${apiUrl}/health`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    sql,
    databaseUrl,
    temporalAddress,
    apiUrl,
    temporalDbFile,
    workerPid: () => worker.pid!,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}
