import { Hono } from 'hono';
import type { ApiCall } from '../api-call.js';
import { say } from '../i18n.js';
import { Layout } from '../layout.js';
import type { ConsoleEnv } from '../session.js';
import { CUSTOMERS } from './customers.js';
import { importPages } from './imports.js';
import { pricePages } from './prices.js';
import { PRODUCTS, WAREHOUSES } from './products.js';
import { recordPages } from './records.js';
import { settingsPages } from './settings.js';
import { stockPages } from './stock.js';

const HUB = [
  { href: '/console/customers', words: { zh: '客户', en: 'Customers' } },
  { href: '/console/products', words: { zh: '产品', en: 'Products' } },
  { href: '/console/warehouses', words: { zh: '仓库', en: 'Warehouses' } },
  { href: '/console/prices', words: { zh: '客户价格', en: 'Customer prices' } },
  { href: '/console/prices/strategies', words: { zh: '等级折扣与数量阶梯', en: 'Grade discounts and quantity tiers' } },
  { href: '/console/stock', words: { zh: '库存', en: 'Stock levels' } },
  { href: '/console/stock/moves', words: { zh: '库存流水', en: 'Stock moves' } },
  { href: '/console/stock/expiry-warnings', words: { zh: '效期预警', en: 'Expiry warnings' } },
  { href: '/console/imports', words: { zh: '批量导入', en: 'Imports' } },
  { href: '/console/numbering-rules', words: { zh: '编码原则', en: 'Numbering rules' } },
  { href: '/console/settings/credit', words: { zh: '信用控制设置', en: 'Credit control' } },
  { href: '/console/settings/expiry-warnings', words: { zh: '效期预警设置', en: 'Expiry warning days' } },
] as const;

/** 基础资料: every master-data page, read by everyone, changed by the roles the API allows (buttons only for them). */
export function masterDataPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/master-data', (c) => {
    const session = c.get('session');
    return c.html(
      <Layout title={say(session.lang, { zh: '基础资料', en: 'Master data' })} session={session}>
        <ul>{HUB.map((h) => <li><a href={h.href}>{say(session.lang, h.words)}</a></li>)}</ul>
      </Layout>,
    );
  });
  app.route('/', stockPages(deps));
  app.route('/', importPages(deps));
  app.route('/', pricePages(deps));
  app.route('/', settingsPages(deps));
  for (const spec of [CUSTOMERS, PRODUCTS, WAREHOUSES]) app.route('/', recordPages(spec, deps));
  return app;
}
