import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { createWarehouse, deleteWarehouse, getWarehouse, listWarehouses, updateWarehouse } from '../../db/warehouses.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, Item, json, ListResult } from './route-kit.js';
import { CodeParam, CreateWarehouseBody, ListQuery, UpdateWarehouseBody } from './schemas.js';

const tags = ['Warehouses'];
const routes = {
  list: createRoute({
    method: 'get', path: '/', tags, summary: 'Warehouses (仓库)',
    request: { query: ListQuery }, responses: { 200: json(ListResult, 'Warehouses'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get', path: '/{code}', tags, summary: 'One warehouse',
    request: { params: CodeParam }, responses: { 200: json(Item, 'The warehouse'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post', path: '/', tags, summary: 'Create a warehouse',
    request: { headers: ActorHeader, body: body(CreateWarehouseBody) }, responses: { 201: json(Item, 'Created'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch', path: '/{code}', tags, summary: 'Rename or (de)activate a warehouse',
    request: { params: CodeParam, headers: ActorHeader, body: body(UpdateWarehouseBody) }, responses: { 200: json(Item, 'Updated'), ...errorResponses },
  }),
  delete: createRoute({
    method: 'delete', path: '/{code}', tags, summary: 'Delete a warehouse nothing refers to (else 409 IN_USE)',
    request: { params: CodeParam, headers: ActorHeader }, responses: { 204: { description: 'Deleted' }, ...errorResponses },
  }),
};

export function warehouseRoutes({ sql }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json(await listWarehouses(sql, c.req.valid('query')), 200));
  app.openapi(routes.get, async (c) => c.json(await getWarehouse(sql, c.req.valid('param').code), 200));
  app.openapi(routes.create, async (c) => c.json(await createWarehouse(sql, c.req.valid('json')), 201));
  app.openapi(routes.update, async (c) => c.json(await updateWarehouse(sql, c.req.valid('param').code, c.req.valid('json')), 200));
  app.openapi(routes.delete, async (c) => {
    await deleteWarehouse(sql, c.req.valid('param').code);
    return c.body(null, 204);
  });
  return app;
}
