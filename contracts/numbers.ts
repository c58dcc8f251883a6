import { z } from '@hono/zod-openapi';

/**
 * Decimal strings bounded by the NUMERIC column they land in (db/migrations):
 * quantities numeric(18,4), prices numeric(18,6), amounts numeric(18,2),
 * rates numeric(9,6). A value the column cannot hold is a 400 here, never a
 * Postgres overflow (22003) later.
 */
const DECIMAL = /^\d+(\.\d+)?$/;
// Leading zeros are allowed, but not a megabyte of them.
const MAX_LENGTH = 40;

export const COLUMN = {
  quantity: { digits: 14, decimals: 4 },
  price: { digits: 12, decimals: 6 },
  money: { digits: 16, decimals: 2 },
  rate: { digits: 3, decimals: 6 },
} as const;

const integerDigits = (v: string) => (v.split('.')[0] ?? '').replace(/^0+(?=\d)/, '').length;
const decimals = (v: string) => v.split('.')[1]?.length ?? 0;
const isZero = (v: string) => !/[1-9]/.test(v);

/** A non-negative decimal string with at most `digits` before and `places` after the point. */
export function decimalString(column: { digits: number; decimals: number }, what: string) {
  return z
    .string()
    .max(MAX_LENGTH)
    .regex(DECIMAL, what)
    .refine((v) => decimals(v) <= column.decimals, `at most ${column.decimals} decimals`)
    .refine((v) => integerDigits(v) <= column.digits, `at most ${column.digits} digits before the point`);
}

const positive = [(v: string) => !isZero(v), 'must be greater than zero'] as const;

export const Quantity = decimalString(COLUMN.quantity, 'a decimal number as a string, e.g. "12" or "2.5"')
  .refine(...positive)
  .openapi({ example: '10' });

export const NonNegativeQuantity = decimalString(COLUMN.quantity, 'a non-negative decimal number as a string');

export const Price = decimalString(COLUMN.price, 'a non-negative decimal number as a string, e.g. "99.50"').openapi({ example: '120.00' });

export const Money = decimalString(COLUMN.money, 'an amount as a string with at most two decimals, e.g. "1356.00"').openapi({ example: '1356.00' });

/** Money that moves (a receipt, refund, bank notice, allowance, write-off): zero or less means nothing happened. */
export const PositiveMoney = Money.refine(...positive).openapi({ example: '1356.00' });

/** A share as a decimal string: "0.10" is 10%. */
export const Rate = (max = 1, what = 'a share between 0 and 1, e.g. "0.10" for 10%') =>
  decimalString(COLUMN.rate, what)
    .refine((v) => Number(v) <= max, `at most ${max} (${max * 100}%)`)
    .openapi({ example: '0.10' });

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  // A day the calendar has: 2026-02-30 is refused here, not by Postgres.
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'not a day of the calendar')
  // Postgres has no year 0.
  .refine((v) => !v.startsWith('0000'), 'not a day of the calendar');

/** A line number, a count: an int4 column. */
export const LineNo = z.number().int().positive().max(2_147_483_647);
