import { Hono } from 'hono';
import type { ApiCall } from '../api-call.js';
import { ExportLink } from '../export.js';
import { label, say, type Words } from '../i18n.js';
import { Layout, RowsTable } from '../layout.js';
import { Pager, pagingOf, readApiList } from '../pager.js';
import type { ConsoleEnv } from '../session.js';
import { CHOICES, worded } from './choices.js';

interface ReadOnlyList {
  path: string;
  title: Words;
  filters: readonly { key: string; choices?: boolean }[];
  columns: readonly string[];
}

const LISTS: readonly ReadOnlyList[] = [
  {
    path: 'stock',
    title: { zh: '库存', en: 'Stock levels' },
    filters: [{ key: 'productCode' }, { key: 'warehouseCode' }],
    columns: ['productCode', 'warehouseCode', 'onHand', 'reserved', 'available', 'safetyStock'],
  },
  {
    path: 'stock/moves',
    title: { zh: '库存流水', en: 'Stock moves' },
    filters: [{ key: 'productCode' }, { key: 'warehouseCode' }, { key: 'kind', choices: true }, { key: 'documentNumber' }],
    columns: ['id', 'createdAt', 'productCode', 'warehouseCode', 'kind', 'batchNo', 'expiryDate', 'onHandDelta', 'reservedDelta', 'documentNumber', 'reason'],
  },
  {
    path: 'stock/expiry-warnings',
    title: { zh: '效期预警', en: 'Expiry warnings' },
    filters: [{ key: 'productCode' }, { key: 'warehouseCode' }, { key: 'withinDays' }],
    columns: ['productCode', 'warehouseCode', 'batchNo', 'expiryDate', 'daysLeft', 'quantity', 'expiryState'],
  },
];

/** An expiry warning's state is worded under its own key: `state` means other things on other pages. */
const rowOf = (r: Record<string, unknown>) => ('state' in r && 'batchNo' in r ? { ...r, expiryState: r.state } : r);

/** 库存 and its ledger: read-only (stock changes only by the documents that move it). */
export function stockPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  for (const spec of LISTS) {
    app.get(`/${spec.path}`, async (c) => {
      const session = c.get('session');
      const t = (zh: string, en: string) => say(session.lang, { zh, en });
      const raw = c.req.query();
      const query: Record<string, string | undefined> = Object.fromEntries(spec.filters.map((f) => [f.key, raw[f.key]?.trim() || undefined]));
      if (raw.size) query.size = raw.size;
      const read = await readApiList(deps.api, session, `/${spec.path}`, query, pagingOf(raw));
      const list = read.ok ? read.page : { total: 0, items: [] };
      const paging = read.ok ? read.paging : pagingOf(raw);
      return c.html(
        <Layout title={say(session.lang, spec.title)} session={session} flash={read.ok ? undefined : { kind: 'error', code: read.error.code, text: read.error.message, field: read.error.field }}>
          <p>
            <a href="/console/stock">{t('库存', 'Stock levels')}</a> · <a href="/console/stock/moves">{t('库存流水', 'Stock moves')}</a> ·{' '}
            <a href="/console/stock/expiry-warnings">{t('效期预警', 'Expiry warnings')}</a>
          </p>
          <form method="get">
            {spec.filters.map((f) => (
              <label>
                {label(session.lang, f.key)}{' '}
                {f.choices ? (
                  <select name={f.key}>
                    <option value="">{t('全部', 'Any')}</option>
                    {Object.entries(CHOICES[f.key] ?? {}).map(([v, w]) => <option value={v} selected={v === query[f.key]}>{say(session.lang, w)}</option>)}
                  </select>
                ) : (
                  <input name={f.key} value={query[f.key] ?? ''} />
                )}
              </label>
            ))}
            {raw.size ? <input type="hidden" name="size" value={raw.size} /> : ''}
            <button type="submit">{t('查询', 'Search')}</button> <ExportLink view={session} apiPath={spec.path} query={query} />
          </form>
          <RowsTable
            view={session}
            columns={spec.columns}
            rows={worded(session.lang, list.items.map(rowOf))}
            link={(r, col) => (col === 'productCode' ? `/console/products/${encodeURIComponent(String(r.productCode))}` : undefined)}
          />
          <Pager view={session} total={list.total} paging={paging} query={query} />
        </Layout>,
      );
    });
  }
  return app;
}
