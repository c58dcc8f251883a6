import { dec, plain, type D } from './decimal.js';
import { isExpired } from './batches.js';
import { DomainError } from './errors.js';

/**
 * Stock moves a user makes (入库 goods receipt, 调整 adjustment, 调拨 transfer): the rules the API applies before
 * anything is written. Pure, so each rule is one function used wherever it applies.
 */

export interface ProductFacts {
  code: string;
  active: boolean;
  batchManaged: boolean;
}

export interface WarehouseFacts {
  code: string;
  active: boolean;
}

/** The warehouse exists and is in use; `field` names where the code came from. */
export function checkWarehouse(w: WarehouseFacts | undefined, code: string, field: string): asserts w is WarehouseFacts {
  if (!w) throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${code} does not exist`, field);
  if (!w.active) throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${code} is inactive`, field);
}

export function checkProduct(p: ProductFacts | undefined, code: string, field: string): asserts p is ProductFacts {
  if (!p) throw new DomainError('UNKNOWN_PRODUCT', `product ${code} does not exist`, field);
  if (!p.active) throw new DomainError('UNKNOWN_PRODUCT', `product ${code} is inactive`, field);
}

/** A batch-tracked product moves by batch, any other product without one: the batch is required iff tracked. */
export function checkBatch(p: ProductFacts, batchNo: string | undefined, field: string): void {
  if (p.batchManaged && !batchNo) throw new DomainError('VALIDATION_FAILED', `product ${p.code} is batch-tracked: a batch is required`, field);
  if (!p.batchManaged && batchNo) throw new DomainError('VALIDATION_FAILED', `product ${p.code} is not batch-tracked: no batch`, field);
}

/**
 * A receipt line of a batch-tracked product names its batch and the batch's expiry date. Goods already expired
 * are not received as stock: they could never be delivered, yet would count as available and be reserved.
 */
export function checkReceiptLine(p: ProductFacts, line: { batchNo?: string | undefined; expiryDate?: string | undefined }, at: string, today: string): void {
  checkBatch(p, line.batchNo, `${at}.batchNo`);
  if (p.batchManaged && !line.expiryDate) {
    throw new DomainError('VALIDATION_FAILED', `product ${p.code} is batch-tracked: an expiry date is required`, `${at}.expiryDate`);
  }
  if (line.expiryDate && isExpired(line.expiryDate, today)) {
    throw new DomainError('VALIDATION_FAILED', `batch ${line.batchNo ?? ''} expired on ${line.expiryDate}: expired goods are not received as stock`, `${at}.expiryDate`);
  }
  if (!p.batchManaged && line.expiryDate) {
    throw new DomainError('VALIDATION_FAILED', `product ${p.code} is not batch-tracked: no expiry date`, `${at}.expiryDate`);
  }
}

/** A quantity that moves is a decimal above zero. */
export function checkPositive(quantity: string, field: string): D {
  const q = dec(quantity);
  if (!q.isPositive() || q.isZero()) throw new DomainError('VALIDATION_FAILED', `${field} must be greater than zero`, field);
  return q;
}

export interface Level {
  onHand: string;
  reserved: string;
}

/** The largest on hand a level holds (numeric(18,4)): more is refused by its field, not by a database overflow. */
const MAX_ON_HAND = '99999999999999.9999';

export function checkOnHandFits(level: Level, delta: string, field: string): void {
  const after = dec(level.onHand).plus(dec(delta));
  if (after.greaterThan(dec(MAX_ON_HAND))) {
    throw new DomainError('VALIDATION_FAILED', `on hand would be ${plain(after)}, above the most a level holds (${MAX_ON_HAND})`, field);
  }
}

/**
 * An adjustment changes on hand by `delta` (not zero). Stock that orders hold stays: a decrease may not take
 * on hand below what is reserved.
 */
