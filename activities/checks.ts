import type { OrderCheck } from '../domain/order/index.js';
import { creditCheck, creditOutcome, overDeliveredAmount, type CreditCheckPoint, type ExposureLine } from '../domain/credit.js';
import { money } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { Tx } from '../db/client.js';
import { creditExposureOf } from '../db/credit.js';
import { creditPayerOf, orderWithPayer } from '../db/order-checks.js';
import { creditSettings } from '../db/settings.js';

// The checks before approval are read in db/order-checks.ts (the API runs them too); the activities use them from there.
export { floorCheckOf } from '../domain/order/index.js';
export { creditPayerOf, orderWithPayer } from '../db/order-checks.js';

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
           unit_price::text AS "unitPrice", tax_rate::text AS "taxRate", close_status AS "closeStatus",
           (SELECT fx_rate FROM sales_orders WHERE id = ${orderId})::text AS "fxRate"
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

