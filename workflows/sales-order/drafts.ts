import { setHandler } from '@temporalio/workflow';
import { authorize } from '../../domain/authorization.js';
import { applyDraftEdit, checkEditDraft } from '../../domain/order/index.js';
import { applyChecks } from './approval.js';
import { guard } from './context.js';
import { editDraftUpdate } from './definitions.js';
import type { SalesOrder } from './sales-order.js';

/**
 * 草稿: the creator edits the order before approval, or revises it once rejected.
 * One step replaces its lines and header in Postgres and runs the checks again on
 * what it now says; the approvals those checks and the new amount require replace
 * the old ones. A rejected order goes back to waiting for approval (its workflow is
 * started again from its state for it: api/orders/workflow-commands.ts).
 */
export function registerDrafts(ctx: SalesOrder): void {
  const { state, wf } = ctx;
  const orderNumber = state.orderNumber;

  setHandler(
    editDraftUpdate,
    (cmd) =>
      ctx.serial(async () => {
        checkEditDraft(state, cmd.actor, cmd.actorRole);
        const revision = (state.revision ?? 0) + 1;
        const { checks, rules } = await ctx.acts.reviseDraft({
          orderNumber,
          key: `${wf}/draft/${revision}`,
          revision,
          editedBy: cmd.actor,
          resubmit: state.status === 'Rejected',
          shortfallPolicy: cmd.draft.shortfallPolicy,
          depositRequired: cmd.draft.depositRequired,
          totals: cmd.store.totals,
          lines: cmd.store.lines,
          ...(cmd.store.header ? { header: cmd.store.header } : {}),
        });
        const { resubmitted } = applyDraftEdit(state, cmd.draft, revision);
        applyChecks(state, checks, rules);
        if (resubmitted) ctx.armApprovalReminders();
        ctx.publish();
        return ctx.outcome({ revision });
      }),
    { validator: ({ actor, actorRole }) => guard(() => { authorize(actorRole, 'editDraft'); checkEditDraft(state, actor, actorRole); }) },
  );
}
