import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { errorBody, handleError } from './errors.js';
import { masterDataRoutes } from './master.js';
import { orderRoutes } from './orders/index.js';
import { stockWarningRoutes } from './stock-warnings.js';
import { quotationRoutes } from './quotations/index.js';
import type { OrderServiceDeps } from './orders/create-order.js';
import { validationHook } from './validation.js';

export type AppDeps = OrderServiceDeps;

/** The HTTP API: every route, its OpenAPI document at /openapi.json and the docs page at /docs. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.get('/health', async (c) => {
    await deps.sql`SELECT 1`;
    return c.json({ ok: true });
  });
  app.route('/orders', orderRoutes(deps));
  app.route('/quotations', quotationRoutes(deps));
  app.route('/', stockWarningRoutes(deps.sql));
  app.route('/', masterDataRoutes(deps.sql));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sales back office',
      version: '0.1.0',
      description: 'Sales orders as durable Temporal workflows. Amounts, prices and quantities are decimal strings.',
    },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`, null), 404));
  app.onError(handleError);
  return app;
}
