import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { batchSuggestion, expiryWarningDays, listExpiryWarnings, saveExpiryWarningDays } from '../../db/batches.js';
import { requires } from '../auth/authorize.js';
import type { OrderServiceDeps } from '../orders/create-order.js';
import { OrderNumberParam } from '../orders/schemas.js';
import { ActorHeader, body, Code, json, Paging } from '../schemas.js';
import { validationHook } from '../validation.js';

const Batch = z.object({ batchNo: z.string(), expiryDate: z.string(), quantity: z.string() });
const BatchSuggestion = z
  .object({
    orderNumber: z.string(),
    today: z.string().openapi({ description: 'The business date the suggestion was made on; an expired batch is never suggested' }),
    lines: z.array(
      z.object({
        lineNo: z.number(),
        productCode: z.string(),
        warehouseCode: z.string(),
        quantity: z.string().openapi({ description: 'Still to deliver' }),
        batches: z.array(Batch).openapi({ description: 'FEFO: first expiry, first out' }),
        short: z.string().openapi({ description: 'What the usable batches do not cover ("0" when covered)' }),
        available: z.array(z.object({ batchNo: z.string(), expiryDate: z.string(), onHand: z.string() })).openapi({
          description: 'Every unexpired batch of the line\'s warehouse, soonest expiry first: what the warehouse may choose instead',
        }),
      }),
    ),
  })
  .openapi('BatchSuggestion');

const ExpiryWarnings = z
  .object({
    today: z.string(),
    withinDays: z.number(),
    total: z.number(),
    items: z.array(
      z.object({
        productCode: z.string(),
        productName: z.string(),
        warehouseCode: z.string(),
        batchNo: z.string(),
        expiryDate: z.string(),
        quantity: z.string(),
        state: z.enum(['expired', 'expiring']),
        daysLeft: z.number().openapi({ description: 'Days until the expiry date; negative once expired' }),
      }),
    ),
  })
  .openapi('ExpiryWarnings');

const WarningDays = z.object({ days: z.number().int().min(0).max(3650).openapi({ example: 30 }) }).strict().openapi('ExpiryWarningSettings');

const routes = {
  suggestion: createRoute({
    method: 'get', path: '/orders/{number}/batch-suggestion', tags: ['Stock'],
    summary: 'FEFO batch suggestion (批次建议) for the open lines of batch-tracked products, with the batches to choose from',
    request: { params: OrderNumberParam }, responses: { 200: json(BatchSuggestion, 'Per open batch-tracked line') },
  }),
  warnings: createRoute({
    method: 'get', path: '/stock/expiry-warnings', tags: ['Stock'],
    summary: 'Expiry warnings (效期预警): batches holding stock that expired or expire within the days (company setting unless given)',
    request: { query: Paging.extend({ withinDays: z.coerce.number().int().min(0).max(3650).optional(), productCode: Code.optional(), warehouseCode: Code.optional() }) },
    responses: { 200: json(ExpiryWarnings, 'Soonest expiry first') },
  }),
  getDays: createRoute({
    method: 'get', path: '/settings/expiry-warnings', tags: ['Settings'], summary: 'How many days ahead an expiring batch is warned of',
    responses: { 200: json(WarningDays, 'The setting') },
  }),
  putDays: createRoute({
    method: 'put', path: '/settings/expiry-warnings', tags: ['Settings'], summary: 'Change how many days ahead an expiring batch is warned of (default 30)',
    middleware: [requires('manageStockSettings')] as const,
    request: { headers: ActorHeader, body: body(WarningDays) }, responses: { 200: json(WarningDays, 'The setting') },
  }),
};

/** Batches (issue 17 item 2): the FEFO suggestion a delivery form shows, expiry warnings and their setting. */
export function batchRoutes(deps: OrderServiceDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const today = () => businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);
  app.openapi(routes.suggestion, async (c) => c.json(await batchSuggestion(deps.sql, c.req.valid('param').number, today()), 200));
  app.openapi(routes.warnings, async (c) => {
    const q = c.req.valid('query');
    const withinDays = q.withinDays ?? (await expiryWarningDays(deps.sql));
    return c.json(await listExpiryWarnings(deps.sql, { ...q, today: today(), withinDays }), 200);
  });
  app.openapi(routes.getDays, async (c) => c.json({ days: await expiryWarningDays(deps.sql) }, 200));
  app.openapi(routes.putDays, async (c) => {
    const { days } = c.req.valid('json');
    await saveExpiryWarningDays(deps.sql, days);
    return c.json({ days }, 200);
  });
  return app;
}
