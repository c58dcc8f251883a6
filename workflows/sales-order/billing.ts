import { condition, getExternalWorkflowHandle, log, setHandler, sleep } from '@temporalio/workflow';
import {
  applyInvoice,
  applyPayment,
  applyReceipt,
  applyWriteOff,
  checkReceipt,
  checkWriteOff,
  isReceivableClosed,
  markOverdue,
  planInvoice,
  recordReminder,
  wantsAutomaticInvoice,
  type InvoiceIssued,
  type InvoiceLinePlan,
  type PaymentApplied,
} from '../../domain/order/index.js';
import { authorize } from '../../domain/authorization.js';
import { guard, type OrderContext } from './context.js';
import {
  bankPaymentNoticeSignal,
  invoicedSignal,
  invoiceUpdate,
  orderWorkflowId,
  paymentAppliedSignal,
  recordReceiptUpdate,
  writeOffUpdate,
} from './definitions.js';

/** Invoices, receipts, payments reported by finance, collection timers and bad-debt write-off. */
export function registerBilling(ctx: OrderContext): void {
  const { state, wf, acts } = ctx;

  /** A new receivable: into the state, and its own timers start (due, then each dunning step). */
  function invoiced(invoice: InvoiceIssued, lines: InvoiceLinePlan[]): void {
    applyInvoice(state, invoice, lines, Date.now());
    ctx.publish();
    void followReceivable(invoice).catch((err) => log.error('collection of a receivable stopped', { invoice: invoice.number, err: String(err) }));
  }

  /** 催款: overdue after its due instant, then a reminder at each step, until it is closed. */
  async function followReceivable(invoice: InvoiceIssued): Promise<void> {
    const closed = () => state.status === 'Cancelled' || isReceivableClosed(state, invoice.number);
    if (await condition(closed, Math.max(invoice.dueInMs, 1))) return;
    markOverdue(state, invoice.number);
    ctx.publish();
    let waited = 0;
    for (const [i, after] of invoice.dunningAfterMs.entries()) {
      if (await condition(closed, Math.max(after - waited, 1))) return;
      waited = after;
      await acts.recordDunningNotice({ key: `${wf}/dunning/${invoice.number}/${i + 1}`, orderNumber: state.orderNumber, invoice: invoice.number, step: i + 1 });
      recordReminder(state, invoice.number);
      ctx.publish();
    }
  }

  async function invoiceNow(actor: string, mayBlock = true) {
    const lines = planInvoice(state);
    const step = ++state.steps.invoice;
    const { creditWarning, ...invoice } = await acts.issueInvoice({
      orderNumber: state.orderNumber,
      key: `${wf}/invoice/${step}`,
      issuedBy: actor,
      lines,
      creditCheck: { mayBlock },
    });
    if (creditWarning) state.checks = [...state.checks, creditWarning];
    invoiced(invoice, lines);
    return invoice;
  }

  /** Payments a receipt put on other orders' invoices: each of those orders must learn it. */
  async function tellOtherOrders(payments: (PaymentApplied & { orderNumber: string })[]): Promise<void> {
    const byOrder = new Map<string, PaymentApplied[]>();
    for (const { orderNumber, ...p } of payments) {
      if (orderNumber === state.orderNumber) continue;
      byOrder.set(orderNumber, [...(byOrder.get(orderNumber) ?? []), p]);
    }
    for (const [orderNumber, ps] of byOrder) await getExternalWorkflowHandle(orderWorkflowId(orderNumber)).signal(paymentAppliedSignal, ps);
  }

  setHandler(
    invoiceUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const invoice = await invoiceNow(cmd.actor);
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
          scope: 'order',
          orderNumber: state.orderNumber,
          key: `${wf}/receipt/${step}`,
          recordedBy: cmd.actor,
          amount: cmd.amount,
          method: cmd.method,
          ...(cmd.receivedOn ? { receivedOn: cmd.receivedOn } : {}),
          ...(cmd.reference ? { reference: cmd.reference } : {}),
          ...(cmd.writeOffDifference ? { writeOffDifference: true } : {}),
        });
        applyReceipt(state, receipt);
        ctx.publish();
        return { receipt: receipt.number, allocations: receipt.allocations, advance: receipt.advance, order: ctx.view() };
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'recordReceipt'); checkReceipt(state, cmd.amount); }) },
  );

  setHandler(
    writeOffUpdate,
    (cmd) =>
      ctx.serial(async () => {
        checkWriteOff(state, cmd);
        const step = ++state.steps.receipt;
        const result = await acts.writeOffBadDebt({ key: `${wf}/write-off/${step}`, orderNumber: state.orderNumber, ...cmd });
        applyWriteOff(state, result.writeOffs);
        ctx.publish();
        return { writeOffs: result.writeOffs, order: ctx.view() };
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'writeOff'); checkWriteOff(state, cmd); }) },
  );

  setHandler(paymentAppliedSignal, (payments) => {
    for (const p of payments) applyPayment(state, p);
    ctx.publish();
  });

  setHandler(invoicedSignal, ({ invoice, lines }) => invoiced(invoice, lines));

  // A bank notice is matched like a payer's receipt: this order's invoices first, then the payer's oldest.
  setHandler(bankPaymentNoticeSignal, (notice) => {
    void ctx
      .serial(async () => {
        const receipt = await acts.recordReceipt({
          scope: 'payer',
          orderNumber: state.orderNumber,
          key: `${wf}/bank-notice/${notice.noticeId}`,
          recordedBy: 'bank',
          amount: notice.amount,
          method: notice.method ?? 'bank_transfer',
          reference: notice.noticeId,
          ...(notice.receivedOn ? { receivedOn: notice.receivedOn } : {}),
        });
        for (const p of receipt.applied) if (p.orderNumber === state.orderNumber) applyPayment(state, p);
        ctx.publish();
        await tellOtherOrders(receipt.applied);
      })
      .catch((err) => log.error('bank notice not recorded', { noticeId: notice.noticeId, err: String(err) }));
  });

  // 直接开票: a per-delivery customer is invoiced right after each delivery.
  void (async () => {
    for (;;) {
      await condition(() => wantsAutomaticInvoice(state));
      try {
        await ctx.serial(async () => {
          if (wantsAutomaticInvoice(state)) await invoiceNow('system', false);
        });
      } catch (err) {
        log.warn('automatic invoice failed; retrying later', { err: String(err) });
        await sleep('1 minute');
      }
    }
  })();
}
