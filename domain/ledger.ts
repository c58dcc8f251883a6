import { dec, money, sum, type D } from './decimal.js';
import { toBase } from './fx.js';

/**
 * The books (业财一体化): how a document's postings become a voucher (凭证). Pure: the
 * document transactions (db/ledger/post.ts) feed it the mapping and the amounts, and
 * write what it returns. A voucher that does not balance is never returned.
 */

export const POSTING_PURPOSES = [
  'receivable',
  'advance',
  'revenue',
  'output_vat',
  'cogs',
  'inventory',
  'bank',
  'tolerance',
  'bad_debt',
  'fx_gain',
  'fx_loss',
] as const;
export type PostingPurpose = (typeof POSTING_PURPOSES)[number];

export const VOUCHER_SOURCES = ['invoice', 'credit_note', 'receipt', 'write_off_tolerance', 'write_off_bad_debt', 'refund', 'delivery', 'return'] as const;
export type VoucherSource = (typeof VOUCHER_SOURCES)[number];

/** What a mapping row may narrow by: tax rate, customer group (customers.grade), product category. */
export interface Dimensions {
  taxRate?: string | null | undefined;
  customerGroup?: string | null | undefined;
  productCategory?: string | null | undefined;
}

export interface MappingRow {
  purpose: PostingPurpose;
  taxRate: string | null;
  customerGroup: string | null;
  productCategory: string | null;
  accountCode: string;
}

export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}

/**
 * The account for a purpose: among the rows whose every narrowing matches the posting, the one
 * narrowing by the most dimensions (ties: tax rate, then product category, then customer group
 * decide, as the more specific accounting fact). The default row (no narrowing) always matches.
 */
export function accountFor(mapping: readonly MappingRow[], purpose: PostingPurpose, dims: Dimensions): string {
  const same = (a: string | null | undefined, b: string | null | undefined, numeric = false) =>
    a != null && b != null && (numeric ? dec(a).equals(dec(b)) : a === b);
  // How many dimensions a row narrows by counts first (×8 outweighs every tie-break below), then which ones.
  const weight = (r: MappingRow) => {
    const [t, p, g] = [r.taxRate !== null, r.productCategory !== null, r.customerGroup !== null];
    return 8 * (Number(t) + Number(p) + Number(g)) + (t ? 4 : 0) + (p ? 2 : 0) + (g ? 1 : 0);
  };
  const candidates = mapping.filter(
    (r) =>
      r.purpose === purpose &&
      (r.taxRate === null || same(r.taxRate, dims.taxRate, true)) &&
      (r.customerGroup === null || same(r.customerGroup, dims.customerGroup)) &&
      (r.productCategory === null || same(r.productCategory, dims.productCategory)),
  );
  const best = candidates.sort((a, b) => weight(b) - weight(a))[0];
  if (!best) throw new LedgerError(`no account is mapped for ${purpose}`);
  return best.accountCode;
}

/** One posting of a document, in its own currency: a purpose, a side, an amount. */
export interface Posting {
  purpose: PostingPurpose;
  side: 'debit' | 'credit';
  /** Document currency, at most two decimals; zero postings are dropped. */
  amount: string;
  dims?: Dimensions;
  customerCode?: string | null;
  memo: string;
  /**
   * The base amount when it is not this document's amount at this document's rate: what a receivable was booked at
   * (a receipt or a write-off clears an invoice at the invoice's rate), or an advance at its receipt's rate.
   */
  base?: string;
  /**
   * The account itself, not the mapping's: a receivable is cleared on the account its invoice was booked to, whatever
   * the mapping says since.
   */
  account?: string;
}

export interface VoucherDraft {
  date: string;
  source: VoucherSource;
  sourceNumber: string;
  orderNumber: string | null;
  currency: string;
  /** Base-currency units per unit of the document's currency (1 for the base currency). */
  exchangeRate: string;
  postings: Posting[];
}

export interface VoucherLine {
  accountCode: string;
  /** What the line is for (its posting's purpose): what a customer's receivable or credit is, whatever the mapping says since. */
  purpose: PostingPurpose;
  debit: string;
  credit: string;
  customerCode: string | null;
  memo: string;
  /** The document-currency amount: debit positive, credit negative. */
  docAmount: string;
}

export interface Voucher extends Omit<VoucherDraft, 'postings'> {
  lines: VoucherLine[];
}

/** The one conversion to the base currency is domain/fx.ts's (amount × rate, half-up to cents). */
export { toBase };

/**
 * What a refund takes off the payer's credit (预收) in the base currency: the credit was booked at the rates of the
 * receipts and credit notes that made it, so it leaves at their average (`held`: the credit in the document currency
 * and in base); a refund of all of it takes all of its base, so no cent is left behind.
 */
export function creditTakenInBase(amount: string, held: { doc: string; base: string }): string | undefined {
  const heldDoc = dec(held.doc);
  if (heldDoc.lessThanOrEqualTo(0)) return undefined;
  if (dec(amount).greaterThanOrEqualTo(heldDoc)) return money(dec(held.base));
  return money(dec(amount).times(dec(held.base)).dividedBy(heldDoc));
}

/** What a customer's credit (预收) holds on one account, from its vouchers: in the document currency and in base. */
export interface CreditHeld {
  account: string;
  doc: string;
  base: string;
}

/** One part of a debit of a customer's credit: on the account that holds it (none: the mapping's account). */
export interface CreditPart {
  account?: string;
  amount: string;
  base?: string;
}

/**
 * What clears a customer's credit (a refund, an invoice taking advances or credit) clears it on the accounts that hold
 * it, oldest first, as a receivable is cleared on the account its invoice was booked to: a mapping changed since never
 * leaves credit behind on the old account. What no account holds goes to the mapping's account. The base amount:
 * `'held'` takes each account's part at that account's average (creditTakenInBase, per account); a given total is
 * shared by amount (the last part takes what is left, so no cent is lost); none converts at the document's `rate`.
 * Returns the parts and what the accounts hold after them, for a next debit in the same voucher.
 */
