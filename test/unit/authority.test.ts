import { describe, expect, it } from 'vitest';
import { amountLimit, checkApproverKind, checkMayHoldApproval, checkMayHoldWriteOffAuthority, checkRoleChange, seniorThreshold } from '../../domain/authority.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; field: string };
    return { code: err.code, field: err.field };
  }
  return undefined;
};

describe('authority rules (权限管理)', () => {
  it('an amount limit is a positive amount with at most two decimals, or none', () => {
    expect(amountLimit(null, 'maxAmount')).toBeNull();
    expect(amountLimit('1000000', 'maxAmount')).toBe('1000000.00');
    expect(amountLimit('0.01', 'maxAmount')).toBe('0.01');
    for (const bad of ['0', '0.00', '-1', '1.001', 'abc', '', '1e6', 'Infinity']) {
      expect(refusal(() => amountLimit(bad, 'maxAmount')), bad).toEqual({ code: 'VALIDATION_FAILED', field: 'maxAmount' });
    }
  });

  it('the senior threshold is a required positive amount', () => {
    expect(seniorThreshold('100000')).toBe('100000.00');
    expect(refusal(() => seniorThreshold('0'))).toEqual({ code: 'VALIDATION_FAILED', field: 'amount' });
  });

  it('an admin cannot take away their own admin role, but may change anyone else’s', () => {
    expect(refusal(() => checkRoleChange('admin.root', 'admin.root', 'admin', 'clerk'))).toEqual({ code: 'VALIDATION_FAILED', field: 'role' });
    expect(refusal(() => checkRoleChange('admin.root', 'admin.root', 'admin', 'admin'))).toBeUndefined();
    expect(refusal(() => checkRoleChange('admin.root', 'admin.two', 'admin', 'clerk'))).toBeUndefined();
  });

  it('authority goes only to a role that uses it', () => {
    expect(refusal(() => checkMayHoldApproval('clerk.li', 'clerk'))).toEqual({ code: 'VALIDATION_FAILED', field: 'role' });
    expect(refusal(() => checkMayHoldApproval('manager.wang', 'approver'))).toBeUndefined();
    expect(refusal(() => checkMayHoldApproval('credit.sun', 'credit_controller'))).toBeUndefined();
    expect(refusal(() => checkMayHoldWriteOffAuthority('warehouse.zhao', 'warehouse'))).toEqual({ code: 'VALIDATION_FAILED', field: 'role' });
    expect(refusal(() => checkMayHoldWriteOffAuthority('finance.chen', 'finance'))).toBeUndefined();
  });

  it('an order approver does not silently become a credit controller, nor the other way round', () => {
    expect(refusal(() => checkApproverKind('director.liu', 'senior_approver', 'credit'))).toEqual({ code: 'CONFLICT', field: 'user' });
    expect(refusal(() => checkApproverKind('credit.sun', 'credit_controller', 'order'))).toEqual({ code: 'CONFLICT', field: 'user' });
    expect(refusal(() => checkApproverKind('manager.wang', 'approver', 'order'))).toBeUndefined();
    expect(refusal(() => checkApproverKind('new.user', undefined, 'credit'))).toBeUndefined();
  });
});
