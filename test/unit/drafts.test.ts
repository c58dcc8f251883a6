import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { applyApproval, applyDraftEdit, applyRejected, checkEditDraft, rejectionsOf, type DraftEdit } from '../../domain/order/index.js';
import { twoLineOrder } from '../support/order-state.js';

/** 草稿: the domain rule the workflow's validator, its handler and the console's button all use. */
const edit: DraftEdit = {
  lines: [{ lineNo: 1, productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '10', unitPrice: '3.5', taxRate: '0.13', expectedDeliveryDate: '2027-01-05' }],
  shortfallPolicy: 'backorder',
  invoiceMode: 'per_order',
  depositRequired: '11.87',
};
const codeOf = (f: () => void) => {
  try {
    f();
    return 'allowed';
  } catch (err) {
    return (err as DomainError).code;
  }
};

describe('editing a draft', () => {
  it('replaces lines, totals and header and numbers the revision', () => {
    const s = twoLineOrder('100');
    expect(applyDraftEdit(s, edit, 1)).toEqual({ resubmitted: false });
    expect(s.lines).toEqual([expect.objectContaining({ lineNo: 1, productCode: 'P0003', quantity: '10', reservedQty: '0', closeStatus: 'N', overDeliveryRate: '0' })]);
    // 10 × 3.50 = 35.00 + 4.55
    expect(s.totals).toEqual({ net: '35.00', tax: '4.55', gross: '39.55' });
    expect([s.shortfallPolicy, s.money.depositRequired, s.revision, s.status]).toEqual(['backorder', '11.87', 1, 'Unapproved']);
  });

  it('is for the creator or an admin, before any approval, or once rejected', () => {
    const s = twoLineOrder('100');
    expect(codeOf(() => checkEditDraft(s, 'clerk.li', 'clerk'))).toBe('allowed');
    expect(codeOf(() => checkEditDraft(s, 'clerk.zhang', 'clerk'))).toBe('FORBIDDEN');
    expect(codeOf(() => checkEditDraft(s, 'admin.root', 'admin'))).toBe('allowed');
    applyApproval(s, { actor: 'manager.wang', role: 'approver', ruleId: 1 });
    expect(codeOf(() => checkEditDraft(s, 'clerk.li', 'clerk'))).toBe('APPROVAL_STARTED');
    applyRejected(s, 'director.liu', 'too big');
    expect(codeOf(() => checkEditDraft(s, 'clerk.li', 'clerk'))).toBe('allowed');
  });

  it('sends a rejected order back to approval: fresh approvals and reminders, the rejections kept', () => {
    const s = twoLineOrder('100');
    applyApproval(s, { actor: 'manager.wang', role: 'approver', ruleId: 1 });
    s.approvalReminders = { reminded: true, escalated: true, remindAt: 1, escalateAt: 2 };
    applyRejected(s, 'director.liu', 'too big');
    expect(applyDraftEdit(s, edit, 1)).toEqual({ resubmitted: true });
    expect(s).toMatchObject({ status: 'Unapproved', approvals: [], approvalReminders: { reminded: false, escalated: false }, rejections: [{ by: 'director.liu', reason: 'too big', revision: 0 }] });
    expect(s.rejectedBy).toBeUndefined();
    applyRejected(s, 'director.liu', 'still too big');
    expect(rejectionsOf(s).map((r) => [r.reason, r.revision])).toEqual([['too big', 0], ['still too big', 1]]);
  });

  it('keeps a rejection recorded before rejections were a list (a state from an older run)', () => {
    const s = twoLineOrder('100');
    Object.assign(s, { status: 'Rejected', rejectedBy: 'manager.wang', rejectReason: 'old reason' });
    applyDraftEdit(s, edit, 1);
    expect(s.rejections).toEqual([{ by: 'manager.wang', reason: 'old reason', revision: 0 }]);
  });

  it('refuses an approved, cancelled or completed order', () => {
    for (const status of ['Approved', 'Cancelled', 'Completed', 'Delivered'] as const) {
      const s = twoLineOrder('100');
      s.status = status;
      expect(codeOf(() => checkEditDraft(s, 'clerk.li', 'clerk'))).toBe('INVALID_STATE');
    }
  });
});
