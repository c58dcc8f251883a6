import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ActorHeader, Code, DocumentNumber, errorResponses, IsoDate, LineNo, Price, Quantity } from '../schemas.js';
import { requires } from '../auth/authorize.js';
import { validationHook } from '../validation.js';
import type { OrderServiceDeps } from '../orders/create-order.js';
import { acceptQuotation, addQuotationVersion, copyQuotationToOrder, createQuotation, quotationView } from './service.js';

const Lines = z
  .array(
    z.object({
      productCode: Code,
      warehouseCode: Code,
      quantity: Quantity,
      giftQty: Quantity.optional().openapi({ description: '赠品量: given free on top of the quantity' }),
      unitPrice: Price.optional().openapi({ description: 'Defaults to the price an order would get' }),
    }).strict(),
  )
  .min(1, 'a quotation needs at least one line')
  .max(500);

const VersionBody = z.object({ validUntil: IsoDate.optional(), lines: Lines }).strict().openapi('QuotationVersion');
const CreateBody = VersionBody.extend({ customerCode: Code }).strict().openapi('CreateQuotation');
const AcceptBody = z.object({ version: LineNo.optional() }).strict().openapi('AcceptQuotation');
const CopyBody = z.object({ shortfallPolicy: z.enum(['block', 'backorder']).optional() }).strict().openapi('CopyQuotation');
const Quotation = z.object({ number: z.string(), status: z.string(), currentVersion: z.number() }).passthrough().openapi('Quotation');
const NumberParam = z.object({ number: DocumentNumber('QT-20261123-0001') });

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });

const routes = {
  create: createRoute({
    method: 'post',
    path: '/',
    tags: ['Quotations'],
    summary: 'Create a quotation (报价单), version 1',
    request: { headers: ActorHeader, body: body(CreateBody) },
    responses: { 201: json(Quotation, 'Created'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/{number}',
    tags: ['Quotations'],
    summary: 'A quotation with all its versions',
    request: { params: NumberParam },
    responses: { 200: json(Quotation, 'The quotation'), ...errorResponses },
  }),
  version: createRoute({
    method: 'post',
    path: '/{number}/versions',
    tags: ['Quotations'],
    summary: 'A new version for the same request (re-opens an accepted quotation)',
    request: { params: NumberParam, headers: ActorHeader, body: body(VersionBody) },
    responses: { 200: json(Quotation, 'The quotation with its new version'), ...errorResponses },
  }),
  accept: createRoute({
    method: 'post',
    path: '/{number}/accept',
    tags: ['Quotations'],
    summary: 'The customer accepted the current version (客户审核)',
    request: { params: NumberParam, headers: ActorHeader, body: body(AcceptBody) },
    responses: { 200: json(Quotation, 'Accepted'), ...errorResponses },
  }),
  copy: createRoute({
    method: 'post',
    path: '/{number}/order',
    tags: ['Quotations'],
    summary: 'Copy the accepted version to a sales order (复制前置单据)',
    request: { params: NumberParam, headers: ActorHeader, body: body(CopyBody) },
    responses: { 201: json(z.object({ orderNumber: z.string(), quotation: Quotation }), 'The order created from it'), ...errorResponses },
  }),
};

export function quotationRoutes(deps: OrderServiceDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  // Quotations are the clerk's work; everyone signed in may read them.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], ['/', '/*'], requires('createOrder'));
  app.openapi(routes.create, async (c) => c.json(await createQuotation(deps, c.req.valid('json'), c.get('user').name), 201));
  app.openapi(routes.get, async (c) => c.json(await quotationView(deps, c.req.valid('param').number), 200));
  app.openapi(routes.version, async (c) =>
    c.json(await addQuotationVersion(deps, c.req.valid('param').number, c.req.valid('json'), c.get('user').name), 200),
  );
  app.openapi(routes.accept, async (c) => c.json(await acceptQuotation(deps, c.req.valid('param').number, c.req.valid('json').version), 200));
  app.openapi(routes.copy, async (c) =>
    c.json(
      await copyQuotationToOrder(deps, c.req.valid('param').number, c.get('user').name, c.req.valid('json').shortfallPolicy),
      201,
    ),
  );
  return app;
}
