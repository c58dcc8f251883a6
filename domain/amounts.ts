import { D, dec, money, roundMoney, sum, type D as Dec } from './decimal.js';

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
