import { allocateOldestFirst, dueDate, type SettlementTerms } from '../domain/receivables.js';
import { collectionInstants, type CollectionInstants } from '../domain/due.js';
import { dec, money } from '../domain/decimal.js';
import { paymentTermsOf, type PaymentApplied } from '../domain/order/index.js';
import type { Tx } from '../db/client.js';
import { postWriteOffVoucher } from '../db/ledger/documents.js';
import { allocateReceipt } from '../db/fx.js';
import { settledInBase } from '../domain/fx.js';

/** Receivable helpers shared by invoicing, receipts and collection, inside the caller's transaction. */

export interface PayerTerms {
  payerId: string;
  terms: SettlementTerms;
  settlementDays: number;
}

/** 总公司付款: the head office pays for a branch; terms are the payer's. */
export async function payerOf(tx: Tx, customerId: string): Promise<PayerTerms> {
  const [row] = await tx<{ id: string; settlement_terms: SettlementTerms; settlement_days: number }[]>`
    SELECT p.id, p.settlement_terms, p.settlement_days FROM customers c
    JOIN customers p ON p.id = coalesce(c.bill_to_customer_id, c.id) WHERE c.id = ${customerId}`;
  return { payerId: row!.id, terms: row!.settlement_terms, settlementDays: row!.settlement_days };
}

/**
 * When an order's invoice falls due: by the terms agreed for the order when it has its own (sales_orders
 * settlement_terms), else its payer's. Monthly terms count from `monthStart` when the invoice is a month's.
 */
export async function orderDueDate(tx: Tx, orderId: string, payer: PayerTerms, issuedOn: string, monthStart?: string): Promise<string> {
  const [own] = await tx<{ settlement_terms: SettlementTerms | null; settlement_days: number | null }[]>`
    SELECT settlement_terms, settlement_days FROM sales_orders WHERE id = ${orderId}`;
  const terms = paymentTermsOf(
    { settlementTerms: payer.terms, settlementDays: payer.settlementDays },
    own?.settlement_terms ? { settlementTerms: own.settlement_terms, settlementDays: own.settlement_days ?? 0 } : null,
  );
  return dueDate(terms.settlementTerms, terms.settlementDays, terms.settlementTerms === 'monthly' && monthStart ? monthStart : issuedOn);
}

export async function setting<T>(tx: Tx, key: string, fallback: T): Promise<T> {
  const [row] = await tx<{ value: T }[]>`SELECT value FROM company_settings WHERE key = ${key}`;
  return row ? row.value : fallback;
}

/** How long a day lasts for the workflow's collection timers (a test shortens it). */
export async function dayLengthMs(tx: Tx): Promise<number> {
  return Number(await setting(tx, 'collection.day_seconds', 86_400)) * 1000;
}

/** From when a new receivable due on `dueOn` is overdue, and its dunning steps after that (domain/due.ts). */
export async function collectionSchedule(tx: Tx, dueOn: string, clock: { nowMs: number; timeZone: string }): Promise<CollectionInstants> {
  const dayMs = await dayLengthMs(tx);
  const dunningDays = (await setting<number[]>(tx, 'collection.dunning_days', [7, 30, 60])).map(Number);
  return collectionInstants({ dueOn, timeZone: clock.timeZone, nowMs: clock.nowMs, dayMs, dunningDays });
}

interface OpenReceipt {
  id: string;
  number: string;
  order_id: string | null;
  open: string;
}

/**
 * 预收: advances of the payer pay a new invoice at once, the order's own (its
 * deposit) first, then the payer's unassigned ones, oldest first. An advance can
 * never pay more than it advanced (receipt_never_over_allocated).
 */
export async function applyAdvances(
  tx: Tx,
  key: string,
  invoice: { id: string; number: string; open: string; currency: string },
  payerId: string,
  orderId: string,
): Promise<PaymentApplied[]> {
  const receipts = await tx<OpenReceipt[]>`
    SELECT id, number, order_id, (amount - allocated_amount)::text AS open FROM receipts
    WHERE customer_id = ${payerId} AND currency = ${invoice.currency} AND allocated_amount < amount AND (order_id IS NULL OR order_id = ${orderId})
    ORDER BY (order_id IS NULL), received_on, id FOR UPDATE`;
  const applied: PaymentApplied[] = [];
  let left = dec(invoice.open);
  for (const r of receipts) {
    if (left.isZero()) break;
    const { allocations } = allocateOldestFirst([{ id: invoice.id, open: money(left) }], r.open);
    const take = allocations[0];
    if (!take) continue;
    await allocateReceipt(tx, key, r.id, invoice.id, take.amount);
    applied.push({ receipt: r.number, invoice: invoice.number, amount: take.amount, fromOrderAdvance: r.order_id === orderId });
    left = left.minus(dec(take.amount));
  }
  return applied;
}

/** Writes off what is left on an invoice and books the loss in the receivable ledger and the books (a tolerance difference or a bad debt). */
export async function writeOffInvoice(
  tx: Tx,
  key: string,
  invoice: { id: string; order_id: string | null; payer_customer_id: string },
  amount: string,
  entryOn: string,
  note: string,
  kind: 'tolerance' | 'bad_debt',
): Promise<void> {
  // A write-off removes what the invoice carries, so it is booked at the invoice's rate (domain/fx.ts).
  const [fx] = await tx<{ currency: string; fx_rate: string; settled: string }[]>`
    UPDATE invoices SET written_off_amount = written_off_amount + ${amount} WHERE id = ${invoice.id}
    RETURNING currency, fx_rate::text, (paid_amount + written_off_amount + credited_amount - ${amount})::text AS settled`;
  const base = settledInBase(fx!.fx_rate, fx!.settled, amount);
  await tx`
    INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, invoice_id, kind, amount, entry_on, note, currency, fx_rate, base_amount)
    VALUES (${key}, ${invoice.payer_customer_id}, ${invoice.order_id}, ${invoice.id}, 'write_off', ${dec(amount).negated().toFixed(2)}, ${entryOn}, ${note},
            ${fx!.currency}, ${fx!.fx_rate}, ${base.negated().toFixed(2)})`;
  await postWriteOffVoucher(tx, { invoiceId: invoice.id, amount, base: base.toFixed(2), date: entryOn, kind, note });
}
