import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Sql } from '../../db/client.js';
import { CHANNELS } from '../../db/outbox/enqueue.js';
import { readRouting, saveRouting } from '../../db/outbox/routing.js';
import { ROLES } from '../../domain/authorization.js';
import { checkEscalationUser } from '../../domain/order/approval.js';
import { DomainError } from '../../domain/errors.js';
import { webhookAddressProblem } from '../../domain/webhooks.js';
import { SingleLine } from '../../contracts/text.js';
import { requires } from '../auth/authorize.js';
import { USER_NAME } from '../auth/tokens.js';
import { ActorHeader, body, errorResponses, json } from '../schemas.js';
import { validationHook } from '../validation.js';

const tags = ['Notifications'];
const UserName = z.string().regex(USER_NAME, 'a user name: letters, digits and . _ @ -, at most 64').openapi({ example: 'gm.huang' });
const Email = z.string().max(200).email('an email address such as wang@example.com').regex(/^[^\s@]+@[^\s@]+$/, 'an email address such as wang@example.com');
const WebhookUrl = z
  .string()
  .max(500)
  // Checked before parsing: a URL parser drops a line break or a tab silently, and the stored address would not be the one typed.
  .regex(/^[^\s\u0000-\u001f\u007f]+$/, 'a URL without spaces, line breaks or control characters')
  .url()
  .regex(/^https?:\/\//, 'an http(s) URL')
  .openapi({ example: 'https://oapi.dingtalk.com/robot/send?access_token=…' });

const Route = z
  .object({
    role: z.enum(ROLES),
    channel: z.enum(CHANNELS),
    webhookUrl: WebhookUrl.nullable().openapi({ description: "A chat channel's group robot webhook; null for email (each user's own address)" }),
  })
  .strict()
  .refine((r) => (r.channel === 'email') === (r.webhookUrl === null), { message: 'email takes no webhookUrl; a chat channel needs one', path: ['webhookUrl'] });

const ContactRoleList = z.array(SingleLine(100)).max(20);
const RoutingBody = z
  .object({
    routes: z
      .array(Route)
      .max(50)
      .refine((rs) => new Set(rs.map((r) => `${r.role} ${r.channel}`)).size === rs.length, 'each role and channel at most once'),
    escalationUser: UserName.nullable().openapi({ description: 'Who an overdue approval escalates to; null: the next approver up' }),
    contactRoles: z
      .object({ dunning: ContactRoleList, shipment_notice: ContactRoleList })
      .strict()
      .openapi({ description: "Which customer contacts (by their role) get dunning and shipment notices; an empty list: every contact with an email" }),
  })
  .strict()
  .openapi('NotificationRoutingBody', {
    example: {
      routes: [{ role: 'approver', channel: 'email', webhookUrl: null }, { role: 'approver', channel: 'slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' }],
      escalationUser: 'gm.huang',
      contactRoles: { dunning: ['finance', '财务'], shipment_notice: ['receiving'] },
    },
  });

const UserContactBody = z
  .object({
    email: Email.nullable().openapi({ example: 'wang@example.com' }),
    language: z.enum(['zh', 'en']).openapi({ description: 'The language of their mails and chat messages', example: 'zh' }),
  })
  .strict()
  .openapi('UserContactBody');

const RoutingView = z
  .object({
    routes: z.array(z.object({ role: z.string(), channel: z.enum(CHANNELS), webhookUrl: z.string().nullable() })),
    escalationUser: z.string().nullable(),
    contactRoles: z.object({ dunning: z.array(z.string()), shipment_notice: z.array(z.string()) }),
    users: z.array(z.object({ name: z.string(), role: z.string(), email: z.string().nullable(), language: z.enum(['zh', 'en']) })),
  })
  .openapi('NotificationRouting');

const answer = { 200: json(RoutingView, 'The routing and every user’s address, after the change'), ...errorResponses };
const routes = {
  view: createRoute({
    method: 'get', path: '/', tags, summary: 'Who gets which message where: roles to channels, the escalation user, customer contact roles, users’ addresses',
    responses: { 200: json(RoutingView, 'The routing and every user’s address'), ...errorResponses },
  }),
  save: createRoute({
    method: 'put', path: '/', tags, summary: 'Replace the routing: roles to channels (chat by group webhook), the escalation user, customer contact roles',
    request: { headers: ActorHeader, body: body(RoutingBody) }, responses: answer,
  }),
  user: createRoute({
    method: 'put', path: '/users/{name}', tags, summary: "Set a user's email address and message language",
    request: { headers: ActorHeader, params: z.object({ name: UserName.openapi({ param: { name: 'name', in: 'path' }, example: 'manager.wang' }) }), body: body(UserContactBody) },
    responses: answer,
  }),
};

async function view(sql: Sql) {
  const [routing, users] = await Promise.all([
    readRouting(sql),
    sql<{ name: string; role: string; email: string | null; language: 'zh' | 'en' }[]>`SELECT name, role, email, language FROM users ORDER BY name`,
  ]);
  return { ...routing, users: [...users] };
}

/**
 * 通知设置: the outbox's routing as data; admin only, every change audited by the audit middleware. A chat webhook
 * must point outside the company's network (domain/webhooks.ts) unless `internalHostsAllowed` (a local receiver in
 * development and tests).
 */
export function notificationRoutes(sql: Sql, options: { internalHostsAllowed?: boolean | undefined } = {}) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.use('*', requires('manageNotifications'));
  app.openapi(routes.view, async (c) => c.json(await view(sql), 200));
  app.openapi(routes.save, async (c) => {
    const routing = c.req.valid('json');
    if (!options.internalHostsAllowed) {
      routing.routes.forEach((r, i) => {
        const problem = r.webhookUrl === null ? undefined : webhookAddressProblem(r.webhookUrl);
        if (problem) throw new DomainError('VALIDATION_FAILED', `routes[${i}].webhookUrl: ${problem}`, `routes[${i}].webhookUrl`);
      });
    }
    await sql.begin(async (tx) => {
      if (routing.escalationUser) {
        const [user] = await tx<{ role: string; approves: boolean }[]>`
          SELECT u.role, EXISTS (SELECT 1 FROM approvers a WHERE a.user_name = u.name AND a.active) AS approves
          FROM users u WHERE u.name = ${routing.escalationUser} AND u.active`;
        if (!user) throw new DomainError('NOT_FOUND', `no active user ${routing.escalationUser}`, 'escalationUser');
        checkEscalationUser({ name: routing.escalationUser, ...user });
      }
      await saveRouting(tx, routing);
    });
    return c.json(await view(sql), 200);
  });
  app.openapi(routes.user, async (c) => {
    const { name } = c.req.valid('param');
    const { email, language } = c.req.valid('json');
    const updated = await sql`UPDATE users SET email = ${email}, language = ${language} WHERE name = ${name} RETURNING 1`;
    if (updated.length === 0) throw new DomainError('NOT_FOUND', `no user ${name}`, 'name');
    return c.json(await view(sql), 200);
  });
  return app;
}
