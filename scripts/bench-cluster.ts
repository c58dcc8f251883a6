import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../runtime/cluster/stack.js';
import { freeClusterPorts } from '../runtime/cluster/ports.js';
import { ensureDatabase } from '../runtime/dev/postgres.js';

/**
 * `npm run bench:cluster`: the bench (bench/run.ts, its own worker, API and floor worker, the same BENCH_*
 * variables and arguments) against the cluster profile's Temporal server on Postgres instead of the dev
 * server on SQLite. The cluster is a fresh one in a temporary folder, stopped and removed afterwards.
 */
async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sales-bench-cluster-'));
  chmodSync(tmp, 0o755); // as root, PostgreSQL runs as its own user and must reach its data folder
  const ports = await freeClusterPorts(1);
  const cluster = new Cluster({
    dir: tmp,
    ...ports,
    historyShards: Number(process.env.TEMPORAL_HISTORY_SHARDS ?? 4),
    workers: 0,
    apis: 0,
    say: (line) => console.log(line),
  });
  let code = 1;
  try {
    await cluster.startTemporal();
    const databaseUrl = cluster.postgresUrl('bench');
    await ensureDatabase(cluster.postgresUrl('postgres'), 'bench');
    const bench = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, TEMPORAL_ADDRESS: cluster.temporalAddress, DATABASE_URL: databaseUrl },
    });
    const stop = () => bench.kill('SIGINT');
    process.on('SIGINT', stop);
    code = await new Promise<number>((resolve) => bench.once('exit', (c) => resolve(c ?? 1)));
  } catch (err) {
    console.error(err);
  } finally {
    await cluster.stop();
    if (code === 0) rmSync(tmp, { recursive: true, force: true });
    else console.error(`the cluster's logs are kept in ${tmp}`);
  }
  process.exit(code);
}

void main();
