import { D, dec, money, roundMoney, type D as Dec } from './decimal.js';
import { DomainError } from './errors.js';

/**
 * Currencies (外币). The company keeps its books in one base currency (本位币, a setting, CNY by
 * default); a document in another currency records the rate of its date and keeps every total
 * also in the base currency, so nothing adds two currencies together.
 *
 * The rate rule: a document dated D in currency C takes the rate finance entered for C with the
 * latest date on or before D (a rate holds until the next one is entered, as banks publish them
 * on business days only); with none on or before D the document is refused. A base-currency
 * document has rate 1 and needs no rate row. A credit note (红字) and a write-off reduce an invoice,
 * so they take that invoice's rate: they remove what the invoice carries in base, no more, no less.
 *
 * Rounding: a base amount is the document amount times the rate, rounded half-up to the cent
 * once per document total (never summed from rounded lines): tax and gross are converted, net is
 * gross − tax so the base totals add up as the document's do.
 */

/** Decimals a rate keeps (NUMERIC(18,8)): enough for JPY/KRW/VND against CNY. */
export const RATE_SCALE = 8;
/**
 * Integer digits a rate may have: a rate of 1,000,000 or more is a typing error, not a currency (even a
 * base of IDR or VND stays far below); the column's CHECK says the same.
 */
export const RATE_DIGITS = 6;

/** ISO 4217 codes the runtime knows; a code outside this list is a typo, not a currency. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}

export interface DatedRate {
  /** ISO date the rate is valid from. */
  on: string;
  rate: string;
}

/** The rate a document of `currency` dated `documentDate` uses, or null when none is on or before it. */
export function rateOf(currency: string, documentDate: string, base: string, rates: readonly DatedRate[]): Dec | null {
  if (currency === base) return new D(1);
  let best: DatedRate | null = null;
  for (const r of rates) if (r.on <= documentDate && (best === null || r.on > best.on)) best = r;
  return best ? dec(best.rate) : null;
}

/** The refusal when no rate applies: the caller learns which currency and date to enter. */
export function missingRate(currency: string, documentDate: string): DomainError {
  return new DomainError(
    'EXCHANGE_RATE_MISSING',
    `no exchange rate for ${currency} on or before ${documentDate}: finance enters it under /finance/exchange-rates`,
    'currency',
    { currency, date: documentDate },
  );
}

/** One amount in the base currency, rounded to the cent. */
export function toBase(amount: string | Dec, rate: string | Dec): Dec {
  return roundMoney(dec(amount).times(dec(rate)));
}

export interface Totals {
  net: string;
  tax: string;
  gross: string;
}

/** Amount columns are numeric(18,2): 16 digits before the point, in the base currency too. */
const AMOUNT_LIMIT = new D(10).pow(16);

/**
 * An amount in the base currency, refused as input (naming `field`) when it does not fit an amount column: an
 * amount that fits in its own currency may not once converted (a large USD sum at 7.x), and the database would
 * only say "numeric field overflow".
 */
export function fittingBase(amount: string | Dec, rate: string | Dec, field: string): Dec {
  const base = toBase(amount, rate);
  if (base.abs().greaterThanOrEqualTo(AMOUNT_LIMIT)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${money(dec(amount))} at the rate ${dec(rate).toFixed()} comes to ${money(base)} in the base currency, more than an amount can hold (16 digits before the point)`,
      field,
    );
  }
  return base;
}

/** A document's totals in the base currency (net = gross − tax, so they add up); refused naming `lines` when they do not fit. */
export function baseTotals(t: Totals, rate: string | Dec): Totals {
  const gross = fittingBase(t.gross, rate, 'lines');
  const tax = toBase(t.tax, rate);
  return { net: money(gross.minus(tax)), tax: money(tax), gross: money(gross) };
}

/**
 * The base value of settling `amount` of a document that was already settled `before` (in its
 * own currency), at the document's rate. Counted cumulatively, so the settlements of a document
 * add up to exactly its base total once it is fully settled: no cent is left over by rounding.
 */
export function settledInBase(rate: string | Dec, before: string | Dec, amount: string | Dec): Dec {
  const after = dec(before).plus(dec(amount));
  return toBase(after, rate).minus(toBase(before, rate));
}

export interface ReceiptAllocationFx {
  /** What the allocation clears of the invoice, in base, at the invoice's rate. */
  invoiceBase: string;
  /** What the allocated money was worth when received, in base, at the receipt's rate. */
  receiptBase: string;
  /** 汇兑损益: receiptBase − invoiceBase; positive is a gain, negative a loss. */
  exchangeDifference: string;
}

/**
 * 汇兑损益 on 核销: money received at one rate paying an invoice booked at another is worth more
 * or less in base than the receivable it clears; the difference is a gain (positive) or a loss.
 * Both sides are counted cumulatively per document (settledInBase).
 */
export function receiptAllocationFx(a: {
  amount: string;
  invoiceRate: string;
  invoiceSettledBefore: string;
  receiptRate: string;
  receiptAllocatedBefore: string;
}): ReceiptAllocationFx {
  const invoiceBase = settledInBase(a.invoiceRate, a.invoiceSettledBefore, a.amount);
  const receiptBase = settledInBase(a.receiptRate, a.receiptAllocatedBefore, a.amount);
  return { invoiceBase: money(invoiceBase), receiptBase: money(receiptBase), exchangeDifference: money(receiptBase.minus(invoiceBase)) };
}
