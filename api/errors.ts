import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, ServiceError } from '@temporalio/client';
import { DomainError, isDomainErrorCode, type DomainErrorCode } from '../domain/errors.js';

/** The one table from error code to HTTP status. */
export const STATUS_OF: Record<DomainErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  UNKNOWN_CUSTOMER: 422,
  UNKNOWN_PRODUCT: 422,
  UNKNOWN_WAREHOUSE: 422,
  CUSTOMER_BLOCKED: 422,
  INVALID_STATE: 409,
  SELF_APPROVAL: 403,
  DUPLICATE_APPROVAL: 409,
  NO_APPROVAL_AUTHORITY: 403,
  QUALITY_CHECK_REQUIRED: 409,
  INSUFFICIENT_STOCK: 409,
  OVER_DELIVERY: 422,
  OVER_PAYMENT: 422,
  NOTHING_TO_INVOICE: 409,
  OVER_INVOICE: 422,
  DUPLICATE: 409,
  CONFLICT: 409,
  IN_USE: 409,
  IMPORT_REJECTED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNAVAILABLE: 503,
  DEPOSIT_NOT_RECEIVED: 409,
  OVER_TOLERANCE: 422,
  CHANGE_PENDING: 409,
  CHANGE_LIMIT_REACHED: 409,
  NOTHING_CHANGED: 422,
  QUANTITY_BELOW_DELIVERED: 422,
  PRICE_LOCKED: 409,
  OVER_RETURN: 422,
  OVER_ALLOWANCE: 422,
  OVER_REFUND: 422,
  CREDIT_LIMIT_EXCEEDED: 422,
  BILLED_TO_HEAD_OFFICE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  APPROVAL_STARTED: 409,
  EXCHANGE_RATE_MISSING: 422,
};

/** What each code means to a caller, for the OpenAPI document's error responses (api/openapi/document.ts). */
export const MEANING_OF: Record<DomainErrorCode, string> = {
  VALIDATION_FAILED: 'The input does not follow the schema; `field` names the first bad field, `details.issues` lists all',
  NOT_FOUND: 'The order, document or record named in the path does not exist',
  UNKNOWN_CUSTOMER: 'No such customer',
  UNKNOWN_PRODUCT: 'No such product',
  UNKNOWN_WAREHOUSE: 'No such warehouse',
  CUSTOMER_BLOCKED: 'The customer is blocked (停止交易)',
  INVALID_STATE: "The order's state does not take this command (e.g. approving a delivered order)",
  SELF_APPROVAL: 'The person who entered or requested it may not approve it',
  DUPLICATE_APPROVAL: 'This person has already approved it',
  NO_APPROVAL_AUTHORITY: 'No approval this person could give is still missing',
  QUALITY_CHECK_REQUIRED: 'The shipping notice needs a passed quality check first',
  INSUFFICIENT_STOCK: 'Not enough stock on hand or reserved',
  OVER_DELIVERY: 'More than the line still has open',
  OVER_PAYMENT: 'More than the amount still due',
  NOTHING_TO_INVOICE: 'Nothing delivered is left to invoice',
  OVER_INVOICE: 'More than the line has delivered and not yet invoiced',
  DUPLICATE: 'A record with this code or number already exists',
  CONFLICT: 'Someone else changed it first, or it conflicts with what exists; read again and retry',
  IN_USE: 'Still used by orders or documents, so it cannot be deleted',
  IMPORT_REJECTED: 'The file has bad rows; `details.errors` lists each line and field; nothing was imported',
  UNAUTHENTICATED: 'No valid bearer token',
  FORBIDDEN: "The user's role may not do this (field `role`; `details.allowedRoles` says who may)",
  UNAVAILABLE: 'The audit trail, the database or the workflow service could not be reached: nothing was done; retry with the same Idempotency-Key',
  DEPOSIT_NOT_RECEIVED: 'The deposit the terms ask for has not been received',
  OVER_TOLERANCE: 'The difference is larger than the write-off tolerance',
  CHANGE_PENDING: 'Another change of this order waits for approval',
  CHANGE_LIMIT_REACHED: 'The order has had as many changes as it may',
  NOTHING_CHANGED: 'The change changes nothing',
  QUANTITY_BELOW_DELIVERED: 'A line cannot go below what was already delivered',
  PRICE_LOCKED: 'The price of a delivered or invoiced line cannot change',
  OVER_RETURN: 'More than was delivered and not yet returned',
  OVER_ALLOWANCE: 'More than was invoiced and not yet credited',
  OVER_REFUND: 'More than the customer has on credit',
  CREDIT_LIMIT_EXCEEDED: "The customer's credit limit does not allow it",
  BILLED_TO_HEAD_OFFICE: "The customer's invoices go to its head office",
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used for another request; use a new key',
  IDEMPOTENCY_KEY_IN_USE: 'The first request with this Idempotency-Key is still running; repeat it later',
  PAYLOAD_TOO_LARGE: 'The body is larger than MAX_BODY_BYTES',
  APPROVAL_STARTED: 'The draft already has an approval: it is edited only after an approver rejects it',
  EXCHANGE_RATE_MISSING: 'No exchange rate for the currency on or before the document date; `details` names currency and date',
};

