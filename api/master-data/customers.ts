import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { CUSTOMER_DEFAULTS } from '../../contracts/master-data.js';
import { businessDate } from '../../domain/calendar.js';
import { authorizeControlledFields } from '../../domain/master-data-controls.js';
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer } from '../../db/customers.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, Item, json, ListResult } from './route-kit.js';
import { CodeParam, CreateCustomerBody, CustomerControlsBody, CustomerListQuery, UpdateCustomerBody } from './schemas.js';

const tags = ['Customers'];
const routes = {
  list: createRoute({
    method: 'get', path: '/', tags, summary: 'Customers (客户), paged, filtered and sorted',
    request: { query: CustomerListQuery }, responses: { 200: json(ListResult, 'Customers'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get', path: '/{code}', tags, summary: 'One customer with its delivery addresses',
    request: { params: CodeParam }, responses: { 200: json(Item, 'The customer'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post', path: '/', tags, summary: 'Create a customer; the code comes from the numbering rule when omitted',
    request: { headers: ActorHeader, body: body(CreateCustomerBody) }, responses: { 201: json(Item, 'Created'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch', path: '/{code}', tags,
    summary: 'Change a customer (addresses, when given, replace the list); its credit and payment controls only by the credit controller',
    request: { params: CodeParam, headers: ActorHeader, body: body(UpdateCustomerBody) }, responses: { 200: json(Item, 'Updated'), ...errorResponses },
  }),
  controls: createRoute({
    method: 'patch', path: '/{code}/controls', tags,
    summary: "Set a customer's credit and payment controls (信用控制: limit, overrun, control mode, terms, deposit, approval status, payer)",
    request: { params: CodeParam, headers: ActorHeader, body: body(CustomerControlsBody) }, responses: { 200: json(Item, 'Updated'), ...errorResponses },
  }),
  delete: createRoute({
    method: 'delete', path: '/{code}', tags, summary: 'Delete a customer nothing refers to (else 409 IN_USE: deactivate instead)',
    request: { params: CodeParam, headers: ActorHeader }, responses: { 204: { description: 'Deleted' }, ...errorResponses },
  }),
};

export function customerRoutes({ sql, timeZone, now }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json(await listCustomers(sql, c.req.valid('query')), 200));
  app.openapi(routes.get, async (c) => c.json(await getCustomer(sql, c.req.valid('param').code), 200));
  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    authorizeControlledFields(c.get('user').role, 'customer', input, CUSTOMER_DEFAULTS);
    return c.json(await createCustomer(sql, input, businessDate(now(), timeZone)), 201);
  });
  for (const route of [routes.update, routes.controls]) {
    app.openapi(route, async (c) => {
      const input = c.req.valid('json');
      const role = c.get('user').role;
      return c.json(await updateCustomer(sql, c.req.valid('param').code, input, (current) => authorizeControlledFields(role, 'customer', input, current)), 200);
    });
  }
  app.openapi(routes.delete, async (c) => {
    await deleteCustomer(sql, c.req.valid('param').code);
    return c.body(null, 204);
  });
  return app;
}
