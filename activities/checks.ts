import type { OrderCheck } from '../domain/order/index.js';
import { checkCredit, creditDetails, type CreditCheckPoint, type CreditControl } from '../domain/credit.js';
import { dec, money, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { floorPrice, isBelowFloor } from '../domain/pricing.js';
import type { Sql } from '../db/client.js';
import { creditExposureOf } from '../db/credit.js';
import { creditSettings } from '../db/settings.js';
import { asActivity, type ActivityDeps } from './support.js';

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
async function orderWithPayer(sql: Sql, orderNumber: string): Promise<CheckedOrder> {
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
async function floorChecks(sql: Sql, orderId: string): Promise<OrderCheck[]> {
  const lines = await sql<{ line_no: number; product_code: string; unit_price: string; list_price: string; price_floor_rate: string }[]>`
    SELECT l.line_no, p.code AS product_code, l.unit_price, p.list_price, p.price_floor_rate
    FROM sales_order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ${orderId} ORDER BY l.line_no`;
  return lines.map((l) => {
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
  });
}

/** Credit exposure of the paying customer including this order, against what it is allowed. */
export async function creditCheckOf(sql: Sql, orderNumber: string, point: CreditCheckPoint = 'approval'): Promise<OrderCheck> {
  const o = await orderWithPayer(sql, orderNumber);
  const settings = await creditSettings(sql);
  const exposure = await creditExposureOf(sql, o.payer_id, o.id, o.gross_amount);
  const verdict = checkCredit(
    exposure,
    o.credit_control,
    { limit: dec(o.credit_limit), overrunRate: dec(o.credit_overrun_rate) },
    settings.companyTerms,
  );
  const checked = settings.checkPoints.includes(point);
  const details = { ...creditDetails(exposure, verdict, settings.onBreach), payer: o.payer_code, point, checked: String(checked) };
  const allowed = verdict.allowed === null ? 'unlimited' : money(verdict.allowed);
  return {
    code: 'CREDIT_LIMIT_EXCEEDED',
    // A company that does not check credit at this point lets the order pass; the figures still show.
    passed: verdict.passed || !checked,
    message: verdict.passed
      ? `credit of ${o.payer_code}: exposure ${money(verdict.exposure)} within ${allowed}`
      : `credit of ${o.payer_code}: exposure ${money(verdict.exposure)} exceeds ${allowed}${checked ? '' : ` (not checked at ${point})`}`,
    details,
  };
}

/**
 * Runs the checks before approval (审核) against the current master data and
 * stores the result on the order for the approver. Every check belongs in this one list.
 */
export async function evaluateOrderChecks(sql: Sql, orderNumber: string): Promise<OrderCheck[]> {
  const order = await orderWithPayer(sql, orderNumber);
  const checks: OrderCheck[] = [blockedCheck(order), ...(await floorChecks(sql, order.id)), await creditCheckOf(sql, orderNumber, 'approval')];
  await sql`UPDATE sales_orders SET checks = ${sql.json(checks as never)} WHERE id = ${order.id}`;
  return checks;
}

export function checkActivities({ sql }: ActivityDeps) {
  return {
    runOrderChecks: asActivity(({ orderNumber }: { orderNumber: string }) => evaluateOrderChecks(sql, orderNumber)),
    /** The credit check alone, at delivery or invoicing when the settings ask for it there. */
    runCreditCheck: asActivity(({ orderNumber, point }: { orderNumber: string; point: CreditCheckPoint }) => creditCheckOf(sql, orderNumber, point)),
  };
}
