import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Role } from '../../domain/authorization.js';
import { DomainError } from '../../domain/errors.js';
import {
  checkWriteOffAmountUnchanged,
  checkWriteOffDecision,
  checkWriteOffRequest,
  writeOffNote,
  type WriteOffDecision,
} from '../../domain/order/index.js';
import type { Sql } from '../../db/client.js';
import {
  bookedWriteOffs,
  claimWriteOffRequest,
  finishWriteOffRequest,
  insertWriteOffRequest,
  lockWriteOffRequest,
  orderOpenAmount,
  rejectWriteOffRequest,
  releaseWriteOffRequest,
  undecidedWriteOffRequest,
  writeOffAuthorityOf,
  writeOffRequest,
  writeOffRequestsOf,
  type WriteOffRequestView,
} from '../../db/write-off-requests.js';
import { writeOffUpdate, type OrderNow as OrderStanding } from '../../workflows/sales-order/definitions.js';
import { requires } from '../auth/authorize.js';
import { requestWriteOffApproval } from '../../db/outbox/write-off.js';
import { fromTemporal } from '../errors.js';
import { runOrderCommand } from '../orders/workflow-commands.js';
import { OrderNow, OrderNumberParam } from '../orders/schemas.js';
import { ActorHeader, body, errorResponses, json } from '../schemas.js';
import { WriteOffRejectBody, WriteOffRequestBody, WriteOffRequestView as RequestSchema } from './schemas.js';

export interface WriteOffDeps {
  sql: Sql;
  temporal: Client;
}

interface User {
  name: string;
  role: Role;
}

const NumberParam = OrderNumberParam;
const RequestParam = NumberParam.extend({ id: z.string().regex(/^[1-9]\d{0,3}$/, 'a write-off request number such as 1') });

/** 坏账核销, asked: what is open on the order now, with a reason, waiting for another finance approver. */
export async function requestWriteOff(deps: WriteOffDeps, number: string, user: User, reason: string): Promise<WriteOffRequestView> {
  const seq = await deps.sql.begin(async (tx) => {
    const order = await orderOpenAmount(tx, number);
    checkWriteOffRequest({ number, ...order }, await undecidedWriteOffRequest(tx, order.id), reason);
    const asked = { orderId: order.id, amount: order.open, currency: order.currency, reason: reason.trim(), requestedBy: user.name };
    const seq = await insertWriteOffRequest(tx, { ...asked, requestedByRole: user.role });
    await requestWriteOffApproval(tx, { ...asked, orderNumber: number, seq });
    return seq;
  });
  return (await writeOffRequest(deps.sql, number, seq))!;
}

/**
 * Decides a request. A rejection only records itself. An approval first claims the
 * request (so nobody else decides it meanwhile), then books the write-off through
 * the order workflow's own command, with the requester as its actor and the
 * deciding user as its approver, under an update id of the request: repeating the
 * approval (its answer lost) re-sends the same update or finds what it booked, and
 * never writes off twice. A refusal by the workflow leaves the request pending.
 */
