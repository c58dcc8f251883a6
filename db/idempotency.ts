import type { Sql } from './client.js';

export interface IdempotencyClaim {
  userName: string;
  key: string;
  method: string;
  path: string;
  bodySha256: string;
  ttlMs: number;
}

export interface StoredRequest {
  method: string;
  path: string;
  bodySha256: string;
  status: number | null;
  contentType: string | null;
  response: string | null;
}

/**
 * A request that has held its key this long without an answer is taken to have died with its process (a crash
 * between claim and response); the same request again may then take the key over. Layers below are idempotent
 * by the same key (the update id, the order's create key), so a takeover of one still running does not act twice.
 */
export const ABANDONED_AFTER_SECONDS = 60;

/**
 * Claims the key for this request; false when the user already holds it (unexpired). An expired row is
 * replaced in the same statement, so expiry needs no sweep to take effect; so is an abandoned claim of the same
 * request (ABANDONED_AFTER_SECONDS).
 */
export async function claimIdempotencyKey(sql: Sql, c: IdempotencyClaim): Promise<boolean> {
  const rows = await sql`
    INSERT INTO idempotency_keys (user_name, key, method, path, body_sha256, expires_at)
    VALUES (${c.userName}, ${c.key}, ${c.method}, ${c.path}, ${c.bodySha256}, now() + make_interval(secs => ${c.ttlMs / 1000}))
    ON CONFLICT (user_name, key) DO UPDATE
      SET method = EXCLUDED.method, path = EXCLUDED.path, body_sha256 = EXCLUDED.body_sha256, status = NULL,
          content_type = NULL, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
      WHERE idempotency_keys.expires_at <= now()
         OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})
             AND (idempotency_keys.method, idempotency_keys.path, idempotency_keys.body_sha256) = (EXCLUDED.method, EXCLUDED.path, EXCLUDED.body_sha256))
    RETURNING 1`;
  return rows.length === 1;
}

export async function storedRequest(sql: Sql, userName: string, key: string): Promise<StoredRequest | undefined> {
  const [row] = await sql<StoredRequest[]>`
    SELECT method, path, body_sha256 AS "bodySha256", status, content_type AS "contentType", response
    FROM idempotency_keys WHERE user_name = ${userName} AND key = ${key}`;
  return row;
}

export async function storeResponse(sql: Sql, userName: string, key: string, r: { status: number; contentType: string | null; response: string }): Promise<void> {
  await sql`UPDATE idempotency_keys SET status = ${r.status}, content_type = ${r.contentType}, response = ${r.response}
            WHERE user_name = ${userName} AND key = ${key}`;
}

/** A request that ended in a 5xx leaves the key free: the client may retry it. */
export async function releaseIdempotencyKey(sql: Sql, userName: string, key: string): Promise<void> {
  await sql`DELETE FROM idempotency_keys WHERE user_name = ${userName} AND key = ${key} AND status IS NULL`;
}

export async function purgeExpiredIdempotencyKeys(sql: Sql): Promise<number> {
  const rows = await sql`DELETE FROM idempotency_keys WHERE expires_at <= now() RETURNING 1`;
  return rows.length;
}
