import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { DomainError } from '../../domain/errors.js';
import { listOrders, orderDocuments } from '../../db/orders.js';
import { orderAtVersion } from '../../db/order-changes.js';
import { orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { requires } from '../auth/authorize.js';
import { registerOrderCommands } from '../commands/order-command.js';
import { scopedKey } from '../commands/idempotency.js';
import { ActorHeader, body, Code, errorResponses, IsoDate, json, Paging, SingleLine } from '../schemas.js';
import { sortParam } from '../master-data/schemas.js';
import { validationHook } from '../validation.js';
import { createOrder, type OrderServiceDeps } from './create-order.js';
import { loadOpeningOrder } from './opening.js';
import { importOpeningOrders } from './opening-import.js';
import { importFileBody, readUpload } from '../master-data/import.js';
import { liveOrderState } from './workflow-commands.js';
import { ORDER_COMMANDS } from './commands.js';
import { registerChangeRoutes } from './changes.js';
import { CreateOrderBody, OpeningImportResult, OpeningOrderBody, OrderAtVersion, OrderList, OrderNumberParam, OrderResponse } from './schemas.js';

const NumberParam = OrderNumberParam;

const routes = {
  create: createRoute({
    method: 'post',
    path: '/',
    tags: ['Orders'],
    summary: 'Create a sales order (客户订单); starts its workflow',
    middleware: [requires('createOrder')] as const,
    request: { headers: ActorHeader, body: body(CreateOrderBody) },
    responses: {
      201: json(OrderResponse, 'Created'),
      200: json(OrderResponse, 'Already created with this Idempotency-Key'),
      ...errorResponses,
    },
  }),
  opening: createRoute({
    method: 'post',
    middleware: [requires('loadOpeningBalance')] as const,
    path: '/opening',
    tags: ['Orders'],
    summary:
      'Load an open order from the old system (期初开账, admin): approved by the signed-in admin, with what it already delivered; failed price-floor or credit checks are stored on it, a blocked customer refuses it',
    request: { headers: ActorHeader, body: body(OpeningOrderBody) },
    responses: { 201: json(OrderResponse, 'Loaded'), 200: json(OrderResponse, 'Already loaded with this Idempotency-Key'), ...errorResponses },
  }),
  openingImport: createRoute({
    method: 'post',
    middleware: [requires('loadOpeningBalance')] as const,
    path: '/opening/import',
    tags: ['Orders', 'Import'],
    summary:
      'Import open orders from the old system (期初未结订单导入, admin): a file (.xlsx, or CSV in UTF-8 or GB18030) with one row per line, ' +
      'the rows with the same orderRef one order; every row is checked first and a file with any bad row loads nothing (422 IMPORT_REJECTED ' +
      'lists line, field and reason); each order then loads as POST /orders/opening does, approved by the signed-in admin; an orderRef loaded ' +
      'before is answered with its order number (created: false), never loaded twice. Template: GET /import/opening_orders/template',
    request: { headers: ActorHeader, body: importFileBody },
    responses: { 201: json(OpeningImportResult, 'Loaded: each order of the file with its number'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/',
    tags: ['Orders'],
    summary: 'List orders (from Postgres)',
    request: {
      query: Paging.extend({
        status: SingleLine(40).optional(),
        customerCode: Code.optional(),
        from: IsoDate.optional().openapi({ description: 'taken (created) on or after this business day' }),
        to: IsoDate.optional().openapi({ description: 'taken (created) on or before this business day' }),
        sort: sortParam(['number', 'createdAt', 'gross', 'status']),
      }),
    },
    responses: { 200: json(OrderList, 'Orders, newest first unless sorted'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/{number}',
    tags: ['Orders'],
    summary: 'One order: its documents (Postgres) and live state (workflow query); with ?version=N its terms as they were at change N',
    request: {
      params: NumberParam,
      query: z.object({
        version: z
          .string()
          .regex(/^\d{1,4}$/, 'a change version such as 0002 (0000: as first approved)')
          .optional()
          .openapi({ description: 'Show the order as it was at this change version (订单变更单)' }),
      }),
    },
    responses: { 200: json(z.union([OrderResponse, OrderAtVersion]), 'The order (or its terms at the version asked)'), ...errorResponses },
  }),
};

export function orderRoutes(deps: OrderServiceDeps & { temporal: Client }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  async function view(number: string) {
    const order = await orderDocuments(deps.sql, number);
    if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    return { order, live: await liveOrderState(deps, number), workflowId: orderWorkflowId(number) };
  }

  app.openapi(routes.create, async (c) => {
    const result = await createOrder(deps, c.req.valid('json'), c.get('user').name, scopedKey(c));
    return c.json(await view(result.orderNumber), result.created ? 201 : 200);
  });

  app.openapi(routes.opening, async (c) => {
    const result = await loadOpeningOrder(deps, c.req.valid('json'), c.get('user').name, scopedKey(c));
    return c.json(await view(result.orderNumber), result.created ? 201 : 200);
  });

  app.openapi(routes.openingImport, async (c) => c.json(await importOpeningOrders(deps, await readUpload(c), c.get('user').name), 201));

  app.openapi(routes.list, async (c) => c.json(await listOrders(deps.sql, { ...c.req.valid('query'), timeZone: deps.timeZone }), 200));

  app.openapi(routes.get, async (c) => {
    const { number } = c.req.valid('param');
    const { version } = c.req.valid('query');
    if (version === undefined) return c.json(await view(number), 200);
    const asOf = await orderAtVersion(deps.sql, number, Number(version));
    if (!asOf) {
      if (!(await orderDocuments(deps.sql, number))) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
      throw new DomainError('NOT_FOUND', `order ${number} has no change ${version.padStart(4, '0')}`, 'version');
    }
    return c.json(asOf, 200);
  });

  registerOrderCommands(app, deps, ORDER_COMMANDS);
  registerChangeRoutes(app, deps);
  return app;
}
