import type { DomainErrorCode } from '../../domain/errors.js';

/**
 * The business refusals of the routes that are not order commands (those declare theirs on their row,
 * api/orders/commands.ts), by operation. What every route of a kind may answer (401, 403, 400, 404 with a path
 * value, 413/503/Idempotency-Key refusals on a write) is added by the document builder (api/openapi/document.ts);
 * the fuzz and boundary tests fail on a code an operation answers and does not document.
 */
export const OPERATION_ERRORS: Record<string, readonly DomainErrorCode[]> = {
  'POST /orders': ['UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CUSTOMER_BLOCKED', 'CONFLICT', 'EXCHANGE_RATE_MISSING'],
  'POST /orders/opening': ['UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CUSTOMER_BLOCKED', 'OVER_DELIVERY', 'CONFLICT', 'EXCHANGE_RATE_MISSING'],
  'GET /orders/{number}/timeline': ['UNAVAILABLE'],
  'POST /quotations': ['UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CUSTOMER_BLOCKED'],
  'POST /quotations/{number}/versions': ['INVALID_STATE', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE'],
  'POST /quotations/{number}/accept': ['INVALID_STATE'],
  'POST /quotations/{number}/order': ['INVALID_STATE', 'UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CUSTOMER_BLOCKED', 'CONFLICT', 'EXCHANGE_RATE_MISSING'],
  'POST /customers': ['DUPLICATE', 'CONFLICT', 'UNKNOWN_CUSTOMER'],
  'PATCH /customers/{code}': ['CONFLICT', 'UNKNOWN_CUSTOMER'],
  'PATCH /customers/{code}/controls': ['UNKNOWN_CUSTOMER'],
  'DELETE /customers/{code}': ['IN_USE'],
  'POST /products': ['DUPLICATE'],
  'DELETE /products/{code}': ['IN_USE'],
  'POST /warehouses': ['DUPLICATE'],
  'DELETE /warehouses/{code}': ['IN_USE'],
  'POST /prices/customer-prices': ['UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'DUPLICATE'],
  'PATCH /prices/customer-prices/{id}': ['DUPLICATE'],
  'GET /prices/resolve': ['UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT'],
  'POST /import/{kind}': ['IMPORT_REJECTED'],
  // What the file's rows were checked for can change before an order loads (a customer blocked meanwhile).
  'POST /orders/opening/import': ['IMPORT_REJECTED', 'UNKNOWN_CUSTOMER', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CUSTOMER_BLOCKED', 'OVER_DELIVERY', 'CONFLICT', 'EXCHANGE_RATE_MISSING'],
  'POST /stock/counts/import': ['IMPORT_REJECTED', 'UNKNOWN_WAREHOUSE', 'UNKNOWN_PRODUCT'],
  'POST /receipts': ['UNKNOWN_CUSTOMER', 'NOT_FOUND', 'OVER_PAYMENT', 'CONFLICT', 'EXCHANGE_RATE_MISSING'],
  'POST /finance/monthly-invoices': ['UNKNOWN_CUSTOMER', 'NOTHING_TO_INVOICE', 'BILLED_TO_HEAD_OFFICE', 'EXCHANGE_RATE_MISSING'],
  'POST /orders/{number}/bank-notices': ['INVALID_STATE'],
  'GET /finance/statement': ['UNKNOWN_CUSTOMER'],
  'GET /finance/stuck-payments': ['UNKNOWN_CUSTOMER'],
  'POST /finance/refunds': ['UNKNOWN_CUSTOMER', 'OVER_REFUND', 'EXCHANGE_RATE_MISSING'],
  'GET /finance/customer-credit': ['UNKNOWN_CUSTOMER'],
  'PUT /finance/exchange-rates': ['VALIDATION_FAILED'],
  'POST /finance/exchange-rates/import': ['IMPORT_REJECTED'],
  'POST /orders/{number}/write-offs': ['INVALID_STATE', 'OVER_TOLERANCE', 'CONFLICT'],
  'POST /orders/{number}/write-offs/{id}/approve': ['INVALID_STATE', 'SELF_APPROVAL', 'DUPLICATE_APPROVAL', 'CONFLICT'],
  'POST /orders/{number}/write-offs/{id}/reject': ['INVALID_STATE', 'SELF_APPROVAL', 'CONFLICT'],
  'POST /stock/receipts': ['UNKNOWN_WAREHOUSE', 'UNKNOWN_PRODUCT'],
  'POST /stock/adjustments': ['UNKNOWN_WAREHOUSE', 'UNKNOWN_PRODUCT', 'INSUFFICIENT_STOCK'],
  'POST /stock/transfers': ['UNKNOWN_WAREHOUSE', 'UNKNOWN_PRODUCT', 'INSUFFICIENT_STOCK'],
  'POST /stock/counts': ['UNKNOWN_WAREHOUSE', 'UNKNOWN_PRODUCT'],
  'POST /stock/counts/{number}/approve': ['INVALID_STATE', 'SELF_APPROVAL', 'INSUFFICIENT_STOCK'],
  'PUT /authority/approvers/{name}': ['CONFLICT'],
  'PUT /authority/senior-threshold': ['NOT_FOUND'],
  'POST /authority/credit-controllers': ['NOT_FOUND', 'CONFLICT'],
  'PUT /notification-routing': ['NOT_FOUND'],
};
