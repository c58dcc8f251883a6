import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../api/app.js';
import { DEMO_USERS, devToken, seedDemoUsers } from '../api/auth/demo-users.js';
import { chatSettingsFrom } from '../api/chat/settings.js';
import { resumeUnstartedOrders } from '../api/orders/create-order.js';
import { createSql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { seedDemoData } from '../db/seed.js';
import { apiConfig, orderWorkflowOptions, businessConfig, chatConfig, outboxConfig, temporalConfig, orExit, tracingConfig } from '../runtime/config.js';
import { startMailpit, type MailCatcher } from '../runtime/dev/mailpit.js';
import { senderFromConfig } from '../runtime/outbox/from-config.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/dev/postgres.js';
import { startTemporalDevServer, type DevServer } from '../runtime/dev/temporal.js';
import { registerSearchAttributes } from '../runtime/search-attributes.js';
import { connectClient } from '../runtime/temporal.js';
import { tracingIfOn } from '../runtime/tracing-switch.js';
import { createWorker } from '../runtime/worker.js';
import { saveDevEnv } from '../runtime/dev/env-file.js';

/**
 * `npm start`: the whole system on one machine. Embedded Postgres (unless
 * DATABASE_URL is set) and the Temporal dev server (unless TEMPORAL_ADDRESS is
 * set), both keeping their data under .data/, then migrations, demo data, the
 * worker and the API. Ctrl-C stops everything; the next start finds it all again.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const env = process.env;

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n› stopping…');
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => console.error(String(err)));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  let pg: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    const port = Number(env.PG_PORT ?? 5433);
    console.log(`› starting embedded Postgres on port ${port} (data in .data/postgres)`);
    pg = await startEmbeddedPostgres({ dir: path.join(dataDir, 'postgres'), port, persistent: true });
    cleanups.push(() => pg!.stop());
    await ensureDatabase(pg.url('postgres'), 'sales');
    env.DATABASE_URL = pg.url('sales');
  }

  let temporalServer: DevServer | undefined;
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
    console.log(`› starting the Temporal dev server on port ${port} (SQLite in .data/temporal.db; log in .data/temporal.log)`);
    temporalServer = await startTemporalDevServer({
      port,
      uiPort,
      dbFile: path.join(dataDir, 'temporal.db'),
      logFile: createWriteStream(path.join(dataDir, 'temporal.log'), { flags: 'a' }),
    });
    cleanups.push(() => temporalServer!.stop());
    env.TEMPORAL_ADDRESS = temporalServer.address;
    env.TEMPORAL_UI_URL ??= temporalServer.uiUrl;
  }

  let mailpit: MailCatcher | undefined;
  if (!env.SMTP_URL && env.MAILPIT_PATH) {
    const smtpPort = Number(env.MAILPIT_SMTP_PORT ?? 1025);
    const uiPort = Number(env.MAILPIT_UI_PORT ?? 8025);
    console.log(`› starting Mailpit, the local mail catcher, on SMTP port ${smtpPort} (mail in .data/mailpit.db)`);
    mailpit = await startMailpit({
      smtpPort,
      uiPort,
      dbFile: path.join(dataDir, 'mailpit.db'),
      logFile: createWriteStream(path.join(dataDir, 'mailpit.log'), { flags: 'a' }),
    });
    cleanups.push(() => mailpit!.stop());
    env.SMTP_URL = mailpit.smtpUrl;
  }

  const chat = orExit(chatConfig);
  const outbox = orExit(outboxConfig);
  const temporal = orExit(temporalConfig);
  const business = orExit(businessConfig);
  const api = orExit(apiConfig);
  // Worker and API share this process, and so one tracer provider (off unless OTEL_TRACES_EXPORTER is set).
  const tracing = await tracingIfOn(orExit(tracingConfig), 'sales-backoffice-dev');
  if (tracing) cleanups.push(() => tracing.shutdown());

  const sql = createSql(env.DATABASE_URL!);
  cleanups.push(() => sql.end({ timeout: 5 }));
  saveDevEnv(env);
  const applied = await migrate(sql);
  if (applied.length) console.log(`› migrations applied: ${applied.join(', ')}`);
  await seedDemoData(sql);
  await seedDemoUsers(sql);

  // Also for our own dev server: its --search-attribute flags only count when its SQLite file is new, so
  // attributes added by a later version of this code must be registered on an existing file.
  {
    const c = await Connection.connect({ address: temporal.TEMPORAL_ADDRESS });
    const added = await registerSearchAttributes(c, temporal.TEMPORAL_NAMESPACE);
    if (added.length) console.log(`› registered search attributes ${added.join(', ')}`);
    await c.close();
  }

  const workerConnection = await NativeConnection.connect({ address: temporal.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection: workerConnection,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    sql,
    business,
    chat: { webhookUrl: chat.CHAT_WEBHOOK_URL },
    ...(tracing ? { tracing } : {}),
  });
  const workerDone = worker.run();
  const sender = senderFromConfig(sql, outbox, chat, (message, fields) => console.warn(`› outbox: ${message}`, JSON.stringify(fields)));
  sender.start();
  cleanups.push(() => sender.stop());
  cleanups.push(async () => {
    // The SDK already drains the worker on SIGINT/SIGTERM; shut it down only if it still runs.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone;
    await workerConnection.close();
  });

  const client = await connectClient(temporal, tracing && (await import('../runtime/tracing.js')).tracingClientInterceptors(tracing));
  const deps = {
    sql,
    temporal: client,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    timeZone: business.BUSINESS_TIME_ZONE,
    orderWorkflow: orderWorkflowOptions(business),
    commandTimeoutMs: api.COMMAND_ANSWER_TIMEOUT,
  };
  await resumeUnstartedOrders(deps, 0);
  const app = createApp({
    ...deps,
    temporalUiUrl: env.TEMPORAL_UI_URL,
    namespace: temporal.TEMPORAL_NAMESPACE,
    auth: { jwtSecret: chat.JWT_SECRET },
    metricsToken: api.API_METRICS_TOKEN,
    maxBodyBytes: api.MAX_BODY_BYTES,
    idempotencyKeyTtlMs: api.IDEMPOTENCY_KEY_TTL,
    tokenCacheSize: api.TOKEN_CACHE_SIZE,
    webhookInternalHostsAllowed: api.WEBHOOK_INTERNAL_HOSTS_ALLOWED,
    chat: chatSettingsFrom(chat),
    ...(tracing ? { requestSpans: (await import('../api/http-spans.js')).httpSpans(tracing.tracer) } : {}),
  });
  const server = serve({ fetch: app.fetch, hostname: api.HOST, port: api.PORT });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const base = `http://${api.HOST === '0.0.0.0' ? '127.0.0.1' : api.HOST}:${api.PORT}`;
  console.log(`
  Sales back office is running
    API               ${base}
    API docs          ${base}/docs   (OpenAPI: ${base}/openapi.json)
    Console           ${base}/console   Metrics ${base}/metrics (admin token or API_METRICS_TOKEN)
    Temporal Web UI   ${env.TEMPORAL_UI_URL ?? '(external Temporal: see its own UI)'}
    Temporal          ${temporal.TEMPORAL_ADDRESS}  namespace ${temporal.TEMPORAL_NAMESPACE}, task queue ${temporal.TEMPORAL_TASK_QUEUE}
    Postgres          ${env.DATABASE_URL!.replace(/:[^:@/]+@/, ':***@')}
    Mail              ${mailpit ? `Mailpit web UI ${mailpit.uiUrl} (every mail the outbox sends lands there; SMTP ${mailpit.smtpUrl})` : outbox.SMTP_URL ? `SMTP ${outbox.SMTP_URL.replace(/:[^:@/]+@/, ':***@')}` : 'off (Mailpit not built and no SMTP_URL: mail waits in the outbox)'}
  Dev tokens (Authorization: Bearer <token>; new ones: npm run token:create -- --user NAME --role ROLE)
${devTokenLines()}
    Chat              Slack ${chat.SLACK_SIGNING_SECRET ? 'on' : 'off'} (${base}/chat/slack/commands, /chat/slack/interactions), DingTalk ${chat.DINGTALK_APP_SECRET ? 'on' : 'off'} (${base}/chat/dingtalk/robot), approval requests to ${chat.CHAT_WEBHOOK_URL ?? 'the approvers\' routes only'}
  Walk an order through:  npm run demo        Stop: Ctrl-C
`);
  await workerDone;
}

/** One demo user per role with its known dev token (seeded by seedDemoUsers; dev only). */
function devTokenLines(): string {
  const firstOfRole = DEMO_USERS.filter((u, i) => DEMO_USERS.findIndex((v) => v.role === u.role) === i);
  return firstOfRole.map((u) => `    ${u.role.padEnd(18)}${u.name.padEnd(16)}${devToken(u.name)}`).join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
