import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { DomainError } from '../../domain/errors.js';

/** Every Postgres step of the order, one activity each. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * The same activities run as local activities: in the worker, inside the
 * workflow task, without a round trip through the server per step. For the
 * short Postgres steps of a decision somebody waits on (an approval); each is
 * idempotent by its key like any activity, and its result is recorded in
 * history as a marker.
 */
export const local = proxyLocalActivities<Activities>({
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

/** An activity's refusal (a non-retryable failure) fails the command, not the order. */
export function commandFailure(err: unknown): unknown {
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

/** The refusal inside an activity's failure, when the step failed for good (not for a retry to fix). */
export function refusedStep(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) return err.cause;
  return undefined;
}

/** Chat is a courtesy: a few attempts, then the order goes on without it. */
export const chat = proxyActivities<Pick<Activities, 'postApprovalRequest' | 'updateApprovalMessage'>>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', maximumAttempts: 5 },
});