export interface ErrorBody {
  error: { code: string; message: string; field: string | null; details?: Record<string, unknown> };
}

export function errorBody(code: string, message: string, field: string | null, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, field, ...(details && Object.keys(details).length ? { details } : {}) } };
}

/** A refusal that came back from the workflow (validator or handler) as a DomainError again. */
export function fromTemporal(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const f = err.cause;
    const code = isDomainErrorCode(f.type) ? f.type : 'CONFLICT';
    const [first] = (f.details ?? []) as { field?: string | null }[];
    const { field, ...details } = first ?? {};
    return new DomainError(code, f.message, field ?? undefined, details);
  }
  return err;
}

/**
 * postgres.js's own codes when there is no server to talk to (refused, cut off, timed out): the database is away
 * for now, not a bug, and the request retried with its Idempotency-Key finds the claim or the result it left.
 */
const DATABASE_AWAY = new Set(['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

export function handleError(err: unknown, c: Context): Response {
  const e = fromTemporal(err);
  if (e instanceof DomainError) {
    return c.json(errorBody(e.code, e.message, e.field ?? null, e.details), STATUS_OF[e.code]);
  }
  if (e instanceof HTTPException) {
    // Hono's own refusals, e.g. a body that is not JSON.
    return c.json(errorBody('VALIDATION_FAILED', e.message, 'body'), e.status as ContentfulStatusCode);
  }
  if (e instanceof WorkflowNotFoundError) {
    return c.json(errorBody('NOT_FOUND', 'no running workflow for this order', 'number'), 404);
  }
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    // The command may still run: repeating it with the same Idempotency-Key returns its result.
    return c.json(errorBody('UNAVAILABLE', 'the order did not answer in time; repeat the request with the same Idempotency-Key', null), 503);
  }
  if (e instanceof ServiceError) {
    console.error(JSON.stringify({ msg: 'temporal unavailable', err: String(e) }));
    return c.json(errorBody('UNAVAILABLE', 'the workflow service did not answer; try again', null), 503);
  }
  const pg = e as { code?: string; constraint_name?: string; message?: string };
  if (pg && typeof pg.code === 'string' && DATABASE_AWAY.has(pg.code)) {
    return c.json(errorBody('UNAVAILABLE', 'the database could not be reached; try again', null), 503);
  }
  if (pg && typeof pg.code === 'string' && /^[0-9A-Z]{5}$/.test(pg.code)) {
    if (pg.code === '23505') return c.json(errorBody('DUPLICATE', pg.message ?? 'duplicate', pg.constraint_name ?? null), 409);
    if (pg.code === '23514' || pg.code === '23503') {
      return c.json(errorBody('VALIDATION_FAILED', pg.message ?? 'constraint violated', pg.constraint_name ?? null), 422);
    }
    // 57P01–57P03: the server is being stopped, has crashed, or is shutting down or starting up.
    if (pg.code === '40001' || pg.code === '40P01' || pg.code.startsWith('08') || /^57P0[123]$/.test(pg.code)) {
      return c.json(errorBody('UNAVAILABLE', 'the database is busy; try again', null), 503);
    }
  }
  console.error(JSON.stringify({ msg: 'unhandled error', path: c.req.path, err: String((e as Error)?.stack ?? e) }));
  return c.json(errorBody('INTERNAL', 'internal error', null), 500);
}
