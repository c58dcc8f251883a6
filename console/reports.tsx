import { Hono } from 'hono';
import type { Lang, Words } from './i18n.js';
import { label, say } from './i18n.js';
import type { ApiCall } from './api-call.js';
import { ExportLink } from './export.js';
import { Layout, RowsTable } from './layout.js';
import { money } from './format.js';
import { worded } from './master-data/choices.js';
import { Pager, pagingOf, readApiList, type ListPage } from './pager.js';
import type { ConsoleEnv } from './session.js';

/** A filter's query key, its input, and the dictionary key of its label when that is not the query key. */
type Filter = { key: string; type: 'date' | 'text' | 'by'; required?: boolean; label?: string };

interface ReportSpec {
  /** The API path under /reports and the console's address under /console/reports. */
  name: string;
  title: Words;
  filters: readonly Filter[];
  columns: (by: string) => readonly string[];
  /** The totals the API sums over every matching row, in order. */
  totals: readonly string[];
  link?: (row: Record<string, unknown>, col: string) => string | undefined;
  /** Codes of this report shown in words before the table formats them. */
  words?: (lang: Lang, row: Record<string, unknown>) => Record<string, unknown>;
}

const PERIOD: readonly Filter[] = [{ key: 'from', type: 'date' }, { key: 'to', type: 'date' }];
/** Whose sales (the order's 业务员 and 部门): every report built on orders takes both. */
const TEAM: readonly Filter[] = [{ key: 'salesperson', type: 'text' }, { key: 'department', type: 'text' }];
const orderLink = (row: Record<string, unknown>, col: string) => (col === 'orderNumber' ? `/console/orders/${String(row.orderNumber)}` : undefined);

/** The six reports (db/reports/), each read through its API route as the signed-in user. */
export const REPORTS: readonly ReportSpec[] = [
  {
    name: 'expected-shipments',
    title: { zh: '预计出货表', en: 'Expected shipments' },
    filters: [
      { key: 'from', type: 'date', label: 'expectedFrom' },
      { key: 'to', type: 'date', label: 'expectedTo' },
      { key: 'customerCode', type: 'text' },
      { key: 'productCode', type: 'text' },
      ...TEAM,
    ],
    columns: () => ['expectedDeliveryDate', 'orderDate', 'orderNumber', 'orderStatus', 'customerCode', 'salesperson', 'department', 'lineNo', 'productCode', 'warehouseCode', 'orderedQty', 'deliveredQty', 'openQty', 'unitPrice', 'openNet'],
    totals: ['openNet'],
    link: orderLink,
  },
  {
    name: 'sales-ranking',
    title: { zh: '销售排行', en: 'Sales ranking' },
    filters: [...PERIOD, { key: 'by', type: 'by' }, ...TEAM],
    columns: (by) => (by === 'customer' ? ['rank', 'code', 'name', 'net'] : ['rank', 'code', 'name', 'quantity', 'net']),
    totals: ['net', 'cost', 'margin'],
  },
  {
    name: 'customer-contribution',
    title: { zh: '客户贡献', en: 'Customer contribution' },
    filters: [...PERIOD, ...TEAM],
    columns: () => ['rank', 'code', 'name', 'net', 'sharePercent', 'cumulativeSharePercent'],
    totals: ['net'],
  },
  {
    name: 'gross-margin',
    title: { zh: '毛利分析', en: 'Gross margin' },
    filters: [...PERIOD, { key: 'by', type: 'by' }, ...TEAM],
    columns: () => ['code', 'name', 'net', 'cost', 'margin', 'marginPercent'],
    totals: ['net', 'cost', 'margin'],
  },
  {
    name: 'customer-sales-detail',
    title: { zh: '客户销货明细表', en: 'Customer sales detail' },
    filters: [{ key: 'customerCode', type: 'text', required: true }, ...PERIOD, ...TEAM],
    columns: () => ['date', 'kind', 'document', 'deliveryNote', 'creditNote', 'orderNumber', 'orderLineNo', 'productCode', 'unit', 'quantity', 'unitPrice', 'net', 'tax', 'gross', 'currency', 'documentGross'],
    totals: ['net', 'tax', 'gross'],
    link: orderLink,
    words: (lang, row) => ({ ...row, kind: label(lang, `salesKind.${String(row.kind)}`) }),
  },
  {
    name: 'product-transactions',
    title: { zh: '产品交易记录', en: 'Product transactions' },
    filters: [{ key: 'productCode', type: 'text', required: true }, { key: 'warehouseCode', type: 'text' }, ...PERIOD],
    columns: () => ['at', 'warehouseCode', 'kind', 'document', 'customerCode', 'onHandChange', 'reservedChange', 'onHandAfter', 'reservedAfter'],
    totals: [],
  },
];

