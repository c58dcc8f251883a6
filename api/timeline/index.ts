import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { DocumentNumber, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import { businessEvents } from './business-events.js';
import { mergeTimeline, type TimelineEvent } from './event.js';
import { workflowTimeline } from './workflow-history.js';

const NumberParam = z.object({
  number: DocumentNumber('SO-20261123-0001'),
});

const TimelineEventSchema = z
  .object({
    at: z.string(),
    source: z.enum(['business', 'workflow']),
    kind: z.string().openapi({ example: 'activity.completed' }),
    summary: z.string(),
    actor: z.string().nullable().optional(),
    document: z.string().optional(),
    runId: z.string().optional(),
    eventId: z.number().optional(),
    updateId: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('TimelineEvent');

const OrderTimeline = z
  .object({
    number: z.string(),
    workflowId: z.string(),
    workflowStatus: z.string().nullable(),
    runs: z.array(z.string()),
    events: z.array(TimelineEventSchema),
  })
  .openapi('OrderTimeline');

export type OrderTimeline = z.infer<typeof OrderTimeline>;

/** The order's business facts (Postgres) and its workflow history (Temporal, every run), newest last. */
export async function orderTimeline(deps: { sql: Sql; temporal: Client }, number: string): Promise<OrderTimeline> {
  const business = await businessEvents(deps.sql, number);
  if (!business) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  const workflowId = orderWorkflowId(number);
  const workflow = await workflowTimeline(deps.temporal, workflowId);
  const events: TimelineEvent[] = mergeTimeline(business, workflow?.events ?? []);
  return { number, workflowId, workflowStatus: workflow?.status ?? null, runs: workflow?.runs ?? [], events };
}

const route = createRoute({
  method: 'get',
  path: '/{number}/timeline',
  tags: ['Orders'],
  summary: 'What happened to one order: business events and its workflow history, newest last',
  request: { params: NumberParam },
  responses: {
    200: { content: { 'application/json': { schema: OrderTimeline } }, description: 'The timeline' },
    404: errorResponses[404],
  },
});

export function timelineRoutes(deps: { sql: Sql; temporal: Client }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(route, async (c) => c.json(await orderTimeline(deps, c.req.valid('param').number), 200));
  return app;
}
