import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { DomainError } from '../../domain/errors.js';
import { checkOpeningBalance } from '../../domain/order/index.js';
import { listOrders, orderDocuments } from '../../db/orders.js';
import { orderAtVersion } from '../../db/order-changes.js';
import {
  approveUpdate,
  cancelUpdate,
  closeLineUpdate,
  deliverUpdate,
  qualityCheckUpdate,
  rejectUpdate,
  retryReservationUpdate,
  shippingNoticeUpdate,
  invoiceUpdate,
  orderStateQuery,
  orderWorkflowId,
  recordReceiptUpdate,
  type SalesOrderView,
} from '../../workflows/sales-order/definitions.js';
import type { Command } from '../../domain/authorization.js';
import { actorOf, requires } from '../auth/authorize.js';
import { ActorHeader, body, Code, errorResponses, json, Paging, SingleLine } from '../schemas.js';
import { validationHook } from '../validation.js';
import { createOrder, type OrderServiceDeps } from './create-order.js';
import { orderHandle, runOrderCommand } from './workflow-commands.js';
import { registerChangeRoutes } from './changes.js';
import {
  CancelBody,
  CloseLineBody,
  CommandResult,
  QualityCheckBody,
  RejectBody,
  ShippingNoticeBody,
  CreateOrderBody,
  DeliverBody,
  EmptyBody,
  OpeningOrderBody,
  OrderList,
  OrderNumberParam,
  OrderAtVersion,
  OrderResponse,
  ReceiptBody,
} from './schemas.js';

const NumberParam = OrderNumberParam;

