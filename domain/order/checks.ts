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
