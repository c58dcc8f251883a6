import { Hono } from 'hono';
import type { Client } from '@temporalio/client';
import { orderTimeline } from '../api/timeline/index.js';
import { temporalUiLink } from '../api/timeline/text.js';
import { IsoDate } from '../contracts/numbers.js';
import { textProblem } from '../contracts/text.js';
import type { Sql } from '../db/client.js';
import { listOrders } from '../db/orders.js';
import type { AuthSettings } from '../api/auth/middleware.js';
import { fetchApi, type ApiCall } from './api-call.js';
import { OrderTimeline } from './order-timeline.js';
import { consoleCommandRoutes } from './commands.js';
import { documentRoutes } from './documents.js';
import { financePages } from './finance.js';
import { ledgerPages } from './ledger.js';
import { exchangeRatePages } from './exchange-rates.js';
import { inboxPages } from './inbox.js';
import { quotationPages } from './quotations.js';
import { exportRoutes, ExportLink } from './export.js';
import { say, label } from './i18n.js';
import { masterDataPages } from './master-data/index.js';
import { authorityPages } from './authority.js';
import { notificationPages } from './notifications.js';
import { Pager, pagingOf, readPage } from './pager.js';
import { reportPages } from './reports.js';
import { dashboardAssets, dashboardPages } from './dashboard.js';
import { stockMovePages } from './stock.js';
import { takeFlash } from './flash.js';
import { Layout, RowsTable } from './layout.js';
import { sessionMiddleware, signInRoutes, signOutRoutes } from './login.js';
import { openOnInvoices, writeOffAuthorityOf, writeOffRequestsOf } from '../db/write-off-requests.js';
import { WriteOffRequests } from './order-actions.js';
import { OrderBody, OrderHeader, orderPageData } from './order-page.js';
import type { ConsoleEnv } from './session.js';

export interface ConsoleDeps {
  sql: Sql;
  temporal: Client;
  timeZone: string;
  /** Base address of the Temporal Web UI, for links to each order's workflow. */
  temporalUiUrl?: string | undefined;
  namespace?: string;
  auth?: AuthSettings | undefined;
  /** The API app: every console command runs through its route for that command. */
  api: ApiCall;
}

const ORDER_STATUSES = ['Unapproved', 'Approved', 'PartiallyDelivered', 'Delivered', 'Completed', 'Cancelled', 'Rejected'] as const;
const ORDER_SORT_OPTIONS = [
  { value: '', words: { zh: '最新在前', en: 'Newest first' } },
  { value: 'createdAt', words: { zh: '最早在前', en: 'Oldest first' } },
  { value: 'number', words: { zh: '单号', en: 'Number' } },
  { value: '-gross', words: { zh: '金额从大到小', en: 'Gross, largest first' } },
  { value: 'gross', words: { zh: '金额从小到大', en: 'Gross, smallest first' } },
  { value: 'status', words: { zh: '状态', en: 'Status' } },
] as const;

/**
 * The web console, rendered on the server (hono/jsx, no front-end build): sign-in,
 * the order list, one order with its documents, timeline and the buttons the user's
 * role allows, a new-order form, and the reports. Its forms call the API's own
 * routes as the signed-in user, where commands are authorised and validated.
 */
