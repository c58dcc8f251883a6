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
}

export function failedChecks(checks: OrderCheck[]): OrderCheck[] {
  return checks.filter((c) => !c.passed);
}
