import { z } from '@hono/zod-openapi';
import { isKnownCurrency, RATE_DIGITS, RATE_SCALE } from '../domain/fx.js';
import { decimalString, IsoDate } from './numbers.js';

/** An exchange rate as finance enters it (PUT /finance/exchange-rates) or imports it: the same rules for both. */

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. USD')
  .refine(isKnownCurrency, 'not an ISO 4217 currency')
  .openapi({ example: 'USD' });

// NUMERIC(18,8) with CHECK rate < 1,000,000 (db/migrations/024_currencies.sql).
export const ExchangeRateValue = decimalString({ digits: RATE_DIGITS, decimals: RATE_SCALE }, 'base units for one unit of the currency, e.g. "7.1234"')
  .refine((v) => /[1-9]/.test(v), 'must be greater than zero')
  .openapi({ example: '7.1234' });

export const ExchangeRateInput = z
  .object({
    currency: CurrencyCode,
    date: IsoDate.openapi({ description: 'The day the rate holds from (until the next one)', example: '2026-11-23' }),
    rate: ExchangeRateValue,
  })
  .strict();
