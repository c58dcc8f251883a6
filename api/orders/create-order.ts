import type { Client } from '@temporalio/client';
import { checkAmountsFit, lineAmounts, moneyTotals } from '../../domain/amounts.js';
import { businessDate } from '../../domain/calendar.js';
import { dec, money, numericText, plain } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import { checkOpeningLoad, defaultDeliveryDate, newOrderState, type NewOrderLine, type NewSalesOrder, type OrderCheck, type ShortfallPolicy } from '../../domain/order/index.js';
import type { Sql } from '../../db/client.js';
import { customerByCode, productsByCode, warehousesByCode } from '../../db/master.js';
import { customerPricesOf, pricingTables } from '../../db/pricing.js';
import { parsePricingOrder, priceLine } from '../../domain/pricing.js';
import { evaluateOrderChecks } from '../../db/order-checks.js';
import { documentRate } from '../../db/fx.js';
import { insertSalesOrder, orderDocuments, orderNumberByCreateKey, type OrderLineInsert } from '../../db/orders.js';
import { customerBillingTerms } from '../../db/receivables.js';
import { resolveOrderHeader, type OrderHeaderRequest } from './order-header.js';
import type { SearchAttributePair } from '@temporalio/common';
import { readApprovalRules } from '../../db/approval-rules.js';
import { orderSearchAttributes } from '../../workflows/sales-order/search-attributes.js';
import {
  ORDER_PROCESS_VERSION,
  orderWorkflowId,
  SALES_ORDER_WORKFLOW,
  type SalesOrderInput,
} from '../../workflows/sales-order/definitions.js';

export interface CreateOrderRequest extends OrderHeaderRequest {
  customerCode: string;
  /** What a stock shortfall at approval does: block the approval (default) or back-order the rest. */
  shortfallPolicy?: ShortfallPolicy | undefined;
  lines: {
    productCode: string;
    warehouseCode: string;
    quantity: string;
    unitPrice?: string | undefined;
    /** 预交货日; defaults to the order date plus DEFAULT_DELIVERY_DAYS (domain/order/header.ts). */
    expectedDeliveryDate?: string | undefined;
  }[];
}

/** 期初开账: the signed-in admin who loads (and so approves) the order, and what each line already delivered in the old system. */
export interface OpeningBalance {
  approvedBy: string;
  deliveredQty: string[];
}

/** Durations and history limits handed to every order workflow (from runtime config; tests shorten them). */
export type OrderWorkflowOptions = Pick<SalesOrderInput, 'approvalReminderAfterMs' | 'approvalEscalationAfterMs' | 'continueAsNewAfterEvents'>;

export interface OrderServiceDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  timeZone: string;
  now?: () => Date;
  orderWorkflow?: OrderWorkflowOptions;
  /** How long a command waits for the order's answer before a 503 (COMMAND_ANSWER_TIMEOUT; api/orders/workflow-commands.ts). */
  commandTimeoutMs?: number;
}

