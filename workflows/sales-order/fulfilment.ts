import { setHandler } from '@temporalio/workflow';
import { authorize } from '../../domain/authorization.js';
import { dec } from '../../domain/decimal.js';
import {
  applyCancel,
  applyCloseLine,
  applyDelivery,
  applyQualityCheck,
  applyShippingNotice,
  checkCancel,
  checkCloseLine,
  checkQualityCheck,
  lineOf,
  planDelivery,
  planShippingNotice,
} from '../../domain/order/index.js';
import { guard } from './context.js';
import type { SalesOrder } from './sales-order.js';
import { cancelUpdate, closeLineUpdate, deliverUpdate, qualityCheckUpdate, shippingNoticeUpdate } from './definitions.js';

/** Shipping notices, deliveries, closing lines, and cancel with its compensation. */
export function registerFulfilment(ctx: SalesOrder): void {
  const { state, wf, acts } = ctx;
  const orderNumber = state.orderNumber;

  setHandler(
    shippingNoticeUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const lines = planShippingNotice(state, cmd);
        const step = ++state.steps.notice;
        const requiresQualityCheck = cmd.requiresQualityCheck ?? false;
        const notice = await acts.issueShippingNotice({ orderNumber, key: `${wf}/notice/${step}`, issuedBy: cmd.actor, lines, requiresQualityCheck });
        applyShippingNotice(state, notice.number, lines, requiresQualityCheck);
        return ctx.outcome({ shippingNotice: notice.number });
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'issueShippingNotice'); planShippingNotice(state, cmd); }) },
  );

  setHandler(
    qualityCheckUpdate,
    (cmd) =>
      ctx.serial(async () => {
        checkQualityCheck(state, cmd.noticeNumber);
        const step = ++state.steps.notice;
        const checked = await acts.recordQualityCheck({
          key: `${wf}/quality/${step}`,
          noticeNumber: cmd.noticeNumber,
          result: cmd.result,
          checkedBy: cmd.actor,
          ...(cmd.checkedOn ? { checkedOn: cmd.checkedOn } : {}),
        });
        applyQualityCheck(state, cmd.noticeNumber, cmd.result, checked.checkedOn);
        return ctx.outcome();
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'issueShippingNotice'); checkQualityCheck(state, cmd.noticeNumber); }) },
  );

  setHandler(
    deliverUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const lines = planDelivery(state, cmd.lines, cmd.noticeNumber);
        const step = ++state.steps.delivery;
        const { creditWarning, ...note } = await acts.issueDeliveryNote({
          orderNumber,
          key: `${wf}/delivery/${step}`,
          deliveredBy: cmd.actor,
          lines,
          creditCheck: true,
          ...(cmd.noticeNumber ? { noticeNumber: cmd.noticeNumber } : {}),
          ...(cmd.carrier ? { carrier: cmd.carrier } : {}),
          ...(cmd.trackingNumber ? { trackingNumber: cmd.trackingNumber } : {}),
        });
        if (creditWarning) state.checks = [...state.checks, creditWarning];
        applyDelivery(state, note.number, note.lines, cmd.noticeNumber);
        ctx.publish();
        return ctx.outcome({ deliveryNote: note.number });
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'deliver'); planDelivery(state, cmd.lines, cmd.noticeNumber); }) },
  );

  setHandler(
    closeLineUpdate,
    ({ lineNo }) =>
      ctx.serial(async () => {
        checkCloseLine(state, lineNo);
        const step = ++state.steps.close;
        // 指定结束: the reservation goes back first, then the remainder is cancelled.
        if (dec(lineOf(state, lineNo).reservedQty).greaterThan(0)) {
          await acts.releaseStock({ orderNumber, key: `${wf}/close/${step}/release`, lineNo });
        }
        await acts.closeOrderLine({ orderNumber, key: `${wf}/close/${step}`, lineNo });
        applyCloseLine(state, lineNo);
        ctx.publish();
        return ctx.outcome();
      }),
    { validator: ({ lineNo, actorRole }) => guard(() => { authorize(actorRole, 'changeOrder'); checkCloseLine(state, lineNo); }) },
  );

  setHandler(
    cancelUpdate,
    ({ actor, reason }) =>
      ctx.serial(async () => {
        checkCancel(state);
        // Compensation: an approved order gives its reservations back first.
        if (state.status !== 'Unapproved') await acts.releaseStock({ orderNumber, key: `${wf}/cancel/release` });
        await acts.setOrderStatus({ orderNumber, key: `${wf}/cancel/status`, status: 'Cancelled', by: actor });
        applyCancel(state, actor, reason);
        ctx.publish();
        return ctx.outcome();
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'cancelOrder'); checkCancel(state); }) },
  );
}
