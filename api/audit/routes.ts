import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { auditOfOrder, listAudit } from '../../db/audit.js';
import type { Sql } from '../../db/client.js';
import { DomainError } from '../../domain/errors.js';
import { requires } from '../auth/authorize.js';
import { DocumentNumber, errorResponses, Paging, SingleLine } from '../schemas.js';
import { validationHook } from '../validation.js';

const AuditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    actorRole: z.string().nullable(),
    channel: z.enum(['api', 'chat', 'cli', 'console']).openapi({ description: 'cli: an operator command (npm run token:create, chat:link); console: a form of the web console' }),
    platform: z.string().nullable(),
    command: z.string().openapi({ description: "An order's command by its verb (`approve`, `changes.approve`); any other as `METHOD /route`" }),
    orderNumber: z.string().nullable(),
    path: z.string().nullable().openapi({ description: 'The path the command was sent to (names the document of a command that is not an order’s)' }),
    input: z.unknown().openapi({ description: 'The validated input, bounded to about 16 KB' }),
    outcome: z
      .string()
      .openapi({ description: '`ok`, the error code that refused the command, or `pending` while it runs (or when its outcome could not be written)', example: 'ok' }),
    message: z.string().nullable(),
  })
  .openapi('AuditEntry');
const Items = z.object({ items: z.array(AuditEntrySchema) });
const OrderItems = Items.extend({ total: z.number().int() });

const routes = {
  order: createRoute({
    method: 'get',
    path: '/orders/{number}/audit',
    tags: ['Orders'],
    summary: 'The audit trail (操作留痕): every command on the order, who, when, through which channel, and its outcome',
    description:
      'Only what was sent while the order existed: a command sent to its number before the order had it (or answered NOT_FOUND) is not the order\'s. ' +
      'A page at a time, oldest first; `total` counts them all.',
    request: { params: z.object({ number: DocumentNumber() }), query: Paging },
    responses: { 200: { description: 'Oldest first', content: { 'application/json': { schema: OrderItems } } }, ...errorResponses },
  }),
  all: createRoute({
    method: 'get',
    path: '/audit',
    tags: ['Audit'],
    summary: 'Every command of every user (admin): master data, finance, settings, tokens as well as orders',
    middleware: [requires('readAudit')] as const,
    request: { query: Paging.extend({ command: SingleLine(200).optional(), actor: SingleLine(100).optional() }) },
    responses: { 200: { description: 'Newest first', content: { 'application/json': { schema: Items } } }, ...errorResponses },
  }),
};

export function auditRoutes(sql: Sql) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.order, async (c) => {
    const { number } = c.req.valid('param');
    const [order] = await sql`SELECT 1 FROM sales_orders WHERE number = ${number}`;
    if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    const { rows, total } = await auditOfOrder(sql, number, c.req.valid('query'));
    return c.json({ items: rows as z.infer<typeof AuditEntrySchema>[], total }, 200);
  });
  app.openapi(routes.all, async (c) => c.json({ items: (await listAudit(sql, c.req.valid('query'))) as z.infer<typeof AuditEntrySchema>[] }, 200));
  return app;
}
