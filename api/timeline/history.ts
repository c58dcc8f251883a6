import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TimelineEvent } from './event.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure | null | undefined;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;
type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;
export type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

/** One run of the order's workflow: its id and its decoded history events. */
export interface WorkflowRun {
  runId: string;
  events: HistoryEvent[];
}

const num = (v: unknown): number => (v == null ? 0 : Number(String(v)));

function iso(ts: Timestamp): string | undefined {
  if (!ts || ts.seconds == null) return undefined;
  return new Date(num(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function seconds(d: Timestamp): number {
  return num(d?.seconds) + (d?.nanos ?? 0) / 1e9;
}

/** A timer's length as a person says it: `90 ms`, `45 s`, `4 h`, `30 d`. */
export function duration(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

function decode(payloads: Payloads): unknown[] {
  return (payloads?.payloads ?? []).map((p) => {
    try {
      return defaultPayloadConverter.fromPayload(p);
    } catch {
      return '(undecodable payload)';
    }
  });
}

/** The innermost message of a failure chain, with the business code (ApplicationFailure type) if any. */
export function describeFailure(f: Failure): { message: string; type?: string } | undefined {
  if (!f) return undefined;
  let cur: Failure = f;
  while (cur?.cause) cur = cur.cause;
  const type = cur?.applicationFailureInfo?.type ?? f.applicationFailureInfo?.type ?? undefined;
  return { message: cur?.message ?? f.message ?? '', ...(type ? { type } : {}) };
}

/** The metadata Temporal's SDK core writes in a local activity's marker (`details.data`). */
interface LocalActivityMarker {
  activity_type?: string;
  attempt?: number;
}

const actorOf = (args: unknown[]): string | null => {
  const first = args[0] as { actor?: unknown } | undefined;
  return typeof first?.actor === 'string' ? first.actor : null;
};

/**
 * The business-readable steps of one or more runs (oldest run first) of an order's
 * workflow: updates accepted and completed, signals, activities with attempts,
 * failures and durations, timers, continue-as-new, the end. Workflow-task
 * bookkeeping and search-attribute upserts are left out; a failed workflow task
 * (e.g. a nondeterminism error) is kept because an operator must see it.
 */
export function historyToTimeline(runs: WorkflowRun[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const run of runs) {
    const updateNames = new Map<string, string>();
    const activities = new Map<
      number,
      { name: string; activityId: string; scheduledAt?: string; startedAt?: string; attempt?: number; lastFailure?: { message: string; type?: string } }
    >();
    const timers = new Map<number, { timerId: string; seconds: number; name?: string }>();
    for (const e of run.events) {
      const at = iso(e.eventTime) ?? new Date(0).toISOString();
      const eventId = num(e.eventId);
      const base = { at, source: 'workflow' as const, runId: run.runId, eventId };
      const push = (x: Omit<TimelineEvent, 'at' | 'source' | 'runId' | 'eventId'>) => out.push({ ...base, ...x });

      if (e.workflowExecutionStartedEventAttributes) {
        const a = e.workflowExecutionStartedEventAttributes;
        const continued = a.continuedExecutionRunId || undefined;
        push({
          kind: continued ? 'workflow.continued' : 'workflow.started',
          summary: continued
            ? `workflow ${a.workflowType?.name} continued as a new run (from run ${continued})`
            : `workflow ${a.workflowType?.name} started on task queue ${a.taskQueue?.name}`,
          details: { workflowType: a.workflowType?.name, taskQueue: a.taskQueue?.name, identity: a.identity, ...(continued ? { previousRunId: continued } : {}) },
        });
      } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
        const req = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
        const name = req?.input?.name ?? '?';
        const updateId = req?.meta?.updateId ?? '';
        const args = decode(req?.input?.args);
        updateNames.set(updateId, name);
        push({ kind: 'update.accepted', summary: `command ${name} accepted`, actor: actorOf(args), updateId, details: { command: name, args } });
      } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
        const a = e.workflowExecutionUpdateCompletedEventAttributes;
        const updateId = a.meta?.updateId ?? '';
        const name = updateNames.get(updateId) ?? '?';
        const failure = describeFailure(a.outcome?.failure);
        push(
          failure
            ? { kind: 'update.failed', summary: `command ${name} refused: ${failure.message}`, updateId, details: { command: name, failure } }
            : { kind: 'update.completed', summary: `command ${name} completed`, updateId, details: { command: name } },
        );
      } else if (e.workflowExecutionSignaledEventAttributes) {
        const a = e.workflowExecutionSignaledEventAttributes;
        const args = decode(a.input);
        push({ kind: 'signal.received', summary: `signal ${a.signalName} received`, actor: actorOf(args), details: { signal: a.signalName, args, identity: a.identity } });
      } else if (e.activityTaskScheduledEventAttributes) {
        const a = e.activityTaskScheduledEventAttributes;
        const name = a.activityType?.name ?? '?';
        activities.set(eventId, { name, activityId: a.activityId ?? '', scheduledAt: at });
        push({ kind: 'activity.scheduled', summary: `activity ${name} scheduled`, details: { activity: name, activityId: a.activityId } });
      } else if (e.activityTaskStartedEventAttributes) {
        const a = e.activityTaskStartedEventAttributes;
        const act = activities.get(num(a.scheduledEventId));
        const lastFailure = describeFailure(a.lastFailure);
        if (act) Object.assign(act, { startedAt: at, attempt: a.attempt ?? 1, ...(lastFailure ? { lastFailure } : {}) });
        push({
          kind: 'activity.started',
          summary: `activity ${act?.name ?? '?'} started (attempt ${a.attempt ?? 1})` + (lastFailure ? `; previous attempt failed: ${lastFailure.message}` : ''),
          details: { activity: act?.name, attempt: a.attempt ?? 1, ...(lastFailure ? { lastFailure } : {}) },
        });
      } else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes || e.activityTaskCanceledEventAttributes) {
        const a = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes!;
        const act = activities.get(num(a.scheduledEventId));
        const name = act?.name ?? '?';
        const durationMs = act?.scheduledAt ? Date.parse(at) - Date.parse(act.scheduledAt) : undefined;
        const common = {
          activity: name,
          attempt: act?.attempt ?? 1,
          ...(durationMs !== undefined ? { durationMs } : {}),
          // What failed the attempt before the last, so the folded view (one row a step) still tells of a retry.
          ...(act?.lastFailure ? { previousFailure: act.lastFailure } : {}),
        };
        if (e.activityTaskCompletedEventAttributes) {
          push({ kind: 'activity.completed', summary: `activity ${name} completed in ${durationMs ?? '?'} ms (attempt ${common.attempt})`, details: common });
        } else {
          const failure = describeFailure(e.activityTaskFailedEventAttributes?.failure ?? e.activityTaskTimedOutEventAttributes?.failure);
          const kind = e.activityTaskFailedEventAttributes ? 'activity.failed' : e.activityTaskTimedOutEventAttributes ? 'activity.timed_out' : 'activity.cancelled';
          push({ kind, summary: `activity ${name} ${kind.slice(9).replace('_', ' ')}` + (failure ? `: ${failure.message}` : ''), details: { ...common, ...(failure ? { failure } : {}) } });
        }
      } else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
        // A local activity (run inside the workflow task) leaves one marker: its type, attempt and times, and its outcome.
        const m = e.markerRecordedEventAttributes;
        const [meta] = decode(m.details?.['data']) as [LocalActivityMarker | undefined];
        const name = meta?.activity_type ?? '?';
        const attempt = meta?.attempt ?? 1;
        // Its times come from two clocks (the workflow task's and the worker's), so no duration is derived from them.
        const common = { activity: name, local: true, attempt };
        const failure = describeFailure(m.failure);
        if (failure) push({ kind: 'activity.failed', summary: `local activity ${name} failed: ${failure.message}`, details: { ...common, failure } });
        else push({ kind: 'activity.completed', summary: `local activity ${name} completed (attempt ${attempt})`, details: common });
      } else if (e.timerStartedEventAttributes) {
        const a = e.timerStartedEventAttributes;
        const s = seconds(a.startToFireTimeout);
        // The workflow gives each timer a summary saying what it waits for (workflows/sales-order/timer-names.ts).
        const [name] = decode(e.userMetadata?.summary ? { payloads: [e.userMetadata.summary] } : null) as [string | undefined];
        const named = typeof name === 'string' && name ? name : undefined;
        timers.set(eventId, { timerId: a.timerId ?? '', seconds: s, ...(named ? { name: named } : {}) });
        push({
          kind: 'timer.started',
          summary: named ? `waiting for ${named}: due in ${duration(s)}` : `timer ${a.timerId} started for ${duration(s)}`,
          details: { timerId: a.timerId, seconds: s, ...(named ? { name: named } : {}) },
        });
      } else if (e.timerFiredEventAttributes || e.timerCanceledEventAttributes) {
        const a = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes!;
        const fired = Boolean(e.timerFiredEventAttributes);
        const t = timers.get(num(a.startedEventId));
        const what = t?.name ?? `timer ${a.timerId}`;
        push({
          kind: fired ? 'timer.fired' : 'timer.cancelled',
          summary: fired ? `${what}: due now${t ? ` (set ${duration(t.seconds)} before)` : ''}` : `${what}: no longer waited for`,
          details: { timerId: a.timerId, seconds: t?.seconds, ...(t?.name ? { name: t.name } : {}) },
        });
      } else if (e.workflowTaskFailedEventAttributes) {
        const a = e.workflowTaskFailedEventAttributes;
        const failure = describeFailure(a.failure);
        push({ kind: 'workflow_task.failed', summary: `workflow task failed: ${failure?.message ?? a.cause}`, details: { cause: a.cause, ...(failure ? { failure } : {}) } });
      } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
        const a = e.workflowExecutionContinuedAsNewEventAttributes;
        push({ kind: 'workflow.continued_as_new', summary: `continued as new run ${a.newExecutionRunId}`, details: { newRunId: a.newExecutionRunId } });
      } else if (e.workflowExecutionCompletedEventAttributes) {
        const [result] = decode(e.workflowExecutionCompletedEventAttributes.result);
        const status = (result as { status?: string } | undefined)?.status;
        push({ kind: 'workflow.completed', summary: `workflow completed${status ? ` (order ${status})` : ''}`, details: { status } });
      } else if (e.workflowExecutionFailedEventAttributes) {
        const failure = describeFailure(e.workflowExecutionFailedEventAttributes.failure);
        push({ kind: 'workflow.failed', summary: `workflow failed: ${failure?.message}`, details: { failure } });
      } else if (e.workflowExecutionTerminatedEventAttributes) {
        const a = e.workflowExecutionTerminatedEventAttributes;
        push({ kind: 'workflow.terminated', summary: `workflow terminated: ${a.reason}`, actor: a.identity || null, details: { reason: a.reason } });
      } else if (e.workflowExecutionCanceledEventAttributes) {
        push({ kind: 'workflow.cancelled', summary: 'workflow cancelled' });
      } else if (e.workflowExecutionTimedOutEventAttributes) {
        push({ kind: 'workflow.timed_out', summary: 'workflow timed out' });
      }
    }
  }
  return out;
}

/**
 * Activities the workflow is waiting on (DescribeWorkflowExecution): a failing one
 * shows its last error, its attempt and when the next retry runs.
 */
export function pendingActivitiesToTimeline(pending: PendingActivity[], runId: string): TimelineEvent[] {
  return pending.map((p) => {
    const name = p.activityType?.name ?? '?';
    const failure = describeFailure(p.lastFailure);
    const nextRetryAt = iso(p.nextAttemptScheduleTime);
    const at = iso(p.lastAttemptCompleteTime) ?? iso(p.lastStartedTime) ?? iso(p.scheduledTime) ?? new Date(0).toISOString();
    return {
      at,
      source: 'workflow' as const,
      kind: failure ? 'activity.retrying' : 'activity.pending',
      summary: failure
        ? `activity ${name} failing: ${failure.message} (attempt ${p.attempt}${nextRetryAt ? `, next retry at ${nextRetryAt}` : ''})`
        : `activity ${name} running (attempt ${p.attempt})`,
      runId,
      details: {
        activity: name,
        activityId: p.activityId,
        attempt: p.attempt,
        ...(failure ? { lastFailure: failure } : {}),
        ...(nextRetryAt ? { nextRetryAt } : {}),
      },
    };
  });
}
