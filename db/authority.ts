import { isRole, type Role } from '../domain/authorization.js';
import {
  amountLimit,
  checkApproverKind,
  checkMayHoldApproval,
  checkMayHoldWriteOffAuthority,
  authorityLostWith,
  checkRoleChange,
  seniorThreshold,
} from '../domain/authority.js';
import { DomainError } from '../domain/errors.js';
import type { Sql, Tx } from './client.js';

/**
 * 权限管理 as data: users' roles, approvers (approvers), credit controllers (approvers with role
 * credit_controller), finance approvers (finance_approvers) and the senior approval rule's threshold.
 * Each write checks the rules of domain/authority.ts inside its transaction, against the row it locks.
 */

export interface UserAuthority {
  name: string;
  role: Role;
  active: boolean;
  /** Order approval: ordinary or senior, with the amount above which their approval does not count (null: none). */
  approver: { senior: boolean; maxAmount: string | null } | null;
  creditController: boolean;
  financeApprover: { maxAmount: string | null } | null;
}

export interface AuthorityView {
  users: UserAuthority[];
  /** Orders above this amount need the senior approval (null: no such rule is active). */
  seniorThreshold: string | null;
}

export async function readAuthority(sql: Sql | Tx): Promise<AuthorityView> {
  const rows = await sql<{ name: string; role: string; active: boolean; approver_role: string | null; approver_max: string | null; finance: boolean; finance_max: string | null }[]>`
    SELECT u.name, u.role, u.active, a.role AS approver_role, a.max_amount::text AS approver_max,
           f.user_name IS NOT NULL AS finance, f.max_amount::text AS finance_max
    FROM users u
    LEFT JOIN approvers a ON a.user_name = u.name AND a.active
    LEFT JOIN finance_approvers f ON f.user_name = u.name
    ORDER BY u.name`;
  const users = rows.filter((r) => isRole(r.role)).map((r) => ({
    name: r.name,
    role: r.role as Role,
    active: r.active,
    approver: r.approver_role === 'approver' || r.approver_role === 'senior_approver'
      ? { senior: r.approver_role === 'senior_approver', maxAmount: r.approver_max }
      : null,
    creditController: r.approver_role === 'credit_controller',
    financeApprover: r.finance ? { maxAmount: r.finance_max } : null,
  }));
  return { users, seniorThreshold: (await seniorRule(sql))?.min_amount ?? null };
}

async function seniorRule(sql: Sql | Tx) {
  const [rule] = await sql<{ id: number; min_amount: string }[]>`
    SELECT id, min_amount::text FROM approval_rules WHERE kind = 'amount' AND required_role = 'senior_approver' AND active ORDER BY id LIMIT 1`;
  return rule;
}

/** The user (locked for the change), or 404 naming the field that named them. */
async function lockedUser(tx: Tx, name: string, field = 'name'): Promise<{ role: Role }> {
  const [row] = await tx<{ role: string }[]>`SELECT role FROM users WHERE name = ${name} FOR UPDATE`;
  if (!row || !isRole(row.role)) throw new DomainError('NOT_FOUND', `no user ${name}`, field);
  return { role: row.role };
}

async function heldApproval(tx: Tx, name: string): Promise<string | undefined> {
  const [row] = await tx<{ role: string }[]>`SELECT role FROM approvers WHERE user_name = ${name} AND active FOR UPDATE`;
  return row?.role;
}

export async function setUserRole(sql: Sql, actor: string, name: string, role: Role): Promise<void> {
  await sql.begin(async (tx) => {
    const user = await lockedUser(tx, name);
    checkRoleChange(actor, name, user.role, role);
    await tx`UPDATE users SET role = ${role} WHERE name = ${name}`;
    const lost = authorityLostWith(role);
    if (lost.approval) await tx`DELETE FROM approvers WHERE user_name = ${name}`;
    if (lost.writeOff) await tx`DELETE FROM finance_approvers WHERE user_name = ${name}`;
  });
}

export async function setApprover(sql: Sql, name: string, input: { senior: boolean; maxAmount: string | null }): Promise<void> {
  const maxAmount = amountLimit(input.maxAmount, 'maxAmount');
  await sql.begin(async (tx) => {
    const user = await lockedUser(tx, name);
    checkMayHoldApproval(name, user.role);
    checkApproverKind(name, await heldApproval(tx, name), 'order');
    const role = input.senior ? 'senior_approver' : 'approver';
    await tx`
      INSERT INTO approvers (user_name, role, max_amount, active) VALUES (${name}, ${role}, ${maxAmount}, true)
      ON CONFLICT (user_name) DO UPDATE SET role = EXCLUDED.role, max_amount = EXCLUDED.max_amount, active = true`;
  });
}

/** Takes away one kind of approval authority; 404 when the user does not hold it. */
async function removeApproval(sql: Sql, name: string, kind: 'order' | 'credit'): Promise<void> {
  await sql.begin(async (tx) => {
    await lockedUser(tx, name);
    const held = await heldApproval(tx, name);
    const holds = held !== undefined && (held === 'credit_controller') === (kind === 'credit');
    if (!holds) throw new DomainError('NOT_FOUND', `${name} is not ${kind === 'credit' ? 'a credit controller' : 'an order approver'}`, 'name');
    await tx`DELETE FROM approvers WHERE user_name = ${name}`;
  });
}

export const removeApprover = (sql: Sql, name: string) => removeApproval(sql, name, 'order');
export const removeCreditController = (sql: Sql, name: string) => removeApproval(sql, name, 'credit');

export async function addCreditController(sql: Sql, name: string): Promise<void> {
  await sql.begin(async (tx) => {
    const user = await lockedUser(tx, name, 'user');
    checkMayHoldApproval(name, user.role);
    checkApproverKind(name, await heldApproval(tx, name), 'credit');
    await tx`
      INSERT INTO approvers (user_name, role, max_amount, active) VALUES (${name}, 'credit_controller', NULL, true)
      ON CONFLICT (user_name) DO UPDATE SET role = EXCLUDED.role, max_amount = NULL, active = true`;
  });
}

export async function setFinanceApprover(sql: Sql, name: string, input: { maxAmount: string | null }): Promise<void> {
  const maxAmount = amountLimit(input.maxAmount, 'maxAmount');
  await sql.begin(async (tx) => {
    const user = await lockedUser(tx, name);
    checkMayHoldWriteOffAuthority(name, user.role);
    await tx`
      INSERT INTO finance_approvers (user_name, max_amount) VALUES (${name}, ${maxAmount})
      ON CONFLICT (user_name) DO UPDATE SET max_amount = EXCLUDED.max_amount`;
  });
}

export async function removeFinanceApprover(sql: Sql, name: string): Promise<void> {
  await sql.begin(async (tx) => {
    await lockedUser(tx, name);
    const gone = await tx`DELETE FROM finance_approvers WHERE user_name = ${name} RETURNING user_name`;
    if (gone.length === 0) throw new DomainError('NOT_FOUND', `${name} is not a finance approver`, 'name');
  });
}

/** Edits the senior approval rule itself, so approval keeps reading one set of rules. */
export async function setSeniorThreshold(sql: Sql, amount: string): Promise<void> {
  const threshold = seniorThreshold(amount);
  await sql.begin(async (tx) => {
    const rule = await seniorRule(tx);
    if (!rule) throw new DomainError('NOT_FOUND', 'no active senior approval rule to change', 'amount');
    await tx`
      UPDATE approval_rules SET min_amount = ${threshold},
        description = ${`orders above ${threshold} need a second, director-level approval`}
      WHERE id = ${rule.id}`;
  });
}
