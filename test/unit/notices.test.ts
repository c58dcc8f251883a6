import { describe, expect, it } from 'vitest';
import { approvalRequestNotice, changeApprovalRequestNotice, type OrderFacts } from '../../domain/notices.js';

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
});
