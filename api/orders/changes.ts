import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { plain } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import type { ChangeLineRequest } from '../../domain/order/index.js';
import { warehousesByCode } from '../../db/master.js';
import { orderDocuments } from '../../db/orders.js';
import { orderChanges } from '../../db/order-changes.js';
import {
  allowanceUpdate,
  approveChangeUpdate,
  changeOrderUpdate,
  recordReturnUpdate,
  rejectChangeUpdate,
} from '../../workflows/sales-order/definitions.js';
import { actorOf, requires } from '../auth/authorize.js';
import { ActorHeader, body, Code, DocumentNumber, errorResponses, IsoDate, json, LineNo, PositiveMoney, Price, Quantity, Reason } from '../schemas.js';
import { prepareOrder, type OrderServiceDeps } from './create-order.js';
import { runOrderCommand, runReopeningCommand } from './workflow-commands.js';
import { LiveOrder, OrderNumberParam } from './schemas.js';

/** 订单变更单 and 销退单 on the order routes: changes with their approval, returns and allowances. */

const NumberParam = OrderNumberParam;
const VersionParam = NumberParam.extend({
  version: z.string().regex(/^\d{1,4}$/, 'a change version such as 0001').openapi({ example: '0001' }),
});

const ChangeBody = z
  .object({
    reason: Reason,
    lines: z
      .array(
        z.object({
          action: z.enum(['change', 'add', 'cancel']).openapi({ description: 'change a line, add a new one, or cancel a line (its undelivered remainder)' }),
          lineNo: LineNo.optional().openapi({ description: 'The line changed or cancelled' }),
          quantity: Quantity.optional(),
          unitPrice: Price.optional().openapi({ description: "A new line without a price takes the customer's price strategies" }),
          expectedDeliveryDate: IsoDate.optional(),
          warehouseCode: Code.optional().openapi({ description: 'Move the line (and its reservation) to another warehouse' }),
          productCode: Code.optional().openapi({ description: 'A new line: the product' }),
        }).strict(),
      )
      .min(1, 'a change needs at least one line')
      .max(500),
  })
  .strict()
  .openapi('OrderChange');

const RejectChangeBody = z.object({ reason: Reason }).strict().openapi('RejectChange');
const ApproveChangeBody = z.object({}).strict().openapi('ApproveChange');

const ReturnBody = z
  .object({
    deliveryNote: DocumentNumber('DN-20261123-0001').openapi({ description: 'The delivery note (销货单) the goods came on' }),
    warehouseCode: Code.optional().openapi({ description: "Where the goods come back to; the delivery's warehouse when absent" }),
    disposition: z
      .enum(['redeliver', 'cancel_remainder'])
      .openapi({ description: 'redeliver: the line reopens for delivery; cancel_remainder: the returned quantity is not delivered again (e.g. a rejection)' }),
    reason: Reason,
    lines: z
      .array(z.object({ lineNo: LineNo.openapi({ description: 'The order line' }), quantity: Quantity }).strict())
      .min(1, 'a return needs at least one line')
      .max(500),
  })
  .strict()
  .openapi('SalesReturn');

const AllowanceBody = z
  .object({
    reason: Reason,
    lines: z
      .array(z.object({ lineNo: LineNo, amount: PositiveMoney.openapi({ description: 'Net amount given back; tax follows at the line rate' }) }).strict())
      .min(1, 'an allowance needs at least one line')
      .max(500),
  })
  .strict()
  .openapi('Allowance');

const ChangeOutcome = z.object({
  version: z.string(),
  status: z.enum(['applied', 'pending_approval', 'rejected']),
  reasons: z.array(z.string()),
  pendingApprovals: z.array(z.object({ role: z.string(), reason: z.string() }).passthrough()),
});
const ChangeResult = z.object({ change: ChangeOutcome, order: LiveOrder }).openapi('ChangeResult');
const ReturnResult = z
  .object({ salesReturn: z.string(), creditNote: z.string().nullable(), creditGross: z.string(), customerCredit: z.string(), order: LiveOrder })
  .openapi('ReturnResult');
