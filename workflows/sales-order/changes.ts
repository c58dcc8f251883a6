import { setHandler } from '@temporalio/workflow';
import { authorize } from '../../domain/authorization.js';
import {
  amountRaised,
  applyChange,
  applyChangeRejected,
  checkChangeAllowed,
  checkDecideChange,
  failedChecks,
  missingApprovals,
  planChange,
  repricedLines,
  requiredApprovals,
  versionLabel,
  type ApprovalRequirement,
  type PendingChange,
} from '../../domain/order/index.js';
import { guard } from './context.js';
import type { SalesOrder } from './sales-order.js';
import { approveChangeUpdate, changeOrderUpdate, rejectChangeUpdate, type ChangeOutcome } from './definitions.js';

/** When no rule names an approver for a raised amount, the ordinary approver still decides. */
const ORDINARY_APPROVAL: ApprovalRequirement = { ruleId: 0, role: 'approver', reason: 'the change needs approval' };

/**
 * 订单变更单: a change is recorded as its own numbered document. If it raises the
 * amount, prices a line under the floor or breaks the credit limit it waits for
 * approval by the same rules as the order; otherwise it applies at once, and the
 * reservations follow in the same step.
 */
export function registerChanges(ctx: SalesOrder): void {
  const { state, wf, acts } = ctx;
  const orderNumber = state.orderNumber;
  const partial = () => state.shortfallPolicy === 'backorder';
  const outcome = (version: number, status: ChangeOutcome['status'], pending?: PendingChange): ChangeOutcome => ({
    version: versionLabel(version),
    status,
    reasons: pending?.reasons ?? [],
    pendingApprovals: pending ? missingApprovals(pending.requiredApprovals, pending.approvals) : [],
  });

  setHandler(
    changeOrderUpdate,
    (cmd) =>
      ctx.serial(async () => {
        checkChangeAllowed(state);
        const version = (state.changeVersion ?? 0) + 1;
        const request = { reason: cmd.reason, requestedBy: cmd.actor, lines: cmd.lines };
        const plan = planChange(state, request, version);
        const { checks, rules } = await acts.reviewOrderChange({
          orderNumber,
          repriced: repricedLines(plan),
          grossBefore: plan.before.totals.gross,
          grossAfter: plan.after.totals.gross,
        });
        const reasons = [
          ...(amountRaised(plan) ? [`the amount rises from ${plan.before.totals.gross} to ${plan.after.totals.gross}`] : []),
          ...failedChecks(checks).map((c) => c.message),
        ];
        const record = {
          orderNumber,
          key: `${wf}/change/${version}`,
          version,
          reason: cmd.reason,
          requestedBy: cmd.actor,
          diff: plan.diff,
          before: plan.before,
          after: plan.after,
          approvalReasons: reasons,
        };
        if (reasons.length === 0) {
          const { reserved } = await acts.recordOrderChange({ ...record, apply: { lines: plan.lines, partial: partial(), approvals: [] } });
          applyChange(state, plan, reserved, cmd.actor);
          ctx.publish();
          return ctx.outcome({ change: outcome(version, 'applied') });
        }
        const found = requiredApprovals(rules, checks, plan.after.totals.gross);
        const required = found.length > 0 ? found : [ORDINARY_APPROVAL];
        await acts.recordOrderChange({ ...record, required });
        state.changeVersion = version;
        state.pendingChange = {
          version,
          request,
          grossAfter: plan.after.totals.gross,
          reasons,
          requiredApprovals: required,
          approvals: [],
        };
        ctx.armChangeNotices();
        ctx.publish();
        return ctx.outcome({ change: outcome(version, 'pending_approval', state.pendingChange) });
      }),
    {
      validator: (cmd) =>
        guard(() => {
          authorize(cmd.actorRole, 'changeOrder');
          checkChangeAllowed(state);
          planChange(state, { reason: cmd.reason, requestedBy: cmd.actor, lines: cmd.lines }, (state.changeVersion ?? 0) + 1);
        }),
    },
  );

  setHandler(
    approveChangeUpdate,
    ({ actor, version }) =>
      ctx.serial(async () => {
        const pending = checkDecideChange(state, version, actor);
        const missing = missingApprovals(pending.requiredApprovals, pending.approvals);
        // Deliveries may have happened while it waited: the change is planned again on the order as it is now.
        const plan = planChange(state, pending.request, version);
        // The approver's authority is read in the step itself, beside the change's effect when it is the last approval.
        const { approval, reserved } = await ctx.local.approveOrderChange({
          actor,
          missing,
          grossAfter: pending.grossAfter,
          key: `${wf}/change/${version}/approval/${pending.approvals.length + 1}`,
          apply: {
            orderNumber,
            key: `${wf}/change/${version}/apply`,
            version,
            lines: plan.lines,
            after: plan.after,
            partial: partial(),
            approvals: pending.approvals,
            decidedBy: actor,
          },
        });
        if (!reserved) {
          pending.approvals.push(approval);
          return ctx.outcome({ change: outcome(version, 'pending_approval', pending) });
        }
        applyChange(state, plan, reserved, pending.request.requestedBy, actor);
        ctx.publish();
        return ctx.outcome({ change: outcome(version, 'applied') });
      }),
    { validator: ({ actor, actorRole, version }) => guard(() => { authorize(actorRole, 'approve'); checkDecideChange(state, version, actor); }) },
  );

  setHandler(
    rejectChangeUpdate,
    ({ actor, version, reason }) =>
      ctx.serial(async () => {
        checkDecideChange(state, version, actor);
        await ctx.local.rejectOrderChange({ orderNumber, key: `${wf}/change/${version}/reject`, version, rejectedBy: actor, reason });
        applyChangeRejected(state, actor);
        ctx.publish();
        return ctx.outcome({ change: outcome(version, 'rejected') });
      }),
    { validator: ({ actor, actorRole, version }) => guard(() => { authorize(actorRole, 'reject'); checkDecideChange(state, version, actor); }) },
  );
}
