import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { importCsv } from '../../db/import.js';
import { IMPORT_TEMPLATES, importTemplate, type ImportKind } from '../../db/import-templates.js';
import { IMPORT_MAX_BYTES as MAX_BYTES } from '../body-limit.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { json } from './route-kit.js';

const tags = ['Import'];
const KindParam = z.object({ kind: z.enum(Object.keys(IMPORT_TEMPLATES) as [ImportKind, ...ImportKind[]]) });

const routes = {
  template: createRoute({
    method: 'get', path: '/{kind}/template', tags, summary: 'The CSV template of a kind: its columns and one example row',
    request: { params: KindParam },
    responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV template' }, ...errorResponses },
  }),
  run: createRoute({
    method: 'post', path: '/{kind}', tags,
    summary: 'Import a CSV file (批量导入): all rows or none; 422 IMPORT_REJECTED lists each bad row with line, field and reason',
    request: { params: KindParam, headers: ActorHeader, body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
    responses: {
      201: json(z.object({ importId: z.string(), kind: z.string(), rows: z.number() }), 'Every row was imported'),
      ...errorResponses,
    },
  }),
};

export function importRoutes({ sql, timeZone, now }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.template, async (c) => {
    const { kind } = c.req.valid('param');
    c.header('content-disposition', `attachment; filename="${kind}-template.csv"`);
    return c.body(importTemplate(kind), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
  app.openapi(routes.run, async (c) => {
    const text = await c.req.text();
    if (text.length > MAX_BYTES) throw new DomainError('VALIDATION_FAILED', 'the file is larger than 50 MB; split it', 'body');
    const result = await importCsv(sql, c.req.valid('param').kind, text, c.get('user').name, businessDate(now(), timeZone));
    return c.json(result, 201);
  });
  return app;
}
