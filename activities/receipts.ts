import { businessDate } from '../domain/calendar.js';
import { dec, money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { allocateChosen, allocateOldestFirst, checkWriteOffTolerance } from '../domain/receivables.js';
import type { PaymentApplied } from '../domain/order/index.js';
import type { Tx } from '../db/client.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { postReceiptVoucher } from '../db/ledger/documents.js';
import { allocateReceipt, documentRate } from '../db/fx.js';
import { fittingBase } from '../domain/fx.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';
import { payerOf, setting, writeOffInvoice } from './receivables.js';

export type ReceiptMethod = 'cash' | 'bank_transfer' | 'card' | 'cheque' | 'other';

export interface RecordReceiptInput {
  key: string;
  recordedBy: string;
  amount: string;
  method: ReceiptMethod;
  receivedOn?: string;
  reference?: string;
  /**
   * `order`: money for one order (its invoices, the rest held as that order's advance or deposit).
   * `payer`: money from a payer for any of its invoices (the order named, if any, first); the rest is the payer's advance.
   */
  scope: 'order' | 'payer';
  orderNumber?: string;
  payerCode?: string;
  /** 核销 chosen by the user; otherwise oldest due first. */
  allocations?: { invoiceNumber: string; amount: string }[];
  /** Write off what the receipt leaves open on the invoices it pays, if within the tolerance. */
  writeOffDifference?: boolean;
}

export interface PaymentToOrder extends PaymentApplied {
  orderNumber: string;
}

export interface RecordedReceipt {
  number: string;
  amount: string;
  payerCode: string;
  /** What went onto invoices, as the order's receipt command answers it. */
  allocations: { invoiceNumber: string; amount: string }[];
  applied: PaymentToOrder[];
  /** Left unallocated: an advance (预收) applied to the payer's next invoices. */
  advance: string;
  /** The payer's currency, the rate of the receipt's date and its amount in base. */
  currency: string;
  fxRate: string;
  baseAmount: string;
  /** 汇兑损益 of its allocations in base: positive a gain, negative a loss. */
  exchangeDifference: string;
}

interface OpenInvoice {
  id: string;
  number: string;
  order_id: string;
  order_number: string;
  payer_customer_id: string;
  open: string;
}

async function openInvoices(tx: Tx, payerId: string, currency: string, orderId: string | null, onlyThisOrder: boolean): Promise<OpenInvoice[]> {
  return tx<OpenInvoice[]>`
    SELECT i.id, i.number, i.order_id, o.number AS order_number, i.payer_customer_id,
           (i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount)::text AS open
    FROM invoices i JOIN sales_orders o ON o.id = i.order_id
    WHERE i.payer_customer_id = ${payerId} AND i.currency = ${currency} AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount
      AND (${onlyThisOrder}::boolean = false OR i.order_id = ${orderId}::bigint)
    ORDER BY (i.order_id IS DISTINCT FROM ${orderId}::bigint), i.due_on, i.id
    FOR UPDATE OF i`;
}

export function receiptActivities({ sql, business, now = () => new Date() }: ActivityDeps) {
  /**
   * 收款单 + 核销: records the money from its payer and matches it to invoices of the
   * same payer. The database refuses a receipt allocated beyond its amount or an
   * invoice paid beyond its gross (receipt_allocations trigger + CHECKs).
   */
  async function recordReceipt(input: RecordReceiptInput): Promise<RecordedReceipt> {
    return once(sql, input.key, async (tx) => {
      const today = businessDate(now(), business.BUSINESS_TIME_ZONE);
      const order = input.orderNumber ? await lockOrder(tx, input.orderNumber) : undefined;
      let payerId: string;
      if (order) {
        payerId = (await payerOf(tx, order.customer_id)).payerId;
      } else {
        const [c] = await tx<{ id: string }[]>`SELECT id FROM customers WHERE code = ${input.payerCode ?? ''}`;
        if (!c) throw new DomainError('UNKNOWN_CUSTOMER', `payer ${input.payerCode} does not exist`, 'payerCode');
        payerId = c.id;
      }
      // One payer's receipts are matched one at a time (locks: order, then payer, then invoices).
      const [payer] = await tx<{ code: string; currency: string }[]>`SELECT code, currency FROM customers WHERE id = ${payerId} FOR UPDATE`;
      const receivedOn = input.receivedOn ?? today;
      // Money comes in the payer's currency, at the rate of the day it arrived (refused before anything is written).
      const fxRate = await documentRate(tx, payer!.currency, receivedOn);
      const baseAmount = money(fittingBase(input.amount, fxRate, 'amount'));
      const number = await nextDocumentNumber(tx, 'receipt', today);
      const receiptOrderId = input.scope === 'order' ? order!.id : null;
      const [receipt] = await tx<{ id: string }[]>`
        INSERT INTO receipts (number, customer_id, order_id, idempotency_key, method, amount, received_on, recorded_by, reference,
                              currency, fx_rate, base_amount)
        VALUES (${number}, ${payerId}, ${receiptOrderId}, ${input.key}, ${input.method}, ${input.amount}, ${receivedOn},
                ${input.recordedBy}, ${input.reference ?? null}, ${payer!.currency}, ${fxRate}, ${baseAmount})
        RETURNING id`;
      await tx`
        INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, receipt_id, kind, amount, entry_on, currency, fx_rate, base_amount)
        VALUES (${input.key}, ${payerId}, ${receiptOrderId}, ${receipt!.id}, 'receipt', ${dec(input.amount).negated().toFixed(2)}, ${receivedOn},
                ${payer!.currency}, ${fxRate}, ${dec(baseAmount).negated().toFixed(2)})`;

      const open = await openInvoices(tx, payerId, payer!.currency, order?.id ?? null, input.scope === 'order');
      const byNumber = new Map(open.map((i) => [i.number, i]));
      const items = open.map((i) => ({ id: i.number, open: i.open }));
      const { allocations, rest } = input.allocations
        ? allocateChosen(items, input.allocations.map((a) => ({ id: a.invoiceNumber, amount: a.amount })), input.amount)
        : allocateOldestFirst(items, input.amount);
      const tolerance = input.writeOffDifference ? String(await setting(tx, 'receipts.write_off_tolerance', '0')) : '0';

      const applied: PaymentToOrder[] = [];
      let exchangeDifference = dec(0);
      for (const [i, a] of allocations.entries()) {
        const inv = byNumber.get(a.id)!;
        exchangeDifference = exchangeDifference.plus(dec((await allocateReceipt(tx, input.key, receipt!.id, inv.id, a.amount)).exchangeDifference));
        const payment: PaymentToOrder = { orderNumber: inv.order_number, receipt: number, invoice: inv.number, amount: a.amount };
        const difference = dec(inv.open).minus(dec(a.amount));
        if (input.writeOffDifference && difference.isPositive() && !difference.isZero()) {
          checkWriteOffTolerance(money(difference), tolerance, input.allocations ? `allocations[${i}].amount` : 'writeOffDifference');
          await writeOffInvoice(tx, `${input.key}/write-off/${inv.number}`, inv, money(difference), receivedOn, `difference written off with receipt ${number}`, 'tolerance');
          payment.writtenOff = money(difference);
        }
        applied.push(payment);
      }
      await postReceiptVoucher(tx, receipt!.id);
      return {
        number,
        amount: money(dec(input.amount)),
        payerCode: payer!.code,
        allocations: applied.map((p) => ({ invoiceNumber: p.invoice, amount: p.amount })),
        applied,
        advance: rest,
        currency: payer!.currency,
        fxRate,
        baseAmount,
        exchangeDifference: money(exchangeDifference),
      };
    });
  }

  return { recordReceipt: asActivity(recordReceipt) };
}
