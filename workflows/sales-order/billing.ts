import { getExternalWorkflowHandle, log, setHandler } from '@temporalio/workflow';
import {
  applyInvoice,
  applyPayment,
  applyReceipt,
  applyWriteOff,
  checkBankNotice,
  checkReportedInvoice,
  checkReportedPayments,
  checkReceipt,
  checkWriteOff,
  describeRefusedNotice,
  planInvoice,
  wantsAutomaticInvoice,
  type InvoiceIssued,
  type InvoiceLineChoice,
  type InvoiceLinePlan,
  type PaymentApplied,
} from '../../domain/order/index.js';
import type { IssuedInvoice } from '../../activities/invoicing.js';
import { authorize } from '../../domain/authorization.js';
import { DomainError } from '../../domain/errors.js';
import { guard, refusedStep } from './context.js';
import type { SalesOrder } from './sales-order.js';
import {
  bankPaymentNoticeSignal,
  invoicedSignal,
  invoiceUpdate,
  orderWorkflowId,
  paymentAppliedSignal,
  recordReceiptUpdate,
  writeOffUpdate,
  type BankPaymentNotice,
} from './definitions.js';

/**
 * Invoices (by command, automatically after a delivery, or told by monthly
 * invoicing), receipts, payments reported by finance, bank notices and bad-debt
 * write-off: every one a job in the order's queue. The collection clock that
 * follows each receivable is the SalesOrder's (sales-order.ts).
 */
export function registerBilling(ctx: SalesOrder): void {
  const { state, wf, acts } = ctx;

  /**
   * The invoice step's key counts invoices issued, not attempts: a refused or
   * retried attempt reuses the key, so a step that committed but whose answer
   * was lost returns its invoice instead of looking for something left to invoice.
   */
  async function invoiceNow(actor: string, mayBlock: boolean, chosen?: InvoiceLineChoice[]): Promise<IssuedInvoice> {
    const lines = planInvoice(state, chosen);
    const { creditWarning, ...invoice } = await acts.issueInvoice({
      orderNumber: state.orderNumber,
      key: `${wf}/invoice/${state.steps.invoice + 1}`,
      issuedBy: actor,
      lines,
      creditCheck: { mayBlock },
    });
    state.steps.invoice += 1;
    if (creditWarning) state.checks = [...state.checks, creditWarning];
    invoiced(invoice, lines);
    return invoice;
  }

  function invoiced(invoice: InvoiceIssued, lines: InvoiceLinePlan[]): void {
    applyInvoice(state, invoice, lines);
    ctx.publish();
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

  /** A notice that cannot be booked is recorded as refused (on the timeline), never retried. */
  async function refuseNotice(notice: BankPaymentNotice, reason: string): Promise<void> {
    const refused = (state.refusedBankNotices ??= []);
    const noticeId = describeRefusedNotice((notice as Partial<BankPaymentNotice> | null)?.noticeId);
    const safeReason = describeRefusedNotice(reason);
    await acts.recordRefusedBankNotice({
      key: `${wf}/bank-notice-refused/${refused.length + 1}`,
      orderNumber: state.orderNumber,
      noticeId,
      amount: describeRefusedNotice((notice as Partial<BankPaymentNotice> | null)?.amount),
      reason: safeReason,
    });
    refused.push({ noticeId, reason: safeReason });
    log.warn('bank notice refused', { noticeId, reason: safeReason });
  }

  /** 银行到账: matched like a payer's receipt, this order's invoices first, then the payer's oldest. */
  async function bookBankNotice(notice: BankPaymentNotice): Promise<void> {
    let checked;
    try {
      checked = checkBankNotice(notice);
    } catch (err) {
      if (err instanceof DomainError) return refuseNotice(notice, err.message);
      throw err;
    }
    let receipt;
    try {
      receipt = await acts.recordReceipt({
        scope: 'payer',
        orderNumber: state.orderNumber,
        key: `${wf}/bank-notice/${checked.noticeId}`,
        recordedBy: 'bank',
        amount: checked.amount,
        method: checked.method,
        reference: checked.noticeId,
        ...(checked.receivedOn ? { receivedOn: checked.receivedOn } : {}),
      });
    } catch (err) {
      const refused = refusedStep(err);
      if (refused) return refuseNotice(notice, refused.message);
      throw err;
    }
    for (const p of receipt.applied) if (p.orderNumber === state.orderNumber) applyPayment(state, p);
    ctx.publish();
    await tellOtherOrders(receipt.applied);
  }

  setHandler(
    invoiceUpdate,
    (cmd) =>
      ctx.serial(async () => {
        const invoice = await invoiceNow(cmd.actor, true, cmd.lines);
        return ctx.outcome({ invoice: invoice.number, gross: invoice.gross, dueOn: invoice.dueOn });
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'invoice'); planInvoice(state, cmd.lines); }) },
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
        return ctx.outcome({ receipt: receipt.number, allocations: receipt.allocations, advance: receipt.advance });
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
        return ctx.outcome({ writeOffs: result.writeOffs });
      }),
    { validator: (cmd) => guard(() => { authorize(cmd.actorRole, 'writeOff'); checkWriteOff(state, cmd); }) },
  );

  // Signals: nobody waits on them, but they change the state, so they queue like commands.
  const inBackground = (what: string) => (err: unknown) => log.error(`${what} failed`, { err: String(err) });

  setHandler(paymentAppliedSignal, (payments) => {
    void ctx
      .serial(async () => {
        for (const p of checkReportedPayments(payments)) applyPayment(state, p);
        ctx.publish();
      })
      .catch(inBackground('a reported payment'));
  });

  setHandler(invoicedSignal, (reported) => {
    void ctx
      .serial(async () => {
        const { invoice, lines } = checkReportedInvoice(state, reported);
        invoiced(invoice, lines);
      })
      .catch(inBackground('a reported invoice'));
  });

  setHandler(bankPaymentNoticeSignal, (notice) => {
    void ctx.serial(() => bookBankNotice(notice)).catch(inBackground('a bank notice'));
  });

  // 直接开票: a per-delivery customer is invoiced right after each job that leaves something delivered
  // uninvoiced. Never more than one attempt per job before it: a refusal waits for the next command.
  let invoiceQueued = false;
  ctx.followUp(() => {
    if (invoiceQueued || !wantsAutomaticInvoice(state)) return;
    invoiceQueued = true;
    void ctx
      .serial(
        async () => {
          invoiceQueued = false;
          if (wantsAutomaticInvoice(state)) await invoiceNow('system', false);
        },
        { followUp: true },
      )
      .catch(inBackground('the automatic invoice'));
  });
}
