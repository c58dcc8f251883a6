import { businessDate } from '../domain/calendar.js';
import { dec, money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { allocateOldestFirst, checkRefundWithinCredit } from '../domain/receivables.js';
import type { ReceiptMethod } from './receipts.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { postRefundVoucher } from '../db/ledger/documents.js';
import { documentRate } from '../db/fx.js';
import { fittingBase } from '../domain/fx.js';
import { asActivity, once, type ActivityDeps } from './support.js';

export interface RecordRefundInput {
  payerCode: string;
  key: string;
  recordedBy: string;
  amount: string;
  method: ReceiptMethod;
  paidOn?: string;
  reference?: string;
}

export interface RecordedRefund {
  number: string;
  payerCode: string;
  amount: string;
  /** The credit notes it paid back, oldest first. */
  creditNotes: { creditNote: string; amount: string }[];
  /** What the payer still has to its good after it. */
  creditLeft: string;
}

export function refundActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /**
   * 退款: pays the payer's credit (what credit notes did not settle) back, never
   * more than it has; in one transaction with the credit notes it uses and the
   * ledger entry that brings the payer's balance back up.
   */
  async function recordRefund(input: RecordRefundInput): Promise<RecordedRefund> {
    return once(sql, input.key, async (tx) => {
      const [payer] = await tx<{ id: string; bill_to: string | null; currency: string }[]>`
        SELECT id, bill_to_customer_id AS bill_to, currency FROM customers WHERE code = ${input.payerCode}`;
      if (!payer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${input.payerCode} does not exist`, 'payerCode');
      if (payer.bill_to) throw new DomainError('VALIDATION_FAILED', `customer ${input.payerCode} is a branch; its head office holds the credit`, 'payerCode');
      const notes = await tx<{ id: string; number: string; open: string }[]>`
        SELECT id, number, (gross_amount - allocated_amount - refunded_amount)::text AS open FROM credit_notes
        WHERE payer_customer_id = ${payer.id} AND currency = ${payer.currency} AND allocated_amount + refunded_amount < gross_amount ORDER BY issued_on, id FOR UPDATE`;
      const available = notes.reduce((s, n) => s.plus(dec(n.open)), dec(0));
      checkRefundWithinCredit(input.payerCode, available, dec(input.amount));
      const paidOn = input.paidOn ?? businessDate(now(), business.BUSINESS_TIME_ZONE);
      const fxRate = await documentRate(tx, payer.currency, paidOn);
      const baseAmount = money(fittingBase(input.amount, fxRate, 'amount'));
      const number = await nextDocumentNumber(tx, 'refund', paidOn);
      const [refund] = await tx<{ id: string }[]>`
        INSERT INTO refunds (number, customer_id, idempotency_key, method, amount, paid_on, reference, recorded_by, currency, fx_rate, base_amount)
        VALUES (${number}, ${payer.id}, ${input.key}, ${input.method}, ${input.amount}, ${paidOn}, ${input.reference ?? null}, ${input.recordedBy},
                ${payer.currency}, ${fxRate}, ${baseAmount})
        RETURNING id`;
      const { allocations } = allocateOldestFirst(notes.map((n) => ({ id: n.id, open: n.open })), input.amount);
      for (const a of allocations) {
        await tx`INSERT INTO refund_lines (refund_id, credit_note_id, amount) VALUES (${refund!.id}, ${a.id}, ${a.amount})`;
        // The CHECK credit_note_never_over_allocated is the last word against paying a note back twice.
        await tx`UPDATE credit_notes SET refunded_amount = refunded_amount + ${a.amount} WHERE id = ${a.id}`;
      }
      await tx`
        INSERT INTO receivable_entries (idempotency_key, customer_id, kind, amount, entry_on, note, currency, fx_rate, base_amount)
        VALUES (${input.key}, ${payer.id}, 'refund', ${money(dec(input.amount))}, ${paidOn}, ${number}, ${payer.currency}, ${fxRate}, ${baseAmount})`;
      await postRefundVoucher(tx, refund!.id);
      return {
        number,
        payerCode: input.payerCode,
        amount: money(dec(input.amount)),
        creditNotes: allocations.map((a) => ({ creditNote: notes.find((n) => n.id === a.id)!.number, amount: a.amount })),
        creditLeft: money(available.minus(dec(input.amount))),
      };
    });
  }

  return { recordRefund: asActivity(recordRefund) };
}
