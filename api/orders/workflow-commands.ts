import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { orderDocuments } from '../../db/orders.js';
import { orderWorkflowId } from '../../workflows/sales-order/definitions.js';

/** Chat rejects through the workflow's own update. */
export { rejectUpdate } from '../../workflows/sales-order/definitions.js';

export interface WorkflowCommandDeps {
  sql: Sql;
  temporal: Client;
}

export const orderHandle = (deps: WorkflowCommandDeps, number: string): WorkflowHandle =>
  deps.temporal.workflow.getHandle(orderWorkflowId(number));

/** Runs an update on the order's workflow; a closed workflow is reported as the order's state, not as a missing one. */
export async function runOrderCommand<T>(deps: WorkflowCommandDeps, number: string, run: (h: WorkflowHandle) => Promise<T>): Promise<T> {
  const order = await orderDocuments(deps.sql, number);
  if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  try {
    return await run(orderHandle(deps, number));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new DomainError('INVALID_STATE', `order ${number} is ${order.status}; it takes no more commands`, 'status', {
        status: order.status,
      });
    }
    throw err;
  }
}

