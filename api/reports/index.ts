import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Sql } from '../../db/client.js';
import type { ReportPage } from '../../db/reports/common.js';
import { customerSalesDetail } from '../../db/reports/customer-sales-detail.js';
import { expectedShipments } from '../../db/reports/expected-shipments.js';
import { productTransactions } from '../../db/reports/product-transactions.js';
import { salesBy, type SalesGroup } from '../../db/reports/sales-by.js';
import { Code, errorResponses, IsoDate, SingleLine } from '../schemas.js';
import { validationHook } from '../validation.js';
import { attachment, toCsv } from './csv.js';

/** A CSV export holds every matching row, up to this many; JSON is paged. */
export const CSV_MAX_ROWS = 100_000;

const Common = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: every matching row as a CSV file (paging ignored)' }),
  from: IsoDate.optional().openapi({ description: 'first business date, inclusive' }),
  to: IsoDate.optional().openapi({ description: 'last business date, inclusive' }),
});
const By = z.enum(['product', 'customer']).default('product');
/** Whose sales: the order's salesperson (业务员) and department (部门). */
const Team = {
  salesperson: SingleLine(64).optional().openapi({ description: "only orders credited to this salesperson (the order's 业务员)" }),
  department: SingleLine(60).optional().openapi({ description: 'only orders of this department (部门)' }),
};

const ReportResponse = z
  .object({
    basis: z
      .object({ zh: z.string(), en: z.string() })
      .openapi({ description: 'What the figures count: which documents, net or gross, by which date, at which cost' }),
    total: z.number().int(),
    items: z.array(z.record(z.string(), z.unknown())),
    totals: z.record(z.string(), z.string()).optional(),
  })
  .openapi('Report');

/** A period that ends before it starts is a mistake to name (as the statement and the journal do), not an empty report. */
const inOrder = <Q extends z.ZodObject>(query: Q) =>
  query.refine((q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to, { message: 'the period ends before it starts', path: ['to'] });

function reportRoute<Q extends z.ZodObject>(path: string, summary: string, shape: Q) {
  const query = inOrder(shape);
  return createRoute({
    method: 'get',
    path,
    tags: ['Reports'],
    summary,
    request: { query },
    responses: {
      200: {
        description: `${summary}; ?format=csv gives text/csv`,
        content: { 'application/json': { schema: ReportResponse }, 'text/csv': { schema: z.string() } },
      },
      400: errorResponses[400],
      422: { ...errorResponses[422], description: 'A customer, product or warehouse filtered by does not exist (UNKNOWN_CUSTOMER, UNKNOWN_PRODUCT, UNKNOWN_WAREHOUSE; `field` names it)' },
    },
  });
}

type Row = Record<string, unknown>;

/** Answers JSON (one page) or CSV (every matching row, with `columns` as its header and column order). */
async function answer<R>(
  c: Context,
  name: string,
  q: { limit: number; offset: number; format: 'json' | 'csv' },
  columns: readonly string[],
  run: (paging: { limit: number; offset: number }) => Promise<ReportPage<R>>,
  shape: (r: R) => Row = (r) => r as Row,
) {
  if (q.format === 'csv') {
    const page = await run({ limit: CSV_MAX_ROWS, offset: 0 });
    return c.body(toCsv(columns, page.items.map(shape)), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachment(`${name}.csv`),
    });
  }
  const page = await run({ limit: q.limit, offset: q.offset });
  if (page.items.length === 0 && q.offset > 0) {
    // Past the last page: the counts come with the rows, so read the first one for the total and the totals.
    const first = await run({ limit: 1, offset: 0 });
    return c.json({ ...first, items: [] }, 200);
  }
  return c.json({ ...page, items: page.items.map(shape) }, 200);
}

const pick = (keys: readonly string[]) => (r: SalesGroup) => Object.fromEntries(keys.map((k) => [k, (r as unknown as Row)[k] ?? null]));