export function takeCredit(held: readonly CreditHeld[], amount: string, base: 'held' | string | undefined, rate: string): { parts: CreditPart[]; held: CreditHeld[] } {
  const after = held.map((h) => ({ ...h }));
  const total = dec(amount);
  const shared = base === undefined || base === 'held' ? null : dec(base);
  let left = total;
  let baseLeft = shared;
  const parts: CreditPart[] = [];
  for (const h of after) {
    if (!left.greaterThan(0)) break;
    const holds = dec(h.doc);
    if (!holds.greaterThan(0)) continue;
    const take = left.lessThan(holds) ? left : holds;
    left = left.minus(take);
    let partBase: string | undefined;
    if (base === 'held') partBase = creditTakenInBase(money(take), h);
    else if (shared !== null && baseLeft !== null) {
      partBase = left.isZero() ? money(baseLeft) : money(shared.times(take).dividedBy(total));
      baseLeft = baseLeft.minus(dec(partBase));
    }
    h.doc = money(holds.minus(take));
    h.base = money(dec(h.base).minus(partBase === undefined ? toBase(take, rate) : dec(partBase)));
    parts.push({ account: h.account, amount: money(take), ...(partBase === undefined ? {} : { base: partBase }) });
  }
  if (left.greaterThan(0) || (baseLeft !== null && !baseLeft.isZero())) {
    parts.push({ amount: money(left), ...(baseLeft === null ? {} : { base: money(baseLeft) }) });
  }
  return { parts, held: after };
}

/** Debits = credits, to the cent, or it throws: an unbalanced voucher is never written. */
export function checkBalanced(v: { source: string; sourceNumber: string; lines: readonly { debit: string; credit: string }[] }): void {
  const debit = sum(v.lines.map((l) => dec(l.debit)));
  const credit = sum(v.lines.map((l) => dec(l.credit)));
  if (!debit.equals(credit)) {
    throw new LedgerError(`the voucher of ${v.source} ${v.sourceNumber} does not balance: debit ${money(debit)}, credit ${money(credit)}`);
  }
}

/**
 * A draft becomes a voucher: accounts from the mapping, postings to the same account, side and
 * customer joined, amounts converted to the base currency. The document's own postings must
 * balance in its currency; what converting leaves (a receivable cleared at the rate it was booked at, or each line
 * rounded at the rate) is an exchange difference, posted to fx gain or loss.
 * Null when nothing is left to post (every amount zero, e.g. goods with no cost).
 */
export function buildVoucher(draft: VoucherDraft, mapping: readonly MappingRow[]): Voucher | null {
  const { postings, ...head } = draft;
  checkBalanced({
    ...head,
    lines: postings.map((p) => ({ debit: p.side === 'debit' ? money(dec(p.amount)) : '0', credit: p.side === 'credit' ? money(dec(p.amount)) : '0' })),
  });
  const joined = new Map<string, { accountCode: string; purpose: PostingPurpose; side: 'debit' | 'credit'; customerCode: string | null; memo: string; amount: D; base: D | null }>();
  for (const p of postings) {
    const amount = dec(p.amount);
    if (amount.isNegative()) throw new LedgerError(`${draft.source} ${draft.sourceNumber}: a ${p.purpose} posting of ${p.amount} is negative`);
    if (amount.isZero() && (p.base === undefined || dec(p.base).isZero())) continue;
    const accountCode = p.account ?? accountFor(mapping, p.purpose, p.dims ?? {});
    // A posting with its own base amount is kept apart from those converted at the document's rate.
    const key = [accountCode, p.purpose, p.side, p.customerCode ?? '', p.base === undefined ? '' : 'base'].join('|');
    const line = joined.get(key);
    if (line) {
      line.amount = line.amount.plus(amount);
      if (p.base !== undefined) line.base = line.base!.plus(dec(p.base));
    } else joined.set(key, { accountCode, purpose: p.purpose, side: p.side, customerCode: p.customerCode ?? null, memo: p.memo, amount, base: p.base === undefined ? null : dec(p.base) });
  }
  if (joined.size === 0) return null;
  const lines: VoucherLine[] = [...joined.values()].flatMap((l) => {
    const base = money(l.base ?? toBase(l.amount, draft.exchangeRate));
    // Worth less than a cent in the base currency (a tiny amount at a small rate): nothing to book; the rest is fx.
    if (dec(base).isZero()) return [];
    const docAmount = money(l.side === 'debit' ? l.amount : l.amount.negated());
    return [{ accountCode: l.accountCode, purpose: l.purpose, debit: l.side === 'debit' ? base : '0.00', credit: l.side === 'credit' ? base : '0.00', customerCode: l.customerCode, memo: l.memo, docAmount }];
  });
  if (lines.length === 0) return null;
  const residual = sum(lines.map((l) => dec(l.debit).minus(dec(l.credit))));
  if (!residual.isZero()) {
    // Credits above debits: the difference is debited as a loss; debits above credits: credited as a gain.
    const loss = residual.isNegative();
    const amount = money(residual.abs());
    lines.push({
      accountCode: accountFor(mapping, loss ? 'fx_loss' : 'fx_gain', {}),
      purpose: loss ? 'fx_loss' : 'fx_gain',
      debit: loss ? amount : '0.00',
      credit: loss ? '0.00' : amount,
      customerCode: null,
      memo: '汇兑损益 exchange difference',
      docAmount: '0.00',
    });
  }
  const voucher = { ...head, lines };
  checkBalanced(voucher);
  return voucher;
}
