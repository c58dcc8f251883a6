import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { isSettled, newOrderState, type SalesOrderState } from '../../domain/order/index.js';
import { announceApproval } from './approval-messages.js';
import { applyChecks, loadOpeningOrder, registerApproval, remindApprovers, reviewChecksLocally } from './approval.js';
import { registerBilling } from './billing.js';
import { registerChanges } from './changes.js';
import { registerReturns } from './returns.js';
import { createContext } from './context.js';
import { orderStateQuery, type SalesOrderInput, type SalesOrderView } from './definitions.js';
import { registerFulfilment } from './fulfilment.js';

const finished = (state: SalesOrderState) => state.status === 'Cancelled' || state.status === 'Rejected' || isSettled(state);

/**
 * One workflow per sales order (`order-<number>`): it holds the order's process
 * state and takes every command as an Update. Commands run one at a time; each is
 * checked by its validator before it enters history and checked again when it runs.
 * It completes when every line is closed and the money is settled, or when the
 * order is rejected or cancelled. A long-lived order continues as new with its
 * full state, so its history stays short.
 */
export async function salesOrder(input: SalesOrderInput): Promise<SalesOrderView> {
  const ctx = createContext(input.state ?? newOrderState(input.order));
  const { state } = ctx;
  setHandler(orderStateQuery, () => ctx.view());
  registerApproval(ctx);
  registerFulfilment(ctx);
  registerBilling(ctx);
  registerChanges(ctx);
  registerReturns(ctx);

  if (input.state) ctx.publish();
  // The first checks tell the approver what needs authority; an early approval waits for them.
  else if (input.order.openingApprovedBy) await ctx.serial(() => loadOpeningOrder(ctx, input.order.openingApprovedBy!));
  else
    await ctx.serial(async () => {
      // What the API found when it saved the order, a moment ago (or, without it, a local activity).
      if (input.openingReview) applyChecks(state, input.openingReview.checks, input.openingReview.rules);
      else await reviewChecksLocally(ctx);
      ctx.publish();
    });
  const reminders = remindApprovers(ctx, input);
  // The approval request goes to chat once the checks are known, and is updated when someone decides.
  const announcement = announceApproval(ctx);

  const historyIsLong = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= input.continueAsNewAfterEvents);
  for (;;) {
    await condition(() => finished(state) || historyIsLong());
    await condition(allHandlersFinished);
    if (finished(state)) {
      await reminders;
      await announcement;
      // Completing is a step in the command queue: a command that arrives meanwhile (a late return)
      // runs before or after it, never beside it, and one that ran after it means another look.
      const completedAfter = await ctx.serial(async () => {
        if (!finished(state)) return undefined;
        if (state.status !== 'Cancelled' && state.status !== 'Rejected') {
          await ctx.acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${ctx.wf}/complete${state.reopened ? `/${state.reopened}` : ''}`, status: 'Completed' });
          state.status = 'Completed';
          ctx.publish();
        }
        return ctx.commandsRun();
      });
      await condition(allHandlersFinished);
      if (completedAfter === ctx.commandsRun() && finished(state)) break;
      continue;
    }
    if (historyIsLong()) await continueAsNew<typeof salesOrder>({ ...input, state });
  }
  return ctx.view();
}
