import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Activities } from '../../activities/index.js';
import { DomainError } from '../../domain/errors.js';
import { amountDue, missingApprovals, type SalesOrderState } from '../../domain/order/index.js';
import type { SalesOrderView } from './definitions.js';
import { orderSearchAttributes, waitingFor } from './search-attributes.js';

/** What every group of handlers shares: the state, the activities, one-at-a-time execution. */
export interface OrderContext {
  state: SalesOrderState;
  /** The workflow id: the stem of every step's idempotency key. */
  wf: string;
  acts: Activities;
  /**
   * The same activities run as local activities: in the worker, inside the
   * workflow task, without a round trip through the server per step. For the
   * short Postgres steps of a command somebody waits on (an approval); each is
   * idempotent by its key like any activity, and its result is recorded in
   * history as a marker.
   */
  local: Activities;
  /** Runs commands one at a time, turning refusals into failures the caller sees. */
  serial<T>(command: () => Promise<T>): Promise<T>;
  /** How many commands went through `serial` so far (the completion step counts too). */
  commandsRun(): number;
  /** Upserts the search attributes from the state: those that changed since the last upsert of this run. */
  publish(): void;
  view(): SalesOrderView;
}

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** A refusal from domain/ as the failure Temporal hands back to the caller. */
export function refusal(err: DomainError): ApplicationFailure {
  return ApplicationFailure.create({
    message: err.message,
    type: err.code,
    nonRetryable: true,
    details: [{ field: err.field ?? null, ...(err.details ?? {}) }],
  });
}

/** For validators: a domain check that refuses the update before it enters history. */
export function guard(check: () => unknown): void {
  try {
    check();
  } catch (err) {
    throw err instanceof DomainError ? refusal(err) : err;
  }
}

/** An activity's business refusal fails the command, not the order. */
function commandFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: err.cause.message,
      type: err.cause.type ?? 'UNAVAILABLE',
      nonRetryable: true,
      details: err.cause.details ?? [],
    });
  }
  if (err instanceof DomainError) return refusal(err);
  return err;
}

export function createContext(state: SalesOrderState): OrderContext {
  let queue: Promise<unknown> = Promise.resolve();
  let commands = 0;
  // What the start already set (the API starts an order with its first attributes) counts as published.
  // (The server hands them back without their type, so they are read untyped: each a list of one value.)
  const published = new Map<string, string>();
  for (const [name, values] of Object.entries(workflowInfo().searchAttributes)) {
    if (Array.isArray(values) && values.length === 1) published.set(name, JSON.stringify(values[0]));
  }
  const changed = (pairs: SearchAttributeUpdatePair[]) =>
    pairs.filter((p) => {
      const value = JSON.stringify(p.value);
      // An attribute never set reads as null (a continued run does not carry the ones that were null).
      if ((published.get(p.key.name) ?? 'null') === value) return false;
      published.set(p.key.name, value);
      return true;
    });
  const view = (): SalesOrderView => ({
    ...state,
    amountDue: amountDue(state),
    waitingFor: waitingFor(state),
    pendingApprovals: state.status === 'Unapproved' ? missingApprovals(state.requiredApprovals, state.approvals) : [],
  });
  return {
    state,
    wf: workflowInfo().workflowId,
    acts,
    local,
    view,
    commandsRun: () => commands,
    serial<T>(command: () => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        commands += 1;
        try {
          return await command();
        } catch (err) {
          throw commandFailure(err);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    publish() {
      const pairs = orderSearchAttributes(state);
      const upsert = changed(pairs);
      if (upsert.length > 0) upsertSearchAttributes(upsert);
    },
  };
}
