import { dec, plain } from '../decimal.js';
import { floorPrice, isBelowFloor } from '../pricing.js';

/**
 * What the checks before approval (审核) found. Each failed check names what
 * authority an approver needs; approval rules decide who holds it.
 */
export type OrderCheckCode = 'CUSTOMER_BLOCKED' | 'PRICE_BELOW_FLOOR' | 'CREDIT_LIMIT_EXCEEDED';

export interface OrderCheck {
  code: OrderCheckCode;
  passed: boolean;
  message: string;
  /** The order line it concerns, for line-level checks such as the price floor. */
  lineNo?: number;
  details?: Record<string, string>;
  /**
   * A failed check the settings only warn about (credit in warn mode): shown to
   * the approver and on the order, but it asks for no extra approval and refuses nothing.
   */
  warning?: boolean;
}

/** The failed checks that need an approver's authority; warnings are only shown. */
export function failedChecks(checks: OrderCheck[]): OrderCheck[] {
  return checks.filter((c) => !c.passed && !c.warning);
}

/** 客户状态: the order's customer and the customer that pays for it must not be blocked. */
export function blockedCheck(o: { customer_code: string; customer_status: string; payer_code: string; payer_status: string }): OrderCheck {
  const message =
    o.customer_status === 'blocked'
      ? `customer ${o.customer_code} is blocked`
      : o.payer_status === 'blocked'
        ? `customer ${o.payer_code}, which pays for ${o.customer_code}, is blocked`
        : `customer ${o.customer_code} is not blocked`;
  return { code: 'CUSTOMER_BLOCKED', passed: o.customer_status !== 'blocked' && o.payer_status !== 'blocked', message };
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

