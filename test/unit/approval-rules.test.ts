import { describe, expect, it } from 'vitest';
import {
  approvalFilledBy,
  decideApproval,
  deliverableQty,
  missingApprovals,
  requiredApprovals,
  type ApprovalRule,
  type OrderCheck,
  type OrderLineState,
} from '../../domain/order/index.js';
import { DomainError } from '../../domain/errors.js';

const rules: ApprovalRule[] = [
  { id: 1, kind: 'amount', minAmount: '0', requiredRole: 'approver', description: 'every order' },
  { id: 2, kind: 'amount', minAmount: '100000', requiredRole: 'senior_approver', description: 'above 100,000' },
  { id: 3, kind: 'check', checkCode: 'PRICE_BELOW_FLOOR', requiredRole: 'credit_controller', description: 'under the floor' },
  { id: 4, kind: 'check', checkCode: 'CREDIT_LIMIT_EXCEEDED', requiredRole: 'credit_controller', description: 'credit overrun' },
];
const passed: OrderCheck[] = [{ code: 'CUSTOMER_BLOCKED', passed: true, message: 'ok' }];
const underFloor: OrderCheck[] = [...passed, { code: 'PRICE_BELOW_FLOOR', passed: false, message: 'line 1', lineNo: 1 }];

describe('which approvals an order needs', () => {
  it('one approver up to 100,000 with every check passed', () => {
    expect(requiredApprovals(rules, passed, '100000.00').map((r) => r.role)).toEqual(['approver']);
  });
  it('a second, senior approver above 100,000', () => {
    expect(requiredApprovals(rules, passed, '100000.01').map((r) => r.role)).toEqual(['approver', 'senior_approver']);
  });
  it('the credit controller for each failed check that a rule names', () => {
    expect(requiredApprovals(rules, underFloor, '50.00').map((r) => r.ruleId)).toEqual([1, 3]);
  });
  it('no credit controller for a credit breach the settings only warn about; a blocking one needs them', () => {
    const overrun = { code: 'CREDIT_LIMIT_EXCEEDED' as const, passed: false, message: 'exposure 1100000.01 exceeds 1100000.00' };
    expect(requiredApprovals(rules, [...passed, { ...overrun, warning: true }], '50.00').map((r) => r.role)).toEqual(['approver']);
    expect(requiredApprovals(rules, [...passed, overrun], '50.00').map((r) => r.role)).toEqual(['approver', 'credit_controller']);
  });
});

describe('what one approval does (decideApproval)', () => {
  const wang = { userName: 'manager.wang', role: 'approver' as const };
  const sun = { userName: 'credit.sun', role: 'credit_controller' as const };
  it('with nothing required, counts under no rule in the approver own role and is final', () => {
    expect(decideApproval(wang, [], [], '10.00')).toEqual({ approval: { actor: 'manager.wang', role: 'approver', ruleId: 0 }, final: true });
  });
  it('fills its own requirement; it is final only when it is the last one missing', () => {
    const needed = requiredApprovals(rules, underFloor, '50.00');
    expect(decideApproval(sun, needed, [], '50.00')).toEqual({ approval: { actor: 'credit.sun', role: 'credit_controller', ruleId: 3 }, final: false });
    const first = decideApproval(wang, needed, [], '50.00');
    expect(first).toEqual({ approval: { actor: 'manager.wang', role: 'approver', ruleId: 1 }, final: false });
    expect(decideApproval(sun, needed, [first.approval], '50.00')).toEqual({
      approval: { actor: 'credit.sun', role: 'credit_controller', ruleId: 3 },
      final: true,
    });
  });
  it('refuses an approver whose authority covers nothing still missing', () => {
    const needed = requiredApprovals(rules, underFloor, '50.00');
    expect(() => decideApproval(wang, needed, [{ actor: 'li.approver', role: 'approver', ruleId: 1 }], '50.00')).toThrow(
      expect.objectContaining({ code: 'NO_APPROVAL_AUTHORITY' }),
    );
  });
});

describe('what one approval fills', () => {
  const needed = requiredApprovals(rules, underFloor, '200000.00');
  it('the approver’s own role first; a senior approver gives the ordinary approval only when nothing senior is missing', () => {
    const director = { userName: 'director.liu', role: 'senior_approver' as const };
    expect(approvalFilledBy(director, needed, '200000.00').ruleId).toBe(2);
    const afterDirector = missingApprovals(needed, [{ actor: 'director.liu', role: 'senior_approver', ruleId: 2 }]);
    expect(afterDirector.map((r) => r.ruleId)).toEqual([1, 3]);
    expect(approvalFilledBy({ userName: 'other.director', role: 'senior_approver' }, afterDirector, '200000.00').ruleId).toBe(1);
  });
  it('refuses an approver whose role covers nothing missing, or who is above their amount limit', () => {
    const onlyCredit = needed.filter((r) => r.role === 'credit_controller');
    const refusal = (() => {
      try {
        approvalFilledBy({ userName: 'manager.wang', role: 'approver' }, onlyCredit, '200000.00');
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'NO_APPROVAL_AUTHORITY', field: 'actor' });
    expect(() => approvalFilledBy({ userName: 'manager.wang', role: 'approver', maxAmount: '100000' }, needed, '200000.00')).toThrow(/above what/);
  });
});

describe('over-delivery rate (超交率)', () => {
  const line = (quantity: string, delivered: string, rate: string) =>
    ({ quantity, deliveredQty: delivered, overDeliveryRate: rate }) as OrderLineState;
  it('allows the ordered quantity plus the rate, less what all notes delivered', () => {
    expect(deliverableQty(line('20', '0', '0.05')).toFixed()).toBe('21');
    expect(deliverableQty(line('20', '10', '0.05')).toFixed()).toBe('11');
    expect(deliverableQty(line('3', '0', '0')).toFixed()).toBe('3');
    expect(deliverableQty(line('20', '21', '0.05')).toFixed()).toBe('0');
  });
});
