import { businessDate } from '../domain/calendar.js';
import { dec, money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';

export type ReceiptMethod = 'cash' | 'bank_transfer' | 'card' | 'cheque' | 'other';

export interface RecordReceiptInput {
  orderNumber: string;
  key: string;
  recordedBy: string;
  amount: string;
  method: ReceiptMethod;
  receivedOn?: string;
}

export interface RecordedReceipt {
  number: string;
  amount: string;
  allocations: { invoiceNumber: string; amount: string }[];
}

export function receiptActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /** 收款单 + 核销: records the money and matches it to the order's invoices, oldest due first. */
  async function recordReceipt(input: RecordReceiptInput): Promise<RecordedReceipt> {
    return once(sql, input.key, async (tx) => {
      const order = await lockOrder(tx, input.orderNumber);
      const today = businessDate(now(), business.BUSINESS_TIME_ZONE);
      const number = await nextDocumentNumber(tx, 'receipt', today);
      const [receipt] = await tx<{ id: string }[]>`
        INSERT INTO receipts (number, customer_id, order_id, idempotency_key, method, amount, received_on, recorded_by)
        VALUES (${number}, ${order.customer_id}, ${order.id}, ${input.key}, ${input.method}, ${input.amount},
                ${input.receivedOn ?? today}, ${input.recordedBy})
        RETURNING id`;
      const open = await tx<{ id: string; number: string; open: string }[]>`
        SELECT id, number, (gross_amount - paid_amount)::text AS open FROM invoices
        WHERE order_id = ${order.id} AND paid_amount < gross_amount
        ORDER BY due_on, id FOR UPDATE`;
      let left = dec(input.amount);
      const allocations: RecordedReceipt['allocations'] = [];
      for (const inv of open) {
        if (left.isZero()) break;
        const take = dec(inv.open).lessThan(left) ? dec(inv.open) : left;
        await tx`INSERT INTO receipt_allocations (receipt_id, invoice_id, amount) VALUES (${receipt!.id}, ${inv.id}, ${money(take)})`;
        await tx`UPDATE invoices SET paid_amount = paid_amount + ${money(take)} WHERE id = ${inv.id}`;
        allocations.push({ invoiceNumber: inv.number, amount: money(take) });
        left = left.minus(take);
      }
      if (!left.isZero()) {
        throw new DomainError('OVER_PAYMENT', `receipt of ${input.amount} exceeds the open invoices by ${money(left)}`, 'amount');
      }
      await tx`UPDATE receipts SET allocated_amount = ${input.amount} WHERE id = ${receipt!.id}`;
      await tx`
        INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, receipt_id, kind, amount)
        VALUES (${input.key}, ${order.customer_id}, ${order.id}, ${receipt!.id}, 'receipt', ${dec(input.amount).negated().toFixed(2)})`;
      return { number, amount: money(dec(input.amount)), allocations };
    });
  }

  return { recordReceipt: asActivity(recordReceipt) };
}
