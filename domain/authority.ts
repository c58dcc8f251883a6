import { mayPerform, type Role } from './authorization.js';
import { dec, money } from './decimal.js';
import { DomainError } from './errors.js';

/**
 * 权限管理: the rules for changing who holds which role and approval authority. The API
 * writes only what these let through, so a bad change is refused before anything is stored.
 */

/** An amount limit is a positive amount of money or none (no limit); stored with two decimals. */
export function amountLimit(value: string | null, field: string): string | null {
  if (value === null) return null;
  let amount;
  try {
    amount = dec(value);
  } catch {
    throw new DomainError('VALIDATION_FAILED', `${field} must be an amount of money or null (no limit)`, field);
  }
  if (!amount.isFinite() || amount.lessThanOrEqualTo(0)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be above zero, or null for no limit`, field);
  }
  if (amount.decimalPlaces() > 2) throw new DomainError('VALIDATION_FAILED', `${field} has at most two decimals`, field);
  return money(amount);
}

/** The amount above which an order needs the senior approval: a positive amount (every order above zero would be `0`, which the ordinary rule already is). */
export function seniorThreshold(value: string): string {
  const amount = amountLimit(value, 'amount');
  if (amount === null) throw new DomainError('VALIDATION_FAILED', 'amount is required', 'amount');
  return amount;
}

/** An admin never takes away their own admin role: someone must be left who can give it back. */
export function checkRoleChange(actor: string, user: string, currentRole: Role, newRole: Role): void {
  if (actor === user && currentRole === 'admin' && newRole !== 'admin') {
    throw new DomainError('VALIDATION_FAILED', `${actor} may not remove their own admin role`, 'role');
  }
}

/**
 * What a role change takes away: approval and write-off authority the new role cannot use. Kept, it would show a
 * clerk with an approval limit and come back unasked when the role is given again.
 */
export function authorityLostWith(newRole: Role): { approval: boolean; writeOff: boolean } {
  return { approval: !mayPerform(newRole, 'approve'), writeOff: !mayPerform(newRole, 'decideWriteOff') };
}

/** Approval authority is given only to a user whose role may approve orders: otherwise it would never be used. */
export function checkMayHoldApproval(user: string, role: Role): void {
  if (!mayPerform(role, 'approve')) {
    throw new DomainError('VALIDATION_FAILED', `${user} is a ${role}, a role that does not approve orders`, 'role', { role });
  }
}

/** Write-off authority likewise, for a role that decides write-offs. */
export function checkMayHoldWriteOffAuthority(user: string, role: Role): void {
  if (!mayPerform(role, 'decideWriteOff')) {
    throw new DomainError('VALIDATION_FAILED', `${user} is a ${role}, a role that does not decide write-offs`, 'role', { role });
  }
}

/** One approvers row per user: an approver cannot silently become a credit controller, or the other way round. */
export function checkApproverKind(user: string, held: string | undefined, wanted: 'order' | 'credit'): void {
  if (held === undefined) return;
  const heldKind = held === 'credit_controller' ? 'credit' : 'order';
  if (heldKind !== wanted) {
    const what = heldKind === 'credit' ? 'a credit controller' : 'an order approver';
    throw new DomainError('CONFLICT', `${user} is already ${what}; remove that authority first`, 'user', { held });
  }
}
