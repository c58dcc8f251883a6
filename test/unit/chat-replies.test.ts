import { describe, expect, it } from 'vitest';
import type { ApprovalFacts } from '../../api/chat/needed.js';
import { describeOrder, refusal } from '../../api/chat/replies.js';
import { roleName } from '../../api/chat/words.js';
import { ROLE_WORDS } from '../../domain/notices.js';
import { COMMANDS, ROLES } from '../../domain/authorization.js';
import { DOMAIN_ERROR_CODES } from '../../domain/errors.js';
import type { SalesOrderView } from '../../workflows/sales-order/definitions.js';
import { twoLineOrder } from '../support/order-state.js';

const internal = new RegExp(`\\b(${[...COMMANDS.filter((c) => /[A-Z]/.test(c)), ...DOMAIN_ERROR_CODES].join('|')})\\b`);

/** The seeded rules (db/migrations/004) and approvers: whose names the replies must give. */
const facts: ApprovalFacts = {
  approvers: [
    { userName: 'manager.wang', role: 'approver', maxAmount: '50000' },
    { userName: 'director.liu', role: 'senior_approver' },
    { userName: 'credit.sun', role: 'credit_controller' },
  ],
  rules: [
    { id: 1, kind: 'amount', minAmount: '0', requiredRole: 'approver', description: 'every order is approved by an approver' },
    { id: 2, kind: 'amount', minAmount: '100000', requiredRole: 'senior_approver', description: 'orders above 100,000 need a second, director-level approval' },
    { id: 3, kind: 'check', checkCode: 'PRICE_BELOW_FLOOR', requiredRole: 'credit_controller', description: 'prices under the floor need the credit controller' },
  ],
};

const view = (patch: Partial<SalesOrderView>): SalesOrderView => ({
  ...twoLineOrder('100'),
  amountDue: '0.00',
  waitingFor: 'approval',
  pendingApprovals: [],
  ...patch,
});

describe('role names', () => {
  it('are the same in chat, the console and the mails (信用管理员, not 信用控制)', () => {
    for (const [role, words] of Object.entries(ROLE_WORDS)) {
      expect(roleName('zh', role)).toBe(words.zh);
      expect(roleName('en', role)).toBe(words.en);
    }
  });
});

describe('refusals in words', () => {
  it('every error code is a sentence in both languages without the code', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      for (const lang of ['zh', 'en'] as const) {
        const text = refusal(lang, { code });
        expect(text.length).toBeGreaterThan(3);
        expect(text).not.toMatch(internal);
      }
    }
  });

  it('a role refused any command is told in words what it may not do and who may', () => {
    for (const command of COMMANDS) {
      const text = refusal('en', { code: 'FORBIDDEN', details: { role: 'clerk', command, allowedRoles: [...ROLES] } });
      expect(text).toMatch(/^your role \(clerk\) may not .+; roles that may: clerk, approver, credit controller, warehouse, finance, administrator$/);
      expect(text).not.toMatch(internal);
    }
    expect(refusal('zh', { code: 'NO_APPROVAL_AUTHORITY', details: { role: 'approver', missing: ['credit_controller'] } })).toBe('你的审批权限不包括它还缺的审批：它还需信用管理员审批');
    expect(refusal('en', { code: 'NO_APPROVAL_AUTHORITY', details: { role: 'approver', missing: ['approver'] } })).toBe(
      'your approval authority does not cover the approval it still needs, which is approval by: approver',
    );
    expect(refusal('en', { code: 'HTTP_502' })).toBe('the back office cannot do this right now; try again shortly');
  });
});