export function checkAdjustment(level: Level, delta: string): void {
  const d = dec(delta);
  if (d.isZero()) throw new DomainError('VALIDATION_FAILED', 'quantity must not be zero', 'quantity');
  checkOnHandFits(level, delta, 'quantity');
  const after = dec(level.onHand).plus(d);
  if (after.lessThan(dec(level.reserved))) {
    const floor = dec(level.reserved).isZero() ? 'below zero' : `below the ${plain(dec(level.reserved))} reserved for orders`;
    throw new DomainError(
      'INSUFFICIENT_STOCK',
      `on hand would be ${plain(after)}, ${floor}`,
      'quantity',
      { onHand: plain(dec(level.onHand)), reserved: plain(dec(level.reserved)), requested: plain(d) },
    );
  }
}

/** A transfer moves stock nobody holds: at most what is available (on hand − reserved) at the source. */
export function checkTransfer(from: string, to: string, level: Level, quantity: string, at: string): void {
  if (from === to) throw new DomainError('VALIDATION_FAILED', 'a transfer goes to another warehouse', 'toWarehouseCode');
  const q = checkPositive(quantity, `${at}.quantity`);
  const available = dec(level.onHand).minus(dec(level.reserved));
  if (available.lessThan(q)) {
    throw new DomainError('INSUFFICIENT_STOCK', `only ${plain(available)} available at ${from}, ${plain(q)} asked`, `${at}.quantity`, {
      available: plain(available),
      requested: plain(q),
    });
  }
}

/** A batch gives at most what it holds. */
export function checkBatchHolds(batch: { onHand: string } | undefined, batchNo: string, quantity: D, field: string): void {
  const held = batch ? dec(batch.onHand) : dec(0);
  if (held.lessThan(quantity)) {
    throw new DomainError('INSUFFICIENT_STOCK', `batch ${batchNo} holds ${plain(held)}, ${plain(quantity)} asked`, field, {
      available: plain(held),
      requested: plain(quantity),
    });
  }
}

/**
 * A count sheet counts each product once, a batch-tracked product once per batch (and only by batch); a batch the
 * book does not know in that warehouse is counted with its expiry date.
 */
export function checkCountLine(
  p: ProductFacts,
  line: { batchNo?: string | undefined; expiryDate?: string | undefined },
  book: { expiryDate: string } | undefined,
  seen: Set<string>,
  at: string,
): void {
  checkBatch(p, line.batchNo, `${at}.batchNo`);
  const key = line.batchNo === undefined ? p.code : `${p.code}\u0000${line.batchNo}`;
  if (seen.has(key)) {
    const what = line.batchNo === undefined ? `product ${p.code}` : `batch ${line.batchNo} of ${p.code}`;
    throw new DomainError('VALIDATION_FAILED', `${what} is counted twice`, `${at}.${line.batchNo === undefined ? 'productCode' : 'batchNo'}`);
  }
  seen.add(key);
  if (!p.batchManaged) {
    if (line.expiryDate) throw new DomainError('VALIDATION_FAILED', `product ${p.code} is not batch-tracked: no expiry date`, `${at}.expiryDate`);
    return;
  }
  if (!book && !line.expiryDate) {
    throw new DomainError('VALIDATION_FAILED', `batch ${line.batchNo} is not in the book: give its expiry date`, `${at}.expiryDate`);
  }
  if (book && line.expiryDate && line.expiryDate !== book.expiryDate) {
    throw new DomainError('VALIDATION_FAILED', `batch ${line.batchNo} expires on ${book.expiryDate}`, `${at}.expiryDate`);
  }
}

/** The counter does not approve their own count (四眼原则), and a sheet is approved once. */
export function checkCountApproval(sheet: { number: string; status: string; countedBy: string }, approver: string): void {
  if (sheet.status !== 'counted') throw new DomainError('INVALID_STATE', `count ${sheet.number} is already ${sheet.status}`, 'status');
  if (sheet.countedBy === approver) throw new DomainError('SELF_APPROVAL', `${approver} counted ${sheet.number}; someone else approves it`, 'user');
}
