import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { toCsv } from '../api/reports/csv.js';
import { fetchApi, readApi, type ApiCall } from './api-call.js';
import { say, type View } from './i18n.js';
import type { ConsoleEnv } from './session.js';

/**
 * What the console exports, by the API path it reads. `api`: the route writes the CSV itself (?format=csv);
 * `columns`: a JSON list route, read page by page as the user and written with the API's own CSV helper.
 * Nothing else is fetched: the export is no proxy to the rest of the API.
 */
const EXPORTS: Readonly<Record<string, { api: true } | { columns: readonly string[] }>> = {
  'reports/expected-shipments': { api: true },
  'reports/sales-ranking': { api: true },
  'reports/customer-contribution': { api: true },
  'reports/gross-margin': { api: true },
  'reports/customer-sales-detail': { api: true },
  'reports/product-transactions': { api: true },
  'finance/stuck-payments': { api: true },
  'finance/aging': { api: true },
  'finance/statement': { api: true },
  'finance/journal': { api: true },
  'finance/trial-balance': { api: true },
  orders: { columns: ['number', 'status', 'customerCode', 'customerName', 'currency', 'gross', 'createdBy', 'createdAt'] },
  customers: {
    columns: ['code', 'name', 'region', 'industry', 'grade', 'approvalStatus', 'settlementTerms', 'settlementDays', 'billToCode', 'creditControl', 'creditLimit', 'creditOverrunRate', 'depositRatio', 'currency', 'invoiceMode', 'taxId', 'active'],
  },
  products: {
    columns: ['code', 'name', 'spec', 'unit', 'category', 'costPrice', 'listPrice', 'taxRate', 'priceFloorRate', 'overDeliveryRate', 'safetyStock', 'batchManaged', 'shelfLifeDays', 'active'],
  },
  warehouses: { columns: ['code', 'name', 'active'] },
  stock: { columns: ['productCode', 'warehouseCode', 'onHand', 'reserved', 'available', 'safetyStock'] },
  'stock/moves': { columns: ['id', 'createdAt', 'productCode', 'warehouseCode', 'kind', 'batchNo', 'expiryDate', 'onHandDelta', 'reservedDelta', 'documentNumber', 'reason'] },
  'stock/expiry-warnings': { columns: ['productCode', 'warehouseCode', 'batchNo', 'expiryDate', 'daysLeft', 'quantity', 'state'] },
  'prices/customer-prices': { columns: ['id', 'customerCode', 'productCode', 'unitPrice', 'effectiveFrom', 'effectiveTo', 'active'] },
  'numbering-rules': { columns: ['documentType', 'prefix', 'datePart', 'digits', 'separator'] },
};

/** Page size for reading a JSON list, and the most rows one export holds (more: narrow the filter). */
const READ_PAGE = 500;
export const EXPORT_MAX_ROWS = 20_000;

/** The console's own paging and the format are its business; every other filter goes to the API as it came. */
const NOT_PASSED = new Set(['page', 'size', 'format', 'limit', 'offset']);

function apiQuery(query: Record<string, string>): URLSearchParams {
  return new URLSearchParams(Object.entries(query).filter(([k, v]) => !NOT_PASSED.has(k) && v !== ''));
}

/** The CSV link of a list or report page: the same filters, served by the console with the user's session. */
export function exportHref(apiPath: string, query: Record<string, string | undefined>): string {
  if (!Object.hasOwn(EXPORTS, apiPath)) throw new Error(`${apiPath} is not an export the console serves`);
  const q = apiQuery(Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string')));
  const s = q.toString();
  return `/console/export/${apiPath}${s ? `?${s}` : ''}`;
}

export function ExportLink(props: { view: View; apiPath: string; query: Record<string, string | undefined> }) {
  return (
    <a href={exportHref(props.apiPath, props.query)} data-export="csv" download>
      {say(props.view.lang, { zh: '导出 CSV', en: 'Export CSV' })}
    </a>
  );
}

const csvHeaders = (fileName: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
});

/** GET /console/export/<api path>?<filters>: the API's answer as the signed-in user, as a file. */
export function exportRoutes(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/export/*', async (c) => {
    const apiPath = c.req.path.replace(/^.*?\/export\//, '');
    if (!Object.hasOwn(EXPORTS, apiPath)) return c.text('No such export.', 404);
    const spec = EXPORTS[apiPath]!;
    const session = c.get('session');
    const query = apiQuery(c.req.query());
    if ('api' in spec) {
      query.set('format', 'csv');
      const res = await fetchApi(deps.api, session, `/${apiPath}?${query}`);
      if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('text/csv')) return refusal(c, res);
      const disposition = res.headers.get('content-disposition') ?? csvHeaders(`${apiPath.replace(/\//g, '-')}.csv`)['content-disposition'];
      return c.body(await res.arrayBuffer(), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition });
    }
    const rows: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += READ_PAGE) {
      query.set('limit', String(READ_PAGE));
      query.set('offset', String(offset));
      const out = await readApi(deps.api, session, `/${apiPath}?${query}`);
      if (!out.ok) return c.text(`${out.error.code}: ${out.error.message}${out.error.field ? ` (${out.error.field})` : ''}`, out.status as ContentfulStatusCode);
      const page = out.body as { total: number; items: Record<string, unknown>[] };
      if (page.total > EXPORT_MAX_ROWS) return c.text(`TOO_MANY_ROWS: ${page.total} rows; an export holds at most ${EXPORT_MAX_ROWS}, narrow the filter.`, 422);
      rows.push(...page.items);
      if (page.items.length === 0 || rows.length >= page.total || offset + READ_PAGE >= page.total) break;
    }
    return c.body(toCsv(spec.columns, rows), 200, csvHeaders(`${apiPath.replace(/\//g, '-')}.csv`));
  });
  return app;
}

/** The API's refusal (403 for a role without the report, 400 for a filter it refuses) as plain text with its status. */
async function refusal(c: Context<ConsoleEnv>, res: Response): Promise<Response> {
  const parsed = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; field?: string | null } };
  const e = parsed.error ?? {};
  const status = res.ok ? 502 : res.status;
  return c.text(`${e.code ?? `HTTP_${status}`}: ${e.message ?? 'the API did not answer with CSV'}${e.field ? ` (${e.field})` : ''}`, status as ContentfulStatusCode);
}
