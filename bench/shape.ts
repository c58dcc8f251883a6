import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { FloorShape, StepKinds } from './floor-workflow.js';

/**
 * The shape of one finished order workflow, as the floor copies it: the
 * activities its start runs before the first update; for each update the
 * activities it runs while the caller waits (`updates`) and those it sets off to
 * run after answering (`after`, e.g. the chat message once an approval is
 * decided); and those after the last update (completion). `a` is an activity,
 * `l` a local activity (a marker in history). Timers and search-attribute
 * upserts are counted for the record; the floor does neither.
 */
export interface RunShape extends FloorShape {
  timers: number;
  searchAttributeUpserts: number;
}

export async function runShape(client: Client, workflowId: string): Promise<RunShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const shape: RunShape = { start: [], updates: [], after: [], closing: [], timers: 0, searchAttributeUpserts: 0 };
  let phase: StepKinds = shape.start;
  let openUpdates = 0;
  for (const e of history.events ?? []) {
    if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      openUpdates += 1;
      phase = [];
      shape.updates.push(phase);
      shape.after.push([]);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      openUpdates -= 1;
      if (openUpdates === 0) phase = shape.after[shape.after.length - 1]!;
    } else if (e.activityTaskScheduledEventAttributes) phase.push('a');
    else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') phase.push('l');
    else if (e.timerStartedEventAttributes) shape.timers += 1;
    else if (e.upsertWorkflowSearchAttributesEventAttributes) shape.searchAttributeUpserts += 1;
  }
  // What ran after the last update is the completion.
  if (shape.after.length > 0) shape.closing = shape.after.pop()!;
  shape.after.push([]);
  return shape;
}

/**
 * The bytes of a workflow's history as the server stores and sends it (protobuf): what every workflow
 * task and every replay of that workflow carries.
 */
export async function historyBytes(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return proto.temporal.api.history.v1.History.encode(history).finish().byteLength;
}
