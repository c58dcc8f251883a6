import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { orderStatus } from '../../db/orders.js';
import {
  ORDER_PROCESS_VERSION,
  orderWorkflowId,
  orderStateQuery,
  SALES_ORDER_WORKFLOW,
  type SalesOrderInput,
  type SalesOrderView,
} from '../../workflows/sales-order/definitions.js';
import type { OrderWorkflowOptions } from './create-order.js';

/** Chat rejects through the workflow's own update. */
export { rejectUpdate } from '../../workflows/sales-order/definitions.js';

export interface WorkflowCommandDeps {
  sql: Sql;
  temporal: Client;
  /** How long a command waits for the order's answer (COMMAND_ANSWER_TIMEOUT); 30 s when not given. */
  commandTimeoutMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/**
 * A command's call to the order's workflow, bounded: past the deadline the caller is told to repeat it with the same
 * Idempotency-Key (503), which attaches to the same update, or gives it again if the server no longer holds it.
 * Unbounded, an update the server lost (a workflow task that timed out on an overloaded machine) left the request
 * waiting for ever.
 */
function answeredWithin<T>(deps: Pick<WorkflowCommandDeps, 'temporal' | 'commandTimeoutMs'>, call: () => Promise<T>): Promise<T> {
  return deps.temporal.connection.withDeadline(Date.now() + (deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS), call);
}

export const orderHandle = (deps: Pick<WorkflowCommandDeps, 'temporal'>, number: string): WorkflowHandle =>
  deps.temporal.workflow.getHandle(orderWorkflowId(number));

/** The order's live state, or null when no worker answers within two seconds (the documents still show). */
export async function liveOrderState(deps: Pick<WorkflowCommandDeps, 'temporal'>, number: string): Promise<SalesOrderView | null> {
  try {
    return await deps.temporal.connection.withDeadline(Date.now() + 2000, () => orderHandle(deps, number).query(orderStateQuery));
  } catch {
    return null;
  }
}

/**
 * Runs an update on the order's workflow; a closed workflow is reported as the order's state, not as a missing
 * one. Postgres is asked only then (a running order's command costs no read before it goes to the workflow).
 */
export async function runOrderCommand<T>(deps: WorkflowCommandDeps, number: string, run: (h: WorkflowHandle) => Promise<T>): Promise<T> {
  try {
    return await answeredWithin(deps, () => run(orderHandle(deps, number)));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      const status = await orderStatus(deps.sql, number);
      if (!status) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
      throw new DomainError('INVALID_STATE', `order ${number} is ${status}; it takes no more commands`, 'status', { status });
    }
    throw err;
  }
}


/** The states in which an order's workflow has ended but a command may start it again. */
export type ReopenedFrom = 'Completed' | 'Rejected';

/**
 * A return or allowance may arrive after the order completed (paid and delivered),
 * a revision after it was rejected: the ended workflow's result is its full state,
 * so the order's workflow is started again from it with the command in the same
 * call (update-with-start). A running order just takes the update.
 */
export async function runReopeningCommand<Ret, Arg>(
  deps: WorkflowCommandDeps & { taskQueue: string; orderWorkflow?: OrderWorkflowOptions },
  number: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  idempotencyKey: string | undefined,
  from: ReopenedFrom = 'Completed',
): Promise<Ret> {
  const status = await orderStatus(deps.sql, number);
  if (!status) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  const handle = orderHandle(deps, number);
  const options = idempotencyKey ? { updateId: idempotencyKey } : {};
  // Only the command's own state reopens (a cancelled order's workflow has ended too, for good).
  const reopenable = async () =>
    (await orderStatus(deps.sql, number)) === from && (await handle.describe().catch(() => undefined))?.status.name === 'COMPLETED';
  if (!(status === from && (await reopenable()))) {
    try {
      return await runOrderCommand(deps, number, (wf) => wf.executeUpdate(update, { args: [arg], ...options }));
    } catch (err) {
      // The order's workflow ended between the look and the update: reopen it below.
      if (!(await reopenable())) throw err;
    }
  }
  const last = (await handle.result()) as SalesOrderView;
  const { amountDue: _due, waitingFor: _waiting, pendingApprovals: _pending, ...state } = last;
  const input: SalesOrderInput = {
    order: { orderNumber: number, customerCode: state.customerCode, currency: state.currency, createdBy: state.createdBy, lines: [] },
    state,
    ...deps.orderWorkflow,
    processVersion: ORDER_PROCESS_VERSION,
  };
  return answeredWithin(deps, () => deps.temporal.workflow.executeUpdateWithStart(update, {
    args: [arg],
    ...options,
    startWorkflowOperation: new WithStartWorkflowOperation(SALES_ORDER_WORKFLOW, {
      taskQueue: deps.taskQueue,
      workflowId: orderWorkflowId(number),
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [input],
    }),
  }));
}
