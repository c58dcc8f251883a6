import { describe, expect, it } from 'vitest';
import { commandsOffered, orderOffers } from '../../domain/order/available.js';
import {
  applyApproval,
  applyApproved,
  applyRejected,
  applyCancel,
  applyCloseLine,
  applyDelivery,
  applyInvoice,
  applyQualityCheck,
  applyShippingNotice,
  invoiceTotals,
  planInvoice,
  type SalesOrderState,
} from '../../domain/order/index.js';
import { twoLineOrder } from '../support/order-state.js';

const order = (): SalesOrderState => twoLineOrder('100');

const approved = () => {
  const s = order();
  applyApproved(s, 'manager.wang', [{ lineNo: 1, quantity: '3' }, { lineNo: 2, quantity: '2' }]);
  return s;
};
const sorted = (s: Set<string>) => [...s].sort();
const line1 = { lineNo: 1, productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3' };

describe('the commands an order offers', () => {
  it('unapproved: approve and reject to anyone but its creator, cancel; no change, delivery or money yet', () => {
    expect(sorted(commandsOffered(order(), 'manager.wang'))).toEqual(['approve', 'cancel', 'reject']);
    expect(sorted(commandsOffered(order(), 'clerk.li'))).toEqual(['cancel', 'editDraft']);
  });

  it('a draft is edited by its creator or an admin until the first approval; a rejected one is revised', () => {
    expect(commandsOffered(order(), 'clerk.zhang', 'clerk').has('editDraft')).toBe(false);
    expect(commandsOffered(order(), 'admin.root', 'admin').has('editDraft')).toBe(true);
    const halfApproved = order();
    applyApproval(halfApproved, { actor: 'manager.wang', role: 'approver', ruleId: 1 });
    expect(commandsOffered(halfApproved, 'clerk.li', 'clerk').has('editDraft')).toBe(false);
    expect(commandsOffered(approved(), 'clerk.li', 'clerk').has('editDraft')).toBe(false);
    const rejected = order();
    applyRejected(rejected, 'manager.wang', 'too cheap');
    expect(sorted(commandsOffered(rejected, 'clerk.li', 'clerk'))).toEqual(['editDraft']);
  });

  it('approved: a change, a shipping notice, a delivery, closing either line; no approval, invoice or return', () => {
    const o = orderOffers(approved(), 'manager.wang');
    expect(sorted(o.commands)).toEqual(['cancel', 'change', 'closeLine', 'deliver', 'shippingNotice']);
    expect(o.linesToClose).toEqual([1, 2]);
    expect(o.noticesToDeliver).toEqual([]);
  });

  it('a notice waiting for its re-check is offered for the re-check, and for delivery only once it passed', () => {
    const s = approved();
    applyShippingNotice(s, 'SN-1', [line1], true);
    let o = orderOffers(s, 'warehouse.zhao');
    expect(o.commands.has('qualityCheck')).toBe(true);
    expect(o.noticesToCheck).toEqual(['SN-1']);
    expect(o.noticesToDeliver).toEqual([]);
    applyQualityCheck(s, 'SN-1', 'pass', '2026-11-23');
    o = orderOffers(s, 'warehouse.zhao');
    expect(o.noticesToDeliver).toEqual(['SN-1']);
    applyDelivery(s, 'DN-1', [line1], 'SN-1');
    o = orderOffers(s, 'warehouse.zhao');
    expect(o.noticesToCheck).toEqual([]);
    expect(o.noticesToDeliver).toEqual([]);
    expect(o.commands.has('qualityCheck')).toBe(false);
  });

  it('after a delivery: a return of the delivered line, an invoice, no cancel; after the invoice: an allowance and a receipt', () => {
    const s = approved();
    applyDelivery(s, 'DN-1', [line1]);
    let o = orderOffers(s, 'clerk.li');
    expect(sorted(o.commands)).toEqual(['change', 'closeLine', 'deliver', 'invoice', 'return', 'shippingNotice']);
    expect(o.linesToReturn).toEqual([1]);
    expect(o.linesToClose).toEqual([2]);
    expect(o.linesToAllow).toEqual([]);
    const lines = planInvoice(s);
    applyInvoice(s, { number: 'INV-1', gross: invoiceTotals(lines).gross, dueOn: '2026-12-23', overdueAt: 0, dunningAt: [], applied: [] }, lines);
    o = orderOffers(s, 'finance.chen');
    expect(o.commands.has('invoice')).toBe(false);
    expect(o.commands.has('receipt')).toBe(true);
    expect(o.linesToAllow).toEqual([1]);
  });

  it('a change waiting for approval: decided by someone other than who asked, and no second change meanwhile', () => {
    const s = approved();
    s.pendingChange = {
      version: 1,
      request: { reason: 'more', requestedBy: 'clerk.li', lines: [{ action: 'change', lineNo: 1, quantity: '5' }] },
      grossAfter: '6000.00',
      reasons: ['amount raised'],
      requiredApprovals: [],
      approvals: [],
    };
    const manager = orderOffers(s, 'manager.wang');
    expect(manager.commands.has('approveChange')).toBe(true);
    expect(manager.commands.has('rejectChange')).toBe(true);
    expect(manager.commands.has('change')).toBe(false);
    expect(manager.changeVersion).toBe(1);
    const asker = orderOffers(s, 'clerk.li');
    expect(asker.commands.has('approveChange')).toBe(false);
    expect(asker.changeVersion).toBeUndefined();
  });

  it('a line closed by hand is no longer closable; a cancelled order offers nothing', () => {
    const s = approved();
    applyCloseLine(s, 1);
    expect(orderOffers(s, 'clerk.li').linesToClose).toEqual([2]);
    const c = approved();
    applyCancel(c, 'clerk.li', 'withdrawn');
    expect(sorted(orderOffers(c, 'manager.wang').commands)).toEqual([]);
  });
});
