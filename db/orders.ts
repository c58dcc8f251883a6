import { dec, numericText } from '../domain/decimal.js';
import { orderBy } from './listing.js';
import type { OrderCheck } from '../domain/order/index.js';
import type { PriceSource } from '../domain/pricing.js';
import type { Sql, Tx } from './client.js';
import { nextDocumentNumber } from './numbering.js';
import { baseTotals } from '../domain/fx.js';
import { HEADER_SELECT, headerColumns, headerOf, type OrderHeader } from './order-header.js';

export interface OrderLineInsert {
  lineNo: number;
  productId: string;
  warehouseId: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  net: string;
  tax: string;
  /** Which price rule won (or 'manual' when the clerk typed the price). */
  priceRule: PriceSource;
  belowFloor: boolean;
  /** The agreed customer price the line was given (rule 'customer_price'). */
  customerPriceId?: string;
  expectedDeliveryDate: string;
  openingDeliveredQty?: string;
}

export interface OrderInsert {
  customerId: string;
  currency: string;
  createdBy: string;
  createKey: string | null;
  orderDate: string;
  shortfallPolicy: 'block' | 'backorder';
  openingApprovedBy?: string;
  /** Ship-to, salesperson, department, deposit (订金) and payment terms. */
  header: OrderHeader;
  totals: { net: string; tax: string; gross: string };
  /** The rate of the order's date (db/fx.ts documentRate); its base totals follow from it. */
  fxRate: string;
  lines: OrderLineInsert[];
}

/** Saves a new, unapproved order and takes its number, in the caller's transaction. */
export async function insertSalesOrder(tx: Tx, order: OrderInsert): Promise<string> {
  const number = await nextDocumentNumber(tx, 'sales_order', order.orderDate);
  const base = baseTotals(order.totals, order.fxRate);
  const columns = {
    number,
    customer_id: order.customerId,
    currency: order.currency,
    status: 'Unapproved',
    net_amount: order.totals.net,
    tax_amount: order.totals.tax,
    gross_amount: order.totals.gross,
    fx_rate: order.fxRate,
    base_net_amount: base.net,
    base_tax_amount: base.tax,
    base_gross_amount: base.gross,
    created_by: order.createdBy,
    create_key: order.createKey,
    shortfall_policy: order.shortfallPolicy,
    opening_approved_by: order.openingApprovedBy ?? null,
    ...headerColumns(order.header),
  };
  const [row] = await tx<{ id: string }[]>`INSERT INTO sales_orders ${tx(columns)} RETURNING id`;
  await insertOrderLines(tx, row!.id, order.lines);
  return number;
}

/** The order's lines as entered (a new order's, or a draft's after an edit), in the caller's transaction. */
export async function insertOrderLines(tx: Tx, orderId: string, lines: OrderLineInsert[]): Promise<void> {
  const rows = lines.map((l) => ({
    order_id: orderId,
    line_no: l.lineNo,
    product_id: l.productId,
    warehouse_id: l.warehouseId,
    quantity: l.quantity,
    unit_price: l.unitPrice,
    tax_rate: l.taxRate,
    net_amount: l.net,
    tax_amount: l.tax,
    price_rule: l.priceRule,
    below_floor: l.belowFloor,
    customer_price_id: l.customerPriceId ?? null,
    expected_delivery_date: l.expectedDeliveryDate,
    delivered_qty: l.openingDeliveredQty ?? '0',
    invoiced_qty: l.openingDeliveredQty ?? '0',
    close_status: l.openingDeliveredQty !== undefined && dec(l.openingDeliveredQty).greaterThanOrEqualTo(dec(l.quantity)) ? 'Y' : 'N',
  }));
  await tx`INSERT INTO sales_order_lines ${tx(rows)}`;
}

export async function orderNumberByCreateKey(sql: Sql, createKey: string): Promise<string | undefined> {
  const [row] = await sql<{ number: string }[]>`SELECT number FROM sales_orders WHERE create_key = ${createKey}`;
  return row?.number;
}

