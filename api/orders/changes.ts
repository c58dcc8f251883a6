import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { plain } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import { defaultDeliveryDate, type ChangeLineRequest } from '../../domain/order/index.js';
import { warehousesByCode } from '../../db/master.js';
import { orderDocuments } from '../../db/orders.js';
import { orderChanges } from '../../db/order-changes.js';
import { Code, DocumentNumber, errorResponses, IsoDate, json, LineNo, PositiveMoney, Price, Quantity, Reason } from '../schemas.js';
import { prepareOrder, type OrderServiceDeps } from './create-order.js';
import { ORDER_NOW_EXAMPLE, OrderNow, OrderNumberParam } from './schemas.js';

/** 订单变更单 and 销退单: their bodies and results, the change history, and how a change's new lines are resolved. */

const NumberParam = OrderNumberParam;
export const VersionParam = NumberParam.extend({
  version: z.string().regex(/^\d{1,4}$/, 'a change version such as 0001').openapi({ example: '0001' }),
});

export const ChangeBody = z
  .object({
    reason: Reason,
    lines: z
      .array(
        z.object({
          action: z.enum(['change', 'add', 'cancel']).openapi({ description: 'change a line, add a new one, or cancel a line (its undelivered remainder)' }),
          lineNo: LineNo.optional().openapi({ description: 'The line changed or cancelled (required for change and cancel)', example: 1 }),
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

export const RejectChangeBody = z.object({ reason: Reason }).strict().openapi('RejectChange');
export const ApproveChangeBody = z.object({}).strict().openapi('ApproveChange');

export const ReturnBody = z
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

export const AllowanceBody = z
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
export const ChangeResult = z
  .object({ change: ChangeOutcome, order: OrderNow })
  .strict()
  .openapi('ChangeResult', {
    example: {
      change: { version: '0001', status: 'pending_approval', reasons: ['the amount rises from 226.00 to 339.00'], pendingApprovals: [{ ruleId: 1, role: 'approver', reason: 'every order' }] },
      order: { ...ORDER_NOW_EXAMPLE, status: 'Approved', waitingFor: 'changeApproval' },
    },
  });
export const ReturnResult = z
  .object({ salesReturn: z.string(), creditNote: z.string().nullable(), creditGross: z.string(), customerCredit: z.string(), order: OrderNow })
  .strict()
  .openapi('ReturnResult', {
    example: { salesReturn: 'SR-20261123-0001', creditNote: 'CN-20261123-0001', creditGross: '113.00', customerCredit: '0.00', order: { ...ORDER_NOW_EXAMPLE, status: 'PartiallyDelivered', waitingFor: 'delivery' } },
  });
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
};

/** Codes of new lines become full lines here (product, tax rate, price strategy), as on order entry. */
export async function resolveChange(deps: OrderServiceDeps, number: string, req: z.infer<typeof ChangeBody>): Promise<ChangeLineRequest[]> {
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
  // A new line without a date is expected when a line of the order entered without one would be.
  const orderedOn = businessDate(new Date(order.createdAt), deps.timeZone);
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
        expectedDeliveryDate: l.expectedDeliveryDate ?? defaultDeliveryDate(orderedOn),
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

/** The change history; the commands on changes, returns and allowances are rows of api/orders/commands.ts. */
export function registerChangeRoutes(app: OpenAPIHono, deps: OrderServiceDeps) {
  app.openapi(routes.history, async (c) => {
    const { number } = c.req.valid('param');
    const changes = await orderChanges(deps.sql, number);
    if (!changes) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    return c.json({ number, changes }, 200);
  });
}
