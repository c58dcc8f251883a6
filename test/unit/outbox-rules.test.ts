import { describe, expect, it } from 'vitest';
import { escalationTargets, whoCanApprove, type Approver, type ApprovalRequirement } from '../../domain/order/index.js';
import { retryDelayMs } from '../../runtime/outbox/sender.js';

const approvers: Approver[] = [
  { userName: 'manager.wang', role: 'approver', maxAmount: '1000000' },
  { userName: 'director.liu', role: 'senior_approver' },
  { userName: 'gm.huang', role: 'senior_approver' },
  { userName: 'credit.sun', role: 'credit_controller' },
];
const ordinary: ApprovalRequirement = { ruleId: 1, role: 'approver', reason: 'every order' };
const senior: ApprovalRequirement = { ruleId: 2, role: 'senior_approver', reason: 'above 100,000' };
const credit: ApprovalRequirement = { ruleId: 4, role: 'credit_controller', reason: 'credit overrun' };

describe('who an approval message names', () => {
  it('each missing approval with the people whose authority fills it: a senior also the ordinary one, within their limit', () => {
    expect(whoCanApprove(approvers, [ordinary, credit], '500.00', [])).toEqual([
      { role: 'approver', people: ['manager.wang', 'director.liu', 'gm.huang'] },
      { role: 'credit_controller', people: ['credit.sun'] },
    ]);
    // Above manager.wang's limit only the seniors can give the ordinary approval.
    expect(whoCanApprove(approvers, [ordinary], '2000000.00', [])).toEqual([{ role: 'approver', people: ['director.liu', 'gm.huang'] }]);
  });

  it('never the creator or someone who approved already', () => {
    expect(whoCanApprove(approvers, [senior], '200000.00', ['director.liu'])).toEqual([{ role: 'senior_approver', people: ['gm.huang'] }]);
  });

  it('an escalation names someone who can act on it: the configured user when he can, else the seniors who can, else the admins', () => {
    const admins = ['admin.root'];
    expect(escalationTargets(approvers, 'admin.root', ['manager.wang'], [], admins)).toEqual(['admin.root']);
    expect(escalationTargets(approvers, 'manager.wang', ['manager.wang', 'gm.huang'], [], admins)).toEqual(['manager.wang']);
    expect(escalationTargets(approvers, null, ['manager.wang', 'director.liu', 'gm.huang'], [], admins)).toEqual(['director.liu', 'gm.huang']);
    // Waiting for the credit controller: a senior approver cannot give that, configured or not.
    expect(escalationTargets(approvers, 'gm.huang', ['credit.sun'], [], admins)).toEqual(['admin.root']);
    expect(escalationTargets(approvers, null, ['credit.sun'], [], admins)).toEqual(['admin.root']);
    expect(escalationTargets(approvers, null, ['manager.wang'], ['director.liu', 'gm.huang'], [])).toEqual(['manager.wang']);
  });
});

describe('the retry delay', () => {
  it('doubles from the first delay and stops at the cap', () => {
    const policy = { firstMs: 30_000, capMs: 3_600_000, maxAttempts: 10 };
    expect([1, 2, 3, 4, 8, 9].map((n) => retryDelayMs(policy, n))).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });
});
