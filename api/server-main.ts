import { serve } from '@hono/node-server';
import { createSql } from '../db/client.js';
import {
  apiConfig, orderWorkflowOptions, businessConfig, chatConfig, databaseConfig, observabilityConfig, orExit, temporalConfig, tracingConfig,
} from '../runtime/config.js';
import { JsonLogger } from '../runtime/logging.js';
import { connectClient } from '../runtime/temporal.js';
import { tracingIfOn } from '../runtime/tracing-switch.js';
import { createApp } from './app.js';
import { chatSettingsFrom } from './chat/settings.js';
import { resumeUnstartedOrders } from './orders/create-order.js';
import { purgeExpiredIdempotencyKeys } from '../db/idempotency.js';

/** `npm run api`: the HTTP API, stateless; run as many as you like. */
async function main() {
  const observe = orExit(observabilityConfig);
  const chat = orExit(chatConfig);
  const db = orExit(databaseConfig);
  const temporal = orExit(temporalConfig);
  const business = orExit(businessConfig);
  const api = orExit(apiConfig);
  const tracing = await tracingIfOn(orExit(tracingConfig), 'sales-backoffice-api');
  const sql = createSql(db.DATABASE_URL, { max: db.DATABASE_POOL_SIZE });
  const client = await connectClient(temporal, tracing && (await import('../runtime/tracing.js')).tracingClientInterceptors(tracing));
  const deps = {
    sql, temporal: client, taskQueue: temporal.TEMPORAL_TASK_QUEUE, timeZone: business.BUSINESS_TIME_ZONE,
    orderWorkflow: orderWorkflowOptions(business),
    commandTimeoutMs: api.COMMAND_ANSWER_TIMEOUT,
  };
  const app = createApp({
    ...deps,
    logger: new JsonLogger(observe.LOG_LEVEL),
    temporalUiUrl: temporal.TEMPORAL_UI_URL,
    namespace: temporal.TEMPORAL_NAMESPACE,
    auth: { jwtSecret: chat.JWT_SECRET },
    metricsToken: api.API_METRICS_TOKEN,
    maxBodyBytes: api.MAX_BODY_BYTES,
    chat: chatSettingsFrom(chat),
    idempotencyKeyTtlMs: api.IDEMPOTENCY_KEY_TTL,
    tokenCacheSize: api.TOKEN_CACHE_SIZE,
    webhookInternalHostsAllowed: api.WEBHOOK_INTERNAL_HOSTS_ALLOWED,
    ...(tracing ? { requestSpans: (await import('./http-spans.js')).httpSpans(tracing.tracer) } : {}),
  });
  const server = serve({ fetch: app.fetch, hostname: api.HOST, port: api.PORT }, (info) => {
    console.log(JSON.stringify({ msg: 'api listening', url: `http://${api.HOST}:${info.port}`, docs: `http://${api.HOST}:${info.port}/docs` }));
  });
  const sweep = setInterval(() => {
    resumeUnstartedOrders(deps).catch((err) => console.error(JSON.stringify({ msg: 'resume sweep failed', err: String(err) })));
    purgeExpiredIdempotencyKeys(sql).catch((err) => console.error(JSON.stringify({ msg: 'idempotency key purge failed', err: String(err) })));
  }, 60_000);
  const stop = () => {
    clearInterval(sweep);
    server.close(async () => {
      await client.connection.close();
      await tracing?.shutdown();
      await sql.end({ timeout: 5 });
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
