import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { money, numericText } from '../../domain/decimal.js';
import { creditSettings, saveCreditSettings } from '../../db/settings.js';
import type { Sql } from '../../db/client.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, json } from './route-kit.js';
import { CreditSettingsBody } from './schemas.js';

const tags = ['Settings'];
const routes = {
  get: createRoute({
    method: 'get', path: '/credit', tags, summary: 'Credit control: where it runs, block or warn, the company limit',
    responses: { 200: json(CreditSettingsBody, 'Credit settings') },
  }),
  put: createRoute({
    method: 'put', path: '/credit', tags, summary: 'Change credit control settings',
    request: { headers: ActorHeader, body: body(CreditSettingsBody) }, responses: { 200: json(CreditSettingsBody, 'Credit settings'), ...errorResponses },
  }),
};

async function view(sql: Sql) {
  const s = await creditSettings(sql);
  return {
    checkPoints: s.checkPoints,
    onBreach: s.onBreach,
    defaultLimit: money(s.companyTerms.limit),
    defaultOverrunRate: numericText(s.companyTerms.overrunRate.toFixed()),
  };
}

export function settingsRoutes({ sql }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.get, async (c) => c.json(await view(sql), 200));
  app.openapi(routes.put, async (c) => {
    await saveCreditSettings(sql, c.req.valid('json'));
    return c.json(await view(sql), 200);
  });
  return app;
}
