import { setHandler } from '@temporalio/workflow';
import {
  applyApproval,
  applyApproved,
  applyOpeningApproval,
  applyRejected,
  applyReserved,
  checkApprove,
  checkReject,
  checkRetryReservation,
  rejectionsOf,
  requiredApprovals,
  type ApprovalRule,
  type OrderCheck,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { authorize } from '../../domain/authorization.js';
import { guard } from './context.js';
import type { SalesOrder } from './sales-order.js';
import { approveUpdate, rejectUpdate, retryReservationUpdate } from './definitions.js';

/**
 * 审核: checks run when the order starts and again at each approval; the rules
 * (data, read through an activity) say which approvals the result needs. The
 * approval that completes them reserves the stock (锁定库存).
 */
export function registerApproval(ctx: SalesOrder): void {
  const { state, wf, acts } = ctx;
  const orderNumber = state.orderNumber;

  setHandler(
    approveUpdate,
    ({ actor }) =>
      ctx.serial(async () => {
        checkApprove(state, actor);
        return approveInOneTask(ctx, actor);
      }),
    { validator: ({ actor, actorRole }) => guard(() => { authorize(actorRole, 'approve'); checkApprove(state, actor); }) },
  );

  setHandler(
    rejectUpdate,
    ({ actor, reason }) =>
      ctx.serial(async () => {
        checkReject(state, actor, reason);
        // The approver's authority is read in the step itself, as for an approval.
        // A revised order may be rejected again: each rejection after the first has its own step.
        const earlier = rejectionsOf(state).length;
        await ctx.local.rejectOrder({ orderNumber, key: `${wf}/reject${earlier > 0 ? `/${earlier + 1}` : ''}`, actor, reason });
        applyRejected(state, actor, reason);
        ctx.publish();
        return ctx.outcome();
      }),
    { validator: ({ actor, actorRole, reason }) => guard(() => { authorize(actorRole, 'reject'); checkReject(state, actor, reason); }) },
  );

  setHandler(
    retryReservationUpdate,
    (_cmd) =>
      ctx.serial(async () => {
        checkRetryReservation(state);
        const step = ++state.steps.reserve;
        applyReserved(state, await acts.reserveStock({ orderNumber, key: `${wf}/reserve/${step}`, partial: true }));
        ctx.publish();
        return ctx.outcome();
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'reserveStock'); checkRetryReservation(state); }) },
  );
}

/**
 * An approval in one workflow task: one local
 * activity reads the approver's authority, the checks and the rules, lets the
 * domain decide which requirement the approval fills and records it; the one
 * that completes the requirements reserves the stock and marks the order
 * approved in the same transaction. An approver waits for one workflow task,
 * not five activity round trips.
 */
async function approveInOneTask(ctx: SalesOrder, actor: string) {
  const { state, wf, local } = ctx;
  const result = await local.approveOrder({
    orderNumber: state.orderNumber,
    actor,
    gross: state.totals.gross,
    given: state.approvals,
    approvalKey: `${wf}/approval/${state.steps.approval + 1}`,
    reserveKey: `${wf}/reserve/${state.steps.reserve + 1}`,
    partial: state.shortfallPolicy === 'backorder',
  });
  state.steps.approval += 1;
  applyChecks(state, result.checks, result.rules);
  applyApproval(state, result.approval);
  if (result.reserved) {
    state.steps.reserve += 1;
    applyApproved(state, actor, result.reserved);
  }
  ctx.publish();
  return ctx.outcome();
}

/**
 * 期初开账: an order approved in the old system reserves its open remainder on
 * loading; a shortfall is back-ordered so the load never stops on stock.
 */
export async function loadOpeningOrder(ctx: SalesOrder, approvedBy: string): Promise<void> {
  const { state, wf, acts } = ctx;
  const reserved = await acts.reserveStock({ orderNumber: state.orderNumber, key: `${wf}/opening/reserve`, approvedBy, partial: true });
  applyOpeningApproval(state, approvedBy, reserved);
  if (state.status !== 'Approved') await acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${wf}/opening/status`, status: state.status });
  ctx.publish();
}

/** Runs the checks and derives the approvals they and the amount require, as one local activity inside the workflow task. */
export async function reviewChecksLocally(ctx: SalesOrder): Promise<void> {
  const { checks, rules } = await ctx.local.approvalContext({ orderNumber: ctx.state.orderNumber });
  applyChecks(ctx.state, checks, rules);
}

/** The checks and the approvals they and the amount require, into the state. */
export function applyChecks(state: SalesOrderState, checks: OrderCheck[], rules: ApprovalRule[]): void {
  // Both at once, so a query never sees new checks with the old requirements.
  state.checks = checks;
  state.requiredApprovals = requiredApprovals(rules, checks, state.totals.gross);
}
