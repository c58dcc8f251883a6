import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { numericText } from '../domain/decimal.js';
import type { Sql } from '../db/client.js';
import { Code, Paging } from './schemas.js';
import { validationHook } from './validation.js';

const StockWarningList = z
  .object({
    items: z.array(
      z.object({
        productCode: z.string(),
        warehouseCode: z.string(),
        available: z.string(),
        safetyStock: z.string(),
        documentNumber: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
  })
  .openapi('StockWarnings');

/** 库存预警: every time a reservation left available stock under the product's safety stock, newest first. */
export function stockWarningRoutes(sql: Sql) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const route = createRoute({
    method: 'get',
    path: '/stock/warnings',
    tags: ['Stock'],
    summary: 'Safety-stock warnings (库存预警)',
    request: { query: Paging.extend({ productCode: Code.optional(), warehouseCode: Code.optional() }) },
    responses: { 200: { description: 'Warnings, newest first', content: { 'application/json': { schema: StockWarningList } } } },
  });
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const rows = await sql`
      SELECT p.code AS product_code, w.code AS warehouse_code, sw.available::text, sw.safety_stock::text, sw.document_number, sw.created_at
      FROM stock_warnings sw JOIN products p ON p.id = sw.product_id JOIN warehouses w ON w.id = sw.warehouse_id
      WHERE (${q.productCode ?? null}::text IS NULL OR p.code = ${q.productCode ?? null})
        AND (${q.warehouseCode ?? null}::text IS NULL OR w.code = ${q.warehouseCode ?? null})
      ORDER BY sw.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`;
    return c.json(
      {
        items: rows.map((r) => ({
          productCode: r.product_code as string,
          warehouseCode: r.warehouse_code as string,
          available: numericText(r.available),
          safetyStock: numericText(r.safety_stock),
          documentNumber: r.document_number as string | null,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      },
      200,
    );
  });
  return app;
}
