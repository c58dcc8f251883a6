/**
 * The one error type for business refusals. `code` is stable (clients and the
 * workflow branch on it); `field` names the input that caused it when there is one.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const DOMAIN_ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'UNKNOWN_CUSTOMER',
  'UNKNOWN_PRODUCT',
  'UNKNOWN_WAREHOUSE',
  'CUSTOMER_BLOCKED',
  'INVALID_STATE',
  'SELF_APPROVAL',
  'DUPLICATE_APPROVAL',
  'NO_APPROVAL_AUTHORITY',
  'QUALITY_CHECK_REQUIRED',
  'INSUFFICIENT_STOCK',
  'OVER_DELIVERY',
  'OVER_PAYMENT',
  'NOTHING_TO_INVOICE',
  'DUPLICATE',
  'CONFLICT',
  'IN_USE',
  'IMPORT_REJECTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNAVAILABLE',
  'DEPOSIT_NOT_RECEIVED',
  'OVER_TOLERANCE',
  // Changes and returns (issue 5).
  'CHANGE_PENDING',
  'CHANGE_LIMIT_REACHED',
  'NOTHING_CHANGED',
  'QUANTITY_BELOW_DELIVERED',
  'PRICE_LOCKED',
  'OVER_RETURN',
  'OVER_ALLOWANCE',
  'OVER_REFUND',
  'CREDIT_LIMIT_EXCEEDED',
  'BILLED_TO_HEAD_OFFICE',
  // Idempotency-Key bound to its request (issue 14).
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
  // A request body larger than the configured limit (MAX_BODY_BYTES).
  'PAYLOAD_TOO_LARGE',
  // A draft with an approval given is no longer edited (issue 17).
  'APPROVAL_STARTED',
  // Partial invoicing and VAT invoice data (issue 19).
  'OVER_INVOICE',
  // A foreign-currency document with no exchange rate on or before its date (issue 19, domain/fx.ts).
  'EXCHANGE_RATE_MISSING',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export function isDomainErrorCode(value: unknown): value is DomainErrorCode {
  return typeof value === 'string' && (DOMAIN_ERROR_CODES as readonly string[]).includes(value);
}