/** The report pages: filters, the page of rows with their labels, totals over every row, the pager and CSV. */
export function reportPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  for (const spec of REPORTS) {
    app.get(`/reports/${spec.name}`, async (c) => {
      const session = c.get('session');
      const t = (zh: string, en: string) => say(session.lang, { zh, en });
      const raw = c.req.query();
      const query: Record<string, string | undefined> = Object.fromEntries(spec.filters.map((f) => [f.key, raw[f.key]?.trim() || undefined]));
      if (raw.size) query.size = raw.size;
      const by = query.by === 'customer' ? 'customer' : 'product';
      const missing = spec.filters.filter((f) => f.required && !query[f.key]);
      const read = missing.length ? undefined : await readApiList(deps.api, session, `/reports/${spec.name}`, query, pagingOf(raw));
      const report = read?.ok ? (read.page as ListPage & { totals?: Record<string, string>; basis?: Words }) : undefined;
      const items = spec.words ? report?.items.map((r) => spec.words!(session.lang, r as Record<string, unknown>)) : report?.items;
      const paging = read?.ok ? read.paging : pagingOf(raw);
      const flash = read && !read.ok ? { kind: 'error' as const, code: read.error.code, text: read.error.message, field: read.error.field } : undefined;
      return c.html(
        <Layout title={say(session.lang, spec.title)} session={session} flash={flash}>
          <form method="get" data-report={spec.name}>
            {spec.filters.map((f) =>
              f.type === 'by' ? (
                <label>
                  {t('按', 'By')}{' '}
                  <select name="by">
                    <option value="product" selected={by === 'product'}>{t('产品', 'product')}</option>
                    <option value="customer" selected={by === 'customer'}>{t('客户', 'customer')}</option>
                  </select>
                </label>
              ) : (
                <label>
                  {label(session.lang, f.label ?? f.key)}{' '}
                  <input name={f.key} type={f.type === 'date' ? 'date' : 'text'} value={query[f.key] ?? ''} required={f.required} />
                </label>
              ),
            )}
            {raw.size ? <input type="hidden" name="size" value={raw.size} /> : ''}
            <button type="submit">{t('查询', 'Show')}</button> {report ? <ExportLink view={session} apiPath={`reports/${spec.name}`} query={query} /> : ''}
          </form>
          {missing.length ? <p class="muted">{t('请先填写：', 'Fill in first: ')}{missing.map((f) => label(session.lang, f.label ?? f.key)).join(', ')}</p> : ''}
          {report ? (
            <>
              {report.basis ? (
                <p class="muted" data-basis>
                  {label(session.lang, 'basis')}{t('：', ': ')}{say(session.lang, report.basis)}
                </p>
              ) : ''}
              {spec.totals.length ? (
                <p class="totals" data-totals>
                  {spec.totals.map((k) => `${label(session.lang, k)} ${money(report.totals?.[k] ?? '0')}`).join(' · ')}
                </p>
              ) : ''}
              <RowsTable view={session} columns={spec.columns(by)} rows={worded(session.lang, items ?? [])} link={spec.link} />
              <Pager view={session} total={report.total} paging={paging} query={query} />
            </>
          ) : ''}
        </Layout>,
      );
    });
  }
  return app;
}
