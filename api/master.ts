import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Sql } from '../db/client.js';
import { stockLevels } from '../db/master.js';
import { validationHook } from './validation.js';
import { Paging } from './schemas.js';

const list = (path: string, summary: string, query: z.ZodObject = Paging) =>
  createRoute({
    method: 'get',
    path,
    tags: ['Master data'],
    summary,
    request: { query },
    responses: {
      200: {
        description: summary,
        content: { 'application/json': { schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } },
      },
    },
  });

/** Read-only master data lists for order entry (the full master-data API is its own resource). */
export function masterDataRoutes(sql: Sql) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(list('/customers', 'Customers'), async (c) => {
    const { limit, offset } = c.req.valid('query') as { limit: number; offset: number };
    const rows = await sql`
      SELECT code, name, grade, settlement_days AS "settlementDays", approval_status AS "approvalStatus", currency, active
      FROM customers ORDER BY code LIMIT ${limit} OFFSET ${offset}`;
    return c.json({ items: [...rows] }, 200);
  });

  app.openapi(list('/products', 'Products'), async (c) => {
    const { limit, offset } = c.req.valid('query') as { limit: number; offset: number };
    const rows = await sql`
      SELECT code, name, unit, list_price::text AS "listPrice", tax_rate::text AS "taxRate",
             over_delivery_rate::text AS "overDeliveryRate", safety_stock::text AS "safetyStock", active
      FROM products ORDER BY code LIMIT ${limit} OFFSET ${offset}`;
    return c.json({ items: [...rows] }, 200);
  });

  app.openapi(list('/warehouses', 'Warehouses'), async (c) => {
    const { limit, offset } = c.req.valid('query') as { limit: number; offset: number };
    const rows = await sql`SELECT code, name, active FROM warehouses ORDER BY code LIMIT ${limit} OFFSET ${offset}`;
    return c.json({ items: [...rows] }, 200);
  });

  app.openapi(
    list('/stock', 'Stock levels: on hand, reserved, available', z.object({ productCode: z.string().optional(), warehouseCode: z.string().optional() })),
    async (c) => c.json({ items: await stockLevels(sql, c.req.valid('query') as { productCode?: string; warehouseCode?: string }) }, 200),
  );

  return app;
}
