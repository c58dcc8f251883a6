import { NativeConnection, Runtime } from '@temporalio/worker';
import { createSql } from '../db/client.js';
import { businessConfig, chatConfig, databaseConfig, exitOnConfigError, observabilityConfig, temporalConfig, temporalConnectionOptions } from './config.js';
import { installWorkerRuntime } from './metrics.js';
import { createWorker } from './worker.js';

/** `npm run worker`: polls the task queue until SIGINT/SIGTERM, then drains and exits. */
async function main() {
  let db, temporal, business, observe, chat;
  try {
    observe = observabilityConfig();
    db = databaseConfig();
    temporal = temporalConfig();
    business = businessConfig();
    chat = chatConfig();
  } catch (err) {
    exitOnConfigError(err);
  }
  installWorkerRuntime(observe);
  const sql = createSql(db.DATABASE_URL, { max: db.DATABASE_POOL_SIZE });
  const connection = await NativeConnection.connect(temporalConnectionOptions(temporal));
  const worker = await createWorker({
    connection,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    sql,
    business,
    chat: { webhookUrl: chat.CHAT_WEBHOOK_URL },
  });
  Runtime.instance().logger.info('worker started', { taskQueue: temporal.TEMPORAL_TASK_QUEUE, namespace: temporal.TEMPORAL_NAMESPACE });
  await worker.run(); // the SDK shuts down gracefully on SIGINT / SIGTERM
  await connection.close();
  await sql.end({ timeout: 5 });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
