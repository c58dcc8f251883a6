import { NativeConnection, Runtime } from '@temporalio/worker';
import { createSql } from '../db/client.js';
import {
  businessConfig, chatConfig, databaseConfig, observabilityConfig, outboxConfig, temporalConfig, temporalConnectionOptions, orExit, tracingConfig,
  workerTuningConfig,
} from './config.js';
import { installWorkerRuntime } from './metrics.js';
import { senderFromConfig } from './outbox/from-config.js';
import { tracingIfOn } from './tracing-switch.js';
import { createWorker } from './worker.js';

/** `npm run worker`: polls the task queue until SIGINT/SIGTERM, then drains and exits. */
async function main() {
  const observe = orExit(observabilityConfig);
  const db = orExit(databaseConfig);
  const temporal = orExit(temporalConfig);
  const business = orExit(businessConfig);
  const chat = orExit(chatConfig);
  const outbox = orExit(outboxConfig);
  const tuning = orExit(workerTuningConfig);
  const tracing = await tracingIfOn(orExit(tracingConfig), 'sales-backoffice-worker');
  installWorkerRuntime(observe);
  const sql = createSql(db.DATABASE_URL, { max: db.DATABASE_POOL_SIZE });
  const connection = await connectPatiently(temporalConnectionOptions(temporal));
  const worker = await createWorker({
    connection,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    sql,
    business,
    chat: { webhookUrl: chat.CHAT_WEBHOOK_URL },
    tuning,
    ...(tracing ? { tracing } : {}),
  });
  // The outbox sender runs beside the worker: every worker process shares the deliveries (SKIP LOCKED).
  const logger = Runtime.instance().logger;
  const sender = senderFromConfig(sql, outbox, chat, (message, fields) => logger.warn(message, fields));
  sender.start();
  logger.info('worker started', {
    taskQueue: temporal.TEMPORAL_TASK_QUEUE, namespace: temporal.TEMPORAL_NAMESPACE, mail: outbox.SMTP_URL ? 'on' : 'off',
    cachedWorkflows: worker.options.maxCachedWorkflows, workflowTaskSlots: worker.options.maxConcurrentWorkflowTaskExecutions,
    activitySlots: worker.options.maxConcurrentActivityTaskExecutions, localActivitySlots: worker.options.maxConcurrentLocalActivityExecutions,
  });
  await worker.run(); // the SDK shuts down gracefully on SIGINT / SIGTERM
  await sender.stop();
  await connection.close();
  await sql.end({ timeout: 5 });
  await tracing?.shutdown();
}

/**
 * A worker started while Temporal is away (a restart, a deploy of the cluster)
 * waits for it instead of exiting: up to two minutes, backing off to 5 s.
 */
async function connectPatiently(options: Parameters<typeof NativeConnection.connect>[0]): Promise<NativeConnection> {
  const until = Date.now() + 120_000;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
      if (Date.now() + wait > until) throw err;
      Runtime.instance().logger.warn('Temporal not reachable yet; retrying', { error: String(err), retryInMs: wait });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
