import { setHandler } from '@temporalio/workflow';
import { applyInvoice, applyReceipt, checkReceipt, planInvoice } from '../../domain/order/index.js';
import { authorize } from '../../domain/authorization.js';
import { guard, type OrderContext } from './context.js';
import { invoiceUpdate, recordReceiptUpdate } from './definitions.js';

/** Invoices and receipts. */
export function registerBilling(ctx: OrderContext): void {
  const { state, wf, acts } = ctx;

  setHandler(
    invoiceUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const lines = planInvoice(state);
        const step = ++state.steps.invoice;
        const invoice = await acts.issueInvoice({ orderNumber: state.orderNumber, key: `${wf}/invoice/${step}`, issuedBy: cmd.actor, lines });
        applyInvoice(state, invoice.number, lines, invoice.gross);
        ctx.publish();
        return { invoice: invoice.number, gross: invoice.gross, dueOn: invoice.dueOn, order: ctx.view() };
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'invoice'); planInvoice(state); }) },
  );

  setHandler(
    recordReceiptUpdate,
    (cmd) =>
      ctx.serial(async () => {
        checkReceipt(state, cmd.amount);
        const step = ++state.steps.receipt;
        const receipt = await acts.recordReceipt({
          orderNumber: state.orderNumber,
          key: `${wf}/receipt/${step}`,
          recordedBy: cmd.actor,
          amount: cmd.amount,
          method: cmd.method,
          ...(cmd.receivedOn ? { receivedOn: cmd.receivedOn } : {}),
        });
        applyReceipt(state, receipt.number, receipt.amount);
        ctx.publish();
        return { receipt: receipt.number, allocations: receipt.allocations, order: ctx.view() };
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'recordReceipt'); checkReceipt(state, cmd.amount); }) },
  );
}
