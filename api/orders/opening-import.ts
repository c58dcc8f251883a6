import { businessDate } from '../../domain/calendar.js';
import type { CsvRecord } from '../../domain/csv.js';
import { DomainError } from '../../domain/errors.js';
import { checkOpeningBalance } from '../../domain/order/index.js';
import { readTable, rejectIfAny, typed, type ImportRow, type RowError } from '../../db/import.js';
import { orderLineCodes, ordersByCreateKeys, type OrderLineCodes } from '../../db/orders.js';
import { dec, plain } from '../../domain/decimal.js';
import { Code } from '../schemas.js';
import { prepareOrder, resumeOrder, type OrderServiceDeps } from './create-order.js';
import { loadOpeningOrder, type OpeningOrderInput } from './opening.js';
import { OpeningOrderBody } from './schemas.js';

/** Columns that describe the whole order: every row of an order gives the same value, or leaves it blank. */
const HEADER_COLUMNS = ['customerCode', 'shortfallPolicy', 'depositRatio', 'depositAmount', 'shipTo', 'contact', 'salesperson', 'department',
  'settlementTerms', 'settlementDays'] as const;
/** The order's own payment terms are two columns in the file, one object in the body. */
const TERMS_COLUMNS = ['settlementTerms', 'settlementDays'] as const;
const LINE_COLUMNS = ['productCode', 'warehouseCode', 'quantity', 'unitPrice', 'expectedDeliveryDate', 'deliveredQty'] as const;

interface FileOrder {
  ref: string;
  rows: ImportRow[];
  body: Record<string, unknown>;
}

/** Each order is checked, saved and started on its own: a bigger load is split, so one request stays minutes, not hours. */
export const MAX_ORDERS_PER_FILE = 1000;

/** The old system's order number is the order's create key: the same file (or the same order in another file) loads once. */
const createKeyOf = (ref: string) => `opening-import ${ref}`;

/**
 * The rows of a file → one opening-order body per orderRef, in file order: the one place where a column
 * becomes a body field (a new CreateOrderBody field is a column here and in the template).
 */
export function openingOrderBodies(rows: ImportRow[], errors: RowError[]): FileOrder[] {
  const orders = new Map<string, FileOrder>();
  for (const row of rows) {
    const values = typed(row.values) as Record<string, string | undefined>;
    const ref = Code.safeParse(values.orderRef ?? '');
    if (!ref.success) {
      errors.push({ line: row.line, field: 'orderRef', reason: values.orderRef === undefined ? 'required: the order this line belongs to' : ref.error.issues[0]!.message });
      continue;
    }
    let order = orders.get(ref.data);
    if (!order) orders.set(ref.data, (order = { ref: ref.data, rows: [], body: { lines: [] } }));
    for (const col of HEADER_COLUMNS) {
      const v = values[col];
      if (v === undefined) continue;
      if (order.body[col] === undefined) order.body[col] = v;
      else if (order.body[col] !== v) errors.push({ line: row.line, field: col, reason: `order ${ref.data} has ${col} ${String(order.body[col])} on line ${order.rows[0]!.line}` });
    }
    order.rows.push(row);
    (order.body.lines as unknown[]).push(Object.fromEntries(LINE_COLUMNS.filter((c) => values[c] !== undefined).map((c) => [c, values[c]])));
  }
  for (const order of orders.values()) {
    const terms = Object.fromEntries(TERMS_COLUMNS.filter((c) => order.body[c] !== undefined).map((c) => [c, order.body[c]]));
    for (const c of TERMS_COLUMNS) delete order.body[c];
    if (Object.keys(terms).length) order.body.paymentTerms = terms;
  }
  return [...orders.values()];
}

/** Where the file says something else than the order it already loaded: re-importing is a no-op only for the same order. */
function differencesFromLoaded(lines: OpeningOrderInput['lines'], loaded: OrderLineCodes[]): { field: string; loaded: string }[] {
  if (lines.length !== loaded.length) return [{ field: 'lines', loaded: `${loaded.length} line(s)` }];
  const out: { field: string; loaded: string }[] = [];
  lines.forEach((l, i) => {
    const was = loaded[i]!;
    if (l.productCode !== was.productCode) out.push({ field: `lines[${i}].productCode`, loaded: `product ${was.productCode}` });
    else if (l.warehouseCode !== was.warehouseCode) out.push({ field: `lines[${i}].warehouseCode`, loaded: `warehouse ${was.warehouseCode}` });
    else if (!dec(l.quantity).eq(dec(was.quantity))) out.push({ field: `lines[${i}].quantity`, loaded: `quantity ${plain(dec(was.quantity))}` });
    else if (l.unitPrice !== undefined && !dec(l.unitPrice).eq(dec(was.unitPrice))) out.push({ field: `lines[${i}].unitPrice`, loaded: `unit price ${plain(dec(was.unitPrice))}` });
  });
  return out;
}

