import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CsvRecord } from '../../domain/csv.js';
import { businessDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { importRecords } from '../../db/import.js';
import { readImportFile, templateCsv, templateXlsx, XLSX_TYPE } from '../../db/import-file.js';
import { IMPORT_TEMPLATES, MASTER_IMPORT_KINDS, type ImportKind } from '../../db/import-templates.js';
import { IMPORT_MAX_BYTES as MAX_BYTES } from '../body-limit.js';
import { ActorHeader, errorResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import type { MasterDataDeps } from './index.js';
import { json } from './route-kit.js';

const tags = ['Import'];
const TemplateKindParam = z.object({ kind: z.enum(Object.keys(IMPORT_TEMPLATES) as [ImportKind, ...ImportKind[]]) });
// Opening orders and stock counts are imported where their documents are made (POST /orders/opening/import, /stock/counts/import).
const KindParam = z.object({ kind: z.enum(MASTER_IMPORT_KINDS) });
const TemplateQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv').openapi({ description: 'csv: CSV UTF-8 with a BOM; xlsx: an Excel workbook, every column as text' }),
});
const FileBody = z.string().openapi({ format: 'binary' });

/** An import's request body: the file as .xlsx or CSV (UTF-8 or GB18030), for every import route. */
export const importFileBody = { content: { 'text/csv': { schema: FileBody }, [XLSX_TYPE]: { schema: FileBody } }, required: true } as const;

const charsetOf = (contentType: string | undefined) => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];

/** The uploaded file as records, refused over 50 MB or when unreadable (IMPORT_REJECTED naming the line). */
export async function readUpload(c: Context): Promise<CsvRecord[]> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > MAX_BYTES) throw new DomainError('VALIDATION_FAILED', 'the file is larger than 50 MB; split it', 'body');
  return readImportFile(bytes, charsetOf(c.req.header('content-type')));
}

const routes = {
  template: createRoute({
    method: 'get', path: '/{kind}/template', tags, summary: 'The template of a kind, as CSV or .xlsx: its columns and one example row',
    request: { params: TemplateKindParam, query: TemplateQuery },
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
      body: importFileBody,
    },
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
    if (c.req.valid('query').format === 'xlsx') {
      c.header('content-disposition', `attachment; filename="${kind}-template.xlsx"`);
      return c.body(new Uint8Array(await templateXlsx(kind)), 200, { 'content-type': XLSX_TYPE });
    }
    c.header('content-disposition', `attachment; filename="${kind}-template.csv"`);
    return c.body(templateCsv(kind), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
  app.openapi(routes.run, async (c) => {
    const records = await readUpload(c);
    const result = await importRecords(sql, c.req.valid('param').kind, records, c.get('user'), businessDate(now(), timeZone));
    return c.json(result, 201);
  });
  return app;
}
