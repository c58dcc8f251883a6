import { serve } from '@hono/node-server';
import { createSql } from '../db/client.js';
import { apiConfig, approvalTiming, businessConfig, databaseConfig, exitOnConfigError, temporalConfig } from '../runtime/config.js';
import { connectClient } from '../runtime/temporal.js';
import { createApp } from './app.js';
import { resumeUnstartedOrders } from './orders/create-order.js';

/** `npm run api`: the HTTP API, stateless; run as many as you like. */
async function main() {
  let db, temporal, business, api;
  try {
    db = databaseConfig();
    temporal = temporalConfig();
    business = businessConfig();
    api = apiConfig();
  } catch (err) {
    exitOnConfigError(err);
  }
  const sql = createSql(db.DATABASE_URL, { max: db.DATABASE_POOL_SIZE });
  const client = await connectClient(temporal);
  const deps = {
    sql,
    temporal: client,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    timeZone: business.BUSINESS_TIME_ZONE,
    orderWorkflow: approvalTiming(business),
  };
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: api.HOST, port: api.PORT }, (info) => {
    console.log(JSON.stringify({ msg: 'api listening', url: `http://${api.HOST}:${info.port}`, docs: `http://${api.HOST}:${info.port}/docs` }));
  });
  const sweep = setInterval(() => {
    resumeUnstartedOrders(deps).catch((err) => console.error(JSON.stringify({ msg: 'resume sweep failed', err: String(err) })));
  }, 60_000);
  const stop = () => {
    clearInterval(sweep);
    server.close(async () => {
      await client.connection.close();
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
