import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import type { Command, Role } from '../../domain/authorization.js';
import type { DomainErrorCode } from '../../domain/errors.js';
import { actorOf, requires } from '../auth/authorize.js';
import type { OrderServiceDeps } from '../orders/create-order.js';
import { runOrderCommand, runReopeningCommand, type ReopenedFrom } from '../orders/workflow-commands.js';
import { ActorHeader, body, json } from '../schemas.js';
import { scopedKey } from './idempotency.js';

/** What a row's argument builder gets: who acts, the validated body and path, and the user-scoped key. */
export interface CommandContext<Body, Params> {
  actor: { actor: string; actorRole: Role };
  input: Body;
  params: Params;
  /** The Idempotency-Key scoped by user and command (api/commands/idempotency.ts scopedKey), if one was sent. */
  key: string | undefined;
  deps: OrderServiceDeps;
}

/**
 * One order command as a row of the command table: its route (path under /orders/{number}, documentation,
 * body schema, the role it needs), the workflow update it runs and how the update's argument is built, and the
 * response. Audit (api/audit/middleware.ts) and idempotency (api/commands/idempotency.ts) apply to every write
 * route by construction, so a row cannot leave them out.
 */
export interface OrderCommandRow<Body extends z.ZodObject, Params extends z.ZodObject, Arg, Ret> {
  /** Under /orders/{number}/, e.g. `approve` or `changes/{version}/approve`. */
  path: string;
  tags?: string[];
  summary: string;
  params: Params;
  body: Body;
  requires: Command;
  /**
   * The business refusals the command answers with, beyond what every order command may (the order not found
   * or in a state that takes no such command, and what every write route answers: api/openapi/document.ts).
   */
  errors: readonly DomainErrorCode[];
  update: UpdateDefinition<Ret, [Arg]>;
  arg: (x: CommandContext<z.infer<Body>, z.infer<Params>>) => Arg | Promise<Arg>;
  /** The response schema (documented) and how the update's result is answered. */
  response: { schema: z.ZodTypeAny; description: string; of?: (result: Ret) => unknown };
  /**
   * The order's workflow has ended in this state and the command may start it again with its state: a return or
   * allowance after the order completed, the revision of a rejected order.
   */
  reopens?: ReopenedFrom;
}

// The table holds rows of different bodies and updates; each row is checked where it is written (orderCommand).
export type AnyOrderCommandRow = OrderCommandRow<z.ZodObject, z.ZodObject, any, any>;

/** A row, type-checked against its own body, params and update. */
export const orderCommand = <Body extends z.ZodObject, Params extends z.ZodObject & { shape: { number: z.ZodTypeAny } }, Arg, Ret>(
  row: OrderCommandRow<Body, Params, Arg, Ret>,
): AnyOrderCommandRow => row as unknown as AnyOrderCommandRow;

/** Builds each row's route (its OpenAPI operation) and handler; registration order is the table's. */
export function registerOrderCommands(app: OpenAPIHono, deps: OrderServiceDeps, rows: readonly AnyOrderCommandRow[]): void {
  for (const row of rows) {
    const route = createRoute({
      method: 'post',
      path: `/{number}/${row.path}`,
      tags: row.tags ?? ['Orders'],
      summary: row.summary,
      'x-error-codes': ['NOT_FOUND', 'INVALID_STATE', ...row.errors],
      middleware: [requires(row.requires)] as const,
      request: { params: row.params, headers: ActorHeader, body: body(row.body) },
      responses: { 200: json(row.response.schema, row.response.description) },
    });
    app.openapi(route, async (c: Context) => {
      const params = (c.req as unknown as { valid(t: 'param'): { number: string } }).valid('param');
      const input = (c.req as unknown as { valid(t: 'json'): Record<string, unknown> }).valid('json');
      const key = scopedKey(c, row.path);
      const arg = await row.arg({ actor: actorOf(c), input, params, key, deps });
      const result = row.reopens
        ? await runReopeningCommand(deps, params.number, row.update, arg, key, row.reopens)
        : await runOrderCommand(deps, params.number, (wf) => wf.executeUpdate(row.update, { args: [arg], ...(key ? { updateId: key } : {}) }));
      return c.json((row.response.of ?? ((r: unknown) => r))(result) as object, 200);
    });
  }
}
