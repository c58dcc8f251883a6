import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dingTalkSign, verifyDingTalkRequest, verifySlackRequest } from '../../api/chat/signatures.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = 'token=x&team_id=T1&user_id=U1&command=%2Forder&text=approve+SO-20261123-0001';
const now = new Date('2026-11-23T10:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const slackSignature = (s: string, t: string, b: string) => `v0=${createHmac('sha256', s).update(`v0:${t}:${b}`).digest('hex')}`;

describe('Slack request signatures', () => {
  const verify = (over: Partial<Parameters<typeof verifySlackRequest>[0]>) =>
    verifySlackRequest({ signingSecret: secret, timestamp: ts, signature: slackSignature(secret, ts, body), rawBody: body, now, ...over });

  it('accepts a request signed with the signing secret', () => {
    expect(verify({})).toEqual({ ok: true });
  });

  it('matches the example of Slack documentation', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack (the documented example).
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(
      verifySlackRequest({
        signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
        timestamp: '1531420618',
        signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        rawBody: docBody,
        now: new Date(1531420618 * 1000),
      }),
    ).toEqual({ ok: true });
  });

  it('refuses a wrong secret, an old timestamp, a tampered body and missing headers', () => {
    expect(verify({ signature: slackSignature('another-secret', ts, body) })).toEqual({ ok: false, reason: 'signature mismatch' });
    const old = String(Number(ts) - 301);
    expect(verify({ timestamp: old, signature: slackSignature(secret, old, body) })).toEqual({ ok: false, reason: 'timestamp too old (replay?)' });
    expect(verify({ rawBody: body.replace('approve', 'reject') })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verify({ signature: undefined })).toEqual({ ok: false, reason: 'missing signature headers' });
    expect(verify({ signature: 'v0=short' })).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('accepts a timestamp just inside five minutes', () => {
    const t = String(Number(ts) - 299);
    expect(verify({ timestamp: t, signature: slackSignature(secret, t, body) })).toEqual({ ok: true });
  });
});

describe('DingTalk outgoing robot signatures', () => {
  const ms = String(now.getTime());
  it('computes base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)) and accepts it', () => {
    const expected = createHmac('sha256', secret).update(`${ms}\n${secret}`).digest('base64');
    expect(dingTalkSign(ms, secret)).toBe(expected);
    expect(verifyDingTalkRequest({ appSecret: secret, timestamp: ms, sign: expected, now })).toEqual({ ok: true });
  });

  it('refuses a wrong secret, a timestamp over an hour old, and missing headers', () => {
    expect(verifyDingTalkRequest({ appSecret: secret, timestamp: ms, sign: dingTalkSign(ms, 'other'), now })).toEqual({ ok: false, reason: 'signature mismatch' });
    const old = String(now.getTime() - 3_600_001);
    expect(verifyDingTalkRequest({ appSecret: secret, timestamp: old, sign: dingTalkSign(old, secret), now })).toEqual({
      ok: false,
      reason: 'timestamp too old (replay?)',
    });
    expect(verifyDingTalkRequest({ appSecret: secret, timestamp: ms, sign: undefined, now })).toMatchObject({ ok: false });
  });
});
