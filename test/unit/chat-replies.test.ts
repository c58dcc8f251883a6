import { describe, expect, it } from 'vitest';
import { describeOrder, refusal } from '../../api/chat/replies.js';
import { COMMANDS, ROLES } from '../../domain/authorization.js';
import { DOMAIN_ERROR_CODES } from '../../domain/errors.js';
import type { SalesOrderView } from '../../workflows/sales-order/definitions.js';
import { twoLineOrder } from '../support/order-state.js';

const internal = new RegExp(`\\b(${[...COMMANDS.filter((c) => /[A-Z]/.test(c)), ...DOMAIN_ERROR_CODES].join('|')})\\b`);

const view = (patch: Partial<SalesOrderView>): SalesOrderView => ({
  ...twoLineOrder('100'),
  amountDue: '0.00',
  waitingFor: 'approval',
  pendingApprovals: [],
  ...patch,
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
    expect(refusal('en', { code: 'HTTP_502' })).toBe('the back office cannot do this right now; try again shortly');
  });
});

describe('an order in words', () => {
  it('waiting for approval: who approved and who is still needed, and no amount due', () => {
    const text = describeOrder('en', view({
      approvals: [{ actor: 'manager.wang', role: 'approver', ruleId: 1 }],
      pendingApprovals: [{ ruleId: 2, role: 'credit_controller', reason: 'price under the floor' }],
    }));
    expect(text).toBe(
      'Order SO-20261123-0001: Unapproved. Customer C0001, gross 5,989.00 CNY, created by clerk.li. ' +
        'Approved so far by manager.wang (approver). Still needs approval by a credit controller (price under the floor).',
    );
  });

  it('rejected: by whom and why, never "waiting for nothing"', () => {
    const text = describeOrder('zh', view({ status: 'Rejected', waitingFor: 'nothing', rejectedBy: 'credit.sun', rejectReason: '低于底价' }));
    expect(text).toMatch(/^订单 SO-20261123-0001：已驳回，客户 C0001，含税 .+ CNY，制单 clerk\.li。由 credit\.sun 驳回，原因：低于底价。$/);
  });

  it('invoiced: what it waits for and the amount due', () => {
    const text = describeOrder('en', view({ status: 'Delivered', waitingFor: 'payment', amountDue: '113.00' }));
    expect(text).toMatch(/\. Waiting for payment\. 113\.00 CNY due\.$/);
  });
});
