import { addDays } from './calendar.js';
import { D, dec, money, sum, type D as Dec } from './decimal.js';
import { DomainError } from './errors.js';

/** Receivables (应收): due dates, matching receipts to invoices (核销), tolerance, aging. */

export type SettlementTerms = 'cash' | 'transfer' | 'monthly' | 'net';
export type InvoiceMode = 'per_order' | 'per_delivery' | 'monthly';

/** The last day of the month after the one `isoDate` falls in. */
export function endOfNextMonth(isoDate: string): string {
  const [y, m] = isoDate.split('-').map(Number) as [number, number];
  // Day 0 of the month after next is the last day of next month.
  const last = new Date(Date.UTC(y, m + 1, 0));
  return last.toISOString().slice(0, 10);
}

/** Due date from the customer's settlement terms: cash the same day, monthly the end of next month, else +N days. */
export function dueDate(terms: SettlementTerms, settlementDays: number, issuedOn: string): string {
  switch (terms) {
    case 'cash':
      return issuedOn;
    case 'monthly':
      return endOfNextMonth(issuedOn);
    default:
      return addDays(issuedOn, settlementDays);
  }
}

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

/** An invoice still (partly) open: gross minus paid minus written off. */
export interface OpenItem {
  id: string;
  open: string;
}

export interface Allocation {
  id: string;
  amount: string;
}

/**
 * 核销, automatic: the amount pays the open items in the order given (oldest due
 * first is the caller's sort), each at most its open amount. What is left over is
 * the advance (预收).
 */
export function allocateOldestFirst(items: OpenItem[], amount: string): { allocations: Allocation[]; rest: string } {
  let left = dec(amount);
  const allocations: Allocation[] = [];
  for (const item of items) {
    if (!left.isPositive() || left.isZero()) break;
    const open = dec(item.open);
    if (!open.isPositive() || open.isZero()) continue;
    const take = D.min(open, left);
    allocations.push({ id: item.id, amount: money(take) });
    left = left.minus(take);
  }
  return { allocations, rest: money(left) };
}

/**
 * 核销, chosen by the user: each named item gets what was asked, never more than
 * it is open and never more than the receipt in total.
 */
export function allocateChosen(items: OpenItem[], chosen: Allocation[], amount: string): { allocations: Allocation[]; rest: string } {
  const open = new Map(items.map((i) => [i.id, dec(i.open)]));
  const seen = new Set<string>();
  chosen.forEach((c, i) => {
    const field = `allocations[${i}]`;
    if (seen.has(c.id)) throw new DomainError('VALIDATION_FAILED', `invoice ${c.id} is named twice`, `${field}.invoiceNumber`);
    seen.add(c.id);
    const itemOpen = open.get(c.id);
    if (itemOpen === undefined) throw new DomainError('NOT_FOUND', `invoice ${c.id} is not open for this payer`, `${field}.invoiceNumber`);
    if (dec(c.amount).greaterThan(itemOpen)) {
      throw new DomainError('OVER_PAYMENT', `invoice ${c.id} has only ${money(itemOpen)} open`, `${field}.amount`, { open: money(itemOpen) });
    }
  });
  const total = sum(chosen.map((c) => dec(c.amount)));
  if (total.greaterThan(dec(amount))) {
    throw new DomainError('OVER_PAYMENT', `the allocations (${money(total)}) exceed the receipt (${money(dec(amount))})`, 'allocations');
  }
  return { allocations: chosen.map((c) => ({ id: c.id, amount: money(dec(c.amount)) })), rest: money(dec(amount).minus(total)) };
}

/**
 * A difference left on an invoice may be written off on request when it is within
 * the tolerance (inclusive); over it, the request is refused as a whole.
 */
export function checkWriteOffTolerance(difference: string, tolerance: string, field = 'writeOffDifference'): void {
  if (dec(difference).greaterThan(dec(tolerance))) {
    throw new DomainError('OVER_TOLERANCE', `the difference ${money(dec(difference))} exceeds the write-off tolerance ${money(dec(tolerance))}`, field, {
      difference: money(dec(difference)),
      tolerance: money(dec(tolerance)),
    });
  }
}

/** 退款: a refund pays back at most the payer's credit. */
export function checkRefundWithinCredit(payerCode: string, credit: D, amount: D): void {
  if (amount.greaterThan(credit)) {
    throw new DomainError('OVER_REFUND', `customer ${payerCode} has a credit of ${money(credit)}, less than ${money(amount)}`, 'amount', { credit: money(credit) });
  }
}

export const AGING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The last day past due of each bucket but the last: current is up to 0, then 1–30, 31–60, 61–90, over 90. */
export const AGING_BUCKET_LAST_DAYS = [0, 30, 60, 90] as const;

/** 账龄: the bucket of an open amount by days past its due date. */
export function agingBucket(daysOverdue: number): AgingBucket {
  return AGING_BUCKETS[AGING_BUCKET_LAST_DAYS.filter((last) => daysOverdue > last).length]!;
}

/** The deposit (订金) an order needs before release: its gross at the ratio, half-up to cents. */
export function depositFor(gross: string, ratio: string): string {
  return money(dec(gross).times(dec(ratio)));
}

export function isZeroMoney(value: string | Dec): boolean {
  return dec(value).isZero();
}
