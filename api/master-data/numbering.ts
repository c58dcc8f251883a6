import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DomainError } from '../../domain/errors.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { body, Item, json, ListResult } from './route-kit.js';
import { NumberingRuleBody } from './schemas.js';

const tags = ['Numbering'];
const TypeParam = z.object({ documentType: z.string().regex(/^[a-z_]{2,40}$/, 'a document type such as sales_order') });
const routes = {
  list: createRoute({
    method: 'get', path: '/', tags, summary: 'Numbering rules per document type (编码原则) with their counters',
    responses: { 200: json(ListResult, 'Rules') },
  }),
  update: createRoute({
    method: 'put', path: '/{documentType}', tags, summary: 'Change a rule (prefix, date part, digits, separator)',
    request: { params: TypeParam, headers: ActorHeader, body: body(NumberingRuleBody) },
    responses: { 200: json(Item, 'The rule'), ...errorResponses },
  }),
};

export function numberingRoutes({ sql }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const list = async () => {
    const rows = await sql`
      SELECT r.document_type AS "documentType", r.prefix, r.date_part AS "datePart", r.digits, r.separator,
             coalesce((SELECT jsonb_object_agg(period, last_number) FROM numbering_counters n WHERE n.document_type = r.document_type), '{}') AS "lastNumbers"
      FROM numbering_rules r ORDER BY r.document_type`;
    return { total: rows.length, items: [...rows] };
  };
  app.openapi(routes.list, async (c) => c.json(await list(), 200));
  app.openapi(routes.update, async (c) => {
    const { documentType } = c.req.valid('param');
    const r = c.req.valid('json');
    const [row] = await sql`
      UPDATE numbering_rules SET prefix = ${r.prefix}, date_part = ${r.datePart}, digits = ${r.digits}, separator = ${r.separator}
      WHERE document_type = ${documentType}
      RETURNING document_type AS "documentType", prefix, date_part AS "datePart", digits, separator`;
    if (!row) throw new DomainError('NOT_FOUND', `no numbering rule for ${documentType}`, 'documentType');
    return c.json({ ...row }, 200);
  });
  return app;
}
