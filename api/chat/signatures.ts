import { createHmac, timingSafeEqual } from 'node:crypto';

export type Verdict = { ok: true } | { ok: false; reason: string };

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; the length itself is not secret.
  return x.length === y.length && timingSafeEqual(x, y);
}

export const SLACK_MAX_AGE_SECONDS = 5 * 60;

/**
 * Slack request signing: X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body)); the timestamp (seconds) must be
 * within five minutes of now so a captured request cannot be replayed later.
 */
export function verifySlackRequest(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: Date;
}): Verdict {
  if (!input.timestamp || !input.signature) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const age = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(input.timestamp));
  if (age > SLACK_MAX_AGE_SECONDS) return { ok: false, reason: 'timestamp too old (replay?)' };
  const expected = `v0=${createHmac('sha256', input.signingSecret).update(`v0:${input.timestamp}:${input.rawBody}`, 'utf8').digest('hex')}`;
  return sameText(expected, input.signature) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

export const DINGTALK_MAX_AGE_MS = 60 * 60 * 1000;

/** What DingTalk sends in the `sign` header for a timestamp (milliseconds): base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret)). */
export function dingTalkSign(timestamp: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');
}

/**
 * DingTalk outgoing robot (企业内部机器人 HTTP 回调): headers `timestamp` (ms) and `sign`;
 * the timestamp must be within one hour of now. Per the published scheme the
 * signature does not cover the body.
 */
export function verifyDingTalkRequest(input: { appSecret: string; timestamp: string | undefined; sign: string | undefined; now: Date }): Verdict {
  if (!input.timestamp || !input.sign) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,15}$/.test(input.timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(input.now.getTime() - Number(input.timestamp)) > DINGTALK_MAX_AGE_MS) return { ok: false, reason: 'timestamp too old (replay?)' };
  return sameText(dingTalkSign(input.timestamp, input.appSecret), input.sign) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
