import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import type { Sql } from '../../db/client.js';
import { claimIdempotencyKey, releaseIdempotencyKey, storedRequest, storeResponse } from '../../db/idempotency.js';
import { errorBody } from '../errors.js';
import { commandRouteOf } from './route-of.js';

/** How long a duplicate waits for the first request with its key before it is told the key is in use. */
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 100;
const KEY = /^[\x21-\x7e]{8,200}$/;

export interface IdempotencySettings {
  /** How long a key is kept (IDEMPOTENCY_KEY_TTL, default 24 h). */
  ttlMs: number;
}

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's Idempotency-Key with its user and body hash (set by idempotentCommands). */
    requestKey: string;
  }
}

/**
 * The Idempotency-Key as the layers below see it (an update id, an order's create key, a receipt's workflow id):
 * scoped by the user, the body (so a key reused after it expired, for another request, finds nothing of the
 * first) and what the caller names, e.g. the command. The same request retried after a 5xx gets the same one.
 */
export function scopedKey(c: Context, scope?: string): string | undefined {
  const key = c.get('requestKey');
  return key && (scope ? `${key}:${scope}` : key);
}

const replay = (r: { status: number; contentType: string | null; response: string | null }) =>
  new Response(r.status === 204 ? null : r.response, {
    status: r.status,
    headers: { ...(r.contentType ? { 'content-type': r.contentType } : {}), 'idempotent-replayed': 'true' },
  });

/** Sorts object keys at every level, so the same request with its fields in another order is the same request. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
}

/** The body as compared: JSON by its values (key order and spacing aside); anything else by its text. */
function canonicalBody(text: string): string {
  try {
    return JSON.stringify(sortedKeys(JSON.parse(text)));
  } catch {
    return text; // not JSON, or nested past the stack: the raw text still tells one request from another
  }
}

/**
 * Idempotency as payment APIs do it: a key is bound to the user, the route (method and path) and the SHA-256
 * of the body (JSON compared by its values: key order and spacing aside). The same request again gets the first response (refusals included; a 5xx is not kept, so it may
 * be retried); the key with another body or route is refused (422 IDEMPOTENCY_KEY_REUSED); a duplicate that
 * arrives while the first runs waits for its response, up to ten seconds (then 409 IDEMPOTENCY_KEY_IN_USE).
 */
export function idempotentCommands(sql: Sql, settings: IdempotencySettings): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !commandRouteOf(c)) return next();
    if (!KEY.test(key)) {
      return c.json(errorBody('VALIDATION_FAILED', 'idempotency-key: 8 to 200 printable ASCII characters', 'idempotency-key'), 400);
    }
    const userName = c.get('user').name;
    const claim = {
      userName,
      key,
      method: c.req.method,
      path: c.req.path,
      bodySha256: createHash('sha256').update(canonicalBody(await c.req.text())).digest('hex'),
      ttlMs: settings.ttlMs,
    };
    c.set('requestKey', `${userName}:${key}:${claim.bodySha256.slice(0, 16)}`);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    while (!(await claimIdempotencyKey(sql, claim))) {
      const first = await storedRequest(sql, userName, key);
      if (!first) continue; // the first ended in a 5xx and let the key go: this request takes it
      if (first.method !== claim.method || first.path !== claim.path || first.bodySha256 !== claim.bodySha256) {
        return c.json(
          errorBody('IDEMPOTENCY_KEY_REUSED', `this Idempotency-Key was used for another request (${first.method} ${first.path} with another body); use a new key`, 'idempotency-key'),
          422,
        );
      }
      if (first.status !== null) return replay({ ...first, status: first.status });
      if (Date.now() >= deadline) {
        return c.json(
          errorBody('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still running; repeat it later to get its response', 'idempotency-key'),
          409,
        );
      }
      await sleep(POLL_MS);
    }
    try {
      await next();
    } finally {
      await settle(sql, userName, key, c.res).catch(async (err) => {
        console.error(JSON.stringify({ msg: 'idempotency response not stored; key released', key, err: String(err) }));
        await releaseIdempotencyKey(sql, userName, key).catch(() => undefined);
      });
    }
  };
}

/** Keeps the response for repeats; a 5xx (or a failure) frees the key instead. */
async function settle(sql: Sql, userName: string, key: string, res: Response | undefined): Promise<void> {
  if (!res || res.status >= 500) return releaseIdempotencyKey(sql, userName, key);
  await storeResponse(sql, userName, key, { status: res.status, contentType: res.headers.get('content-type'), response: await res.clone().text() });
}
