import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { isSettled, newOrderState } from '../../domain/order/index.js';
import { announceApproval } from './approval-messages.js';
import { registerBilling } from './billing.js';
import { createContext } from './context.js';
import { orderStateQuery, type SalesOrderInput, type SalesOrderView } from './definitions.js';
import { registerFulfilment } from './fulfilment.js';

/**
 * One workflow per sales order (`order-<number>`): it holds the order's process
 * state and takes every command as an Update. Commands run one at a time; each is
 * checked by its validator before it enters history and checked again when it runs.
 * It completes when every line is closed and the money is settled.
 */
export async function salesOrder(input: SalesOrderInput): Promise<SalesOrderView> {
  const ctx = createContext(newOrderState(input.order));
  const { state } = ctx;
  setHandler(orderStateQuery, () => ctx.view());
  registerFulfilment(ctx);
  registerBilling(ctx);
  await announceApproval(ctx);

  await condition(() => state.status === 'Cancelled' || isSettled(state));
  await condition(allHandlersFinished);
  if (state.status !== 'Cancelled') {
    await ctx.acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${ctx.wf}/complete`, status: 'Completed' });
    state.status = 'Completed';
    ctx.publish();
  }
  return ctx.view();
}
