import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from './errors.js';

/** A CSV import carries a whole master-data file; every other body is a form or a command. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The routes that take an import file: the master-data kinds, opening orders, count sheets, and the console's upload form. */
const IMPORT_PATH = /^\/(import\/|orders\/opening\/import$|stock\/counts\/import$|finance\/exchange-rates\/import$|invoices\/tax-data\/import$|console\/imports\/)/;

const limit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) => c.json(errorBody('PAYLOAD_TOO_LARGE', `the body is larger than ${maxSize} bytes`, 'body', { maxBytes: maxSize }), 413),
  });

/**
 * Refuses an oversized body before anything reads it (authentication, the audit,
 * validation): a 20 MB field would otherwise be parsed, validated and stored.
 */
export function requestBodyLimit(maxBytes = DEFAULT_MAX_BODY_BYTES): MiddlewareHandler {
  const general = limit(maxBytes);
  const imports = limit(Math.max(maxBytes, IMPORT_MAX_BYTES));
  return (c, next) => (c.req.method === 'POST' && IMPORT_PATH.test(c.req.path) ? imports(c, next) : general(c, next));
}
