import { Hono } from 'hono';
import type { Client } from '@temporalio/client';
import { orderTimeline } from '../api/timeline/index.js';
import { temporalUiLink } from '../api/timeline/text.js';
import { textProblem } from '../contracts/text.js';
import type { Sql } from '../db/client.js';
import { listOrders } from '../db/orders.js';
import { expectedShipments } from '../db/reports/expected-shipments.js';
import { salesBy } from '../db/reports/sales-by.js';
import type { AuthSettings } from '../api/auth/middleware.js';
import type { ApiCall } from './api-call.js';
import { consoleCommandRoutes } from './commands.js';
import { financeAndMasterDataPages } from './finance-and-master-data.js';
import { takeFlash } from './flash.js';
import { Layout, RowsTable } from './layout.js';
import { sessionMiddleware, signInRoutes, signOutRoutes } from './login.js';
import { writeOffAuthorityOf, writeOffRequestsOf } from '../db/write-off-requests.js';
import { WriteOffRequests } from './order-actions.js';
import { OrderBody, OrderHeader, orderPageData } from './order-page.js';
import { say } from './i18n.js';
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

const PAGE = 50;
const pageOf = (v: string | undefined) => Math.max(0, Number.parseInt(v ?? '0', 10) || 0);
const dateOrUndefined = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

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
  app.route('/', signInRoutes(deps));
  app.use('*', sessionMiddleware(deps));
  app.route('/', signOutRoutes());
  app.route('/', consoleCommandRoutes(deps));
  app.route('/', financeAndMasterDataPages(deps));

  app.get('/', async (c) => {
    const status = c.req.query('status') || undefined;
    const customerCode = c.req.query('customerCode') || undefined;
    const page = pageOf(c.req.query('page'));
    const list = await listOrders(deps.sql, { status, customerCode, limit: PAGE, offset: page * PAGE });
    return c.html(
      <Layout title="Orders" session={c.get('session')}>
        <form method="get">
          <input name="customerCode" placeholder="customer code" value={customerCode ?? ''} />
          <select name="status">
            {['', 'Unapproved', 'Approved', 'PartiallyDelivered', 'Delivered', 'Completed', 'Cancelled'].map((s) => (
              <option value={s} selected={s === (status ?? '')}>{s || 'any status'}</option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </form>
        <p class="muted">{list.total} orders</p>
        <RowsTable
          view={c.get('session')}
          columns={['number', 'customerCode', 'status', 'gross', 'createdBy', 'createdAt']}
          rows={list.items}
          link={(r, col) => (col === 'number' ? `/console/orders/${r.number}` : undefined)}
        />
        {list.total > (page + 1) * PAGE ? <a href={`?page=${page + 1}&status=${status ?? ''}&customerCode=${customerCode ?? ''}`}>next page</a> : ''}
      </Layout>,
    );
  });

  app.get('/orders/:number', async (c) => {
    const number = c.req.param('number');
    const session = c.get('session');
    const data = await orderPageData(deps, number, session.user.name);
    if (!data) return c.html(<Layout title={say(session.lang, { zh: '未找到', en: 'Not found' })} session={session}><p>{say(session.lang, { zh: `没有订单 ${number}。`, en: `No order ${number}.` })}</p></Layout>, 404);
    const { order } = data;
    const [timeline, writeOffs, authority] = await Promise.all([
      orderTimeline(deps, number),
      writeOffRequestsOf(deps.sql, number),
      writeOffAuthorityOf(deps.sql, session.user.name),
    ]);
    const ui = deps.temporalUiUrl ? temporalUiLink(deps.temporalUiUrl, deps.namespace ?? 'default', timeline.workflowId) : undefined;
    return c.html(
      <Layout title={say(session.lang, { zh: `销售订单 ${number}`, en: `Order ${number}` })} session={session} flash={takeFlash(c)}>
        <OrderHeader data={data} view={session} />
        <p>
          Workflow {timeline.workflowId} ({timeline.workflowStatus ?? 'none'}) {ui ? <a href={ui}>open in the Temporal Web UI</a> : ''} ·{' '}
          <a href={`/orders/${number}/timeline`}>timeline JSON</a> (API: needs a bearer token)
        </p>
        <OrderBody data={data} session={session} />
        <h2>Bad-debt write-off 坏账核销</h2>
        <WriteOffRequests order={order} requests={writeOffs} authority={authority} session={session} />
        <h2>Timeline</h2>
        <table>
          <thead>
            <tr><th>time (UTC)</th><th>kind</th><th>who</th><th>what</th><th>update / event</th></tr>
          </thead>
          <tbody>
            {timeline.events.map((e) => (
              <tr class={`${e.source} ${/failed|retrying|timed_out/.test(e.kind) ? 'failed' : ''}`}>
                <td>{e.at.replace('T', ' ').replace('Z', '')}</td>
                <td>{e.kind}</td>
                <td>{e.actor ?? ''}</td>
                <td>{e.summary}</td>
                <td class="muted">{[e.updateId, e.eventId ? `#${e.eventId}` : ''].filter(Boolean).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  app.get('/reports/expected-shipments', async (c) => {
    const q = c.req.query();
    const page = pageOf(q.page);
    const r = await expectedShipments(deps.sql, deps.timeZone, {
      from: dateOrUndefined(q.from), to: dateOrUndefined(q.to),
      customerCode: q.customerCode || undefined, productCode: q.productCode || undefined, salesperson: q.salesperson || undefined,
      limit: PAGE, offset: page * PAGE,
    });
    const csv = `/reports/expected-shipments?${new URLSearchParams({ ...q, format: 'csv' })}`;
    return c.html(
      <Layout title="预计出货表 Expected shipments" session={c.get('session')}>
        <form method="get">
          {['from', 'to', 'customerCode', 'productCode', 'salesperson'].map((k) => <input name={k} placeholder={k} value={q[k] ?? ''} />)}
          <button type="submit">Filter</button> <a href={csv}>CSV</a>
        </form>
        <p class="muted">{r.total} open lines · open net {r.totals?.openNet}</p>
        <RowsTable
          view={c.get('session')}
          columns={['orderDate', 'orderNumber', 'customerCode', 'salesperson', 'lineNo', 'productCode', 'warehouseCode', 'orderedQty', 'deliveredQty', 'openQty', 'unitPrice', 'openNet']}
          rows={r.items as unknown as Record<string, unknown>[]}
          link={(row, col) => (col === 'orderNumber' ? `/console/orders/${row.orderNumber}` : undefined)}
        />
      </Layout>,
    );
  });

  const salesReport = (name: string, title: string, columns: string[], by?: 'product' | 'customer') =>
    app.get(`/reports/${name}`, async (c) => {
      const q = c.req.query();
      const dimension = by ?? (q.by === 'customer' ? 'customer' : 'product');
      const r = await salesBy(deps.sql, deps.timeZone, { by: dimension, from: dateOrUndefined(q.from), to: dateOrUndefined(q.to), limit: 500, offset: 0 });
      const csv = `/reports/${name}?${new URLSearchParams({ ...q, format: 'csv' })}`;
      return c.html(
        <Layout title={title} session={c.get('session')}>
          <form method="get">
            <input name="from" placeholder="from YYYY-MM-DD" value={q.from ?? ''} />
            <input name="to" placeholder="to YYYY-MM-DD" value={q.to ?? ''} />
            {by ? '' : (
              <select name="by">
                <option value="product" selected={dimension === 'product'}>by product</option>
                <option value="customer" selected={dimension === 'customer'}>by customer</option>
              </select>
            )}
            <button type="submit">Show</button> <a href={csv}>CSV</a>
          </form>
          <p class="muted">net {r.totals?.net} · cost {r.totals?.cost} · margin {r.totals?.margin}</p>
          <RowsTable view={c.get('session')} columns={columns} rows={r.items as unknown as Record<string, unknown>[]} />
        </Layout>,
      );
    });
  salesReport('sales-ranking', 'Sales ranking 销售排行', ['rank', 'code', 'name', 'quantity', 'net']);
  salesReport('customer-contribution', 'Customer contribution 客户贡献', ['rank', 'code', 'name', 'net', 'sharePercent', 'cumulativeSharePercent'], 'customer');
  salesReport('gross-margin', 'Gross margin 毛利', ['code', 'name', 'net', 'cost', 'margin', 'marginPercent']);

  return app;
}
