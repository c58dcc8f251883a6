import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../../db/client.js';
import { orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { DocumentNumber } from '../schemas.js';
import { validationHook } from '../validation.js';
import { businessEvents } from './business-events.js';
import { mergeTimeline, type TimelineEvent } from './event.js';
import { foldTimeline } from './fold.js';
import { capRefusals, foldRefusalRuns, withRefusalsLeftOut } from './refusal-runs.js';
import { refusedCommands } from './refusals.js';
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

/**
 * The order's business facts (Postgres), the commands refused on it (the audit) and its workflow history
 * (Temporal, every run), newest last; folded to one row a step (fold.ts), repeated refusals to one row
 * (refusal-runs.ts) unless `detail` is `full`, which lists refusals up to a cap. Refusals past what is read or
 * shown are one row with their count.
 */
export async function orderTimeline(deps: { sql: Sql; temporal: Client }, number: string, detail: 'steps' | 'full' = 'steps'): Promise<OrderTimeline> {
  const business = await businessEvents(deps.sql, number);
  if (!business) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  const workflowId = orderWorkflowId(number);
  const [refused, workflow] = await Promise.all([refusedCommands(deps.sql, number), workflowTimeline(deps.temporal, workflowId)]);
  const all: TimelineEvent[] = mergeTimeline(business, refused.events, workflow?.events ?? []);
  const shown = detail === 'full' ? capRefusals(all) : { events: foldRefusalRuns(foldTimeline(all)), leftOut: 0 };
  const events = withRefusalsLeftOut(shown.events, shown.leftOut + refused.unread);
  return { number, workflowId, workflowStatus: workflow?.status ?? null, runs: workflow?.runs ?? [], events };
}

const route = createRoute({
  method: 'get',
  path: '/{number}/timeline',
  tags: ['Orders'],
  summary: 'What happened to one order: business events, refused commands and its workflow history, newest last',
  description:
    'One row a step: an activity is one row with its outcome and duration, a command one row with who sent it, a timer names what fell due. ' +
    '`?detail=full` gives every workflow event as recorded (activity scheduled / started / completed, update accepted / completed, timers re-armed). ' +
    'Refused commands repeated by the same user (same command, same code) are one row with `details.count`, `firstAt` and `lastAt`; ' +
    '`?detail=full` lists them one by one up to 100. Refusals left out are one `command.refused.omitted` row with `details.count`.',
  request: {
    params: NumberParam,
    query: z.object({
      detail: z.enum(['steps', 'full']).default('steps').openapi({ description: '`full`: every workflow event, unfolded' }),
    }),
  },
  responses: {
    200: { content: { 'application/json': { schema: OrderTimeline } }, description: 'The timeline' },
  },
});

export function timelineRoutes(deps: { sql: Sql; temporal: Client }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(route, async (c) => c.json(await orderTimeline(deps, c.req.valid('param').number, c.req.valid('query').detail), 200));
  return app;
}
