import { describe, expect, it } from 'vitest';
import { D } from '../../domain/decimal.js';
import { creditCheck } from '../../domain/credit.js';
import { approvalRequestNotice, changeApprovalRequestNotice, reasonWords, type OrderFacts } from '../../domain/notices.js';
import { blockedCheck, floorCheckOf } from '../../domain/order/checks.js';

/** What a Chinese reader of an approval message sees: every fact in Chinese, the figures exactly as the order has them. */
const order: OrderFacts = {
  orderNumber: 'SO-20261202-0003',
  customer: 'C0001 上海华东贸易有限公司',
  gross: '305.10',
  currency: 'CNY',
  createdBy: 'clerk.li',
  lineCount: 2,
  failedChecks: [
    { code: 'PRICE_BELOW_FLOOR', message: 'line 1: P0001 at 90 is under the floor price 96' },
    { code: 'CREDIT_LIMIT_EXCEEDED', message: 'credit of C0001: exposure 520305.10 exceeds 500000.00' },
    { code: 'CUSTOMER_BLOCKED', message: 'customer C0009, which pays for C0001, is blocked' },
  ],
  stillNeeded: [{ role: 'credit_controller', people: ['credit.sun'] }],
};

describe('an approval message in Chinese', () => {
  it('words each failed check in Chinese with its figures; the English message keeps the check as it was', () => {
    const n = approvalRequestNotice(order);
    const checks = n.facts.find((f) => f.en.startsWith('Failed checks'))!;
    expect(checks.zh).toBe('未通过检查：第 1 行 P0001 单价 90 低于底价 96；客户 C0001 信用超限：占用 520305.10，超过额度 500000.00；付款客户 C0009（为 C0001 付款）已冻结');
    expect(checks.en).toBe(
      'Failed checks: line 1: P0001 at 90 is under the floor price 96; credit of C0001: exposure 520305.10 exceeds 500000.00; customer C0009, which pays for C0001, is blocked',
    );
  });

  it('says why a change needs approval in Chinese', () => {
    const n = changeApprovalRequestNotice({
      orderNumber: 'SO-20261202-0004',
      changeNumber: '0001',
      customer: 'C0001',
      currency: 'CNY',
      grossBefore: '113.01',
      grossAfter: '282.53',
      requestedBy: 'clerk.li',
      reason: '客户加量',
      approvalReasons: ['the amount rises from 113.01 to 282.53', 'line 2: P0001 at 90 is under the floor price 96'],
    });
    expect(n.facts.at(-1)).toEqual({
      zh: '需审批原因：金额由 113.01 增至 282.53；第 2 行 P0001 单价 90 低于底价 96',
      en: 'Why it needs approval: the amount rises from 113.01 to 282.53; line 2: P0001 at 90 is under the floor price 96',
    });
  });

  it('keeps a reason it has no Chinese words for as written, rather than dropping it', () => {
    const n = approvalRequestNotice({ ...order, failedChecks: [{ code: 'CUSTOMER_BLOCKED', message: 'customer C0001 is blocked' }, { code: 'X', message: '自定义原因' }] });
    expect(n.facts.find((f) => f.en.startsWith('Failed checks'))!.zh).toBe('未通过检查：客户 C0001 已冻结；自定义原因');
  });

  it('words in Chinese every failed check as the checks themselves write it (not only the messages above)', () => {
    const payer = { code: 'C0001', control: 'customer' as const, limit: '1000', overrunRate: '0' };
    const over = { openReceivables: new D('900'), deliveredNotInvoiced: new D('0'), openOrders: new D('0'), newOrder: new D('200') };
    const company = { limit: new D('0'), overrunRate: new D('0') };
    const failed = [
      floorCheckOf({ line_no: 2, product_code: 'P0001', unit_price: '90', list_price: '120', price_floor_rate: '0.8' }),
      blockedCheck({ customer_code: 'C0001', customer_status: 'blocked', payer_code: 'C0001', payer_status: 'active' }),
      blockedCheck({ customer_code: 'C0001', customer_status: 'active', payer_code: 'C0009', payer_status: 'blocked' }),
      creditCheck(payer, { checkPoints: ['approval'], onBreach: 'block', companyTerms: company }, over, 'approval'),
      creditCheck(payer, { checkPoints: ['delivery'], onBreach: 'warn', companyTerms: company }, over, 'delivery'),
      creditCheck(payer, { checkPoints: [], onBreach: 'block', companyTerms: company }, over, 'invoice'),
    ];
    for (const check of failed) {
      const words = reasonWords(check.message);
      expect(words.en, check.message).toBe(check.message);
      // Every English word is worded again; only codes and figures stay.
      expect(words.zh, check.message).not.toMatch(/\b(?!C0001\b|C0009\b|P0001\b)[A-Za-z]{2,}/);
    }
    expect(reasonWords(failed[4]!.message).zh).toBe('客户 C0001 信用超限：占用 1100.00，超过额度 1000.00（发货时仅警告）');
    expect(reasonWords(failed[5]!.message).zh).toBe('客户 C0001 信用超限：占用 1100.00，超过额度 1000.00（未在开票时检查）');
  });
});