describe('an order in words', () => {
  it('waiting for approval: who approved and who is still needed, and no amount due', () => {
    const text = describeOrder('en', view({
      approvals: [{ actor: 'manager.wang', role: 'approver', ruleId: 1 }],
      pendingApprovals: [{ ruleId: 3, role: 'credit_controller', reason: 'prices under the floor need the credit controller' }],
    }), facts);
    expect(text).toBe(
      'Order SO-20261123-0001: Unapproved. Customer C0001, gross 5,989.00 CNY, created by clerk.li. ' +
        'Approved so far by manager.wang (approver). Still needs approval by credit.sun (credit controller: prices under the floor need the credit controller).',
    );
  });

  it('names everyone who can give each approval, not the creator nor who approved, and words the reasons in Chinese', () => {
    const pending = view({
      createdBy: 'manager.wang',
      pendingApprovals: [
        { ruleId: 1, role: 'approver', reason: 'every order is approved by an approver' },
        { ruleId: 3, role: 'credit_controller', reason: 'prices under the floor need the credit controller' },
      ],
    });
    expect(describeOrder('zh', pending, facts)).toMatch(/。还需 director\.liu（审批人：每张订单都需审批）和 credit\.sun（信用管理员：单价低于下限）审批。$/);
    expect(describeOrder('en', pending, facts)).toMatch(
      /\. Still needs approval by director\.liu \(approver: every order is approved by an approver\) and credit\.sun \(credit controller: prices under the floor need the credit controller\)\.$/,
    );
    const others = { ...facts, approvers: [...facts.approvers, { userName: 'gm.huang', role: 'approver' as const }, { userName: 'vp.ma', role: 'approver' as const }] };
    expect(describeOrder('en', pending, others)).toContain('Still needs approval by director.liu, gm.huang or vp.ma (approver: ');
    expect(describeOrder('zh', pending, others)).toContain('还需 director.liu、gm.huang 或 vp.ma（审批人：');
    // A rule the admin described in English and no Chinese word is known for: the Chinese reply leaves the reason out.
    const custom = view({ pendingApprovals: [{ ruleId: 9, role: 'credit_controller', reason: 'new customers need the credit controller' }] });
    expect(describeOrder('zh', custom, facts)).toMatch(/还需 credit\.sun（信用管理员）审批。$/);
    expect(describeOrder('zh', custom, { ...facts, approvers: [] })).toMatch(/还需 信用管理员（目前没有可审批的人）审批。$/);
  });

  it('a refusal that means someone else must approve names who', () => {
    const needed = [{ role: 'credit_controller', people: ['credit.sun'], reason: '' }];
    expect(refusal('en', { code: 'DUPLICATE_APPROVAL' }, needed)).toBe('you have already approved it; it still needs approval by credit.sun (credit controller)');
    expect(refusal('zh', { code: 'DUPLICATE_APPROVAL' }, needed)).toBe('你已经审批过了；还需 credit.sun（信用管理员）审批');
    expect(refusal('en', { code: 'FORBIDDEN', field: 'approver' })).toBe("deciding a write-off needs a finance approver, and you are not on the finance approvers' list");
    expect(refusal('zh', { code: 'FORBIDDEN', field: 'approver', details: { maxAmount: '5000.00', amount: '127125.00' } })).toBe('你可审批的核销金额上限是 5,000.00，这笔是 127,125.00');
  });

  it('rejected: by whom and why, never "waiting for nothing"', () => {
    const text = describeOrder('zh', view({ status: 'Rejected', waitingFor: 'nothing', rejectedBy: 'credit.sun', rejectReason: '低于底价' }), facts);
    expect(text).toMatch(/^订单 SO-20261123-0001：已驳回，客户 C0001，含税 .+ CNY，制单 clerk\.li。由 credit\.sun 驳回，原因：低于底价。$/);
  });

  it('cancelled: by whom and why', () => {
    const cancelled = view({ status: 'Cancelled', waitingFor: 'nothing', cancelledBy: 'clerk.li', cancelReason: 'customer withdrew' });
    expect(describeOrder('en', cancelled, facts)).toMatch(/\. Cancelled by clerk\.li: customer withdrew\.$/);
    expect(describeOrder('zh', cancelled, facts)).toMatch(/。由 clerk\.li 取消，原因：customer withdrew。$/);
  });

  it('a change waiting for approval: said once, with who approved it so far and who is still needed', () => {
    const pendingChange = {
      version: 1,
      request: { requestedBy: 'clerk.li', reason: 'cheaper', lines: [] },
      grossAfter: '5000.00',
      reasons: ['line 1: P0002 at 1400 is under the floor price 2000'],
      requiredApprovals: [
        { ruleId: 1, role: 'approver' as const, reason: 'every order is approved by an approver' },
        { ruleId: 3, role: 'credit_controller' as const, reason: 'prices under the floor need the credit controller' },
      ],
      approvals: [{ actor: 'manager.wang', role: 'approver' as const, ruleId: 1 }],
    } as unknown as NonNullable<SalesOrderView['pendingChange']>;
    const approved = view({ status: 'Approved', waitingFor: 'changeApproval', approvedBy: 'director.liu', approvals: [{ actor: 'director.liu', role: 'approver', ruleId: 1 }], pendingChange });
    expect(describeOrder('en', approved, facts)).toMatch(
      /\. Approved by director\.liu \(approver\)\. Change 1 waits for approval: approved so far by manager\.wang \(approver\); still needs approval by credit\.sun \(credit controller: prices under the floor need the credit controller\)\.$/,
    );
    expect(describeOrder('zh', approved, facts)).toMatch(/。审批：director\.liu（审批人）。变更 1 待审批：已审批：manager\.wang（审批人）；还需 credit\.sun（信用管理员：单价低于下限）审批。$/);
  });

  it('completed: what was received and what was written off', () => {
    const paid = view({ status: 'Completed', waitingFor: 'nothing', receivedTotal: '5989.00' });
    expect(describeOrder('en', paid, facts)).toMatch(/\. 5,989\.00 CNY received\.$/);
    const writtenOff = view({ status: 'Completed', waitingFor: 'nothing', receivedTotal: '989.00', money: { ...paid.money, writtenOffTotal: '5000.00' } });
    expect(describeOrder('en', writtenOff, facts)).toMatch(/\. 989\.00 CNY received, 5,000\.00 CNY written off as bad debt\.$/);
    expect(describeOrder('zh', writtenOff, facts)).toMatch(/。已收款 989\.00 CNY，坏账核销 5,000\.00 CNY。$/);
    const allWrittenOff = view({ status: 'Completed', waitingFor: 'nothing', receivedTotal: '0.00', money: { ...paid.money, writtenOffTotal: '5989.00' } });
    expect(describeOrder('zh', allWrittenOff, facts)).toMatch(/制单 clerk\.li。坏账核销 5,989\.00 CNY。$/);
  });

  it('invoiced: what it waits for and the amount due', () => {
    const text = describeOrder('en', view({ status: 'Delivered', waitingFor: 'payment', amountDue: '113.00' }), facts);
    expect(text).toMatch(/\. Waiting for payment\. 113\.00 CNY due\.$/);
  });
});