function commandRoute<S extends z.ZodObject>(path: string, summary: string, schema: S, command: Command) {
  return createRoute({
    method: 'post',
    path: `/{number}/${path}`,
    tags: ['Orders'],
    summary,
    middleware: [requires(command)] as const,
    request: { params: NumberParam, headers: ActorHeader, body: body(schema) },
    responses: { 200: json(CommandResult, 'The command was carried out'), ...errorResponses },
  });
}

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
    middleware: [requires('createOrder')] as const,
    path: '/opening',
    tags: ['Orders'],
    summary: 'Load an open order from the old system (期初开账): approved, with what it already delivered',
    request: { headers: ActorHeader, body: body(OpeningOrderBody) },
    responses: { 201: json(OrderResponse, 'Loaded'), 200: json(OrderResponse, 'Already loaded with this Idempotency-Key'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/',
    tags: ['Orders'],
    summary: 'List orders (from Postgres)',
    request: { query: Paging.extend({ status: SingleLine(40).optional(), customerCode: Code.optional() }) },
    responses: { 200: json(OrderList, 'Orders, newest first') },
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
  approve: commandRoute('approve', 'Approve (审核); the approval that completes the rules reserves stock', EmptyBody, 'approve'),
  reject: commandRoute('reject', 'Reject the order with a reason; it ends', RejectBody, 'reject'),
  reserve: commandRoute('reserve', 'Reserve back-ordered quantities from stock that has arrived', EmptyBody, 'reserveStock'),
  closeLine: commandRoute('close-line', 'Close a line by hand (指定结束): the remainder is cancelled, its reservation released', CloseLineBody, 'changeOrder'),
  shippingNotice: commandRoute('shipping-notices', 'Issue a shipping notice (出货通知单); no stock effect', ShippingNoticeBody, 'issueShippingNotice'),
  qualityCheck: commandRoute('quality-checks', 'Record the quality re-check (出货复核) of a shipping notice', QualityCheckBody, 'issueShippingNotice'),
  deliver: commandRoute('deliver', 'Issue a delivery note (销货单)', DeliverBody, 'deliver'),
  invoice: commandRoute('invoice', 'Invoice everything delivered and not yet invoiced', EmptyBody, 'invoice'),
  receipts: commandRoute('receipts', 'Record a receipt (收款单) and match it to the invoices', ReceiptBody, 'recordReceipt'),
  cancel: commandRoute('cancel', 'Cancel the order, releasing its reservations', CancelBody, 'cancelOrder'),
};

export function orderRoutes(deps: OrderServiceDeps & { temporal: Client }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  /** The live state, or null when no worker answers within two seconds (the documents still show). */
  async function live(number: string): Promise<SalesOrderView | null> {
    try {
      return await deps.temporal.connection.withDeadline(Date.now() + 2000, () => orderHandle(deps, number).query(orderStateQuery));
    } catch {
      return null;
    }
  }

  async function view(number: string) {
    const order = await orderDocuments(deps.sql, number);
    if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    return { order, live: await live(number), workflowId: orderWorkflowId(number) };
  }

  const command = <T>(number: string, run: (h: WorkflowHandle) => Promise<T>) => runOrderCommand(deps, number, run);

  const opts = (key: string | undefined) => (key ? { updateId: key } : {});

  app.openapi(routes.create, async (c) => {
    const headers = c.req.valid('header');
    const result = await createOrder(deps, c.req.valid('json'), c.get('user').name, headers['idempotency-key']);
    return c.json(await view(result.orderNumber), result.created ? 201 : 200);
  });

  app.openapi(routes.opening, async (c) => {
    const headers = c.req.valid('header');
    const { approvedBy, ...req } = c.req.valid('json');
    checkOpeningBalance(req.lines);
    const opening = { approvedBy, deliveredQty: req.lines.map((l) => l.deliveredQty) };
    const result = await createOrder(deps, req, c.get('user').name, headers['idempotency-key'], opening);
    return c.json(await view(result.orderNumber), result.created ? 201 : 200);
  });

  app.openapi(routes.list, async (c) => c.json(await listOrders(deps.sql, c.req.valid('query')), 200));

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

  app.openapi(routes.approve, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const order = await command(number, (wf) => wf.executeUpdate(approveUpdate, { args: [actorOf(c)], ...opts(h['idempotency-key']) }));
    return c.json({ order }, 200);
  });

  app.openapi(routes.reject, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const order = await command(number, (wf) =>
      wf.executeUpdate(rejectUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json({ order }, 200);
  });

  app.openapi(routes.reserve, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const order = await command(number, (wf) =>
      wf.executeUpdate(retryReservationUpdate, { args: [actorOf(c)], ...opts(h['idempotency-key']) }),
    );
    return c.json({ order }, 200);
  });

  app.openapi(routes.closeLine, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const order = await command(number, (wf) =>
      wf.executeUpdate(closeLineUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json({ order }, 200);
  });

  app.openapi(routes.shippingNotice, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const result = await command(number, (wf) =>
      wf.executeUpdate(shippingNoticeUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json(result, 200);
  });

  app.openapi(routes.qualityCheck, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const order = await command(number, (wf) =>
      wf.executeUpdate(qualityCheckUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json({ order }, 200);
  });

  app.openapi(routes.deliver, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const result = await command(number, (wf) =>
      wf.executeUpdate(deliverUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json(result, 200);
  });

  app.openapi(routes.invoice, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const result = await command(number, (wf) => wf.executeUpdate(invoiceUpdate, { args: [actorOf(c)], ...opts(h['idempotency-key']) }));
    return c.json(result, 200);
  });

  app.openapi(routes.receipts, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const result = await command(number, (wf) =>
      wf.executeUpdate(recordReceiptUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json(result, 200);
  });

  app.openapi(routes.cancel, async (c) => {
    const { number } = c.req.valid('param');
    const h = c.req.valid('header');
    const order = await command(number, (wf) =>
      wf.executeUpdate(cancelUpdate, { args: [{ ...actorOf(c), ...c.req.valid('json') }], ...opts(h['idempotency-key']) }),
    );
    return c.json({ order }, 200);
  });

  registerChangeRoutes(app, deps);
  return app;
}