const ChangeHistory = z
  .object({
    number: z.string(),
    changes: z.array(
      z
        .object({
          version: z.string(),
          status: z.string(),
          reason: z.string(),
          requestedBy: z.string(),
          approvals: z.array(z.object({ actor: z.string(), role: z.string() })),
          lines: z.array(z.unknown()),
        })
        .passthrough(),
    ),
  })
  .openapi('OrderChangeHistory');


const routes = {
  history: createRoute({
    method: 'get',
    path: '/{number}/changes',
    tags: ['Order changes'],
    summary: 'The change history (历史变更信息): every version with its line-level before/after, reason, who asked and who approved',
    request: { params: NumberParam },
    responses: { 200: json(ChangeHistory, 'Changes, oldest first'), ...errorResponses },
  }),
  change: createRoute({
    method: 'post',
    path: '/{number}/changes',
    tags: ['Order changes'],
    summary: 'Change an approved order (订单变更单); applies at once or waits for approval',
    middleware: [requires('changeOrder')] as const,
    request: { params: NumberParam, headers: ActorHeader, body: body(ChangeBody) },
    responses: { 200: json(ChangeResult, 'Recorded: applied, or waiting for approval'), ...errorResponses },
  }),
  approve: createRoute({
    method: 'post',
    path: '/{number}/changes/{version}/approve',
    tags: ['Order changes'],
    summary: 'Approve a change that waits; the approval completing the rules applies it',
    middleware: [requires('approve')] as const,
    request: { params: VersionParam, headers: ActorHeader, body: body(ApproveChangeBody) },
    responses: { 200: json(ChangeResult, 'Approved'), ...errorResponses },
  }),
  reject: createRoute({
    method: 'post',
    path: '/{number}/changes/{version}/reject',
    tags: ['Order changes'],
    summary: 'Reject a change that waits; the order stays exactly as it was',
    middleware: [requires('reject')] as const,
    request: { params: VersionParam, headers: ActorHeader, body: body(RejectChangeBody) },
    responses: { 200: json(ChangeResult, 'Rejected'), ...errorResponses },
  }),
  returns: createRoute({
    method: 'post',
    path: '/{number}/returns',
    tags: ['Returns'],
    summary: 'Record a return (销退) against a delivery note; its invoiced part becomes a credit note',
    middleware: [requires('recordReturn')] as const,
    request: { params: NumberParam, headers: ActorHeader, body: body(ReturnBody) },
    responses: { 200: json(ReturnResult, 'Recorded'), ...errorResponses },
  }),
  allowances: createRoute({
    method: 'post',
    path: '/{number}/allowances',
    tags: ['Returns'],
    summary: 'Grant an allowance (折让): a credit note for part of what was invoiced, no goods move',
    middleware: [requires('grantAllowance')] as const,
    request: { params: NumberParam, headers: ActorHeader, body: body(AllowanceBody) },
    responses: { 200: json(ReturnResult, 'Recorded'), ...errorResponses },
  }),
};

