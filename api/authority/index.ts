import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  addCreditController,
  readAuthority,
  removeApprover,
  removeCreditController,
  removeFinanceApprover,
  setApprover,
  setFinanceApprover,
  setSeniorThreshold,
  setUserRole,
} from '../../db/authority.js';
import type { Sql } from '../../db/client.js';
import { ROLES } from '../../domain/authorization.js';
import { requires } from '../auth/authorize.js';
import { USER_NAME } from '../auth/tokens.js';
import { ActorHeader, body, errorResponses, json, PositiveMoney } from '../schemas.js';
import { validationHook } from '../validation.js';

const tags = ['Authority'];
const UserName = z.string().regex(USER_NAME, 'a user name: letters, digits and . _ @ -, at most 64').openapi({ example: 'manager.wang' });
const NameParam = z.object({ name: UserName.openapi({ param: { name: 'name', in: 'path' } }) });
const Limit = PositiveMoney.nullable().openapi({ description: 'Above this amount the approval does not count; null: no limit', example: '1000000.00' });

const UserAuthoritySchema = z
  .object({
    name: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
    approver: z.object({ senior: z.boolean(), maxAmount: z.string().nullable() }).nullable(),
    creditController: z.boolean(),
    financeApprover: z.object({ maxAmount: z.string().nullable() }).nullable(),
  })
  .openapi('UserAuthority');
const AuthorityView = z
  .object({
    users: z.array(UserAuthoritySchema),
    seniorThreshold: z.string().nullable().openapi({ description: 'Orders above this gross need the senior approval', example: '100000.00' }),
  })
  .openapi('Authority');

const RoleBody = z.object({ role: z.enum(ROLES).openapi({ example: 'approver' }) }).strict();
const ApproverBody = z
  .object({
    senior: z.boolean().openapi({ description: 'A senior approver (director) gives the senior approval, or the ordinary one', example: false }),
    maxAmount: Limit,
  })
  .strict();
const FinanceApproverBody = z.object({ maxAmount: Limit.openapi({ description: 'The largest write-off they may approve; null: no limit', example: '50000.00' }) }).strict();
const ThresholdBody = z.object({ amount: PositiveMoney.openapi({ description: 'Orders whose gross is above this need the senior approval', example: '100000.00' }) }).strict();
const CreditControllerBody = z.object({ user: UserName }).strict();

const answer = { 200: json(AuthorityView, 'Every user with their role and authority, after the change'), ...errorResponses };
const named = { headers: ActorHeader, params: NameParam };

const routes = {
  view: createRoute({
    method: 'get', path: '/', tags, summary: 'Users with their role and approval authority, and the senior-approval threshold (权限)',
    responses: { 200: json(AuthorityView, 'Every user with their role and authority'), ...errorResponses },
  }),
  role: createRoute({
    method: 'put', path: '/users/{name}/role', tags, summary: "Set a user's role (an admin cannot remove their own admin role)",
    request: { ...named, body: body(RoleBody) }, responses: answer,
  }),
  approver: createRoute({
    method: 'put', path: '/approvers/{name}', tags, summary: 'Make a user an order approver (ordinary or senior) with an amount limit, or change it',
    request: { ...named, body: body(ApproverBody) }, responses: answer,
  }),
  removeApprover: createRoute({
    method: 'delete', path: '/approvers/{name}', tags, summary: "Take away a user's order approval authority",
    request: named, responses: answer,
  }),
  threshold: createRoute({
    method: 'put', path: '/senior-threshold', tags, summary: 'Set the amount above which an order needs the senior approval (edits that approval rule)',
    request: { headers: ActorHeader, body: body(ThresholdBody) }, responses: answer,
  }),
  addCredit: createRoute({
    method: 'post', path: '/credit-controllers', tags, summary: 'Make a user a credit controller (approves orders whose checks failed)',
    request: { headers: ActorHeader, body: body(CreditControllerBody) }, responses: answer,
  }),
  removeCredit: createRoute({
    method: 'delete', path: '/credit-controllers/{name}', tags, summary: 'Take away a credit controller',
    request: named, responses: answer,
  }),
  finance: createRoute({
    method: 'put', path: '/finance-approvers/{name}', tags, summary: 'Make a user a finance approver (decides write-offs) with the largest write-off they may approve',
    request: { ...named, body: body(FinanceApproverBody) }, responses: answer,
  }),
  removeFinance: createRoute({
    method: 'delete', path: '/finance-approvers/{name}', tags, summary: 'Take away a finance approver',
    request: named, responses: answer,
  }),
};

/** 权限管理: who holds which role and authority; admin only, every change audited by the audit middleware. */
export function authorityRoutes(sql: Sql) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.use('*', requires('manageAuthority'));
  const view = async () => readAuthority(sql);
  app.openapi(routes.view, async (c) => c.json(await view(), 200));
  app.openapi(routes.role, async (c) => {
    await setUserRole(sql, c.get('user').name, c.req.valid('param').name, c.req.valid('json').role);
    return c.json(await view(), 200);
  });
  app.openapi(routes.approver, async (c) => {
    await setApprover(sql, c.req.valid('param').name, c.req.valid('json'));
    return c.json(await view(), 200);
  });
  app.openapi(routes.removeApprover, async (c) => {
    await removeApprover(sql, c.req.valid('param').name);
    return c.json(await view(), 200);
  });
  app.openapi(routes.threshold, async (c) => {
    await setSeniorThreshold(sql, c.req.valid('json').amount);
    return c.json(await view(), 200);
  });
  app.openapi(routes.addCredit, async (c) => {
    await addCreditController(sql, c.req.valid('json').user);
    return c.json(await view(), 200);
  });
  app.openapi(routes.removeCredit, async (c) => {
    await removeCreditController(sql, c.req.valid('param').name);
    return c.json(await view(), 200);
  });
  app.openapi(routes.finance, async (c) => {
    await setFinanceApprover(sql, c.req.valid('param').name, c.req.valid('json'));
    return c.json(await view(), 200);
  });
  app.openapi(routes.removeFinance, async (c) => {
    await removeFinanceApprover(sql, c.req.valid('param').name);
    return c.json(await view(), 200);
  });
  return app;
}
