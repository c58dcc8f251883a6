import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import {
  createCustomerPrice,
  gradeDiscounts,
  listCustomerPrices,
  quantityTiers,
  quotePrice,
  saveGradeDiscounts,
  saveQuantityTiers,
} from '../../db/prices.js';
import { ActorHeader, Code, IsoDate, Paging, Quantity, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, Item, json, ListResult } from './route-kit.js';
import { CustomerPriceBody, GradeDiscountsBody, QuantityTiersBody } from './schemas.js';

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
    request: { query: Paging.extend({ customerCode: z.string().optional(), productCode: z.string().optional() }) },
    responses: { 200: json(ListResult, 'Prices'), ...errorResponses },
  }),
  addCustomerPrice: createRoute({
    method: 'post', path: '/customer-prices', tags, summary: 'Agree a price with a customer from a date (until a date)',
    request: { headers: ActorHeader, body: body(CustomerPriceBody) }, responses: { 201: json(Item, 'Created'), ...errorResponses },
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
  app.openapi(routes.addCustomerPrice, async (c) =>
    c.json(await createCustomerPrice(sql, c.req.valid('json'), c.get('user').name), 201),
  );
  app.openapi(routes.resolve, async (c) => {
    const q = c.req.valid('query');
    return c.json(await quotePrice(sql, { ...q, date: q.date ?? businessDate(now(), timeZone) }), 200);
  });
  return app;
}