/** The orders saved under these create keys, by key, with their customer (an import finds what it loaded before). */
export async function ordersByCreateKeys(sql: Sql, keys: string[]): Promise<Map<string, { number: string; customerCode: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await sql<{ create_key: string; number: string; code: string }[]>`
    SELECT o.create_key, o.number, c.code FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.create_key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.create_key, { number: r.number, customerCode: r.code }]));
}

export interface OrderDocuments {
  number: string;
  customerCode: string;
  customerName: string;
  status: string;
  currency: string;
  createdBy: string;
  approvedBy: string | null;
  shortfallPolicy: 'block' | 'backorder';
  rejectedBy: string | null;
  openingApprovedBy: string | null;
  rejectReason: string | null;
  /** 草稿: how many times it was edited before approval or revised after a rejection. */
  revision: number;
  /** Every rejection, oldest first; kept when the order is revised and sent back to approval. */
  rejections: { rejectedBy: string; reason: string; revision: number; rejectedAt: string }[];
  createdAt: string;
  /** Ship-to (a copy), salesperson, department, deposit and the order's own payment terms (null: its payer's). */
  header: ReturnType<typeof headerOf>;
  totals: { net: string; tax: string; gross: string };
  lines: {
    lineNo: number;
    productCode: string;
    warehouseCode: string;
    quantity: string;
    unitPrice: string;
    taxRate: string;
    net: string;
    tax: string;
    reservedQty: string;
    deliveredQty: string;
    invoicedQty: string;
    returnedQty: string;
    closeStatus: string;
    priceRule: PriceSource;
    belowFloor: boolean;
    expectedDeliveryDate: string | null;
    overDeliveryRate: string;
  }[];
  shippingNotices: {
    number: string;
    requiresQualityCheck: boolean;
    qualityResult: string | null;
    qualityCheckedOn: string | null;
    lines: { orderLineNo: number; plannedQty: string; actualQty: string }[];
  }[];
  /** What the checks before approval found (blocked customer, price floor, credit). */
  checks: OrderCheck[];
  deliveryNotes: { number: string; carrier: string | null; trackingNumber: string | null; createdAt: string; lines: { orderLineNo: number; quantity: string }[] }[];
  invoices: { number: string; net: string; tax: string; gross: string; paid: string; issuedOn: string; dueOn: string }[];
  receipts: { number: string; method: string; amount: string; receivedOn: string }[];
  /** 销退单: returns and allowances, each with its lines and the credit note it produced. */
  returns: {
    number: string;
    kind: 'return' | 'allowance';
    deliveryNote: string | null;
    warehouseCode: string | null;
    disposition: string | null;
    reason: string;
    recordedBy: string;
    gross: string;
    createdAt: string;
    lines: { orderLineNo: number; quantity: string; invoicedQty: string; net: string; tax: string }[];
  }[];
  creditNotes: { number: string; invoice: string; salesReturn: string; net: string; tax: string; gross: string; applied: string; issuedOn: string }[];
}

/** Only the order's status (and whether it exists): what a command needs before it goes to the workflow. */
export async function orderStatus(sql: Sql, number: string): Promise<string | undefined> {
  const [row] = await sql<{ status: string }[]>`SELECT status FROM sales_orders WHERE number = ${number}`;
  return row?.status;
}

/** The order as Postgres holds it: the document and everything issued against it. */
export async function orderDocuments(sql: Sql, number: string): Promise<OrderDocuments | undefined> {
  const [o] = await sql`
    SELECT o.id, o.number, c.code AS customer_code, c.name AS customer_name, o.status, o.currency, o.created_by, o.approved_by,
           o.shortfall_policy, o.opening_approved_by, o.rejected_by, o.reject_reason, o.revision, o.created_at, o.net_amount, o.tax_amount, o.gross_amount, o.checks,
           ${sql.unsafe(HEADER_SELECT)}
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${number}`;
  if (!o) return undefined;
  const [lines, notes, noteLines, invoices, receipts, notices, noticeLines, returns, returnLines, creditNotes, rejections] = await Promise.all([
    sql`SELECT l.*, l.expected_delivery_date::text AS expected_date, p.over_delivery_rate, p.code AS product_code, w.code AS warehouse_code
        FROM sales_order_lines l
        JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
        WHERE l.order_id = ${o.id} ORDER BY l.line_no`,
    sql`SELECT id, number, carrier, tracking_number, created_at FROM delivery_notes WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT dl.delivery_note_id, dl.order_line_no, dl.quantity FROM delivery_note_lines dl
        JOIN delivery_notes d ON d.id = dl.delivery_note_id WHERE d.order_id = ${o.id} ORDER BY dl.delivery_note_id, dl.line_no`,
    sql`SELECT number, net_amount, tax_amount, gross_amount, paid_amount, issued_on::text, due_on::text FROM invoices
        WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT number, method, amount, received_on::text FROM receipts WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT id, number, requires_quality_check, quality_result, quality_checked_on::text FROM shipping_notices
        WHERE order_id = ${o.id} ORDER BY id`,
    sql`SELECT nl.* FROM shipping_notice_lines nl JOIN shipping_notices n ON n.id = nl.shipping_notice_id
        WHERE n.order_id = ${o.id} ORDER BY nl.shipping_notice_id, nl.order_line_no`,
    sql`SELECT r.id, r.number, r.kind, d.number AS delivery_note, w.code AS warehouse_code, r.disposition, r.reason, r.recorded_by,
               r.gross_amount, r.created_at
        FROM sales_returns r LEFT JOIN delivery_notes d ON d.id = r.delivery_note_id LEFT JOIN warehouses w ON w.id = r.warehouse_id
        WHERE r.order_id = ${o.id} ORDER BY r.id`,
    sql`SELECT rl.* FROM sales_return_lines rl JOIN sales_returns r ON r.id = rl.sales_return_id WHERE r.order_id = ${o.id}
        ORDER BY rl.sales_return_id, rl.line_no`,
    sql`SELECT cn.number, i.number AS invoice, r.number AS sales_return, cn.net_amount, cn.tax_amount, cn.gross_amount, cn.allocated_amount,
               cn.issued_on::text
        FROM credit_notes cn JOIN invoices i ON i.id = cn.invoice_id JOIN sales_returns r ON r.id = cn.sales_return_id
        WHERE cn.order_id = ${o.id} ORDER BY cn.id`,
    sql`SELECT rejected_by, reason, revision, rejected_at FROM sales_order_rejections WHERE order_id = ${o.id} ORDER BY id`,
  ]);
  return {
    number: o.number,
    customerCode: o.customer_code,
    customerName: o.customer_name,
    status: o.status,
    currency: o.currency,
    createdBy: o.created_by,
    approvedBy: o.approved_by,
    shortfallPolicy: o.shortfall_policy,
    rejectedBy: o.rejected_by,
    openingApprovedBy: o.opening_approved_by,
    rejectReason: o.reject_reason,
    revision: o.revision,
    rejections: rejections.map((r) => ({ rejectedBy: r.rejected_by, reason: r.reason, revision: r.revision, rejectedAt: new Date(r.rejected_at).toISOString() })),
    createdAt: new Date(o.created_at).toISOString(),
    header: headerOf(o),
    totals: { net: o.net_amount, tax: o.tax_amount, gross: o.gross_amount },
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      productCode: l.product_code,
      warehouseCode: l.warehouse_code,
      quantity: numericText(l.quantity),
      unitPrice: numericText(l.unit_price),
      taxRate: numericText(l.tax_rate),
      net: l.net_amount,
      tax: l.tax_amount,
      reservedQty: numericText(l.reserved_qty),
      deliveredQty: numericText(l.delivered_qty),
      invoicedQty: numericText(l.invoiced_qty),
      returnedQty: numericText(l.returned_qty),
      closeStatus: l.close_status,
      priceRule: l.price_rule,
      belowFloor: l.below_floor,
      expectedDeliveryDate: l.expected_date,
      overDeliveryRate: numericText(l.over_delivery_rate),
    })),
    shippingNotices: notices.map((n) => ({
      number: n.number,
      requiresQualityCheck: n.requires_quality_check,
      qualityResult: n.quality_result,
      qualityCheckedOn: n.quality_checked_on,
      lines: noticeLines
        .filter((nl) => nl.shipping_notice_id === n.id)
        .map((nl) => ({ orderLineNo: nl.order_line_no, plannedQty: numericText(nl.planned_qty), actualQty: numericText(nl.actual_qty) })),
    })),
    checks: o.checks,
    deliveryNotes: notes.map((n) => ({
      number: n.number,
      carrier: n.carrier,
      trackingNumber: n.tracking_number,
      createdAt: new Date(n.created_at).toISOString(),
      lines: noteLines
        .filter((dl) => dl.delivery_note_id === n.id)
        .map((dl) => ({ orderLineNo: dl.order_line_no, quantity: numericText(dl.quantity) })),
    })),
    invoices: invoices.map((i) => ({
      number: i.number,
      net: i.net_amount,
      tax: i.tax_amount,
      gross: i.gross_amount,
      paid: i.paid_amount,
      issuedOn: i.issued_on,
      dueOn: i.due_on,
    })),
    receipts: receipts.map((r) => ({ number: r.number, method: r.method, amount: r.amount, receivedOn: r.received_on })),
    returns: returns.map((r) => ({
      number: r.number,
      kind: r.kind,
      deliveryNote: r.delivery_note,
      warehouseCode: r.warehouse_code,
      disposition: r.disposition,
      reason: r.reason,
      recordedBy: r.recorded_by,
      gross: r.gross_amount,
      createdAt: new Date(r.created_at).toISOString(),
      lines: returnLines
        .filter((l) => l.sales_return_id === r.id)
        .map((l) => ({
          orderLineNo: l.order_line_no,
          quantity: numericText(l.quantity),
          invoicedQty: numericText(l.invoiced_qty),
          net: l.net_amount,
          tax: l.tax_amount,
        })),
    })),
    creditNotes: creditNotes.map((c) => ({
      number: c.number,
      invoice: c.invoice,
      salesReturn: c.sales_return,
      net: c.net_amount,
      tax: c.tax_amount,
      gross: c.gross_amount,
      applied: c.allocated_amount,
      issuedOn: c.issued_on,
    })),
  };
}

export interface OrderListFilter {
  status?: string | undefined;
  customerCode?: string | undefined;
  /** Taken (created) on or after / on or before these business days; needs `timeZone` (the dashboard's order counts open this list). */
  from?: string | undefined;
  to?: string | undefined;
  timeZone?: string | undefined;
  /** `field` ascending, `-field` descending, among ORDER_SORTS; newest first when not given. */
  sort?: string | undefined;
  limit: number;
  offset: number;
}

export const ORDER_SORTS = { number: 'number', createdAt: 'created_at', gross: 'gross_amount', status: 'status' } as const;

export async function listOrders(sql: Sql, f: OrderListFilter) {
  const rows = await sql`
    SELECT o.number, c.code AS customer_code, c.name AS customer_name, o.status, o.currency, o.gross_amount, o.created_by, o.created_at,
           count(*) OVER () AS total
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id
    WHERE (${f.status ?? null}::text IS NULL OR o.status = ${f.status ?? null})
      AND (${f.customerCode ?? null}::text IS NULL OR c.code = ${f.customerCode ?? null})
      AND (${f.from ?? null}::date IS NULL OR o.created_at >= (${f.from ?? null}::date::timestamp AT TIME ZONE ${f.timeZone ?? 'UTC'}))
      AND (${f.to ?? null}::date IS NULL OR o.created_at < ((${f.to ?? null}::date + 1)::timestamp AT TIME ZONE ${f.timeZone ?? 'UTC'}))
    ORDER BY ${f.sort ? orderBy(sql, 'o', ORDER_SORTS, f.sort) : sql`o.id DESC`}, o.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`;
  return {
    total: rows.length > 0 ? Number(rows[0]!.total) : 0,
    items: rows.map((r) => ({
      number: r.number as string,
      customerCode: r.customer_code as string,
      customerName: r.customer_name as string,
      status: r.status as string,
      currency: r.currency as string,
      gross: r.gross_amount as string,
      createdBy: r.created_by as string,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

export interface OrderLineCodes {
  productCode: string;
  warehouseCode: string;
  quantity: string;
  unitPrice: string;
}

/** An order's lines by code, in line order (an import compares a file with the order it loaded before). */
export async function orderLineCodes(sql: Sql, number: string): Promise<OrderLineCodes[]> {
  return sql<OrderLineCodes[]>`
    SELECT p.code AS "productCode", w.code AS "warehouseCode", l.quantity::text AS quantity, l.unit_price::text AS "unitPrice"
    FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
    WHERE o.number = ${number} ORDER BY l.line_no`;
}