/** Codes of new lines become full lines here (product, tax rate, price strategy), as on order entry. */
async function resolveChange(deps: OrderServiceDeps, number: string, req: z.infer<typeof ChangeBody>): Promise<ChangeLineRequest[]> {
  const order = await orderDocuments(deps.sql, number);
  if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  const added = req.lines.map((l, i) => ({ l, i })).filter(({ l }) => l.action === 'add');
  for (const { l, i } of added) {
    for (const field of ['productCode', 'warehouseCode', 'quantity'] as const) {
      if (l[field] === undefined) throw new DomainError('VALIDATION_FAILED', `a new line needs ${field}`, `lines[${i}].${field}`);
    }
  }
  let priced: Awaited<ReturnType<typeof prepareOrder>>['lines'] = [];
  if (added.length > 0) {
    const orderDate = businessDate(deps.now?.() ?? new Date(), deps.timeZone);
    try {
      priced = (
        await prepareOrder(
          deps.sql,
          {
            customerCode: order.customerCode,
            lines: added.map(({ l }) => ({ productCode: l.productCode!, warehouseCode: l.warehouseCode!, quantity: l.quantity!, unitPrice: l.unitPrice })),
          },
          orderDate,
        )
      ).lines;
    } catch (err) {
      // Errors name the line of the whole change, not of the added subset.
      if (err instanceof DomainError && err.field?.startsWith('lines[')) {
        const sub = Number(/^lines\[(\d+)\]/.exec(err.field)![1]);
        throw new DomainError(err.code, err.message, err.field.replace(/^lines\[\d+\]/, `lines[${added[sub]!.i}]`), err.details);
      }
      throw err;
    }
  }
  const moved = [...new Set(req.lines.filter((l) => l.action === 'change' && l.warehouseCode).map((l) => l.warehouseCode!))];
  const warehouses = await warehousesByCode(deps.sql, moved);
  return req.lines.map((l, i) => {
    if (l.action === 'add') {
      const p = priced[added.findIndex((a) => a.i === i)]!;
      return {
        action: 'add',
        productCode: p.product.code,
        warehouseCode: p.warehouse.code,
        quantity: plain(p.quantity),
        unitPrice: plain(p.unitPrice),
        taxRate: plain(p.taxRate),
        overDeliveryRate: p.product.overDeliveryRate,
        ...(l.expectedDeliveryDate ? { expectedDeliveryDate: l.expectedDeliveryDate } : {}),
      };
    }
    if (l.lineNo === undefined) throw new DomainError('VALIDATION_FAILED', `a ${l.action} names the line it changes`, `lines[${i}].lineNo`);
    if (l.warehouseCode && !warehouses.get(l.warehouseCode)?.active) {
      throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${l.warehouseCode} does not exist`, `lines[${i}].warehouseCode`);
    }
    const { productCode: _ignored, ...rest } = l;
    return rest as ChangeLineRequest;
  });
}

export function registerChangeRoutes(app: OpenAPIHono, deps: OrderServiceDeps) {
  const opts = (key: string | undefined) => (key ? { updateId: key } : {});
  const version = (v: string) => Number(v);

  app.openapi(routes.history, async (c) => {
    const { number } = c.req.valid('param');
    const changes = await orderChanges(deps.sql, number);
    if (!changes) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    return c.json({ number, changes }, 200);
  });

  app.openapi(routes.change, async (c) => {
    const { number } = c.req.valid('param');
    const req = c.req.valid('json');
    const lines = await resolveChange(deps, number, req);
    const result = await runOrderCommand(deps, number, (wf) =>
      wf.executeUpdate(changeOrderUpdate, { args: [{ ...actorOf(c), reason: req.reason, lines }], ...opts(c.req.valid('header')['idempotency-key']) }),
    );
    return c.json(result, 200);
  });

  app.openapi(routes.approve, async (c) => {
    const p = c.req.valid('param');
    const result = await runOrderCommand(deps, p.number, (wf) =>
      wf.executeUpdate(approveChangeUpdate, { args: [{ ...actorOf(c), version: version(p.version) }], ...opts(c.req.valid('header')['idempotency-key']) }),
    );
    return c.json(result, 200);
  });

  app.openapi(routes.reject, async (c) => {
    const p = c.req.valid('param');
    const result = await runOrderCommand(deps, p.number, (wf) =>
      wf.executeUpdate(rejectChangeUpdate, {
        args: [{ ...actorOf(c), version: version(p.version), reason: c.req.valid('json').reason }],
        ...opts(c.req.valid('header')['idempotency-key']),
      }),
    );
    return c.json(result, 200);
  });

  // A return or allowance may come after the order completed: its workflow is started again with its state.
  app.openapi(routes.returns, async (c) => {
    const { number } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    const result = await runReopeningCommand(deps, number, recordReturnUpdate, { ...actorOf(c), ...c.req.valid('json'), ...(key ? { requestKey: key } : {}) }, key);
    return c.json(result, 200);
  });

  app.openapi(routes.allowances, async (c) => {
    const { number } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    const result = await runReopeningCommand(deps, number, allowanceUpdate, { ...actorOf(c), ...c.req.valid('json'), ...(key ? { requestKey: key } : {}) }, key);
    return c.json(result, 200);
  });
}
