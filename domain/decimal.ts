import DecimalDefault from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';

// decimal.js ships CommonJS typings beside an ESM build whose only export is the
// default: this line gives the class its real type under NodeNext resolution.
const Decimal = DecimalDefault as unknown as typeof DecimalClass;
type Decimal = DecimalClass;

// One Decimal configuration for the whole product: 40 significant digits is far
// beyond any NUMERIC column we store, so intermediate products never lose a cent.
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type D = Decimal;

export const MONEY_SCALE = 2;
export const QUANTITY_SCALE = 4;
export const PRICE_SCALE = 6;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string as it arrives in JSON or from a NUMERIC column. */
export function dec(value: string | number | Decimal): Decimal {
  if (value instanceof Decimal) return new D(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new D(value);
  }
  const text = value.trim();
  if (!DECIMAL_TEXT.test(text)) throw new RangeError(`not a decimal number: "${value}"`);
  return new D(text);
}

export function isDecimalText(value: string): boolean {
  return DECIMAL_TEXT.test(value.trim());
}

/** The single rounding rule for money: half-up to cents. */
export function roundMoney(value: Decimal): Decimal {
  return value.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP);
}

/** Money as it travels in JSON and into NUMERIC columns: always two decimals. */
export function money(value: Decimal): string {
  return roundMoney(value).toFixed(MONEY_SCALE);
}

/** Quantities and prices travel without trailing zeros ("3", "2.5", "33.333"). */
export function plain(value: Decimal): string {
  return value.toFixed();
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = new D(0);
  for (const v of values) total = total.plus(v);
  return total;
}

export function decimalPlaces(value: Decimal): number {
  return value.decimalPlaces();
}

/** A NUMERIC column's text without trailing zeros ("3.0000" → "3"). */
export function numericText(value: string): string {
  return plain(dec(value));
}