export async function decideWriteOff(
  deps: WriteOffDeps,
  number: string,
  seq: number,
  user: User,
  decision: WriteOffDecision,
  reason?: string,
): Promise<{ writeOffRequest: WriteOffRequestView; order?: OrderStanding }> {
  const request = await deps.sql.begin(async (tx) => {
    const req = await lockWriteOffRequest(tx, number, seq);
    checkWriteOffDecision(req, user, await writeOffAuthorityOf(tx, user.name), decision, reason);
    if (decision === 'reject') await rejectWriteOffRequest(tx, req.rowId, user.name, reason!.trim());
    else if (req.status === 'pending') {
      checkWriteOffAmountUnchanged(req, (await orderOpenAmount(tx, number)).open);
      await claimWriteOffRequest(tx, req.rowId, user.name);
      return { ...req, repeated: false };
    }
    return { ...req, repeated: true };
  });
  if (decision === 'reject') return { writeOffRequest: (await writeOffRequest(deps.sql, number, seq))! };

  const note = writeOffNote(request.reason, request.requestedBy, user.name);
  if (request.repeated) {
    // The first approval booked it, but its answer (and the request's last step) was lost.
    const booked = await bookedWriteOffs(deps.sql, { orderId: request.orderId, note, since: request.decidedAt! });
    if (booked.length) {
      await finishWriteOffRequest(deps.sql, request.rowId, booked);
      return { writeOffRequest: (await writeOffRequest(deps.sql, number, seq))! };
    }
  }
  let result: { writeOffs: { invoice: string; amount: string }[]; order: OrderStanding };
  try {
    result = await runOrderCommand(deps, number, (h) =>
      h.executeUpdate(writeOffUpdate, {
        args: [{ actor: request.requestedBy, actorRole: request.requestedByRole as Role, approver: user.name, reason: request.reason, amount: request.amount }],
        updateId: `write-off-request/${number}/${seq}`,
      }),
    );
  } catch (err) {
    const refusal = fromTemporal(err);
    // Refused: nothing was booked. Anything else (a timeout) may still book: the claim stays for a repeat.
    if (refusal instanceof DomainError) await releaseWriteOffRequest(deps.sql, request.rowId);
    throw refusal;
  }
  await finishWriteOffRequest(deps.sql, request.rowId, result.writeOffs);
  return { writeOffRequest: (await writeOffRequest(deps.sql, number, seq))!, order: result.order };
}

const Decided = z.object({ writeOffRequest: RequestSchema, order: OrderNow.optional() }).openapi('BadDebtWriteOffDecision');

const routes = {
  list: createRoute({
    method: 'get',
    path: '/orders/{number}/write-offs',
    tags: ['Finance'],
    summary: "The order's bad-debt write-off requests (坏账核销), newest last",
    request: { params: NumberParam },
    responses: { 200: json(z.object({ items: z.array(RequestSchema) }), 'The requests'), ...errorResponses },
  }),
  request: createRoute({
    method: 'post',
    path: '/orders/{number}/write-offs',
    tags: ['Finance'],
    summary: "Ask for the order's open receivables to be written off as a bad debt; another finance approver decides",
    middleware: [requires('writeOff')] as const,
    request: { params: NumberParam, headers: ActorHeader, body: body(WriteOffRequestBody) },
    responses: { 201: json(RequestSchema, 'Requested, pending a decision'), ...errorResponses },
  }),
  approve: createRoute({
    method: 'post',
    path: '/orders/{number}/write-offs/{id}/approve',
    tags: ['Finance'],
    summary: 'Approve a write-off request (a finance approver other than the requester): the amount asked is written off',
    middleware: [requires('decideWriteOff')] as const,
    request: { params: RequestParam, headers: ActorHeader },
    responses: { 200: json(Decided, 'Approved and written off'), ...errorResponses },
  }),
  reject: createRoute({
    method: 'post',
    path: '/orders/{number}/write-offs/{id}/reject',
    tags: ['Finance'],
    summary: 'Reject a write-off request, with a reason (a finance approver other than the requester)',
    middleware: [requires('decideWriteOff')] as const,
    request: { params: RequestParam, headers: ActorHeader, body: body(WriteOffRejectBody) },
    responses: { 200: json(Decided, 'Rejected; nothing written off'), ...errorResponses },
  }),
};

export function registerWriteOffRoutes(app: OpenAPIHono, deps: WriteOffDeps) {
  app.openapi(routes.list, async (c) => {
    const { number } = c.req.valid('param');
    const items = await writeOffRequestsOf(deps.sql, number);
    if (items.length === 0 && !(await deps.sql`SELECT 1 FROM sales_orders WHERE number = ${number}`).length) {
      throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    }
    return c.json({ items }, 200);
  });
  app.openapi(routes.request, async (c) => {
    const { number } = c.req.valid('param');
    return c.json(await requestWriteOff(deps, number, c.get('user'), c.req.valid('json').reason), 201);
  });
  app.openapi(routes.approve, async (c) => {
    const { number, id } = c.req.valid('param');
    return c.json(await decideWriteOff(deps, number, Number(id), c.get('user'), 'approve'), 200);
  });
  app.openapi(routes.reject, async (c) => {
    const { number, id } = c.req.valid('param');
    return c.json(await decideWriteOff(deps, number, Number(id), c.get('user'), 'reject', c.req.valid('json').reason), 200);
  });
}
