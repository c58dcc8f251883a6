import { describe, expect, it } from 'vitest';
import { authorize, COMMANDS, mayPerform, ROLES, type Command, type Role } from '../../domain/authorization.js';
import { DomainError } from '../../domain/errors.js';

/** The role matrix as DOMAIN.md states it, written out in full: Y may, . may not. */
const EXPECTED: Record<Command, Record<Role, 'Y' | '.'>> = {
  //                    clerk      approver   credit_controller       warehouse       finance       admin
  read:                { clerk: 'Y', approver: 'Y', credit_controller: 'Y', warehouse: 'Y', finance: 'Y', admin: 'Y' },
  createOrder:         { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  changeOrder:         { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  editDraft:           { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  cancelOrder:         { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  recordReturn:        { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  grantAllowance:      { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  reserveStock:        { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  approve:             { clerk: '.', approver: 'Y', credit_controller: 'Y', warehouse: '.', finance: '.', admin: 'Y' },
  reject:              { clerk: '.', approver: 'Y', credit_controller: 'Y', warehouse: '.', finance: '.', admin: 'Y' },
  deliver:             { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  issueShippingNotice: { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  invoice:             { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  recordInvoiceTaxData: { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  recordReceipt:       { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  writeOff:            { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  decideWriteOff:      { clerk: '.', approver: 'Y', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  loadOpeningBalance:  { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  readMetrics:         { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  listStuckPayments:   { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  maintainMasterData:  { clerk: 'Y', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  manageCreditSettings: { clerk: '.', approver: '.', credit_controller: 'Y', warehouse: '.', finance: '.', admin: 'Y' },
  setSalesControls: { clerk: '.', approver: 'Y', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  readAudit: { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  receiveStock:        { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  adjustStock:         { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  transferStock:       { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  countStock:          { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  approveStockCount:   { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  manageStockSettings: { clerk: '.', approver: '.', credit_controller: '.', warehouse: 'Y', finance: '.', admin: 'Y' },
  manageAuthority:     { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  manageNotifications: { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: '.', admin: 'Y' },
  readBooks:           { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  maintainAccountMapping: { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
  manageExchangeRates: { clerk: '.', approver: '.', credit_controller: '.', warehouse: '.', finance: 'Y', admin: 'Y' },
};

const cases = COMMANDS.flatMap((command) => ROLES.map((role) => [role, command, EXPECTED[command][role]] as const));

describe('the role matrix (权限)', () => {
  it('covers every command', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...COMMANDS].sort());
  });

  it.each(cases)('%s → %s: %s', (role, command, expected) => {
    expect(mayPerform(role, command)).toBe(expected === 'Y');
    if (expected === 'Y') {
      expect(() => authorize(role, command)).not.toThrow();
    } else {
      let refusal: unknown;
      try {
        authorize(role, command);
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'FORBIDDEN', field: 'role' });
      expect((refusal as DomainError).message).toContain(`role ${role} may not ${command}`);
    }
  });

  it('refuses an unknown or missing role for everything, reads included', () => {
    for (const command of COMMANDS) {
      expect(mayPerform('superuser', command)).toBe(false);
      expect(mayPerform(undefined, command)).toBe(false);
      expect(() => authorize(undefined, command)).toThrow(/role \(none\) may not/);
    }
  });
});
