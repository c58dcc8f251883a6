import type { OrderCheck } from '../domain/order/index.js';
import {
  creditCheck,
  creditOutcome,
  overDeliveredAmount,
  type CreditCheckPoint,
  type CreditControl,
  type CreditPayer,
  type ExposureLine,
} from '../domain/credit.js';
import { dec, money, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { floorPrice, isBelowFloor } from '../domain/pricing.js';
import type { Sql, Tx } from '../db/client.js';
import { creditExposureOf } from '../db/credit.js';
import { creditSettings } from '../db/settings.js';

interface CheckedOrder {
  id: string;
  gross_amount: string;
  customer_code: string;
  customer_status: string;
  payer_id: string;
  payer_code: string;
  payer_status: string;
  credit_control: CreditControl;
  credit_limit: string;
  credit_overrun_rate: string;
}

/** The order with its customer and the customer that pays for it (总公司付款: the head office). */
export async function orderWithPayer(sql: Sql | Tx, orderNumber: string): Promise<CheckedOrder> {
  const [order] = await sql<CheckedOrder[]>`
    SELECT o.id, o.gross_amount, c.code AS customer_code, c.approval_status AS customer_status,
           p.id AS payer_id, p.code AS payer_code, p.approval_status AS payer_status,
           p.credit_control, p.credit_limit, p.credit_overrun_rate
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id
    JOIN customers p ON p.id = coalesce(c.bill_to_customer_id, c.id)
    WHERE o.number = ${orderNumber}`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'orderNumber');
  return order;
}

function blockedCheck(o: CheckedOrder): OrderCheck {
  const message =
    o.customer_status === 'blocked'
      ? `customer ${o.customer_code} is blocked`
      : o.payer_status === 'blocked'
        ? `customer ${o.payer_code}, which pays for ${o.customer_code}, is blocked`
        : `customer ${o.customer_code} is not blocked`;
  return { code: 'CUSTOMER_BLOCKED', passed: o.customer_status !== 'blocked' && o.payer_status !== 'blocked', message };
}

/** 单价下限: one check per line against the product's current list price and floor rate. */
async function floorChecks(sql: Sql | Tx, orderNumber: string): Promise<OrderCheck[]> {
  const lines = await sql<{ line_no: number; product_code: string; unit_price: string; list_price: string; price_floor_rate: string }[]>`
    SELECT l.line_no, p.code AS product_code, l.unit_price, p.list_price, p.price_floor_rate
    FROM sales_order_lines l JOIN products p ON p.id = l.product_id JOIN sales_orders o ON o.id = l.order_id
    WHERE o.number = ${orderNumber} ORDER BY l.line_no`;
  return lines.map(floorCheckOf);
}

/** 单价下限 of one line (an order's, or one a change proposes). */
export function floorCheckOf(l: { line_no: number; product_code: string; unit_price: string; list_price: string; price_floor_rate: string }): OrderCheck {
  const below = isBelowFloor(dec(l.unit_price), dec(l.list_price), dec(l.price_floor_rate));
  const floor = floorPrice(dec(l.list_price), dec(l.price_floor_rate));
  return {
    code: 'PRICE_BELOW_FLOOR',
    passed: !below,
    lineNo: l.line_no,
    message: below
      ? `line ${l.line_no}: ${l.product_code} at ${plain(dec(l.unit_price))} is under the floor price ${plain(floor)}`
      : `line ${l.line_no}: price is not under the floor`,
    details: { unitPrice: plain(dec(l.unit_price)), floorPrice: plain(floor) },
  };
}

/** Credit exposure of the paying customer including this order, against what it is allowed. */
export async function creditCheckOf(sql: Sql | Tx, orderNumber: string, point: CreditCheckPoint = 'approval', order?: CheckedOrder): Promise<OrderCheck> {
  const [o, settings] = await Promise.all([order ?? orderWithPayer(sql, orderNumber), creditSettings(sql)]);
  return creditCheck(creditPayerOf(o), settings, await creditExposureOf(sql, o.payer_id, o.id, o.gross_amount), point);
}

