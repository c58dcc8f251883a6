import { D, dec, plain } from './decimal.js';
import { DomainError } from './errors.js';

/**
 * Batches (批次) of batch-tracked products: which batches a delivery takes (FEFO, or the warehouse's own choice,
 * checked), which batch a return goes back into, and when a batch is expiring. Pure: the callers load the balances.
 */

export interface BatchBalance {
  batchNo: string;
  expiryDate: string;
  onHand: string;
}

export interface BatchTake {
  batchNo: string;
  quantity: string;
}

export interface AllocatedBatch {
  batchNo: string;
  expiryDate: string;
  quantity: string;
}

/** A batch is usable through its expiry date and expired from the day after (dates are ISO, so text order is date order). */
export const isExpired = (expiryDate: string, today: string): boolean => expiryDate < today;

/** First expiry, first out; batches expiring the same day by batch number, so the choice is stable. */
export const byExpiry = (a: { batchNo: string; expiryDate: string }, b: { batchNo: string; expiryDate: string }) =>
  a.expiryDate === b.expiryDate ? (a.batchNo < b.batchNo ? -1 : a.batchNo > b.batchNo ? 1 : 0) : a.expiryDate < b.expiryDate ? -1 : 1;

/**
 * FEFO as far as the usable batches reach: the allocation and what is still short (zero when covered).
 * Expired and empty batches are never offered.
 */
export function suggestFefo(balances: BatchBalance[], quantity: string, today: string): { batches: AllocatedBatch[]; short: string } {
  let rest = dec(quantity);
  const batches: AllocatedBatch[] = [];
  for (const b of [...balances].sort(byExpiry)) {
    if (rest.isZero()) break;
    const held = dec(b.onHand);
    if (isExpired(b.expiryDate, today) || !held.greaterThan(0)) continue;
    const take = D.min(held, rest);
    batches.push({ batchNo: b.batchNo, expiryDate: b.expiryDate, quantity: plain(take) });
    rest = rest.minus(take);
  }
  return { batches, short: plain(rest) };
}

/** FEFO for a delivery: it covers the quantity or is refused as a stock shortage of the line. */
export function allocateFefo(balances: BatchBalance[], quantity: string, today: string, field: string): AllocatedBatch[] {
  const { batches, short } = suggestFefo(balances, quantity, today);
  if (dec(short).greaterThan(0)) {
    const usable = dec(quantity).minus(dec(short));
    throw new DomainError('INSUFFICIENT_STOCK', `usable batches hold ${plain(usable)}, ${plain(dec(quantity))} asked`, field, {
      available: plain(usable),
      requested: plain(dec(quantity)),
    });
  }
  return batches;
}

/**
 * The request's own batch allocation, before anything is looked up: each batch once, each quantity above zero,
 * together exactly the line's quantity. `field` is the allocation's path (`lines[0].batches`).
 */
export function checkAllocationShape(asked: BatchTake[], quantity: string, field: string): void {
  if (asked.length === 0) throw new DomainError('VALIDATION_FAILED', 'a batch allocation names at least one batch', field);
  const seen = new Set<string>();
  let sum = new D(0);
  asked.forEach((b, i) => {
    if (seen.has(b.batchNo)) throw new DomainError('VALIDATION_FAILED', `batch ${b.batchNo} is named twice`, `${field}[${i}].batchNo`);
    seen.add(b.batchNo);
    const q = dec(b.quantity);
    if (!q.greaterThan(0)) throw new DomainError('VALIDATION_FAILED', 'quantity must be greater than zero', `${field}[${i}].quantity`);
    sum = sum.plus(q);
  });
  if (!sum.equals(dec(quantity))) {
    throw new DomainError('VALIDATION_FAILED', `the batches add up to ${plain(sum)}, the line delivers ${plain(dec(quantity))}`, field, {
      allocated: plain(sum),
      quantity: plain(dec(quantity)),
    });
  }
}

/** The request's allocation against the warehouse's batches: each known, not expired, holding what it gives. */
export function checkAllocation(asked: BatchTake[], balances: BatchBalance[], quantity: string, today: string, field: string): AllocatedBatch[] {
  checkAllocationShape(asked, quantity, field);
  const known = new Map(balances.map((b) => [b.batchNo, b]));
  return asked.map((b, i) => {
    const at = `${field}[${i}]`;
    const batch = known.get(b.batchNo);
    if (!batch) throw new DomainError('VALIDATION_FAILED', `batch ${b.batchNo} is not in this warehouse`, `${at}.batchNo`);
    if (isExpired(batch.expiryDate, today)) {
      throw new DomainError('VALIDATION_FAILED', `batch ${b.batchNo} expired on ${batch.expiryDate}`, `${at}.batchNo`, { expiryDate: batch.expiryDate });
    }
    const q = dec(b.quantity);
    if (dec(batch.onHand).lessThan(q)) {
      throw new DomainError('INSUFFICIENT_STOCK', `batch ${b.batchNo} holds ${plain(dec(batch.onHand))}, ${plain(q)} asked`, `${at}.quantity`, {
        available: plain(dec(batch.onHand)),
        requested: plain(q),
      });
    }
    return { batchNo: b.batchNo, expiryDate: batch.expiryDate, quantity: plain(q) };
  });
}

export interface DeliveredBatch {
  batchNo: string;
  expiryDate: string;
  /** Delivered on the note line and not yet returned. */
  open: string;
}

/**
 * 销退 by batch: a returned quantity goes back into the batches its delivery note line took, the latest-expiring
 * first. Those are the goods with the most shelf life left, which a customer is likeliest to still hold unopened and
 * the warehouse can best sell again; the earlier batches stay returnable for a later return of the same line.
 */
export function returnIntoBatches(delivered: DeliveredBatch[], quantity: string, field: string): AllocatedBatch[] {
  let rest = dec(quantity);
  const out: AllocatedBatch[] = [];
  const latestFirst = [...delivered].sort((a, b) => byExpiry(b, a));
  for (const b of latestFirst) {
    if (rest.isZero()) break;
    const take = D.min(dec(b.open), rest);
    if (!take.greaterThan(0)) continue;
    out.push({ batchNo: b.batchNo, expiryDate: b.expiryDate, quantity: plain(take) });
    rest = rest.minus(take);
  }
  if (rest.greaterThan(0)) {
    throw new DomainError('OVER_RETURN', `the note's batches of this line leave ${plain(dec(quantity).minus(rest))} to return`, field);
  }
  return out;
}

export type ExpiryState = 'expired' | 'expiring';

/** 效期预警: expired, or expiring within `withinDays` of today (inclusive), else nothing to warn of. */
export function expiryState(expiryDate: string, today: string, withinDays: number): ExpiryState | null {
  if (isExpired(expiryDate, today)) return 'expired';
  return daysBetween(today, expiryDate) <= withinDays ? 'expiring' : null;
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
