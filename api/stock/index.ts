import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { businessDate } from '../../domain/calendar.js';
import { dec } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import { approveStockCount, getStockCount, listStockCounts, recordStockCount } from '../../db/stock-counts.js';
import { adjustStock, ordersWaitingFor, receiveStock, transferStock, type MoveResult } from '../../db/stock-moves.js';
import { retryReservationUpdate } from '../../workflows/sales-order/definitions.js';
import { actorOf, requires } from '../auth/authorize.js';
import { fromTemporal } from '../errors.js';
import { scopedKey } from '../commands/idempotency.js';
import type { OrderServiceDeps } from '../orders/create-order.js';
import { runOrderCommand } from '../orders/workflow-commands.js';
import { ActorHeader, body, json } from '../schemas.js';
import { validationHook } from '../validation.js';
import { importFileBody, readUpload } from '../master-data/import.js';
import { importStockCounts } from './count-import.js';
import { AdjustmentBody, CountBody, CountImportResult, CountList, CountListQuery, CountNumberParam, CountSheet, MoveResponse, ReceiptBody, TransferBody } from './schemas.js';

const tags = ['Stock'];
const created = { 201: json(MoveResponse, 'Written: the document number and the back-orders offered the stock') };
const routes = {
  receipt: createRoute({
    method: 'post', path: '/receipts', tags, summary: 'Goods receipt (入库): stock in, then offered to waiting back-orders, oldest first',
    middleware: [requires('receiveStock')] as const,
    request: { headers: ActorHeader, body: body(ReceiptBody) }, responses: created,
  }),
  adjustment: createRoute({
    method: 'post', path: '/adjustments', tags, summary: 'Adjustment (调整) of on hand with a reason; never below what orders reserve',
    middleware: [requires('adjustStock')] as const,
    request: { headers: ActorHeader, body: body(AdjustmentBody) }, responses: created,
  }),
  transfer: createRoute({
    method: 'post', path: '/transfers', tags, summary: 'Transfer (调拨) between warehouses: the out and the in under one document number',
    middleware: [requires('transferStock')] as const,
    request: { headers: ActorHeader, body: body(TransferBody) }, responses: created,
  }),
  count: createRoute({
    method: 'post', path: '/counts', tags, summary: 'Count sheet (盘点单): counted against the book; the ledger moves when approved',
    middleware: [requires('countStock')] as const,
    request: { headers: ActorHeader, body: body(CountBody) }, responses: { 201: json(CountSheet, 'Recorded, with its differences') },
  }),
  countImport: createRoute({
    method: 'post', path: '/counts/import', tags: [...tags, 'Import'],
    summary:
      'Import count sheets (盘点单导入) from a file (.xlsx, or CSV in UTF-8 or GB18030): one sheet per warehouse in it, through the same checks as ' +
      'POST /stock/counts; any bad row and nothing is written (422 IMPORT_REJECTED lists line, field and reason). Each sheet then waits for ' +
      "another person's approval; the same figures imported again while their sheet waits answer that sheet (created: false). " +
      'Batch-tracked products are not counted here (their count is by batch, with adjustments). Template: GET /import/stock_counts/template',
    middleware: [requires('countStock')] as const,
    request: { headers: ActorHeader, body: importFileBody },
    responses: { 201: json(CountImportResult, 'Recorded: each sheet with its differences') },
  }),
  countList: createRoute({
    method: 'get', path: '/counts', tags, summary: 'Count sheets (盘点单) with their differences, oldest first; status=counted: those waiting for approval',
    request: { query: CountListQuery }, responses: { 200: json(CountList, 'The count sheets') },
  }),
  countSheet: createRoute({
    method: 'get', path: '/counts/{number}', tags, summary: 'One count sheet with its differences',
    request: { params: CountNumberParam }, responses: { 200: json(CountSheet, 'The count sheet') },
  }),
  approveCount: createRoute({
    method: 'post', path: '/counts/{number}/approve', tags, summary: 'Approve a count (not by its counter): its differences become adjustments',
    middleware: [requires('approveStockCount')] as const,
    request: { params: CountNumberParam, headers: ActorHeader }, responses: { 200: json(CountSheet, 'Approved; the ledger holds the differences') },
  }),
};

/**
 * After stock arrived (its transaction committed), each order waiting for it, oldest first, gets its `reserve`
 * command through its workflow, as the receiving user: the workflow stays the one writer of its reservations.
 * The move stands whatever an order answers; the answer is reported per order.
 */
async function offerToBackorders(deps: OrderServiceDeps, c: Context, result: MoveResult) {
  const offered: { orderNumber: string; outcome: string; stillShort?: string }[] = [];
  const key = scopedKey(c, 'reserve');
  for (const number of await ordersWaitingFor(deps.sql, result.received)) {
    try {
      const { order } = await runOrderCommand(deps, number, (wf) =>
        wf.executeUpdate(retryReservationUpdate, { args: [actorOf(c)], ...(key ? { updateId: `${key}:${number}` } : {}) }),
      );
      // Served in full, or only in part (it keeps waiting for the rest).
      const stillShort = order.unreserved ?? '0';
      offered.push({ orderNumber: number, outcome: dec(stillShort).gt(0) ? 'partly_reserved' : 'reserved', stillShort });
    } catch (err) {
      // The order's own refusal (it moved on meanwhile) by its code; anything else: it was not reached.
      const refusal = fromTemporal(err);
      offered.push({ orderNumber: number, outcome: refusal instanceof DomainError ? refusal.code : 'UNAVAILABLE' });
    }
  }
  return offered;
}

/** 入库, 调整, 调拨 (issue 17): each one transaction of ledger rows and levels (db/stock-moves.ts). */
export function stockMoveRoutes(deps: OrderServiceDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const context = (c: Context) => ({
    key: `stock/${scopedKey(c) ?? randomUUID()}`,
    businessDate: businessDate((deps.now ?? (() => new Date()))(), deps.timeZone),
  });
  // Stock that arrives by any of the three (a receipt, an increase, a transfer's in) serves the waiting orders.
  const answer = async (c: Context, result: MoveResult) =>
    c.json({ documentNumber: result.documentNumber, backOrders: await offerToBackorders(deps, c, result) }, 201);
  app.openapi(routes.receipt, async (c) => answer(c, await receiveStock(deps.sql, c.req.valid('json'), context(c))));
  app.openapi(routes.adjustment, async (c) => answer(c, await adjustStock(deps.sql, c.req.valid('json'), context(c))));
  app.openapi(routes.transfer, async (c) => answer(c, await transferStock(deps.sql, c.req.valid('json'), context(c))));
  app.openapi(routes.count, async (c) =>
    c.json(await recordStockCount(deps.sql, c.req.valid('json'), c.get('user').name, context(c).businessDate), 201),
  );
  app.openapi(routes.countImport, async (c) =>
    c.json(await importStockCounts(deps.sql, await readUpload(c), c.get('user').name, context(c).businessDate), 201),
  );
  app.openapi(routes.countList, async (c) => c.json(await listStockCounts(deps.sql, c.req.valid('query')), 200));
  app.openapi(routes.countSheet, async (c) => c.json(await getStockCount(deps.sql, c.req.valid('param').number), 200));
  app.openapi(routes.approveCount, async (c) => c.json(await approveStockCount(deps.sql, c.req.valid('param').number, c.get('user').name, context(c).key), 200));
  return app;
}
