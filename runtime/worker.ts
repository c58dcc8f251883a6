import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { Tracing } from './tracing.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerSetup extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (tests build it once per run); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: { codePath: string };
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentLocalActivityExecutions' | 'maxCachedWorkflows'
  >;
  /** OpenTelemetry (runtime/tracing.ts): workflow and activity interceptors and the workflow span sink. */
  tracing?: Tracing;
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const { connection, namespace, taskQueue, workflowBundle, tuning, tracing, ...deps } = setup;
  if (tracing && workflowBundle) {
    // A prebuilt bundle lacks the workflow interceptors, and activities would lose the trace.
    throw new Error('tracing needs the worker to bundle workflows itself (with the tracing interceptor module); pass no workflowBundle');
  }
  // Loaded only when tracing is on, so a worker without it neither loads nor bundles OpenTelemetry.
  const traced = tracing ? (await import('./tracing.js')).tracingWorkerOptions(tracing) : {};
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps),
    ...tuning,
    ...traced,
  });
}