const routes = {
  expectedShipments: reportRoute(
    '/expected-shipments',
    '预计出货表 Expected shipments: open undelivered quantity per order line, by expected delivery date (预交货日)',
    Common.extend({
      from: IsoDate.optional().openapi({ description: 'first expected delivery date (预交货日), inclusive' }),
      to: IsoDate.optional().openapi({ description: 'last expected delivery date (预交货日), inclusive' }),
      customerCode: Code.optional(),
      productCode: Code.optional(),
      ...Team,
    }),
  ),
  customerSalesDetail: reportRoute(
    '/customer-sales-detail',
    '客户销货明细表 Customer sales detail: deliveries, returns and allowances (with their credit notes) of one customer, to reconcile with its statement',
    Common.extend({ customerCode: Code, ...Team }),
  ),
  productTransactions: reportRoute(
    '/product-transactions',
    '历史交易记录表 Transaction history of one product: stock moves, documents, balances',
    Common.extend({ productCode: Code, warehouseCode: Code.optional() }),
  ),
  salesRanking: reportRoute('/sales-ranking', 'Sales ranking by product or customer, by net sales (delivered less returns and allowances)', Common.extend({ by: By, ...Team })),
  customerContribution: reportRoute('/customer-contribution', 'Customer contribution: share of total net sales (delivered less returns and allowances)', Common.extend(Team)),
  grossMargin: reportRoute(
    '/gross-margin',
    'Gross margin by product or customer: net sales − cost (a return takes back its delivery\'s cost; an allowance only lowers net)',
    Common.extend({ by: By, ...Team }),
  ),
};

const SHIPMENT_COLUMNS = ['expectedDeliveryDate', 'orderDate', 'orderNumber', 'orderStatus', 'customerCode', 'customerName', 'salesperson', 'department', 'lineNo', 'productCode', 'productName', 'warehouseCode', 'orderedQty', 'deliveredQty', 'openQty', 'unitPrice', 'openNet'] as const;
const SALES_DETAIL_COLUMNS = ['date', 'kind', 'document', 'deliveryNote', 'creditNote', 'orderNumber', 'orderLineNo', 'productCode', 'productName', 'unit', 'quantity', 'unitPrice', 'net', 'tax', 'gross', 'currency', 'documentGross'] as const;
const TRANSACTION_COLUMNS = ['at', 'date', 'warehouseCode', 'kind', 'document', 'customerCode', 'onHandChange', 'reservedChange', 'onHandAfter', 'reservedAfter'] as const;
const RANKING_COLUMNS = { product: ['rank', 'code', 'name', 'quantity', 'net'], customer: ['rank', 'code', 'name', 'net'] } as const;
const CONTRIBUTION_COLUMNS = ['rank', 'code', 'name', 'net', 'sharePercent', 'cumulativeSharePercent'] as const;
const MARGIN_COLUMNS = ['code', 'name', 'net', 'cost', 'margin', 'marginPercent'] as const;

/** 常用报表: read-only reports from Postgres, each with filters, paging and ?format=csv. */
export function reportRoutes(deps: { sql: Sql; timeZone: string }) {
  const { sql, timeZone } = deps;
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(routes.expectedShipments, async (c) => {
    const q = c.req.valid('query');
    return answer(c, 'expected-shipments', q, SHIPMENT_COLUMNS, (p) => expectedShipments(sql, timeZone, { ...q, ...p })) as never;
  });
  app.openapi(routes.customerSalesDetail, async (c) => {
    const q = c.req.valid('query');
    return answer(c, `customer-sales-detail-${q.customerCode}`, q, SALES_DETAIL_COLUMNS, (p) => customerSalesDetail(sql, timeZone, { ...q, ...p })) as never;
  });
  app.openapi(routes.productTransactions, async (c) => {
    const q = c.req.valid('query');
    return answer(c, `product-transactions-${q.productCode}`, q, TRANSACTION_COLUMNS, (p) => productTransactions(sql, timeZone, { ...q, ...p })) as never;
  });
  app.openapi(routes.salesRanking, async (c) => {
    const q = c.req.valid('query');
    const columns = RANKING_COLUMNS[q.by];
    return answer(c, `sales-ranking-by-${q.by}`, q, columns, (p) => salesBy(sql, timeZone, { ...q, ...p }), pick(columns)) as never;
  });
  app.openapi(routes.customerContribution, async (c) => {
    const q = c.req.valid('query');
    return answer(c, 'customer-contribution', q, CONTRIBUTION_COLUMNS, (p) => salesBy(sql, timeZone, { ...q, by: 'customer', ...p }), pick(CONTRIBUTION_COLUMNS)) as never;
  });
  app.openapi(routes.grossMargin, async (c) => {
    const q = c.req.valid('query');
    return answer(c, `gross-margin-by-${q.by}`, q, MARGIN_COLUMNS, (p) => salesBy(sql, timeZone, { ...q, ...p }), pick(MARGIN_COLUMNS)) as never;
  });
  return app;
}
