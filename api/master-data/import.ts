import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { importRecords } from '../../db/import.js';
import { readImportFile, templateCsv, templateXlsx, XLSX_TYPE } from '../../db/import-file.js';
import { IMPORT_TEMPLATES, type ImportKind } from '../../db/import-templates.js';
import { IMPORT_MAX_BYTES as MAX_BYTES } from '../body-limit.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { json } from './route-kit.js';

const tags = ['Import'];
const KindParam = z.object({ kind: z.enum(Object.keys(IMPORT_TEMPLATES) as [ImportKind, ...ImportKind[]]) });
const TemplateQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv').openapi({ description: 'csv: CSV UTF-8 with a BOM; xlsx: an Excel workbook, every column as text' }),
});
const FileBody = z.string().openapi({ format: 'binary' });

const routes = {
  template: createRoute({
    method: 'get', path: '/{kind}/template', tags, summary: 'The template of a kind, as CSV or .xlsx: its columns and one example row',
    request: { params: KindParam, query: TemplateQuery },
    responses: {
      200: { content: { 'text/csv': { schema: z.string() }, [XLSX_TYPE]: { schema: FileBody } }, description: 'The template file' },
      ...errorResponses,
    },
  }),
  run: createRoute({
    method: 'post', path: '/{kind}', tags,
    summary:
      'Import a file (批量导入): .xlsx (first sheet) or CSV in UTF-8 or GB18030 (Excel\'s "CSV" in China; say `charset` in the content type, or it is detected); ' +
      'all rows or none; 422 IMPORT_REJECTED lists each bad row with line (the sheet row), field and reason',
    request: {
      params: KindParam,
      headers: ActorHeader,
      body: { content: { 'text/csv': { schema: FileBody }, [XLSX_TYPE]: { schema: FileBody } }, required: true },
    },
    responses: {
      201: json(z.object({ importId: z.string(), kind: z.string(), rows: z.number() }), 'Every row was imported'),
      ...errorResponses,
    },
  }),
};

const charsetOf = (contentType: string | undefined) => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];

export function importRoutes({ sql, timeZone, now }: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(routes.template, async (c) => {
    const { kind } = c.req.valid('param');
    if (c.req.valid('query').format === 'xlsx') {
      c.header('content-disposition', `attachment; filename="${kind}-template.xlsx"`);
      return c.body(new Uint8Array(await templateXlsx(kind)), 200, { 'content-type': XLSX_TYPE });
    }
    c.header('content-disposition', `attachment; filename="${kind}-template.csv"`);
    return c.body(templateCsv(kind), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
  app.openapi(routes.run, async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length > MAX_BYTES) throw new DomainError('VALIDATION_FAILED', 'the file is larger than 50 MB; split it', 'body');
    const records = await readImportFile(bytes, charsetOf(c.req.header('content-type')));
    const result = await importRecords(sql, c.req.valid('param').kind, records, c.get('user'), businessDate(now(), timeZone));
    return c.json(result, 201);
  });
  return app;
}
