import { NativeConnection, Runtime } from '@temporalio/worker';
import { createSql } from '../db/client.js';
import { businessConfig, chatConfig, databaseConfig, observabilityConfig, temporalConfig, temporalConnectionOptions, orExit } from './config.js';
import { installWorkerRuntime } from './metrics.js';
import { createWorker } from './worker.js';

/** Temporal may be restarting while a worker starts: try again for a minute before giving up. */
async function connectToTemporal(options: Parameters<typeof NativeConnection.connect>[0]): Promise<NativeConnection> {
  const giveUpAt = Date.now() + 60_000;
  for (let waitMs = 250; ; waitMs = Math.min(waitMs * 2, 5_000)) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
      if (Date.now() > giveUpAt) throw err;
      Runtime.instance().logger.warn('Temporal not reachable yet, trying again', { error: String(err), waitMs });
      await new Promise((r) => setTimeout(r, waitMs));
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
  installWorkerRuntime(observe);
  const sql = createSql(db.DATABASE_URL, { max: db.DATABASE_POOL_SIZE });
  const connection = await connectToTemporal(temporalConnectionOptions(temporal));
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
