import { execFile, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { spawnDevServer, stopChild } from '../dev/child.js';
import { ensureDatabase } from '../dev/postgres.js';
import { waitForTemporal } from '../dev/temporal.js';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** Where scripts/ensure-temporal-server.sh caches the server, temporal-sql-tool, the sample config and the schemas. */
export function temporalServerDir(): string {
  if (process.env.TEMPORAL_SERVER_DIR) return process.env.TEMPORAL_SERVER_DIR;
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'sales-backoffice', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

/**
 * Every port the four services open, from the frontend's: the offsets are the module's own sample config's
 * (frontend 7233, history 7234, matching 7235, worker 7239, HTTP 7243, membership 6933…, metrics 8000).
 */
export function serverPorts(frontend: number) {
  return {
    frontend,
    http: frontend + 10,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    membership: (service: number) => service - 300,
    metrics: frontend + 767,
  };
}

export interface ServerOptions {
  /** Where the generated config and the server's log go. */
  dir: string;
  frontendPort: number;
  historyShards: number;
  /** The Postgres the server keeps its persistence and visibility in: host:port, user, password. */
  postgres: { host: string; port: number; user: string; password: string };
  persistenceDb: string;
  visibilityDb: string;
}

const ENV_NAME = 'cluster';

/**
 * The module's config/development-postgres12.yaml with our ports, Postgres, shard count and dynamic config
 * file. Each replacement must hit exactly as often as expected: a new server version whose sample moved on
 * fails here, loudly, instead of starting on the sample's defaults.
 */
export function clusterConfig(sample: string, o: ServerOptions & { dynamicConfigFile: string }): string {
  const p = serverPorts(o.frontendPort);
  const replacements: [RegExp, string, number][] = [
    [/level: info/, 'level: warn', 1],
    [/numHistoryShards: 4/, `numHistoryShards: ${o.historyShards}`, 1],
    [/databaseName: "temporal"/, `databaseName: "${o.persistenceDb}"`, 1],
    [/databaseName: "temporal_visibility"/, `databaseName: "${o.visibilityDb}"`, 1],
    [/connectAddr: "127\.0\.0\.1:5432"/g, `connectAddr: "${o.postgres.host}:${o.postgres.port}"`, 2],
    [/user: "temporal"/g, `user: "${o.postgres.user}"`, 2],
    [/password: "temporal"/g, `password: "${o.postgres.password}"`, 2],
    // Visibility's two connections are the sample's; list queries and the writes of 4 shards queue on them.
    [/maxConns: 2\b/, 'maxConns: 10', 1],
    [/maxIdleConns: 2\b/, 'maxIdleConns: 10', 1],
    [/port: 7936/, 'port: 0', 1], // pprof off
    [/listenAddress: "127\.0\.0\.1:8000"/, `listenAddress: "127.0.0.1:${p.metrics}"`, 1],
    [/grpcPort: 7233\n(\s+)membershipPort: 6933\n(\s+)bindOnLocalHost: true\n(\s+)httpPort: 7243/,
      `grpcPort: ${p.frontend}\n$1membershipPort: ${p.membership(p.frontend)}\n$2bindOnLocalHost: true\n$3httpPort: ${p.http}`, 1],
    [/grpcPort: 7235\n(\s+)membershipPort: 6935/, `grpcPort: ${p.matching}\n$1membershipPort: ${p.membership(p.matching)}`, 1],
    [/grpcPort: 7234\n(\s+)membershipPort: 6934/, `grpcPort: ${p.history}\n$1membershipPort: ${p.membership(p.history)}`, 1],
    [/grpcPort: 7239\n(\s+)membershipPort: 6939/, `grpcPort: ${p.worker}\n$1membershipPort: ${p.membership(p.worker)}`, 1],
    [/rpcAddress: "localhost:7233"/, `rpcAddress: "127.0.0.1:${p.frontend}"`, 1],
    [/filepath: "config\/dynamicconfig\/development-sql\.yaml"/, `filepath: "${o.dynamicConfigFile}"`, 1],
  ];
  let out = sample;
  for (const [pattern, replacement, times] of replacements) {
    const hits = out.match(pattern.global ? pattern : new RegExp(pattern.source, 'g'))?.length ?? 0;
    if (hits !== times) throw new Error(`the server's sample config changed: ${pattern} matches ${hits} times, expected ${times}`);
    out = out.replace(pattern, replacement);
  }
  return out;
}

const run = promisify(execFile);

/**
 * Databases of their own for persistence and visibility, created if missing, then brought to the schema
 * this server version needs with temporal-sql-tool: `setup-schema -v 0.0` (only the version tables; a no-op
 * once there) and `update-schema` (applies the versions not yet applied, so a newer server upgrades them).
 */
export async function prepareDatabases(o: ServerOptions, adminUrl: string): Promise<void> {
  const bin = temporalServerDir();
  const tool = path.join(bin, 'temporal-sql-tool');
  for (const [db, schema] of [[o.persistenceDb, 'temporal'], [o.visibilityDb, 'visibility']] as const) {
    await ensureDatabase(adminUrl, db);
    const common = ['--plugin', 'postgres12', '--ep', o.postgres.host, '-p', String(o.postgres.port), '-u', o.postgres.user, '--pw', o.postgres.password, '--db', db];
    await run(tool, [...common, 'setup-schema', '-v', '0.0']);
    await run(tool, [...common, 'update-schema', '-d', path.join(bin, 'schema', 'postgresql', 'v12', schema, 'versioned')]);
  }
}

export interface TemporalServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `server start` (all four services in one process) on the generated config; waits until the frontend answers.
 * The server's output goes to `logPath`; when it does not come up, its last lines are the error.
 */
export async function startTemporalServer(o: ServerOptions, logPath: string): Promise<TemporalServer> {
  const bin = temporalServerDir();
  const configDir = path.join(o.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  const httpPort = serverPorts(o.frontendPort).http;
  writeFileSync(dynamicConfigFile, readFileSync(path.join(bin, 'config', 'development-sql.yaml'), 'utf8').replace('localhost:7243', `localhost:${httpPort}`));
  const sample = readFileSync(path.join(bin, 'config', 'development-postgres12.yaml'), 'utf8');
  writeFileSync(path.join(configDir, `${ENV_NAME}.yaml`), clusterConfig(sample, { ...o, dynamicConfigFile }));
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawnDevServer(path.join(bin, 'server'), ['--root', o.dir, '--config', 'config', '--env', ENV_NAME, '--allow-no-auth', 'start'], log);
  const address = `127.0.0.1:${o.frontendPort}`;
  await waitForTemporal(address, child, 120_000).catch(async (err: unknown) => {
    await new Promise((r) => setTimeout(r, 200)); // the last lines still in the pipe
    const tail = readFileSync(logPath, 'utf8').trim().split('\n').slice(-20).join('\n');
    throw new Error(`the Temporal server did not come up (${String(err)}); the end of ${logPath}:\n${tail}`, { cause: err });
  });
  return {
    address,
    process: child,
    stop: () => stopChild(child),
  };
}

/**
 * The server creates no namespace: register it (a week's retention) unless it exists, then wait until the
 * frontend's namespace cache knows it (it refreshes every few seconds), so the next call may use it.
 */
export async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const known = await connection.workflowService.describeNamespace({ namespace }).then(() => true, () => false);
    if (!known) {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') });
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }).then(() => true, () => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} did not become usable`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}
