import { condition, setHandler } from '@temporalio/workflow';
import {
  applyApproval,
  applyApproved,
  applyOpeningApproval,
  applyRejected,
  applyReserved,
  checkApprove,
  checkReject,
  checkRetryReservation,
  missingApprovals,
  requiredApprovals,
  type ApprovalRule,
  type OrderCheck,
} from '../../domain/order/index.js';
import { authorize } from '../../domain/authorization.js';
import { guard, type OrderContext } from './context.js';
import {
  approveUpdate,
  DEFAULT_APPROVAL_ESCALATION_AFTER_MS,
  DEFAULT_APPROVAL_REMINDER_AFTER_MS,
  rejectUpdate,
  retryReservationUpdate,
  type SalesOrderInput,
} from './definitions.js';

/**
 * 审核: checks run when the order starts and again at each approval; the rules
 * (data, read through an activity) say which approvals the result needs. The
 * approval that completes them reserves the stock (锁定库存).
 */
export function registerApproval(ctx: OrderContext): void {
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
        await ctx.local.rejectOrder({ orderNumber, key: `${wf}/reject`, actor, reason });
        applyRejected(state, actor, reason);
        ctx.publish();
        return ctx.view();
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
        return ctx.view();
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
async function approveInOneTask(ctx: OrderContext, actor: string) {
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
  return ctx.view();
}

/**
 * 期初开账: an order approved in the old system reserves its open remainder on
 * loading; a shortfall is back-ordered so the load never stops on stock.
 */
export async function loadOpeningOrder(ctx: OrderContext, approvedBy: string): Promise<void> {
  const { state, wf, acts } = ctx;
  const reserved = await acts.reserveStock({ orderNumber: state.orderNumber, key: `${wf}/opening/reserve`, approvedBy, partial: true });
  applyOpeningApproval(state, approvedBy, reserved);
  if (state.status !== 'Approved') await acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${wf}/opening/status`, status: state.status });
  ctx.publish();
}

/** Runs the checks and derives the approvals they and the amount require, as one local activity inside the workflow task. */
export async function reviewChecksLocally(ctx: OrderContext): Promise<void> {
  const { checks, rules } = await ctx.local.approvalContext({ orderNumber: ctx.state.orderNumber });
  applyChecks(ctx.state, checks, rules);
}

/** The checks and the approvals they and the amount require, into the state. */
export function applyChecks(state: OrderContext['state'], checks: OrderCheck[], rules: ApprovalRule[]): void {
  // Both at once, so a query never sees new checks with the old requirements.
  state.checks = checks;
  state.requiredApprovals = requiredApprovals(rules, checks, state.totals.gross);
}

/** An order left waiting for approval reminds, then escalates (the chat bot delivers the notifications). */
export async function remindApprovers(ctx: OrderContext, input: SalesOrderInput): Promise<void> {
  const { state, wf, acts } = ctx;
  const decided = () => state.status !== 'Unapproved';
  const missing = () => missingApprovals(state.requiredApprovals, state.approvals).map((r) => r.role).join(', ') || 'approver';
  if (!state.approvalReminders.reminded) {
    if (await condition(decided, input.approvalReminderAfterMs ?? DEFAULT_APPROVAL_REMINDER_AFTER_MS)) return;
    await acts.recordApprovalNotice({
      orderNumber: state.orderNumber,
      key: `${wf}/approval-reminder`,
      kind: 'approval_reminder',
      message: `order ${state.orderNumber} (${state.totals.gross} ${state.currency}) waits for approval by: ${missing()}`,
    });
    state.approvalReminders.reminded = true;
  }
  if (!state.approvalReminders.escalated) {
    if (await condition(decided, input.approvalEscalationAfterMs ?? DEFAULT_APPROVAL_ESCALATION_AFTER_MS)) return;
    await acts.recordApprovalNotice({
      orderNumber: state.orderNumber,
      key: `${wf}/approval-escalation`,
      kind: 'approval_escalation',
      message: `escalated: order ${state.orderNumber} still waits for approval by: ${missing()}`,
    });
    state.approvalReminders.escalated = true;
  }
}
