import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { seedDemoUsers } from '../../api/auth/demo-users.js';
import { createSql, type Sql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { seedDemoData } from '../../db/seed.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../dev/postgres.js';
import { pause, restartPostgres, sigkill } from './faults.js';
import { ensureNamespace, prepareDatabases, startTemporalServer, type ServerOptions, type TemporalServer } from './temporal-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

export interface ClusterOptions {
  /** Everything the cluster keeps: postgres/, temporal-server/ (generated config, log), one log per process. */
  dir: string;
  pgPort: number;
  temporalPort: number;
  /** The APIs listen on apiPort, apiPort + 1, … */
  apiPort: number;
  historyShards: number;
  workers: number;
  apis: number;
  namespace?: string;
  /** Extra environment for the workers and APIs (SMTP_URL, a task queue of their own…). */
  env?: Record<string, string>;
  /** Progress lines (the script prints them; tests stay quiet). */
  say?: (line: string) => void;
}

interface Member {
  name: string;
  script: string;
  env: Record<string, string>;
  child?: ChildProcess;
  /** Where this start's lines begin in the member's log (the log is appended to across starts). */
  logFrom?: number;
}

/**
 * The system as production runs it, on one machine: embedded Postgres holding the app's database and the
 * Temporal server's two (persistence, visibility), the real Temporal server built from its Go module, the
 * search attributes registered by `npm run temporal:setup`, and several workers and APIs as processes of
 * their own. Members can be SIGKILLed and started again, the server SIGKILLed and started again on its
 * databases, Postgres stopped and started; a process that dies on its own is reported in `crashed`.
 */
export class Cluster {
  sql!: Sql;
  databaseUrl!: string;
  temporalAddress!: string;
  apiUrls: string[] = [];
  crashed: string | undefined;
  private pg?: EmbeddedDatabase;
  private server?: TemporalServer;
  private serverOptions?: ServerOptions;
  private members: Member[] = [];
  private killed = new Set<ChildProcess>();
  private stopping = false;

  constructor(private readonly o: ClusterOptions) {}

  /** A database on the cluster's Postgres (the bench keeps its own there). */
  postgresUrl(database: string): string {
    return this.pg!.url(database);
  }

  private say(line: string) {
    this.o.say?.(line);
  }

  /** Postgres and the Temporal server with its databases, namespace and search attributes (what the bench needs). */
  async startTemporal(): Promise<void> {
    const o = this.o;
    mkdirSync(o.dir, { recursive: true });
    this.say(`› starting embedded Postgres on port ${o.pgPort} (data in ${path.join(o.dir, 'postgres')})`);
    this.pg = await startEmbeddedPostgres({ dir: path.join(o.dir, 'postgres'), port: o.pgPort, persistent: true });
    const admin = new URL(this.pg.url('postgres'));
    const server: ServerOptions = {
      dir: path.join(o.dir, 'temporal-server'),
      frontendPort: o.temporalPort,
      historyShards: o.historyShards,
      postgres: { host: admin.hostname, port: Number(admin.port), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password) },
      persistenceDb: 'temporal',
      visibilityDb: 'temporal_visibility',
    };
    this.say('› temporal-sql-tool: databases temporal and temporal_visibility at the schema of server v1.29.1');
    await prepareDatabases(server, admin.href);
    this.say(`› starting the Temporal server v1.29.1 on port ${o.temporalPort}, ${o.historyShards} history shards (log in ${this.serverLog()})`);
    this.serverOptions = server;
    await this.launchServer();
    const namespace = o.namespace ?? 'default';
    await ensureNamespace(this.temporalAddress, namespace);
    // The production command, as an operator runs it against a new cluster.
    const setup = await run(process.execPath, ['--import', 'tsx', 'runtime/setup-temporal-main.ts'], {
      cwd: root,
      env: { ...process.env, TEMPORAL_ADDRESS: this.temporalAddress, TEMPORAL_NAMESPACE: namespace },
    });
    this.say(`› npm run temporal:setup: ${setup.stdout.trim()}`);
  }

  private serverLog(): string {
    return path.join(this.o.dir, 'temporal-server.log');
  }

  private async launchServer(): Promise<void> {
    const server = await startTemporalServer(this.serverOptions!, this.serverLog());
    server.process.once('exit', (code, signal) => {
      if (!this.stopping && !this.killed.has(server.process)) {
        this.crashed ??= `the Temporal server exited on its own (code ${code}, signal ${signal}); see ${this.serverLog()}`;
      }
    });
    this.server = server;
    this.temporalAddress = server.address;
  }

  /**
   * SIGKILL the Temporal server (no shutdown: its shards, task queues and membership rows are left as they were),
   * then, after `pauseMs`, the same server on the same databases and ports. The workers and APIs are not told:
   * they reconnect by themselves or the run fails.
   */
  async restartTemporal(pauseMs: number): Promise<void> {
    const child = this.server!.process;
    this.killed.add(child);
    await sigkill(child);
    await pause(pauseMs);
    await this.launchServer();
  }

  /** Postgres away for `downMs`: the app's database and the Temporal server's persistence and visibility with it. */
  async restartPostgres(downMs: number): Promise<void> {
    await restartPostgres(this.pg!, downMs);
  }

  /** The app's database migrated and seeded once, then the workers and the APIs. */
  async startApps(database = 'sales'): Promise<void> {
    const o = this.o;
    await ensureDatabase(this.pg!.url('postgres'), database);
    this.databaseUrl = this.pg!.url(database);
    this.sql = createSql(this.databaseUrl, { max: 10 });
    const applied = await migrate(this.sql);
    if (applied.length) this.say(`› migrations applied: ${applied.join(', ')}`);
    await seedDemoData(this.sql);
    await seedDemoUsers(this.sql);
    const env = { DATABASE_URL: this.databaseUrl, TEMPORAL_ADDRESS: this.temporalAddress, TEMPORAL_NAMESPACE: o.namespace ?? 'default', ...o.env };
    for (let i = 1; i <= o.workers; i++) this.members.push({ name: `worker-${i}`, script: 'runtime/worker-main.ts', env });
    for (let i = 0; i < o.apis; i++) {
      this.members.push({ name: `api-${i + 1}`, script: 'api/server-main.ts', env: { ...env, PORT: String(o.apiPort + i) } });
      this.apiUrls.push(`http://127.0.0.1:${o.apiPort + i}`);
    }
    for (const m of this.members) this.startMember(m.name);
    await Promise.all(this.apiUrls.map((url) => waitForHealth(url, () => this.crashed)));
    // The workers too: a fault injected while one still bundles its workflows would find nothing to cut off.
    await Promise.all(this.members.filter((m) => m.script === 'runtime/worker-main.ts').map((m) => this.waitForWorker(m)));
  }

  /** Until the worker logs that it starts polling (runtime/worker-main.ts, "worker started"). */
  private async waitForWorker(m: Member): Promise<void> {
    const log = path.join(this.o.dir, `${m.name}.log`);
    const deadline = Date.now() + 180_000;
    while (!readFileSync(log).subarray(m.logFrom).toString().includes('"worker started"')) {
      if (this.crashed) throw new Error(this.crashed);
      if (Date.now() > deadline) throw new Error(`${m.name} did not start polling; see ${log}`);
      await pause(250);
    }
  }

  startMember(name: string): void {
    const m = this.member(name);
    const out = openSync(path.join(this.o.dir, `${m.name}.log`), 'a');
    m.logFrom = statSync(path.join(this.o.dir, `${m.name}.log`)).size;
    const child = spawn(process.execPath, ['--import', 'tsx', m.script], { cwd: root, env: { ...process.env, ...m.env }, stdio: ['ignore', out, out] });
    child.once('exit', (code, signal) => {
      if (!this.killed.has(child) && !this.stopping) this.crashed ??= `${m.name} exited on its own (code ${code}, signal ${signal}); see ${path.join(this.o.dir, `${m.name}.log`)}`;
    });
    m.child = child;
  }

  /** SIGKILL: no drain, no goodbye; whatever the member was doing is cut off mid-way. */
  async kill(name: string): Promise<void> {
    const child = this.member(name).child;
    if (!child) return;
    this.killed.add(child);
    await sigkill(child);
  }

  async waitForApi(url: string): Promise<void> {
    await waitForHealth(url, () => this.crashed);
  }

  /** Workers and APIs first (SIGTERM: they drain), then the server, then Postgres. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.members.map(
        (m) =>
          new Promise<void>((resolve) => {
            const child = m.child;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await this.sql?.end({ timeout: 5 }).catch(() => undefined);
    await this.server?.stop();
    await this.pg?.stop();
  }

  private member(name: string): Member {
    const m = this.members.find((x) => x.name === name);
    if (!m) throw new Error(`no cluster member ${name}`);
    return m;
  }
}

async function waitForHealth(url: string, crashed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await fetch(`${url}/health`).then((r) => r.ok).catch(() => false))) {
    const why = crashed();
    if (why) throw new Error(why);
    if (Date.now() > deadline) throw new Error(`the API at ${url} did not come up`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
