import { condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { isSettled, newOrderState, type SalesOrderState } from '../../domain/order/index.js';
import { applyChecks, loadOpeningOrder, registerApproval, reviewChecksLocally } from './approval.js';
import { registerBilling } from './billing.js';
import { registerChanges } from './changes.js';
import { registerDrafts } from './drafts.js';
import { registerReturns } from './returns.js';
import { orderStateQuery, type SalesOrderInput, type SalesOrderView } from './definitions.js';
import { registerFulfilment } from './fulfilment.js';
import { SalesOrder } from './sales-order.js';

const finished = (state: SalesOrderState) => state.status === 'Cancelled' || state.status === 'Rejected' || isSettled(state);

/**
 * One workflow per sales order (`order-<number>`): one SalesOrder holds the
 * order's process state and takes every command as an Update, every report as a
 * signal, each a job in its queue; each command is checked by its validator
 * before it enters history and checked again when it runs. It completes when
 * every line is closed and the money is settled, or when the order is rejected
 * or cancelled. A long-lived order continues as new with its full state (its
 * timers' instants included), so its history stays short; before it does, and
 * before it completes, the queue is drained.
 */
export async function salesOrder(input: SalesOrderInput): Promise<SalesOrderView> {
  const order = new SalesOrder(input.state ?? newOrderState(input.order), input);
  const { state } = order;
  setHandler(orderStateQuery, () => order.view());
  registerApproval(order);
  registerFulfilment(order);
  registerBilling(order);
  registerChanges(order);
  registerDrafts(order);
  registerReturns(order);

  if (input.state) order.publish();
  // The first checks tell the approver what needs authority; an early approval waits for them.
  else if (input.order.openingApprovedBy) await order.serial(() => loadOpeningOrder(order, input.order.openingApprovedBy!));
  else
    await order.serial(async () => {
      // What the API found when it saved the order, a moment ago (or, without it, a local activity).
      if (input.openingReview) applyChecks(state, input.openingReview.checks, input.openingReview.rules);
      else await reviewChecksLocally(order);
      order.publish();
    });
  order.start();

  const historyIsLong = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= input.continueAsNewAfterEvents);
  for (;;) {
    await condition(() => finished(state) || historyIsLong());
    await order.drained();
    if (finished(state)) {
      // Completing is a job in the queue: a command that arrives meanwhile (a late return)
      // runs before or after it, never beside it, and one that ran after it means another look.
      const completedAfter = await order.serial(async () => {
        if (!finished(state)) return undefined;
        if (state.status !== 'Cancelled' && state.status !== 'Rejected') {
          await order.acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${order.wf}/complete${state.reopened ? `/${state.reopened}` : ''}`, status: 'Completed' });
          state.status = 'Completed';
          order.publish();
        }
        return order.commandsRun();
      });
      await order.drained();
      if (completedAfter === order.commandsRun() && finished(state)) break;
      continue;
    }
    // Drained: whatever was in flight is in the state the next run starts from.
    if (historyIsLong()) await continueAsNew<typeof salesOrder>({ ...input, state });
  }
  return order.view();
}
