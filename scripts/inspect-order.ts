import { orderTimeline } from '../api/timeline/index.js';
import { temporalUiLink, timelineAsText } from '../api/timeline/text.js';
import { createSql } from '../db/client.js';
import { DomainError } from '../domain/errors.js';
import { databaseConfig, temporalConfig, orExit } from '../runtime/config.js';
import { loadDevEnv } from '../runtime/dev/env-file.js';
import { connectClient } from '../runtime/temporal.js';

/**
 * `npm run order:inspect -- SO-20261123-0001 [--full]`: what happened to one order, step by step (Postgres facts,
 * refused commands from the audit, the workflow history; `--full`: every workflow event unfolded), and its page
 * in the Temporal Web UI.
 * Configured by the same environment as the worker (DATABASE_URL, TEMPORAL_*); beside `npm start`, what that
 * start wrote in .data/dev-env.json fills what is not set.
 */
async function main() {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const [number, ...rest] = args.filter((a) => a !== '--full');
  if (!number || rest.length > 0 || number.startsWith('-')) {
    console.error('usage: npm run order:inspect -- <order number> [--full]');
    process.exit(64);
  }
  loadDevEnv();
  const db = orExit(databaseConfig);
  const temporal = orExit(temporalConfig);
  const sql = createSql(db.DATABASE_URL, { max: 2 });
  const client = await connectClient(temporal);
  try {
    const timeline = await orderTimeline({ sql, temporal: client }, number, full ? 'full' : 'steps');
    const link = temporal.TEMPORAL_UI_URL ? temporalUiLink(temporal.TEMPORAL_UI_URL, temporal.TEMPORAL_NAMESPACE, timeline.workflowId) : undefined;
    if (!link) console.error('No Temporal Web UI link: set TEMPORAL_UI_URL (beside npm start it is read from .data/dev-env.json).');
    console.log(timelineAsText(timeline, link));
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  } finally {
    await client.connection.close();
    await sql.end({ timeout: 5 });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