/** Resolves codes to master data and prices the lines; refuses with the offending field named. */
export async function prepareOrder(sql: Sql, req: CreateOrderRequest, orderDate: string) {
  // Independent reads at once; the customer's agreed prices need the customer and the products.
  const [customer, products, warehouses, tables] = await Promise.all([
    customerByCode(sql, req.customerCode),
    productsByCode(sql, [...new Set(req.lines.map((l) => l.productCode))]),
    warehousesByCode(sql, [...new Set(req.lines.map((l) => l.warehouseCode))]),
    pricingTables(sql),
  ]);
  if (!customer || !customer.active) {
    throw new DomainError('UNKNOWN_CUSTOMER', `customer ${req.customerCode} does not exist`, 'customerCode');
  }
  if (customer.approvalStatus === 'blocked' || customer.payerApprovalStatus === 'blocked') {
    const who = customer.approvalStatus === 'blocked' ? customer.code : `${customer.payerCode}, which pays for ${customer.code},`;
    throw new DomainError('CUSTOMER_BLOCKED', `customer ${who} is blocked and cannot receive new orders`, 'customerCode');
  }
  const agreedPrices = await customerPricesOf(sql, customer.id, [...products.values()].map((p) => p.id));
  const lines = req.lines.map((l, i) => {
    const product = products.get(l.productCode);
    if (!product || !product.active) {
      throw new DomainError('UNKNOWN_PRODUCT', `product ${l.productCode} does not exist`, `lines[${i}].productCode`);
    }
    const warehouse = warehouses.get(l.warehouseCode);
    if (!warehouse || !warehouse.active) {
      throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${l.warehouseCode} does not exist`, `lines[${i}].warehouseCode`);
    }
    const quantity = dec(l.quantity);
    const priced = priceLine({
      listPrice: dec(product.listPrice),
      floorRate: dec(product.priceFloorRate),
      quantity,
      date: orderDate,
      grade: customer.grade,
      pricingOrder: parsePricingOrder(customer.pricingOrder),
      customerPrices: agreedPrices.get(product.id) ?? [],
      ...tables,
      manualPrice: l.unitPrice === undefined ? undefined : dec(l.unitPrice),
    });
    const taxRate = dec(product.taxRate);
    return { lineNo: i + 1, product, warehouse, quantity, priced, unitPrice: priced.unitPrice, taxRate, amounts: lineAmounts(quantity, priced.unitPrice, taxRate) };
  });
  return { customer, lines, totals: moneyTotals(checkAmountsFit(lines.map((l, i) => ({ amounts: l.amounts, field: `lines[${i}].quantity` })))) };
}

/**
 * An order as the clerk enters it, priced and with its billing terms, as Postgres
 * stores its lines (rows) and as its workflow takes them (lines): what creating an
 * order and editing its draft both save.
 */
export async function priceOrder(sql: Sql, req: CreateOrderRequest, orderDate: string, enteredBy: string) {
  const [prepared, terms] = await Promise.all([prepareOrder(sql, req, orderDate), customerBillingTerms(sql, req.customerCode)]);
  const header = await resolveOrderHeader(sql, { customer: prepared.customer, gross: prepared.totals.gross, customerDepositRatio: terms.depositRatio, enteredBy }, req);
  const billing = { invoiceMode: terms.invoiceMode, depositRequired: header.depositRequired };
  const expectedOn = (i: number) => req.lines[i]!.expectedDeliveryDate ?? defaultDeliveryDate(orderDate);
  const rows: OrderLineInsert[] = prepared.lines.map((l) => ({
    lineNo: l.lineNo,
    productId: l.product.id,
    warehouseId: l.warehouse.id,
    quantity: plain(l.quantity),
    unitPrice: plain(l.unitPrice),
    taxRate: plain(l.taxRate),
    net: money(l.amounts.net),
    tax: money(l.amounts.tax),
    priceRule: l.priced.rule,
    belowFloor: l.priced.belowFloor,
    ...(l.priced.customerPriceId ? { customerPriceId: l.priced.customerPriceId } : {}),
    expectedDeliveryDate: expectedOn(l.lineNo - 1),
  }));
  const lines: NewOrderLine[] = prepared.lines.map((l) => ({
    lineNo: l.lineNo,
    productCode: l.product.code,
    warehouseCode: l.warehouse.code,
    quantity: plain(l.quantity),
    unitPrice: plain(l.unitPrice),
    taxRate: plain(l.taxRate),
    overDeliveryRate: numericText(l.product.overDeliveryRate),
    expectedDeliveryDate: expectedOn(l.lineNo - 1),
  }));
  return { prepared, billing, header, shortfallPolicy: req.shortfallPolicy ?? 'block', rows, lines };
}

export async function startOrderWorkflow(deps: OrderServiceDeps, order: NewSalesOrder, openingReview?: SalesOrderInput['openingReview']): Promise<void> {
  await deps.temporal.workflow.start(SALES_ORDER_WORKFLOW, {
    taskQueue: deps.taskQueue,
    workflowId: orderWorkflowId(order.orderNumber),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ order, ...deps.orderWorkflow, processVersion: ORDER_PROCESS_VERSION, ...(openingReview ? { openingReview } : {}) }],
    // The attributes the workflow would upsert first, so its first upsert is its first change.
    typedSearchAttributes: orderSearchAttributes(newOrderState(order)).filter((p) => p.value !== null) as SearchAttributePair[],
  });
  await deps.sql`UPDATE sales_orders SET workflow_started = true WHERE number = ${order.orderNumber}`;
}

/** The workflow input rebuilt from the stored order, for a start that has to be repeated. */
async function storedOrder(sql: Sql, number: string): Promise<{ order: NewSalesOrder }> {
  const doc = await orderDocuments(sql, number);
  if (!doc) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  const [row] = await sql<{ deposit_required: string }[]>`SELECT deposit_required::text FROM sales_orders WHERE number = ${number}`;
  const { invoiceMode } = await customerBillingTerms(sql, doc.customerCode);
  return {
    order: {
      orderNumber: doc.number,
      customerCode: doc.customerCode,
      currency: doc.currency,
      createdBy: doc.createdBy,
      invoiceMode,
      depositRequired: row!.deposit_required,
      shortfallPolicy: doc.shortfallPolicy,
      ...(doc.openingApprovedBy ? { openingApprovedBy: doc.openingApprovedBy } : {}),
      lines: doc.lines.map((l) => ({
        lineNo: l.lineNo,
        productCode: l.productCode,
        warehouseCode: l.warehouseCode,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        taxRate: l.taxRate,
        overDeliveryRate: l.overDeliveryRate,
        ...(l.expectedDeliveryDate ? { expectedDeliveryDate: l.expectedDeliveryDate } : {}),
        // Not started yet, so what the lines show delivered is still the opening balance.
        ...(doc.openingApprovedBy ? { openingDeliveredQty: l.deliveredQty } : {}),
      })),
    },
  };
}

/**
 * 客户订单: saves the unapproved order with its number, then starts its workflow.
 * A repeated request with the same Idempotency-Key returns the first order.
 */
export async function createOrder(
  deps: OrderServiceDeps,
  req: CreateOrderRequest,
  createdBy: string,
  createKey?: string,
  opening?: OpeningBalance,
): Promise<{ orderNumber: string; created: boolean }> {
  if (createKey) {
    const existing = await orderNumberByCreateKey(deps.sql, createKey);
    if (existing) {
      await resumeOrder(deps, existing);
      return { orderNumber: existing, created: false };
    }
  }
  const orderDate = businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);
  const { prepared, billing, header, shortfallPolicy, rows, lines } = await priceOrder(deps.sql, req, orderDate, createdBy);
  const opened = <T>(line: T, i: number): T => (opening ? { ...line, openingDeliveredQty: opening.deliveredQty[i]! } : line);
  let saved: { number: string; openingChecks: OrderCheck[] | undefined };
  try {
    saved = await deps.sql.begin(async (tx) => {
      const number = await insertSalesOrder(tx, {
        customerId: prepared.customer.id,
        currency: prepared.customer.currency,
        // A currency without a rate on or before the order's date refuses the order before it is saved.
        fxRate: await documentRate(tx, prepared.customer.currency, orderDate),
        createdBy,
        createKey: createKey ?? null,
        orderDate,
        shortfallPolicy,
        ...(opening ? { openingApprovedBy: opening.approvedBy } : {}),
        header,
        totals: prepared.totals,
        lines: rows.map(opened),
      });
      // 期初开账: loading is the approval, so the checks are stored with the order, and one that refuses the load
      // (checkOpeningLoad) leaves nothing saved.
      const openingChecks = opening ? await evaluateOrderChecks(tx, number) : undefined;
      if (openingChecks) checkOpeningLoad(openingChecks);
      return { number, openingChecks };
    });
  } catch (err) {
    // The same request running twice at once (a takeover of an abandoned Idempotency-Key): the other one saved it.
    const { code, constraint_name: constraint } = err as { code?: string; constraint_name?: string };
    const existing = createKey && code === '23505' && constraint === 'sales_orders_create_key_key' ? await orderNumberByCreateKey(deps.sql, createKey) : undefined;
    if (!existing) throw err;
    await resumeOrder(deps, existing);
    return { orderNumber: existing, created: false };
  }
  // The approver sees what the checks found (blocked, under the floor, credit) from the start; the workflow
  // derives its first approval requirements from them and the rules.
  const [checks, rules] = await Promise.all([saved.openingChecks ?? evaluateOrderChecks(deps.sql, saved.number), readApprovalRules(deps.sql)]);
  const orderNumber = saved.number;
  const order: NewSalesOrder = {
    orderNumber,
    customerCode: prepared.customer.code,
    currency: prepared.customer.currency,
    createdBy,
    ...billing,
    shortfallPolicy,
    ...(opening ? { openingApprovedBy: opening.approvedBy } : {}),
    lines: lines.map(opened),
  };
  await startOrderWorkflow(deps, order, { checks, rules });
  return { orderNumber, created: true };
}

/** Starts the workflow of a stored order if it is not known to run (idempotent). */
export async function resumeOrder(deps: OrderServiceDeps, orderNumber: string): Promise<void> {
  const [row] = await deps.sql<{ workflow_started: boolean }[]>`SELECT workflow_started FROM sales_orders WHERE number = ${orderNumber}`;
  if (!row || row.workflow_started) return;
  const { order } = await storedOrder(deps.sql, orderNumber);
  await startOrderWorkflow(deps, order);
}

/** Orders saved but whose workflow start was lost (the process died between the two). */
export async function resumeUnstartedOrders(deps: OrderServiceDeps, olderThanSeconds = 30): Promise<string[]> {
  const rows = await deps.sql<{ number: string }[]>`
    SELECT number FROM sales_orders WHERE NOT workflow_started AND created_at < now() - make_interval(secs => ${olderThanSeconds})
    ORDER BY id LIMIT 100`;
  for (const r of rows) await resumeOrder(deps, r.number);
  return rows.map((r) => r.number);
}
