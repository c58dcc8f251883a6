import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Sql } from '../../db/client.js';
import { DomainError } from '../../domain/errors.js';
import { DocumentNumber, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import { auditOfOrder } from './record.js';

const AuditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    actorRole: z.string().nullable(),
    channel: z.enum(['api', 'chat']),
    platform: z.string().nullable(),
    command: z.string(),
    input: z.unknown(),
    outcome: z.string().openapi({ description: '`ok` or the error code that refused the command', example: 'ok' }),
    message: z.string().nullable(),
  })
  .openapi('AuditEntry');

const route = createRoute({
  method: 'get',
  path: '/{number}/audit',
  tags: ['Orders'],
  summary: 'The audit trail (操作留痕): every command on the order, who, when, through which channel, and its outcome',
  request: { params: z.object({ number: DocumentNumber() }) },
  responses: {
    200: { description: 'Oldest first', content: { 'application/json': { schema: z.object({ items: z.array(AuditEntrySchema) }) } } },
    ...errorResponses,
  },
});

export function auditRoutes(sql: Sql) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const { number } = c.req.valid('param');
    const [order] = await sql`SELECT 1 FROM sales_orders WHERE number = ${number}`;
    if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
    return c.json({ items: (await auditOfOrder(sql, number)) as z.infer<typeof AuditEntrySchema>[] }, 200);
  });
  return app;
}
