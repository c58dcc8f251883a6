import { businessDate } from '../domain/calendar.js';
import { dec, money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { checkWriteOffAmountUnchanged, writeOffNote } from '../domain/order/write-off.js';
import { dunningNotice, overdueNotice } from '../domain/notices.js';
import { enqueueNotification } from '../db/outbox/enqueue.js';
import { customerContacts, usersWithRole } from '../db/outbox/routing.js';
import type { Tx } from '../db/client.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';
import { writeOffInvoice } from './receivables.js';

export interface DunningNoticeInput {
  key: string;
  orderNumber: string;
  invoice: string;
  /** 1 for the first reminder, 2 for the second… */
  step: number;
}

export interface WriteOffBadDebtInput {
  key: string;
  orderNumber: string;
  actor: string;
  approver: string;
  reason: string;
  /** The amount the approver approved: refused (CONFLICT) when receipts changed what is open since. */
  amount?: string;
}

export function collectionActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /** What a dunning or overdue notice says of an invoice: its customer, what is still open, and when it was due. */
  async function invoiceFacts(tx: Tx, orderNumber: string, invoice: string) {
    const [inv] = await tx<{ open: string; due_on: string; customer: string; customer_name: string; customer_id: string; currency: string }[]>`
      SELECT (i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount)::text AS open, i.due_on::text,
             c.code AS customer, c.code || ' ' || c.name AS customer_name, c.id AS customer_id, o.currency
      FROM invoices i JOIN customers c ON c.id = i.payer_customer_id JOIN sales_orders o ON o.id = i.order_id
      WHERE i.number = ${invoice}`;
    if (!inv) throw new DomainError('NOT_FOUND', `invoice ${invoice} does not exist`, 'invoice');
    return { inv, facts: { orderNumber, invoice, customer: inv.customer_name, open: money(dec(inv.open)), currency: inv.currency, dueOn: inv.due_on } };
  }

  /** The overdue notice to the company's own finance users; one per invoice whichever step sends it first. */
  async function enqueueOverdueNotice(tx: Tx, key: string, facts: Awaited<ReturnType<typeof invoiceFacts>>['facts']) {
    const finance = (await usersWithRole(tx, 'finance')).map((user) => ({ user }));
    await enqueueNotification(tx, { key, notification: overdueNotice(facts), recipients: finance });
  }

  /**
   * 催款: one dunning reminder for an overdue invoice, to the customer's contacts the routing names
   * (their finance people). The first also tells the company's own finance users that the invoice is overdue
   * (unless the overdue mark already did: the same key, written once).
   */
  async function recordDunningNotice(input: DunningNoticeInput): Promise<{ open: string }> {
    return once(sql, input.key, async (tx) => {
      const { inv, facts } = await invoiceFacts(tx, input.orderNumber, input.invoice);
      await enqueueNotification(tx, {
        key: input.key,
        notification: dunningNotice(facts, input.step),
        recipients: await customerContacts(tx, inv.customer_id, 'dunning'),
        message: `Reminder ${input.step}: invoice ${input.invoice} of ${inv.customer}, due ${inv.due_on}, has ${inv.open} open`,
      });
      if (input.step === 1) await enqueueOverdueNotice(tx, `${input.key}/overdue`, facts);
      return { open: inv.open };
    });
  }

  /** 逾期: finance is told the day an invoice falls overdue (the key is the one dunning step 1 would use). */
  async function recordOverdueNotice(input: { orderNumber: string; invoice: string; key: string }): Promise<void> {
    await once(sql, input.key, async (tx) => {
      const { facts } = await invoiceFacts(tx, input.orderNumber, input.invoice);
      await enqueueOverdueNotice(tx, input.key, facts);
      return true;
    });
  }

  /**
   * 坏账核销: closes every open receivable of the order and books the loss, with the
   * approval of a finance approver (finance_approvers) who is not the requester.
   */
  async function writeOffBadDebt(input: WriteOffBadDebtInput): Promise<{ writeOffs: { invoice: string; amount: string }[] }> {
    return once(sql, input.key, async (tx) => {
      const [approver] = await tx<{ max_amount: string | null }[]>`SELECT max_amount::text FROM finance_approvers WHERE user_name = ${input.approver}`;
      if (!approver) throw new DomainError('FORBIDDEN', `${input.approver} may not approve a bad-debt write-off`, 'approver');
      const order = await lockOrder(tx, input.orderNumber);
      const open = await tx<{ id: string; number: string; order_id: string; payer_customer_id: string; open: string }[]>`
        SELECT id, number, order_id, payer_customer_id, (gross_amount - paid_amount - written_off_amount - credited_amount)::text AS open
        FROM invoices WHERE order_id = ${order.id} AND paid_amount + written_off_amount + credited_amount < gross_amount ORDER BY id FOR UPDATE`;
      const total = open.reduce((t, i) => t.plus(dec(i.open)), dec(0));
      if (input.amount !== undefined) checkWriteOffAmountUnchanged({ orderNumber: input.orderNumber, amount: input.amount }, money(total));
      if (approver.max_amount !== null && total.greaterThan(dec(approver.max_amount))) {
        throw new DomainError('FORBIDDEN', `${input.approver} may approve write-offs up to ${approver.max_amount}`, 'approver');
      }
      const today = businessDate(now(), business.BUSINESS_TIME_ZONE);
      for (const inv of open) {
        await writeOffInvoice(tx, `${input.key}/${inv.number}`, inv, money(dec(inv.open)), today, writeOffNote(input.reason, input.actor, input.approver), 'bad_debt');
      }
      return { writeOffs: open.map((i) => ({ invoice: i.number, amount: money(dec(i.open)) })) };
    });
  }

  /**
   * A bank notice the order could not book (bad data, or a step that failed for
   * good), recorded as a notification: finance sees it on the order's timeline.
   * Its fields come already made safe to write (describeRefusedNotice).
   */
  async function recordRefusedBankNotice(input: { key: string; orderNumber: string; noticeId: string; amount: string; reason: string }): Promise<void> {
    await once(sql, input.key, async (tx) => {
      await tx`
        INSERT INTO notifications (idempotency_key, order_number, kind, message)
        VALUES (${input.key}, ${input.orderNumber}, 'bank_notice_refused',
                ${`bank notice ${input.noticeId} for ${input.amount} refused: ${input.reason}`})`;
      return true;
    });
  }

  return {
    recordDunningNotice: asActivity(recordDunningNotice),
    recordOverdueNotice: asActivity(recordOverdueNotice),
    writeOffBadDebt: asActivity(writeOffBadDebt),
    recordRefusedBankNotice: asActivity(recordRefusedBankNotice),
  };
}
