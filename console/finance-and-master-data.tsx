import { Hono } from 'hono';
import type { Sql } from '../db/client.js';
import { listCustomers } from '../db/customers.js';
import { listProducts } from '../db/products.js';
import { listStockLevels } from '../db/stock.js';
import { Layout, RowsTable } from './layout.js';
import type { ConsoleEnv } from './session.js';

const PAGE = 50;
const pageOf = (v: string | undefined) => Math.max(0, Number.parseInt(v ?? '0', 10) || 0);

/** The master-data lists, read-only, with the API's own queries (finance's pages are in finance.tsx). */
export function financeAndMasterDataPages(deps: { sql: Sql; timeZone: string }) {
  const app = new Hono<ConsoleEnv>();

  app.get('/customers', async (c) => {
    const q = c.req.query('q') || undefined;
    const page = pageOf(c.req.query('page'));
    const list = await listCustomers(deps.sql, { q, limit: PAGE, offset: page * PAGE });
    return c.html(
      <Layout title="Customers 客户" session={c.get('session')}>
        <form method="get"><input name="q" placeholder="code or name" value={q ?? ''} /> <button type="submit">Search</button></form>
        <p class="muted">{list.total} customers</p>
        <RowsTable
          view={c.get('session')}
          columns={['code', 'name', 'grade', 'approvalStatus', 'settlementTerms', 'billToCode', 'creditControl', 'creditLimit', 'active']}
          rows={list.items as unknown as Record<string, unknown>[]}
        />
      </Layout>,
    );
  });

  app.get('/products', async (c) => {
    const q = c.req.query('q') || undefined;
    const page = pageOf(c.req.query('page'));
    const [list, stock] = await Promise.all([
      listProducts(deps.sql, { q, limit: PAGE, offset: page * PAGE }),
      listStockLevels(deps.sql, { limit: 500, offset: 0 }),
    ]);
    return c.html(
      <Layout title="Products and stock 产品与库存" session={c.get('session')}>
        <form method="get"><input name="q" placeholder="code or name" value={q ?? ''} /> <button type="submit">Search</button></form>
        <p class="muted">{list.total} products</p>
        <RowsTable view={c.get('session')} columns={['code', 'name', 'unit', 'listPrice', 'taxRate', 'priceFloorRate', 'overDeliveryRate', 'safetyStock', 'active']} rows={list.items as unknown as Record<string, unknown>[]} />
        <h2>Stock levels</h2>
        <RowsTable view={c.get('session')} columns={['productCode', 'warehouseCode', 'onHand', 'reserved', 'available']} rows={stock.items as unknown as Record<string, unknown>[]} />
      </Layout>,
    );
  });

  return app;
}
