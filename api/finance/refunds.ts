import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { customerCredit } from '../../db/credit-notes.js';
import type { Sql } from '../../db/client.js';
import { CUSTOMER_REFUND_WORKFLOW, customerRefundWorkflowId, type RecordedRefund } from '../../workflows/finance/definitions.js';
import { requires } from '../auth/authorize.js';
import { scopedKey } from '../commands/idempotency.js';
import { ActorHeader, body, Code, errorResponses, IsoDate, json, PositiveMoney, SingleLine } from '../schemas.js';

/** 退款 and the payer's credit: what returns and allowances left the customer after its invoices were paid. */

const RefundBody = z
  .object({
    payerCode: Code.openapi({ description: 'The paying customer (a head office for its branches)' }),
    amount: PositiveMoney,
    method: z.enum(['cash', 'bank_transfer', 'card', 'cheque', 'other']),
    paidOn: IsoDate.optional(),
    reference: SingleLine(100, 0).optional(),
  })
  .strict()
  .openapi('Refund');

const Refund = z
  .object({ number: z.string(), payerCode: z.string(), amount: z.string(), creditNotes: z.array(z.object({ creditNote: z.string(), amount: z.string() })), creditLeft: z.string() })
  .openapi('RecordedRefund');

const Credit = z
  .object({ customerCode: z.string(), credit: z.string(), creditNotes: z.array(z.object({ number: z.string(), open: z.string() }).passthrough()) })
  .openapi('CustomerCredit');


const routes = {
  refund: createRoute({
    method: 'post',
    path: '/finance/refunds',
    tags: ['Finance'],
    summary: "Pay the payer's credit back (退款), never more than its credit notes left open",
    middleware: [requires('recordReceipt')] as const,
    request: { headers: ActorHeader, body: body(RefundBody) },
    responses: { 200: json(Refund, 'Recorded (or the first result for this Idempotency-Key)'), ...errorResponses },
  }),
  credit: createRoute({
    method: 'get',
    path: '/finance/customer-credit',
    tags: ['Finance'],
    summary: 'The credit a payer has from credit notes its invoices did not take, note by note',
    request: { query: z.object({ customer: Code }) },
    responses: { 200: json(Credit, 'The credit'), ...errorResponses },
  }),
};

export function registerRefundRoutes(
  app: OpenAPIHono,
  deps: { sql: Sql },
  run: <T>(workflow: string, workflowId: string, input: unknown) => Promise<T>,
): void {
  app.openapi(routes.refund, async (c) => {
    const key = scopedKey(c) ?? randomUUID();
    const refund = await run<RecordedRefund>(CUSTOMER_REFUND_WORKFLOW, customerRefundWorkflowId(key), {
      ...c.req.valid('json'),
      key: `refund/${key}`,
      recordedBy: c.get('user').name,
    });
    return c.json(refund, 200);
  });

  app.openapi(routes.credit, async (c) => c.json(await customerCredit(deps.sql, c.req.valid('query').customer), 200));
}
