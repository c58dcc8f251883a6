import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listStockLevels, listStockMoves, verifyStockLevels } from '../../db/stock.js';
import { Code, Paging, SingleLine, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { json, ListResult } from './route-kit.js';

const tags = ['Stock'];
const Where = { productCode: Code.optional(), warehouseCode: Code.optional() };
const routes = {
  levels: createRoute({
    method: 'get', path: '/', tags, summary: 'Stock levels: on hand, reserved, available (= on hand − reserved)',
    request: { query: Paging.extend({ ...Where, belowSafetyStock: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }) },
    responses: { 200: json(ListResult, 'Stock levels'), ...errorResponses },
  }),
  moves: createRoute({
    method: 'get', path: '/moves', tags, summary: 'The append-only stock ledger, oldest first',
    request: {
      query: Paging.extend({
        ...Where,
        kind: z.enum(['opening', 'reserve', 'release', 'deliver', 'return', 'adjust', 'receive', 'transfer']).optional(),
        documentNumber: SingleLine(60).optional(),
      }),
    },
    responses: { 200: json(ListResult, 'Stock moves'), ...errorResponses },
  }),
  verify: createRoute({
    method: 'get', path: '/verify', tags, summary: 'Recompute every level from the ledger and report differences',
    responses: {
      200: json(
        z.object({ levelsChecked: z.number(), consistent: z.boolean(), differences: z.array(z.record(z.string(), z.unknown())) }),
        'Levels against the ledger',
      ),
    },
  }),
};

export function stockRoutes({ sql }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.levels, async (c) => c.json(await listStockLevels(sql, c.req.valid('query')), 200));
  app.openapi(routes.moves, async (c) => c.json(await listStockMoves(sql, c.req.valid('query')), 200));
  app.openapi(routes.verify, async (c) => c.json(await verifyStockLevels(sql), 200));
  return app;
}
