import { describe, expect, it } from 'vitest';
import { workerTuningConfig } from '../../runtime/config.js';

describe("a worker's slots and cache in the configuration", () => {
  it('leaves the SDK defaults when nothing is set, and takes each setting given', () => {
    expect(workerTuningConfig({})).toEqual({});
    expect(
      workerTuningConfig({ WORKER_CACHED_WORKFLOWS: '5000', WORKER_WORKFLOW_TASK_SLOTS: '20', WORKER_ACTIVITY_SLOTS: '50', WORKER_LOCAL_ACTIVITY_SLOTS: '40' }),
    ).toEqual({ maxCachedWorkflows: 5000, maxConcurrentWorkflowTaskExecutions: 20, maxConcurrentActivityTaskExecutions: 50, maxConcurrentLocalActivityExecutions: 40 });
  });

  it('refuses a slot count that is not a whole number of at least 2, naming the variable', () => {
    expect(() => workerTuningConfig({ WORKER_ACTIVITY_SLOTS: 'many' })).toThrow(/WORKER_ACTIVITY_SLOTS/);
    expect(() => workerTuningConfig({ WORKER_WORKFLOW_TASK_SLOTS: '1' })).toThrow(/WORKER_WORKFLOW_TASK_SLOTS/);
    expect(() => workerTuningConfig({ WORKER_LOCAL_ACTIVITY_SLOTS: '2.5' })).toThrow(/WORKER_LOCAL_ACTIVITY_SLOTS/);
  });
});
