import { D, dec, money, roundMoney, sum, type D as Dec } from './decimal.js';
import { DomainError } from './errors.js';

export interface LineAmounts {
  net: Dec;
  tax: Dec;
  gross: Dec;
}

/** Net and tax of one line, each rounded half-up to cents; gross is their sum. */
export function lineAmounts(quantity: Dec, unitPrice: Dec, taxRate: Dec): LineAmounts {
  const net = roundMoney(quantity.times(unitPrice));
  const tax = roundMoney(net.times(taxRate));
  return { net, tax, gross: net.plus(tax) };
}

/** Document totals are sums of already-rounded lines, never a re-rounded total. */
export function totals(lines: LineAmounts[]): LineAmounts {
  return {
    net: sum(lines.map((l) => l.net)),
    tax: sum(lines.map((l) => l.tax)),
    gross: sum(lines.map((l) => l.gross)),
  };
}

export interface MoneyTotals {
  net: string;
  tax: string;
  gross: string;
}

export function moneyTotals(t: LineAmounts): MoneyTotals {
  return { net: money(t.net), tax: money(t.tax), gross: money(t.gross) };
}

export function lineAmountsOf(line: { quantity: string; unitPrice: string; taxRate: string }): LineAmounts {
  return lineAmounts(dec(line.quantity), dec(line.unitPrice), dec(line.taxRate));
}

export const ZERO = new D(0);

/** Amount columns are numeric(18,2): 16 digits before the point. */
const AMOUNT_LIMIT = new D(10).pow(16);
const fits = (amount: Dec) => amount.abs().lessThan(AMOUNT_LIMIT);

/**
 * Each line's amounts and the document's totals must fit the columns they are
 * stored in: quantity and price each fit theirs, yet their product, or 500 lines
 * of it, may not. Refused as input (naming the line, or `lines` for the total),
 * never left to overflow in Postgres. Returns the totals.
 */
export function checkAmountsFit(lines: readonly { amounts: LineAmounts; field: string }[]): LineAmounts {
  for (const { amounts, field } of lines) {
    if (!fits(amounts.gross)) {
      throw new DomainError('VALIDATION_FAILED', `the line comes to ${money(amounts.gross)}, more than an amount can hold (16 digits before the point)`, field);
    }
  }
  const t = totals(lines.map((l) => l.amounts));
  if (!fits(t.gross)) throw new DomainError('VALIDATION_FAILED', `the order comes to ${money(t.gross)}, more than an amount can hold (16 digits before the point)`, 'lines');
  return t;
}
