import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { PRODUCT_DEFAULTS } from '../../contracts/master-data.js';
import { authorizeControlledFields } from '../../domain/master-data-controls.js';
import { createProduct, deleteProduct, getProduct, listProducts, updateProduct } from '../../db/products.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, Item, json, ListResult } from './route-kit.js';
import { CodeParam, CreateProductBody, ProductControlsBody, ProductListQuery, UpdateProductBody } from './schemas.js';

const tags = ['Products'];
const routes = {
  list: createRoute({
    method: 'get', path: '/', tags, summary: 'Products (商品/品号), paged, filtered and sorted',
    request: { query: ProductListQuery }, responses: { 200: json(ListResult, 'Products'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get', path: '/{code}', tags, summary: 'One product',
    request: { params: CodeParam }, responses: { 200: json(Item, 'The product'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post', path: '/', tags, summary: 'Create a product',
    request: { headers: ActorHeader, body: body(CreateProductBody) }, responses: { 201: json(Item, 'Created'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch', path: '/{code}', tags, summary: 'Change a product; its price floor and over-delivery rate only by the sales manager',
    request: { params: CodeParam, headers: ActorHeader, body: body(UpdateProductBody) }, responses: { 200: json(Item, 'Updated'), ...errorResponses },
  }),
  controls: createRoute({
    method: 'patch', path: '/{code}/controls', tags, summary: "Set a product's sales controls (最低售价 price floor rate, 超交率 over-delivery rate)",
    request: { params: CodeParam, headers: ActorHeader, body: body(ProductControlsBody) }, responses: { 200: json(Item, 'Updated'), ...errorResponses },
  }),
  delete: createRoute({
    method: 'delete', path: '/{code}', tags, summary: 'Delete a product nothing refers to (else 409 IN_USE: deactivate instead)',
    request: { params: CodeParam, headers: ActorHeader }, responses: { 204: { description: 'Deleted' }, ...errorResponses },
  }),
};

export function productRoutes({ sql }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json(await listProducts(sql, c.req.valid('query')), 200));
  app.openapi(routes.get, async (c) => c.json(await getProduct(sql, c.req.valid('param').code), 200));
  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    authorizeControlledFields(c.get('user').role, 'product', input, PRODUCT_DEFAULTS);
    return c.json(await createProduct(sql, input), 201);
  });
  for (const route of [routes.update, routes.controls]) {
    app.openapi(route, async (c) => {
      const input = c.req.valid('json');
      const role = c.get('user').role;
      return c.json(await updateProduct(sql, c.req.valid('param').code, input, (current) => authorizeControlledFields(role, 'product', input, current)), 200);
    });
  }
  app.openapi(routes.delete, async (c) => {
    await deleteProduct(sql, c.req.valid('param').code);
    return c.body(null, 204);
  });
  return app;
}
