import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ExchangeRateInput, CurrencyCode } from '../../contracts/fx.js';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { baseCurrency, listExchangeRates, saveExchangeRates } from '../../db/fx.js';
import { readTable, rejectIfAny, typed, type RowError } from '../../db/import.js';
import { requires } from '../auth/authorize.js';
import { importFileBody, readUpload } from '../master-data/import.js';
import { ActorHeader, body, errorResponses, json } from '../schemas.js';

/** 汇率: the rates finance enters or imports; each document is booked at the rate of its date (domain/fx.ts). */

const RatesBody = z
  .object({ rates: z.array(ExchangeRateInput).min(1).max(500) })
  .strict()
  .openapi('ExchangeRatesBody', { example: { rates: [{ currency: 'USD', date: '2026-11-23', rate: '7.1234' }] } });

const Rate = z.object({ currency: z.string(), date: z.string(), rate: z.string(), enteredBy: z.string(), enteredAt: z.string() });
const Rates = z.object({ baseCurrency: z.string(), rates: z.array(Rate) }).openapi('ExchangeRates');
const Saved = z.object({ baseCurrency: z.string(), saved: z.number() }).openapi('ExchangeRatesSaved');
const ListQuery = z.object({
  currency: CurrencyCode.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/finance/exchange-rates',
    tags: ['Finance'],
    summary: 'Exchange rates (汇率) to the base currency, newest first',
    request: { query: ListQuery },
    responses: { 200: json(Rates, 'The rates'), ...errorResponses },
  }),
  put: createRoute({
    method: 'put',
    path: '/finance/exchange-rates',
    tags: ['Finance'],
    summary:
      'Enter or correct exchange rates (汇率): one per currency and day, to the base currency; a document takes the latest rate on or before ' +
      'its date. A correction changes no document already booked.',
    middleware: [requires('manageExchangeRates')] as const,
    request: { headers: ActorHeader, body: body(RatesBody) },
    responses: { 200: json(Saved, 'Saved'), ...errorResponses },
  }),
  import: createRoute({
    method: 'post',
    path: '/finance/exchange-rates/import',
    tags: ['Finance', 'Import'],
    summary:
      'Import exchange rates from a file (.xlsx, or CSV in UTF-8 or GB18030) with the checks of PUT /finance/exchange-rates; any bad row and ' +
      'nothing is saved (422 IMPORT_REJECTED lists line, field and reason). Template: GET /import/exchange_rates/template',
    middleware: [requires('manageExchangeRates')] as const,
    request: { headers: ActorHeader, body: importFileBody },
    responses: { 200: json(Saved, 'Saved'), ...errorResponses },
  }),
};

type RateInput = z.infer<typeof ExchangeRateInput>;

/** The base currency always has rate 1: a row for it is a mistake, not a rate. */
function refuseBase(rates: RateInput[], base: string, fieldOf: (i: number) => string): void {
  const i = rates.findIndex((r) => r.currency === base);
  if (i >= 0) throw new DomainError('VALIDATION_FAILED', `${base} is the base currency: its rate is always 1`, fieldOf(i));
}

export function registerExchangeRateRoutes(app: OpenAPIHono, deps: { sql: Sql }): void {
  app.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    return c.json({ baseCurrency: await baseCurrency(deps.sql), rates: await listExchangeRates(deps.sql, q) }, 200);
  });

  app.openapi(routes.put, async (c) => {
    const { rates } = c.req.valid('json');
    const base = await baseCurrency(deps.sql);
    refuseBase(rates, base, (i) => `rates[${i}].currency`);
    const seen = new Set<string>();
    rates.forEach((r, i) => {
      const key = `${r.currency} ${r.date}`;
      if (seen.has(key)) throw new DomainError('VALIDATION_FAILED', `${key} is given twice`, `rates[${i}].date`);
      seen.add(key);
    });
    const saved = await deps.sql.begin((tx) => saveExchangeRates(tx, rates, c.get('user').name));
    return c.json({ baseCurrency: base, saved }, 200);
  });

  app.openapi(routes.import, async (c) => {
    const errors: RowError[] = [];
    const rows = readTable('exchange_rates', await readUpload(c), errors);
    const base = await baseCurrency(deps.sql);
    const rates: RateInput[] = [];
    const firstLine = new Map<string, number>();
    for (const { line, values } of rows) {
      // The file's column is fxRate (a 汇率, not the 折扣率 `rate` of master data); the body's field is rate.
      const { fxRate, ...rest } = typed(values);
      const parsed = ExchangeRateInput.safeParse({ ...rest, rate: fxRate });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? 'row');
          errors.push({ line, field: column === 'rate' ? 'fxRate' : column, reason: issue.message });
        }
        continue;
      }
      const key = `${parsed.data.currency} ${parsed.data.date}`;
      if (parsed.data.currency === base) errors.push({ line, field: 'currency', reason: `${base} is the base currency: its rate is always 1` });
      else if (firstLine.has(key)) errors.push({ line, field: 'date', reason: `${key} already appears on line ${firstLine.get(key)}` });
      else firstLine.set(key, line);
      rates.push(parsed.data);
    }
    rejectIfAny(errors);
    const saved = await deps.sql.begin((tx) => saveExchangeRates(tx, rates, c.get('user').name));
    return c.json({ baseCurrency: base, saved }, 200);
  });
}
