import { NativeConnection, Runtime } from '@temporalio/worker';
import { createSql } from '../db/client.js';
import {
  businessConfig, chatConfig, databaseConfig, observabilityConfig, temporalConfig, temporalConnectionOptions, orExit, tracingConfig,
} from './config.js';
import { installWorkerRuntime } from './metrics.js';
import { tracingIfOn } from './tracing-switch.js';
import { createWorker } from './worker.js';

/**
 * A worker started while the Temporal frontend restarts (a rolling upgrade, the fault suite's restart)
 * waits for it for a minute instead of exiting at once; past that, it fails as before.
 */
async function connectWhenReachable(options: Parameters<typeof NativeConnection.connect>[0]): Promise<NativeConnection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      Runtime.instance().logger.warn('Temporal not reachable yet; retrying', { error: String(err) });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** `npm run worker`: polls the task queue until SIGINT/SIGTERM, then drains and exits. */
async function main() {
  const observe = orExit(observabilityConfig);
  const db = orExit(databaseConfig);
  const temporal = orExit(temporalConfig);
  const business = orExit(businessConfig);
  const chat = orExit(chatConfig);
  const tracing = await tracingIfOn(orExit(tracingConfig), 'sales-backoffice-worker');
  installWorkerRuntime(observe);
  const sql = createSql(db.DATABASE_URL, { max: db.DATABASE_POOL_SIZE });
  const connection = await connectWhenReachable(temporalConnectionOptions(temporal));
  const worker = await createWorker({
    connection,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    sql,
    business,
    chat: { webhookUrl: chat.CHAT_WEBHOOK_URL },
    ...(tracing ? { tracing } : {}),
  });
  Runtime.instance().logger.info('worker started', { taskQueue: temporal.TEMPORAL_TASK_QUEUE, namespace: temporal.TEMPORAL_NAMESPACE });
  await worker.run(); // the SDK shuts down gracefully on SIGINT / SIGTERM
  await connection.close();
  await sql.end({ timeout: 5 });
  await tracing?.shutdown();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
