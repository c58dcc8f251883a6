import { setHandler } from '@temporalio/workflow';
import { applyApproved, applyCancel, applyDelivery, checkApprove, checkCancel, planDelivery } from '../../domain/order/index.js';
import { authorize } from '../../domain/authorization.js';
import { guard, type OrderContext } from './context.js';
import { approveUpdate, cancelUpdate, deliverUpdate } from './definitions.js';

/** Approval with reservation, deliveries, and cancel with its compensation. */
export function registerFulfilment(ctx: OrderContext): void {
  const { state, wf, acts } = ctx;

  setHandler(
    approveUpdate,
    ({ actor }) =>
      ctx.serial(async () => {
        checkApprove(state, actor);
        const reserved = await acts.reserveStock({ orderNumber: state.orderNumber, key: `${wf}/approve`, approvedBy: actor });
        applyApproved(state, actor, reserved);
        ctx.publish();
        return ctx.view();
      }),
    { validator: ({ actor, actorRole }) => guard(() => { authorize(actorRole, 'approve'); checkApprove(state, actor); }) },
  );

  setHandler(
    deliverUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const lines = planDelivery(state, cmd.lines);
        const step = ++state.steps.delivery;
        const note = await acts.issueDeliveryNote({
          orderNumber: state.orderNumber,
          key: `${wf}/delivery/${step}`,
          deliveredBy: cmd.actor,
          lines,
          ...(cmd.carrier ? { carrier: cmd.carrier } : {}),
          ...(cmd.trackingNumber ? { trackingNumber: cmd.trackingNumber } : {}),
        });
        applyDelivery(state, note.number, note.lines);
        ctx.publish();
        return { deliveryNote: note.number, order: ctx.view() };
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'deliver'); planDelivery(state, cmd.lines); }) },
  );

  setHandler(
    cancelUpdate,
    ({ actor, reason }) =>
      ctx.serial(async () => {
        checkCancel(state);
        // Compensation: an approved order gives its reservations back first.
        if (state.status !== 'Unapproved') await acts.releaseStock({ orderNumber: state.orderNumber, key: `${wf}/cancel/release` });
        await acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${wf}/cancel/status`, status: 'Cancelled' });
        applyCancel(state, actor, reason);
        ctx.publish();
        return ctx.view();
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'cancelOrder'); checkCancel(state); }) },
  );
}
