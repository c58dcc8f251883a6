import { z } from '@hono/zod-openapi';
import { SingleLine } from '../contracts/text.js';

/** The rules for values (contracts/) are shared with db/; this module adds what only the HTTP API needs. */
export { IsoDate, Money, PositiveMoney, Price, Quantity, Rate, LineNo } from '../contracts/numbers.js';
export { Code, DocumentNumber, FreeText, Reason, SingleLine } from '../contracts/text.js';

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
  413: { description: 'The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE)', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'A business rule refused the input', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The acting user comes from the bearer token (api/auth); a command route's only header is the idempotency key. */
export const ActorHeader = z.object({
  'idempotency-key': SingleLine(200, 8)
    .optional()
    .openapi({ description: 'A repeated request with the same key does not act twice.' }),
});

/** OpenAPI content builders every router uses: a JSON response with its description, a required JSON body. */
export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const body = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });
