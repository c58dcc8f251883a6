import { Hono } from 'hono';
import { mayPerform } from '../domain/authorization.js';
import { businessDate } from '../domain/calendar.js';
import { AGING_BUCKETS } from '../domain/receivables.js';
import type { Sql } from '../db/client.js';
import { aging } from '../db/receivables.js';
import { stuckPayments } from '../db/stuck-payments.js';
import { ExportLink } from './export.js';
import { Layout, RowsTable } from './layout.js';
import type { ConsoleEnv } from './session.js';

const PAGE = 50;
const pageOf = (v: string | undefined) => Math.max(0, Number.parseInt(v ?? '0', 10) || 0);

/** Finance's page (stuck payments per order, aging), with the API's own queries; master data has its pages in console/master-data/. */
export function financeAndMasterDataPages(deps: { sql: Sql; timeZone: string }) {
  const app = new Hono<ConsoleEnv>();

  app.get('/finance', async (c) => {
    const session = c.get('session');
    if (!mayPerform(session.user.role, 'listStuckPayments')) {
      return c.html(
        <Layout title="Finance" session={session}>
          <p class="error">FORBIDDEN: finance's view needs the finance role ({session.user.name} is {session.user.role})</p>
        </Layout>,
        403,
      );
    }
    const asOf = businessDate(new Date(), deps.timeZone);
    const page = pageOf(c.req.query('page'));
    const [stuck, buckets] = await Promise.all([stuckPayments(deps.sql, { asOf, limit: PAGE, offset: page * PAGE }), aging(deps.sql, asOf)]);
    return c.html(
      <Layout title="Finance: stuck payments and aging" session={session}>
        <h2>Stuck payments (as of {asOf})</h2>
        <p class="muted">
          {stuck.total} orders · {stuck.totals?.amountDue} due · <ExportLink view={session} apiPath="finance/stuck-payments" query={{ asOf }} />
        </p>
        <RowsTable
          view={c.get('session')}
          columns={['orderNumber', 'customerCode', 'payerCode', 'amountDue', 'oldestDueOn', 'daysOverdue', 'step', 'waitingAt']}
          rows={stuck.items as unknown as Record<string, unknown>[]}
          link={(row, col) => (col === 'orderNumber' ? `/console/orders/${row.orderNumber}` : undefined)}
        />
        <h2>账龄 Receivables aging</h2>
        <p><ExportLink view={session} apiPath="finance/aging" query={{ asOf }} /></p>
        <RowsTable view={c.get('session')} columns={['customerCode', 'customerName', ...AGING_BUCKETS, 'total']} rows={buckets as unknown as Record<string, unknown>[]} />
      </Layout>,
    );
  });

  return app;
}
