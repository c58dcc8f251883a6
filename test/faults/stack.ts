import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { seedDemoData } from '../../db/seed.js';
import { seedDemoUsers } from '../../api/auth/demo-users.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../../runtime/dev/postgres.js';
import { startTemporalDevServer, type DevServer } from '../../runtime/dev/temporal.js';
import { freePort } from '../../runtime/dev/ports.js';
import { pause, restartPostgres, sigkill } from '../../runtime/cluster/faults.js';

/**
 * A stack whose every part can be killed and restarted: embedded Postgres on
 * its own data folder, the Temporal dev server on a SQLite file, and the worker
 * and API as their own processes.
 */
/** Where the worker's and API's log is kept after a crash (test-results/ is not committed). */
const KEPT_LOG = path.resolve('test-results/fault-suite-processes.log');

export class FaultStack {
  sql!: Sql;
  apiUrl!: string;
  temporalAddress!: string;
  private tmp = '';
  private pg!: EmbeddedDatabase;
  private temporal!: DevServer;
  private temporalPorts!: { port: number; uiPort: number };
  private worker?: ChildProcess;
  private api?: ChildProcess;
  private env!: Record<string, string>;
  private log!: number;
  private expected = new Set<ChildProcess>();
  /** Set when the worker or API died without being killed by the suite: the run fails instead of waiting. */
  crashed: string | undefined;

  async start(): Promise<void> {
    this.tmp = mkdtempSync(path.join(os.tmpdir(), 'sales-faults-'));
    chmodSync(this.tmp, 0o755);
    this.log = openSync(path.join(this.tmp, 'processes.log'), 'a');
    this.pg = await startEmbeddedPostgres({ dir: path.join(this.tmp, 'pg'), port: await freePort(), persistent: true });
    await ensureDatabase(this.pg.url('postgres'), 'faults');
    this.temporalPorts = { port: await freePort(), uiPort: await freePort() };
    await this.startTemporal();
    this.sql = createSql(this.pg.url('faults'), { max: 10 });
    await migrate(this.sql);
    await seedDemoData(this.sql);
    await seedDemoUsers(this.sql);
    const apiPort = await freePort();
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.env = {
      DATABASE_URL: this.pg.url('faults'),
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_TASK_QUEUE: 'faults',
      DATABASE_POOL_SIZE: '20',
      PORT: String(apiPort),
    };
    this.startWorker();
    this.api = this.spawn('api/server-main.ts');
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`${this.apiUrl}/health`).then((r) => r.ok).catch(() => false))) {
      if (Date.now() > deadline) throw new Error('the API did not come up');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private spawn(script: string): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...this.env }, stdio: ['ignore', this.log, this.log] });
    child.once('exit', (code, signal) => {
      if (!this.expected.has(child)) this.crashed ??= `${script} exited on its own (code ${code}, signal ${signal}); see its log in ${KEPT_LOG}`;
    });
    return child;
  }

  private async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({ ...this.temporalPorts, dbFile: path.join(this.tmp, 'temporal.db') });
    this.temporalAddress = this.temporal.address;
  }

  startWorker(): void {
    this.worker = this.spawn('runtime/worker-main.ts');
  }

  /** SIGKILL: no drain, no goodbye; in-flight activities are lost mid-way. */
  async killWorker(): Promise<void> {
    const w = this.worker;
    if (!w || w.exitCode !== null) return;
    this.expected.add(w);
    await sigkill(w);
  }

  async restartTemporal(downMs: number): Promise<void> {
    await this.temporal.stop();
    await pause(downMs);
    await this.startTemporal();
  }

  async restartPostgres(downMs: number): Promise<void> {
    await restartPostgres(this.pg, downMs);
  }

  async stop(): Promise<void> {
    for (const child of [this.api, this.worker]) {
      if (child && child.exitCode === null) {
        this.expected.add(child);
        await sigkill(child);
      }
    }
    await this.sql?.end({ timeout: 5 }).catch(() => undefined);
    await this.temporal?.stop();
    await this.pg?.stop();
    // The processes' own log outlives the run when something crashed: it is the only account of why.
    if (this.crashed) {
      mkdirSync(path.dirname(KEPT_LOG), { recursive: true });
      copyFileSync(path.join(this.tmp, 'processes.log'), KEPT_LOG);
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
