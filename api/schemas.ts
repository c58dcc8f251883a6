import { z } from '@hono/zod-openapi';

const DECIMAL = /^\d+(\.\d+)?$/;

/** What the NUMERIC column holds before the point (18 digits less the decimals), so Postgres never overflows. */
export const fitsDigits = (digits: number) =>
  [(v: string) => (v.split('.')[0] ?? '').replace(/^0+(?=\d)/, '').length <= digits, `at most ${digits} digits before the point`] as const;

export const Quantity = z
  .string()
  .regex(DECIMAL, 'a decimal number as a string, e.g. "12" or "2.5"')
  .refine((v) => Number(v) > 0, 'must be greater than zero')
  .refine((v) => (v.split('.')[1]?.length ?? 0) <= 4, 'at most 4 decimals')
  .refine(...fitsDigits(14))
  .openapi({ example: '10' });

export const Price = z
  .string()
  .regex(DECIMAL, 'a non-negative decimal number as a string, e.g. "99.50"')
  .refine((v) => (v.split('.')[1]?.length ?? 0) <= 6, 'at most 6 decimals')
  .refine(...fitsDigits(12))
  .openapi({ example: '120.00' });

export const Money = z
  .string()
  .regex(DECIMAL, 'an amount as a string with at most two decimals, e.g. "1356.00"')
  .refine((v) => (v.split('.')[1]?.length ?? 0) <= 2, 'at most 2 decimals')
  .refine(...fitsDigits(16))
  .openapi({ example: '1356.00' });

export const Code = z.string().min(1).max(40);
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  // A day the calendar has: 2026-02-30 is refused here, not by Postgres.
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'not a day of the calendar');

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'OVER_DELIVERY' }),
      message: z.string(),
      field: z.string().nullable().openapi({ example: 'lines[0].quantity' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Malformed input; `field` names it', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'No valid bearer token (UNAUTHENTICATED)', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'The role may not do this (FORBIDDEN, field `role`), or self-approval', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'The command does not fit the current state', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'A business rule refused the input', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The acting user comes from the bearer token (api/auth); a command route's only header is the idempotency key. */
export const ActorHeader = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .openapi({ description: 'A repeated request with the same key does not act twice.' }),
});

/** OpenAPI content builders every router uses: a JSON response with its description, a required JSON body. */
export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const body = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });
