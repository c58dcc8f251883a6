import { OpenAPIHono } from '@hono/zod-openapi';
import type { Sql } from '../../db/client.js';
import { requires } from '../auth/authorize.js';
import { validationHook } from '../validation.js';
import { customerRoutes } from './customers.js';
import { importRoutes } from './import.js';
import { numberingRoutes } from './numbering.js';
import { priceRoutes } from './prices.js';
import { productRoutes } from './products.js';
import { settingsRoutes } from './settings.js';
import { stockRoutes } from './stock.js';
import { warehouseRoutes } from './warehouses.js';

export interface MasterDataDeps {
  sql: Sql;
  timeZone: string;
  now: () => Date;
}

/** 基础资料: customers, products, warehouses, stock, numbering, price strategies, credit settings, CSV import. */
export function masterDataRoutes(deps: MasterDataDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  // Reading is for everyone signed in; changing master data is for clerks, credit settings for the credit controller.
  const writes = ['POST', 'PUT', 'PATCH', 'DELETE'];
  app.on(writes, ['/settings', '/settings/*'], requires('manageCreditSettings'));
  // Stock moves (/stock/receipts, …) check their own commands (api/stock): the warehouse's work, not master data.
  for (const area of ['/warehouses', '/numbering-rules', '/prices', '/import']) {
    app.on(writes, [area, `${area}/*`], requires('maintainMasterData'));
  }
  // A customer's credit and payment controls and a product's price floor are not the clerk's (domain/master-data-controls.ts):
  // their owners set them on /controls, and the record's own routes refuse a clerk who changes one.
  app.on(writes, ['/customers', '/customers/:code'], requires('maintainMasterData'));
  app.on(writes, ['/products', '/products/:code'], requires('maintainMasterData'));
  app.on(writes, '/customers/:code/controls', requires('manageCreditSettings'));
  app.on(writes, '/products/:code/controls', requires('setSalesControls'));
  app.route('/customers', customerRoutes(deps));
  app.route('/products', productRoutes(deps));
  app.route('/warehouses', warehouseRoutes(deps));
  app.route('/stock', stockRoutes(deps));
  app.route('/numbering-rules', numberingRoutes(deps));
  app.route('/prices', priceRoutes(deps));
  app.route('/settings', settingsRoutes(deps));
  app.route('/import', importRoutes(deps));
  return app;
}
