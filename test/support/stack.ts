import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { devToken } from '../../api/auth/demo-users.js';
import type { ChatSettings } from '../../api/chat/settings.js';
import { createSql, type Sql } from '../../db/client.js';
import { smtpMailer } from '../../runtime/outbox/email.js';
import { createSender, type RetryPolicy, type Sender } from '../../runtime/outbox/sender.js';
import { createWorker } from '../../runtime/worker.js';

export interface Stack {
  sql: Sql;
  /** Connection URL of this file's own database. */
  databaseUrl: string;
  client: Client;
  taskQueue: string;
  temporalAddress: string;
  app: ReturnType<typeof createApp>;
  /** The order-number prefix of this file, so workflow ids never meet another file's. */
  orderPrefix: string;
  worker: Worker | undefined;
  /** Chat secrets and webhook, shared by the app and the worker; a test may change them. */
  chat: ChatSettings;
  /** The HS256 secret the app accepts JWTs with. */
  jwtSecret: string;
  /** Slow chat work started after an acknowledgement (so a test can wait for it). */
  background: Promise<unknown>[];
  /** Runs the in-process worker (started by default). */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** The outbox sender, running beside the worker: chat deliveries only, unless a test gives it an SMTP server. */
  sender: Sender | undefined;
  /** (Re)starts the sender, with mail to `smtpUrl` and the test's retry policy (quick by default). */
  startSender(options?: { smtpUrl?: string; retry?: RetryPolicy; webhookSecrets?: ReadonlyMap<string, string>; internalHostsAllowed?: boolean }): Promise<void>;
  /** `user` sends that demo user's bearer token (api/auth/demo-users.ts). */
  request(method: string, path: string, options?: { body?: unknown; user?: string; anonymous?: boolean; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
}

function tag(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from(randomBytes(4), (b) => letters[b % letters.length]).join('');
}

/**
 * Per test file: its own database copied from the migrated, seeded template, its
 * own task queue and document prefixes, an in-process worker on the shared
 * Temporal dev server, and the Hono app wired to both.
 */
let runtimeInstalled = false;

export function useStack(options: { worker?: boolean; commandTimeoutMs?: number } = {}): Stack {
  if (!runtimeInstalled) {
    // Keep the SDK's info lines out of the test report; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const stack = {} as Stack;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let workerRun: Promise<void> | undefined;
  const dbName = `t_${tag().toLowerCase()}_${process.pid}`;

  beforeAll(async () => {
    const adminUrl = inject('pgAdminUrl');
    const admin = createSql(adminUrl, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${dbName} TEMPLATE ${inject('pgTemplate')}`);
    await admin.end();
    stack.databaseUrl = adminUrl.replace(/\/postgres$/, `/${dbName}`);
    stack.sql = createSql(stack.databaseUrl, { max: 20 });
    const t = tag();
    stack.orderPrefix = `SO${t}`;
    await stack.sql`UPDATE numbering_rules SET prefix = ${stack.orderPrefix} WHERE document_type = 'sales_order'`;
    stack.temporalAddress = inject('temporalAddress');
    connection = await Connection.connect({ address: stack.temporalAddress });
    stack.client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    stack.taskQueue = `tq-${dbName}`;
    stack.chat = { slackSigningSecret: 'test-slack-signing-secret', dingtalkAppSecret: 'test-dingtalk-app-secret' };
    stack.jwtSecret = 'test-jwt-secret-of-at-least-32-characters';
    stack.background = [];
    stack.app = createApp({
      sql: stack.sql,
      temporal: stack.client,
      taskQueue: stack.taskQueue,
      timeZone: 'Asia/Shanghai',
      auth: { jwtSecret: stack.jwtSecret },
      chat: stack.chat,
      background: (work) => stack.background.push(work),
      // The tests' chat receivers listen on loopback.
      webhookInternalHostsAllowed: true,
      ...(options.commandTimeoutMs ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
    });
    stack.startWorker = async () => {
      if (workerRun) return;
      stack.worker = await createWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue: stack.taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        sql: stack.sql,
        business: { BUSINESS_TIME_ZONE: 'Asia/Shanghai' },
        chat: stack.chat,
      });
      workerRun = stack.worker.run();
    };
    stack.stopWorker = async () => {
      if (!workerRun || !stack.worker) return;
      if (stack.worker.getState() === 'RUNNING') stack.worker.shutdown();
      await workerRun;
      workerRun = undefined;
      stack.worker = undefined;
    };
    stack.startSender = async (o = {}) => {
      await stack.sender?.stop();
      stack.sender = createSender({
        sql: stack.sql,
        mailer: o.smtpUrl ? smtpMailer(o.smtpUrl, 'Sales back office <sales@test.example>', 5000) : undefined,
        retry: o.retry ?? { firstMs: 200, capMs: 1000, maxAttempts: 5 },
        pollMs: 100,
        leaseMs: 15_000,
        // A test posts to its own receivers only, whatever a test (or the fuzz pass) puts in the routing.
        webhookAllowed: (url) => url.hostname === '127.0.0.1',
        internalHostsAllowed: o.internalHostsAllowed ?? true,
        ...(o.webhookSecrets ? { webhookSecrets: o.webhookSecrets } : {}),
      });
      stack.sender.start();
    };
    stack.request = async (method, path, opts = {}) => {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      // Tests written before sign-in existed name no user: they act as the admin. `anonymous` sends no credentials.
      if (!opts.anonymous && !headers.authorization) headers.authorization = `Bearer ${devToken(opts.user ?? 'admin.root')}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      }
      const res = await stack.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed };
    };
    if (options.worker !== false) await stack.startWorker();
    await stack.startSender();
  });

  afterAll(async () => {
    await Promise.allSettled(stack.background ?? []);
    await stack.sender?.stop();
    await stack.stopWorker?.();
    await connection?.close();
    await nativeConnection?.close();
    await stack.sql?.end({ timeout: 5 });
    const admin = createSql(inject('pgAdminUrl'), { max: 1 });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  return stack;
}