/** The order's paying customer, as the domain's credit check takes it. */
export const creditPayerOf = (o: CheckedOrder): CreditPayer => ({
  code: o.payer_code,
  control: o.credit_control,
  limit: o.credit_limit,
  overrunRate: o.credit_overrun_rate,
});

export interface CreditPointCheck {
  orderNumber: string;
  point: Exclude<CreditCheckPoint, 'approval'>;
  key: string;
  /** False where the command cannot be refused (an automatic invoice): a breach is then only a warning. */
  mayBlock: boolean;
  /** At delivery: what ships, so an over-delivery's excess counts as new credit in use. */
  delivering?: { lineNo: number; quantity: string }[];
}

/** The part of this delivery beyond the order's open quantities (zero unless over-delivered). */
async function overDelivery(tx: Tx, orderId: string, delivering: { lineNo: number; quantity: string }[] | undefined): Promise<string> {
  if (!delivering?.length) return '0';
  const lines = await tx<(ExposureLine & { lineNo: number })[]>`
    SELECT line_no AS "lineNo", quantity::text AS "quantity", delivered_qty::text AS "deliveredQty", invoiced_qty::text AS "invoicedQty",
           unit_price::text AS "unitPrice", tax_rate::text AS "taxRate", close_status AS "closeStatus"
    FROM sales_order_lines WHERE order_id = ${orderId}`;
  return money(overDeliveredAmount(lines, delivering));
}

/**
 * 信用控制 at delivery or invoicing, when the settings check there, inside the
 * delivery's or the invoice's own transaction. The order is already part of the
 * exposure (its open remainder as an open order, what left as
 * delivered-not-invoiced), so only an over-delivery's excess is added. A block
 * throws and the caller writes nothing; a warning is recorded with the caller's
 * writes and returned; null when the settings do not check at this point or the
 * credit is within the limit.
 */
export async function creditCheckIn(tx: Tx, c: CreditPointCheck): Promise<OrderCheck | null> {
  const settings = await creditSettings(tx);
  if (!settings.checkPoints.includes(c.point)) return null;
  const o = await orderWithPayer(tx, c.orderNumber);
  const added = await overDelivery(tx, o.id, c.delivering);
  const check = creditCheck(creditPayerOf(o), settings, await creditExposureOf(tx, o.payer_id, null, added), c.point);
  const outcome = creditOutcome(check, c.mayBlock);
  if (outcome === 'pass') return null;
  if (outcome === 'block') {
    const { exposure, allowed } = check.details!;
    throw new DomainError(
      'CREDIT_LIMIT_EXCEEDED',
      `${c.point} of order ${c.orderNumber} refused: customer ${o.payer_code} has a credit exposure of ${exposure}, more than the ${allowed} allowed`,
      'customerCode',
      { customerCode: o.payer_code, exposure: exposure!, allowed: allowed!, point: c.point },
    );
  }
  const warning: OrderCheck = { ...check, passed: false, warning: true };
  await tx`UPDATE sales_orders SET checks = checks || ${tx.json([warning] as never)} WHERE id = ${o.id}`;
  await tx`INSERT INTO notifications (idempotency_key, order_number, kind, message)
           VALUES (${c.key}, ${c.orderNumber}, 'credit_warning', ${`credit warning at ${c.point}: ${warning.message}`})`;
  return warning;
}

/**
 * Runs the checks before approval (审核) against the current master data and
 * stores the result on the order for the approver. Every check belongs in this one list.
 */
export async function evaluateOrderChecks(sql: Sql | Tx, orderNumber: string): Promise<OrderCheck[]> {
  // Independent reads at once (on a transaction they are pipelined on its connection).
  const [order, floors] = await Promise.all([orderWithPayer(sql, orderNumber), floorChecks(sql, orderNumber)]);
  const checks: OrderCheck[] = [blockedCheck(order), ...floors, await creditCheckOf(sql, orderNumber, 'approval', order)];
  await sql`UPDATE sales_orders SET checks = ${sql.json(checks as never)} WHERE id = ${order.id}`;
  return checks;
}
