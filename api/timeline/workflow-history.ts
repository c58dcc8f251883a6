import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { TimelineEvent } from './event.js';
import { historyToTimeline, pendingActivitiesToTimeline, type WorkflowRun } from './history.js';

/** Far more runs than an order ever makes; a guard against a broken chain, not a business limit. */
const MAX_RUNS = 100;

/**
 * Every run of a workflow id, oldest first: from the latest run's
 * firstExecutionRunId, following newExecutionRunId on each ContinuedAsNew event.
 */
export async function fetchWorkflowRuns(client: Client, workflowId: string, knownLatestRunId?: string): Promise<WorkflowRun[]> {
  const latestRunId = knownLatestRunId ?? (await client.workflow.getHandle(workflowId).describe()).runId;
  const latestEvents = (await client.workflow.getHandle(workflowId, latestRunId).fetchHistory()).events ?? [];
  const first = latestEvents[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  if (!first || first === latestRunId) return [{ runId: latestRunId, events: latestEvents }];
  const runs: WorkflowRun[] = [];
  let runId: string | undefined = first;
  while (runId && runId !== latestRunId && runs.length < MAX_RUNS) {
    const events: WorkflowRun['events'] = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    runs.push({ runId, events });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  runs.push({ runId: latestRunId, events: latestEvents });
  return runs;
}

/** The workflow side of the timeline, or null when the order has no workflow (yet). */
export async function workflowTimeline(client: Client, workflowId: string): Promise<{ runs: string[]; events: TimelineEvent[]; status: string } | null> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    const runs = await fetchWorkflowRuns(client, workflowId, description.runId);
    const pending = description.raw.pendingActivities ?? [];
    return {
      runs: runs.map((r) => r.runId),
      status: description.status.name,
      events: [...historyToTimeline(runs), ...pendingActivitiesToTimeline(pending, description.runId)],
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
