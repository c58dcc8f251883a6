import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Sql } from '../../db/client.js';
import { errorBody } from '../errors.js';

/** A forged, replayed or unsigned chat request: recorded (never its body, only its hash) and refused with 401. */
export async function refuseChatRequest(sql: Sql, c: Context, platform: string, reason: string, timestamp: string | undefined, rawBody: string) {
  await sql`
    INSERT INTO chat_rejections (platform, path, reason, request_timestamp, body_sha256)
    VALUES (${platform}, ${c.req.path}, ${reason}, ${timestamp ?? null}, ${createHash('sha256').update(rawBody).digest('hex')})`;
  return c.json(errorBody('UNAUTHENTICATED', `request refused: ${reason}`, 'signature'), 401);
}

/** True the first time a verified signature is seen; older ones than any platform's window are forgotten. */
export async function firstUseOfSignature(sql: Sql, platform: string, signature: string): Promise<boolean> {
  await sql`DELETE FROM chat_seen_signatures WHERE received_at < now() - interval '2 hours'`;
  const inserted = await sql`
    INSERT INTO chat_seen_signatures (platform, signature) VALUES (${platform}, ${signature})
    ON CONFLICT (platform, signature) DO NOTHING RETURNING 1`;
  return inserted.length === 1;
}
