import { describe, expect, it } from 'vitest';
import { AUDIT_INPUT_MAX_CHARS, auditInput, storableText } from '../../api/audit/bound.js';

/** What Postgres' jsonb refuses in a string: NUL and a lone surrogate. */
const jsonbRefuses = (text: string) => /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(text);

describe('the audit keeps a bounded copy of the input', () => {
  it('replaces NUL and lone surrogates, in values and in keys', () => {
    const kept = auditInput({ reason: 'no\u0000pe', ['k\u0000']: 'v', cut: '\uD83D' });
    expect(kept).toEqual({ reason: 'no\uFFFDpe', 'k\uFFFD': 'v', cut: '\uFFFD' });
    expect(jsonbRefuses(JSON.stringify(kept))).toBe(false);
    expect(storableText('a'.repeat(10) + '\uD83D\uDE00', 11)).toBe(`${'a'.repeat(10)}\uFFFD…`);
  });

  it('cuts depth, breadth and size so that serialising it can never throw or grow past the cap', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(JSON.stringify(auditInput(deep))).toContain('[too deep]');

    const huge = auditInput({ field: 'x'.repeat(20_000_000), lines: Array.from({ length: 10_000 }, (_, i) => ({ lineNo: i })) });
    expect(JSON.stringify(huge).length).toBeLessThanOrEqual(AUDIT_INPUT_MAX_CHARS + 200);

    const quotes = auditInput({ q: Array.from({ length: 100 }, () => '"'.repeat(1000)) });
    expect(JSON.stringify(quotes).length).toBeLessThanOrEqual(AUDIT_INPUT_MAX_CHARS);

    const wide = auditInput(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'.repeat(1000)])));
    expect(wide).toMatchObject({ truncated: true });
    expect(JSON.stringify(wide).length).toBeLessThanOrEqual(AUDIT_INPUT_MAX_CHARS + 200);
  });

  it('drops or marks what JSON has no form for instead of throwing', () => {
    expect(auditInput({ a: undefined, f: () => 1, n: Number.NaN, b: 10n, d: new Date('2026-01-01T00:00:00Z') })).toEqual({
      n: null,
      b: '[bigint]',
      d: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('webhook credentials in an audited input', () => {
  it('keep where a webhook points, never its token', () => {
    const kept = auditInput({
      routes: [
        { webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc123' },
        { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET' },
        { webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/0f3c-secret' },
      ],
      reason: 'see https://example.com/page?id=7',
    }) as { routes: { webhookUrl: string }[]; reason: string };
    expect(kept.routes.map((r) => r.webhookUrl)).toEqual([
      'https://oapi.dingtalk.com/robot/send?access_token=redacted',
      'https://hooks.slack.com/services/T000/B000/redacted',
      'https://open.feishu.cn/open-apis/bot/v2/hook/redacted',
    ]);
    expect(kept.reason).toBe('see https://example.com/page?id=7');
    expect(JSON.stringify(kept)).not.toMatch(/abc123|XXXXSECRET|0f3c-secret/);
  });

  it('keep no token of a webhook URL the route refuses: mistyped, without a scheme, another scheme, in a sentence, with a password', () => {
    // The routing route refuses these (400), and the audit records the refused input too: the token must not be in it.
    const typed = [
      'https://oapi dingtalk.com/robot/send?access_token=tok1secret',
      'oapi.dingtalk.com/robot/send?access_token=tok2secret',
      'ftp://oapi.dingtalk.com/robot/send?access_token=tok3secret',
      'https://open.feishu.cn/open-apis/bot/v2/hook/tok4secret/',
      'https://robot:tok5secret@example.com/hook',
      'see hooks.slack.com/services/T000/B000/tok6secret please',
      'HTTPS://qyapi.weixin.qq.com/cgi-bin/webhook/send?KEY=tok7secret&x=1',
    ];
    const kept = auditInput({ routes: typed.map((webhookUrl) => ({ webhookUrl })) }) as { routes: { webhookUrl: string }[] };
    expect(JSON.stringify(kept)).not.toMatch(/tok\dsecret/);
    // What they point at stays readable.
    expect(kept.routes[1]!.webhookUrl).toBe('oapi.dingtalk.com/robot/send?access_token=redacted');
    expect(kept.routes[4]!.webhookUrl).toBe('https://robot:redacted@example.com/hook');
  });
});