export function consoleRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>();
  // The read pages pass the address's values to SQL: one that cannot be stored (NUL) is refused here, not by Postgres.
  app.use('*', async (c, next) => {
    let path = c.req.path;
    try {
      path = decodeURIComponent(path);
    } catch {
      /* not percent-encoded UTF-8: checked as it came */
    }
    const url = new URL(c.req.url);
    if ([path, ...url.searchParams.values()].some((v) => textProblem(v))) return c.text('The address holds control characters.', 400);
    return next();
  });
  app.route('/', dashboardAssets());
  app.route('/', signInRoutes(deps));
  app.use('*', sessionMiddleware(deps));
  app.route('/', signOutRoutes());
  app.route('/', consoleCommandRoutes(deps));
  app.route('/', documentRoutes(deps));
  app.route('/', financePages(deps));
  app.route('/', ledgerPages(deps));
  app.route('/', exchangeRatePages(deps));
  app.route('/', inboxPages(deps));
  app.route('/', quotationPages(deps));
  app.route('/', masterDataPages(deps));
  app.route('/', authorityPages(deps));
  app.route('/', notificationPages(deps));
  app.route('/', reportPages(deps));
  app.route('/', dashboardPages(deps));
  app.route('/', stockMovePages(deps));
  app.route('/', exportRoutes(deps));

  app.get('/', async (c) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const raw = c.req.query();
    // Only values the list knows reach the query; anything else shows the unfiltered list.
    const status = ORDER_STATUSES.includes(raw.status as never) ? raw.status : undefined;
    const sort = ORDER_SORT_OPTIONS.some((o) => o.value === raw.sort) ? raw.sort : undefined;
    const customerCode = raw.customerCode && raw.customerCode.length <= 40 ? raw.customerCode.trim() || undefined : undefined;
    const day = (v: string | undefined) => (IsoDate.safeParse(v?.trim()).success ? v!.trim() : undefined);
    const from = day(raw.from);
    const to = day(raw.to);
    const query = { status, customerCode, from, to, sort, size: raw.size };
    const read = await readPage<never>(pagingOf(raw), async (limit, offset) => ({
      ok: true,
      page: await listOrders(deps.sql, { status, customerCode, from, to, timeZone: deps.timeZone, sort, limit, offset }),
    }));
    if (!read.ok) return read.error;
    const { page: list, paging } = read;
    return c.html(
      <Layout title={t('销售订单', 'Orders')} session={session} flash={takeFlash(c)}>
        <form method="get">
          <label>{label(session.lang, 'customerCode')} <input name="customerCode" value={customerCode ?? ''} /></label>
          <label>{t('下单日起', 'Taken from')} <input name="from" type="date" value={from ?? ''} /></label>
          <label>{t('下单日止', 'Taken to')} <input name="to" type="date" value={to ?? ''} /></label>
          <label>
            {label(session.lang, 'status')}{' '}
            <select name="status">
              <option value="">{t('全部', 'Any')}</option>
              {ORDER_STATUSES.map((s) => <option value={s} selected={s === status}>{label(session.lang, s)}</option>)}
            </select>
          </label>
          <label>
            {t('排序', 'Sort')}{' '}
            <select name="sort">
              {ORDER_SORT_OPTIONS.map((o) => <option value={o.value} selected={o.value === (sort ?? '')}>{say(session.lang, o.words)}</option>)}
            </select>
          </label>
          {raw.size ? <input type="hidden" name="size" value={raw.size} /> : ''}
          <button type="submit">{t('查询', 'Filter')}</button> <ExportLink view={session} apiPath="orders" query={query} />
        </form>
        <RowsTable
          view={session}
          columns={['number', 'customerCode', 'status', 'gross', 'currency', 'createdBy', 'createdAt']}
          rows={list.items}
          link={(r, col) => (col === 'number' ? `/console/orders/${r.number}` : undefined)}
        />
        <Pager view={session} total={list.total} paging={paging} query={query} />
      </Layout>,
    );
  });

  app.get('/orders/:number', async (c) => {
    const number = c.req.param('number');
    const session = c.get('session');
    const data = await orderPageData(deps, number, session.user.name, session.user.role);
    if (!data) return c.html(<Layout title={say(session.lang, { zh: '未找到', en: 'Not found' })} session={session}><p>{say(session.lang, { zh: `没有订单 ${number}。`, en: `No order ${number}.` })}</p></Layout>, 404);
    const { order } = data;
    const full = c.req.query('detail') === 'full';
    const [timeline, writeOffs, authority, open] = await Promise.all([
      orderTimeline(deps, number, full ? 'full' : 'steps'),
      writeOffRequestsOf(deps.sql, number),
      writeOffAuthorityOf(deps.sql, session.user.name),
      openOnInvoices(deps.sql, number),
    ]);
    const ui = deps.temporalUiUrl ? temporalUiLink(deps.temporalUiUrl, deps.namespace ?? 'default', timeline.workflowId) : undefined;
    return c.html(
      <Layout title={say(session.lang, { zh: `销售订单 ${number}`, en: `Order ${number}` })} session={session} flash={takeFlash(c)}>
        <OrderHeader data={data} view={session} />
        <p>
          {say(session.lang, { zh: '工作流', en: 'Workflow' })} {timeline.workflowId} ({timeline.workflowStatus ?? '-'}){' '}
          {ui ? <a href={ui}>{say(session.lang, { zh: '在 Temporal Web UI 中打开', en: 'open in the Temporal Web UI' })}</a> : ''}
        </p>
        <OrderBody data={data} session={session} />
        <h2>{say(session.lang, { zh: '坏账核销', en: 'Bad-debt write-off' })}</h2>
        <WriteOffRequests order={order} open={open} requests={writeOffs} authority={authority} session={session} />
        <h2>{say(session.lang, { zh: '时间线', en: 'Timeline' })}</h2>
        <OrderTimeline number={number} events={timeline.events} full={full} view={session} />
      </Layout>,
    );
  });

  // The timeline JSON the page links to, read through the API's own route as the signed-in user.
  app.get('/orders/:number/timeline.json', async (c) => {
    const detail = c.req.query('detail') === 'full' ? '?detail=full' : '';
    const res = await fetchApi(deps.api, c.get('session'), `/orders/${encodeURIComponent(c.req.param('number'))}/timeline${detail}`);
    return new Response(res.body, { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } });
  });

  return app;
}