/** An error of an order's body (`lines[2].quantity`, `customerCode`) → the file line and column it came from. */
function rowError(order: FileOrder, field: string, reason: string): RowError {
  const m = /^lines\[(\d+)\]\.(\w+)/.exec(field);
  const row = (m && order.rows[Number(m[1])]) || order.rows[0]!;
  const column = field.startsWith('paymentTerms.') ? field.slice('paymentTerms.'.length) : field === 'paymentTerms' ? 'settlementTerms' : field;
  return { line: row.line, field: m ? m[2]! : field === 'lines' ? 'orderRef' : column, reason: `order ${order.ref}: ${reason}` };
}

/**
 * 期初未结订单 import: every row is checked first (the body schema, the opening balance, then the codes, prices and
 * customer as the order would be priced), and a file with any bad row loads nothing. Then each order goes through
 * POST /orders/opening's own path, approved by the signed-in admin. An order already loaded under its orderRef is
 * reported with its number, not loaded again; an order that fails while loading (a customer blocked meanwhile)
 * stops the import after the orders before it, and the same file again loads the rest.
 */
export async function importOpeningOrders(deps: OrderServiceDeps, file: CsvRecord[], loadedBy: string) {
  const errors: RowError[] = [];
  const orders = openingOrderBodies(readTable('opening_orders', file, errors), errors);
  if (orders.length > MAX_ORDERS_PER_FILE) {
    const first = orders[MAX_ORDERS_PER_FILE]!.rows[0]!;
    rejectIfAny([{ line: first.line, field: 'orderRef', reason: `the file holds ${orders.length} orders, more than ${MAX_ORDERS_PER_FILE}; split it` }]);
  }
  const loaded = await ordersByCreateKeys(deps.sql, orders.map((o) => createKeyOf(o.ref)));
  const orderDate = businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);
  const ready: { order: FileOrder; body: OpeningOrderInput; loadedAs?: string }[] = [];
  for (const order of orders) {
    const parsed = OpeningOrderBody.safeParse(order.body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(rowError(order, issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join(''), issue.message));
      continue;
    }
    const before = loaded.get(createKeyOf(order.ref));
    if (before) {
      if (before.customerCode !== parsed.data.customerCode) errors.push(rowError(order, 'customerCode', `already loaded as ${before.number} for customer ${before.customerCode}`));
      for (const d of differencesFromLoaded(parsed.data.lines, await orderLineCodes(deps.sql, before.number))) {
        errors.push(rowError(order, d.field, `already loaded as ${before.number} with ${d.loaded}; a loaded order is not changed by importing it again`));
      }
      ready.push({ order, body: parsed.data, loadedAs: before.number });
      continue;
    }
    try {
      checkOpeningBalance(parsed.data.lines);
      await prepareOrder(deps.sql, parsed.data, orderDate);
      ready.push({ order, body: parsed.data });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push(rowError(order, err.field ?? 'row', err.message));
    }
  }
  rejectIfAny(errors);
  const results: { orderRef: string; orderNumber: string; created: boolean; lines: number }[] = [];
  for (const { order, body, loadedAs } of ready) {
    if (loadedAs) {
      await resumeOrder(deps, loadedAs); // a start lost with an earlier import's process
      results.push({ orderRef: order.ref, orderNumber: loadedAs, created: false, lines: body.lines.length });
      continue;
    }
    try {
      const { orderNumber, created } = await loadOpeningOrder(deps, body, loadedBy, createKeyOf(order.ref));
      results.push({ orderRef: order.ref, orderNumber, created, lines: body.lines.length });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // Checked a moment ago, refused now (the customer blocked meanwhile): say which order, and what stands loaded.
      const { line, field } = rowError(order, err.field ?? 'row', err.message);
      throw new DomainError(err.code, `order ${order.ref} (line ${line}): ${err.message}; the orders before it are loaded, the same file again loads the rest`, field, {
        ...err.details,
        line,
        loaded: results,
      });
    }
  }
  return { orders: results, created: results.filter((r) => r.created).length, alreadyLoaded: results.filter((r) => !r.created).length };
}
