import { setHandler } from '@temporalio/workflow';
import { authorize } from '../../domain/authorization.js';
import { applyReturn, planAllowance, planReturn, type ReturnPlan, type ReturnRecorded } from '../../domain/order/index.js';
import { guard } from './context.js';
import type { SalesOrder } from './sales-order.js';
import { allowanceUpdate, recordReturnUpdate, type ReturnOutcome } from './definitions.js';

/**
 * 销退单: returns and allowances, also after the order was invoiced or paid (a
 * completed order is started again with its state to take one). The credit note
 * settles the order's open invoices; the rest is the payer's credit.
 */
export function registerReturns(ctx: SalesOrder): void {
  const { state, wf, acts } = ctx;
  const orderNumber = state.orderNumber;

  const stepKey = (kind: string, requestKey: string | undefined) =>
    requestKey ? `${wf}/${kind}/request/${requestKey}` : `${wf}/${kind}/${(state.steps.returns = (state.steps.returns ?? 0) + 1)}`;

  const settle = (plan: ReturnPlan, recorded: ReturnRecorded): ReturnOutcome => {
    // A completed order taking a late return counts as reopened: its completion step is keyed anew.
    if (state.status === 'Completed') state.reopened = (state.reopened ?? 0) + 1;
    applyReturn(state, plan, recorded);
    ctx.publish();
    const record = state.returns!.find((r) => r.number === recorded.number)!;
    return ctx.outcome({ salesReturn: recorded.number, creditNote: recorded.creditNote, creditGross: record.creditGross, customerCredit: record.customerCredit });
  };

  setHandler(
    recordReturnUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const plan = planReturn(state, cmd);
        const recorded = await acts.recordReturn({
          orderNumber,
          key: stepKey('return', cmd.requestKey),
          recordedBy: cmd.actor,
          deliveryNote: cmd.deliveryNote,
          ...(cmd.warehouseCode ? { warehouseCode: cmd.warehouseCode } : {}),
          disposition: cmd.disposition,
          reason: cmd.reason,
          plan,
        });
        return settle(plan, recorded);
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'recordReturn'); planReturn(state, cmd); }) },
  );

  setHandler(
    allowanceUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const plan = planAllowance(state, cmd);
        const recorded = await acts.recordAllowance({ orderNumber, key: stepKey('allowance', cmd.requestKey), recordedBy: cmd.actor, reason: cmd.reason, plan });
        return settle(plan, recorded);
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'grantAllowance'); planAllowance(state, cmd); }) },
  );
}
