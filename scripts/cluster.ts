import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_USERS, devToken } from '../api/auth/demo-users.js';
import { Cluster } from '../runtime/cluster/stack.js';
import { saveDevEnv } from '../runtime/dev/env-file.js';
import { startMailpit, type MailCatcher } from '../runtime/dev/mailpit.js';

/**
 * `npm run start:cluster`: the system the way production runs it, on this machine. The real Temporal server
 * (v1.29.1, built from its Go module) with persistence and SQL visibility in Postgres, two workers and two
 * APIs as processes of their own, all on the embedded Postgres `npm start` uses (.data/postgres), the app in
 * a database of its own (sales_cluster). Ctrl-C stops everything; the next start finds it all again.
 * `npm run bench:cluster` runs the bench against a cluster of its own.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const env = process.env;
const num = (name: string, fallback: number) => Number(env[name] ?? fallback);

async function main() {
  const started = Date.now();
  const apiPort = num('PORT', 3000);
  const cluster = new Cluster({
    dir: dataDir,
    pgPort: num('PG_PORT', 5433),
    temporalPort: num('TEMPORAL_PORT', 7233),
    apiPort,
    historyShards: num('TEMPORAL_HISTORY_SHARDS', 4),
    workers: num('CLUSTER_WORKERS', 2),
    apis: num('CLUSTER_APIS', 2),
    say: (line) => console.log(line),
  });
  let mailpit: MailCatcher | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n› stopping…');
    await cluster.stop().catch((err) => console.error(String(err)));
    await mailpit?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await cluster.startTemporal();
    if (!env.SMTP_URL && env.MAILPIT_PATH) {
      mailpit = await startMailpit({
        smtpPort: num('MAILPIT_SMTP_PORT', 1025),
        uiPort: num('MAILPIT_UI_PORT', 8025),
        dbFile: path.join(dataDir, 'mailpit.db'),
        logFile: createWriteStream(path.join(dataDir, 'mailpit.log'), { flags: 'a' }),
      });
      env.SMTP_URL = mailpit.smtpUrl; // the workers inherit it
    }
    // A database of its own: orders made under `npm start` have their workflows on the dev server, not here.
    await cluster.startApps('sales_cluster');
    saveDevEnv({ DATABASE_URL: cluster.databaseUrl, TEMPORAL_ADDRESS: cluster.temporalAddress }); // for npm run order:inspect
  } catch (err) {
    console.error(err);
    await stop(1);
    return;
  }

  const firstOfRole = DEMO_USERS.filter((u, i) => DEMO_USERS.findIndex((v) => v.role === u.role) === i);
  console.log(`
  Sales back office, cluster profile, up in ${((Date.now() - started) / 1000).toFixed(1)} s
    APIs              ${cluster.apiUrls.join('  ')}   (console: /console, docs: /docs)
    Workers           2 processes (logs .data/worker-1.log, .data/worker-2.log; APIs .data/api-N.log)
    Temporal server   ${cluster.temporalAddress}  namespace default (v1.29.1; log .data/temporal-server.log; no Web UI:
                      the real server has none built in, run temporalio/ui against it if you want one)
    Postgres          ${cluster.databaseUrl.replace(/:[^:@/]+@/, ':***@')} (+ temporal, temporal_visibility)
    Mail              ${mailpit ? `Mailpit ${mailpit.uiUrl}` : env.SMTP_URL ? 'SMTP_URL' : 'off (mail waits in the outbox)'}
  Dev tokens
${firstOfRole.map((u) => `    ${u.role.padEnd(18)}${u.name.padEnd(16)}${devToken(u.name)}`).join('\n')}
  Stop: Ctrl-C
`);
  // A member that dies on its own takes the cluster down, loudly, rather than leaving half of it running.
  const watch = setInterval(() => {
    if (cluster.crashed) {
      clearInterval(watch);
      console.error(`› ${cluster.crashed}`);
      void stop(1);
    }
  }, 1000);
}

void main();
