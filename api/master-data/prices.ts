import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import {
  createCustomerPrice,
  deleteCustomerPrice,
  gradeDiscounts,
  listCustomerPrices,
  quantityTiers,
  quotePrice,
  saveGradeDiscounts,
  saveQuantityTiers,
  updateCustomerPrice,
} from '../../db/prices.js';
import { ActorHeader, Code, IsoDate, Quantity, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, Item, json, ListResult } from './route-kit.js';
import { CustomerPriceBody, CustomerPriceIdParam, CustomerPriceListQuery, GradeDiscountsBody, QuantityTiersBody, UpdateCustomerPriceBody } from './schemas.js';

const tags = ['Price strategies'];
const Discounts = z.object({ discounts: z.array(Item) });
const Tiers = z.object({ tiers: z.array(Item) });
const routes = {
  grades: createRoute({ method: 'get', path: '/grade-discounts', tags, summary: 'Customer-grade discounts', responses: { 200: json(Discounts, 'Discounts') } }),
  saveGrades: createRoute({
    method: 'put', path: '/grade-discounts', tags, summary: 'Set grade discounts (share of list price per grade)',
    request: { headers: ActorHeader, body: body(GradeDiscountsBody) }, responses: { 200: json(Discounts, 'Discounts'), ...errorResponses },
  }),
  tiers: createRoute({ method: 'get', path: '/quantity-tiers', tags, summary: 'The quantity tier scale', responses: { 200: json(Tiers, 'Tiers') } }),
  saveTiers: createRoute({
    method: 'put', path: '/quantity-tiers', tags, summary: 'Replace the quantity tier scale (no gaps, no overlaps)',
    request: { headers: ActorHeader, body: body(QuantityTiersBody) }, responses: { 200: json(Tiers, 'Tiers'), ...errorResponses },
  }),
  customerPrices: createRoute({
    method: 'get', path: '/customer-prices', tags, summary: 'Customer-specific prices (客户商品价格)',
    request: { query: CustomerPriceListQuery },
    responses: { 200: json(ListResult, 'Prices'), ...errorResponses },
  }),
  addCustomerPrice: createRoute({
    method: 'post', path: '/customer-prices', tags, summary: 'Agree a price with a customer from a date (until a date)',
    request: { headers: ActorHeader, body: body(CustomerPriceBody) }, responses: { 201: json(Item, 'Created'), ...errorResponses },
  }),
  changeCustomerPrice: createRoute({
    method: 'patch', path: '/customer-prices/{id}', tags,
    summary: 'Change an agreed price, its dates, or whether it is used; orders already entered keep their price',
    request: { params: CustomerPriceIdParam, headers: ActorHeader, body: body(UpdateCustomerPriceBody) },
    responses: { 200: json(Item, 'Changed'), ...errorResponses },
  }),
  deleteCustomerPrice: createRoute({
    method: 'delete', path: '/customer-prices/{id}', tags,
    summary: 'Delete an agreed price; one that order lines were priced by is deactivated instead (200)',
    request: { params: CustomerPriceIdParam, headers: ActorHeader },
    responses: {
      204: { description: 'Deleted: no order line was priced by it' },
      200: json(z.object({ deactivated: Item }), 'Kept but deactivated: order lines were priced by it'),
      ...errorResponses,
    },
  }),
  resolve: createRoute({
    method: 'get', path: '/resolve', tags, summary: 'The price a customer pays: the rule that won, the floor, the last price paid',
    request: { query: z.object({ customerCode: Code, productCode: Code, quantity: Quantity, date: IsoDate.optional() }) },
    responses: { 200: json(Item, 'The price'), ...errorResponses },
  }),
};

export function priceRoutes({ sql, timeZone, now }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.grades, async (c) => c.json({ discounts: await gradeDiscounts(sql) }, 200));
  app.openapi(routes.saveGrades, async (c) => c.json({ discounts: await saveGradeDiscounts(sql, c.req.valid('json').discounts) }, 200));
  app.openapi(routes.tiers, async (c) => c.json({ tiers: await quantityTiers(sql) }, 200));
  app.openapi(routes.saveTiers, async (c) => c.json({ tiers: await saveQuantityTiers(sql, c.req.valid('json').tiers) }, 200));
  app.openapi(routes.customerPrices, async (c) => c.json(await listCustomerPrices(sql, c.req.valid('query')), 200));
  app.openapi(routes.addCustomerPrice, async (c) => {
    const input = c.req.valid('json');
    return c.json(await createCustomerPrice(sql, input, c.get('user').name), 201);
  });
  app.openapi(routes.changeCustomerPrice, async (c) => {
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    return c.json(await updateCustomerPrice(sql, id, change, c.get('user').name), 200);
  });
  app.openapi(routes.deleteCustomerPrice, async (c) => {
    const { id } = c.req.valid('param');
    const result = await deleteCustomerPrice(sql, id, c.get('user').name);
    return 'deleted' in result ? c.body(null, 204) : c.json(result, 200);
  });
  app.openapi(routes.resolve, async (c) => {
    const q = c.req.valid('query');
    return c.json(await quotePrice(sql, { ...q, date: q.date ?? businessDate(now(), timeZone) }), 200);
  });
  return app;
}
