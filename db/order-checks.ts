import { creditCheck, type CreditCheckPoint, type CreditControl, type CreditPayer } from '../domain/credit.js';
import { DomainError } from '../domain/errors.js';
import { blockedCheck, floorCheckOf, type OrderCheck } from '../domain/order/index.js';
import type { Sql, Tx } from './client.js';
import { creditExposureOf } from './credit.js';
import { creditSettings } from './settings.js';

/** The checks before approval (审核), read from the order and its master data; used by the API and the activities. */

export interface CheckedOrder {
  id: string;
  gross_amount: string;
  /** The gross in the base currency, and the order's rate: credit is counted in base. */
  base_gross_amount: string;
  fx_rate: string;
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
    SELECT o.id, o.gross_amount, o.base_gross_amount::text, o.fx_rate::text, c.code AS customer_code, c.approval_status AS customer_status,
           p.id AS payer_id, p.code AS payer_code, p.approval_status AS payer_status,
           p.credit_control, p.credit_limit, p.credit_overrun_rate
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id
    JOIN customers p ON p.id = coalesce(c.bill_to_customer_id, c.id)
    WHERE o.number = ${orderNumber}`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'orderNumber');
  return order;
}

/** 单价下限: one check per line against the product's current list price and floor rate. */
async function floorChecks(sql: Sql | Tx, orderNumber: string): Promise<OrderCheck[]> {
  const lines = await sql<{ line_no: number; product_code: string; unit_price: string; list_price: string; price_floor_rate: string }[]>`
    SELECT l.line_no, p.code AS product_code, l.unit_price, p.list_price, p.price_floor_rate
    FROM sales_order_lines l JOIN products p ON p.id = l.product_id JOIN sales_orders o ON o.id = l.order_id
    WHERE o.number = ${orderNumber} ORDER BY l.line_no`;
  return lines.map(floorCheckOf);
}

/** Credit exposure of the paying customer including this order, against what it is allowed. */
export async function creditCheckOf(sql: Sql | Tx, orderNumber: string, point: CreditCheckPoint = 'approval', order?: CheckedOrder): Promise<OrderCheck> {
  const [o, settings] = await Promise.all([order ?? orderWithPayer(sql, orderNumber), creditSettings(sql)]);
  return creditCheck(creditPayerOf(o), settings, await creditExposureOf(sql, o.payer_id, o.id, o.base_gross_amount), point);
}

/** The order's paying customer, as the domain's credit check takes it. */
export const creditPayerOf = (o: CheckedOrder): CreditPayer => ({
  code: o.payer_code,
  control: o.credit_control,
  limit: o.credit_limit,
  overrunRate: o.credit_overrun_rate,
});

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

