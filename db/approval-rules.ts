import type { ApprovalRule, ApproverRole } from '../domain/order/index.js';
import { numericText } from '../domain/decimal.js';
import type { Sql, Tx } from './client.js';

/** The active approval rules (审核权限 as data), in order. */
export async function readApprovalRules(sql: Sql | Tx): Promise<ApprovalRule[]> {
  const rows = await sql<{ id: number; kind: 'amount' | 'check'; min_amount: string | null; check_code: string | null; required_role: ApproverRole; description: string }[]>`
    SELECT id, kind, min_amount::text, check_code, required_role, description FROM approval_rules WHERE active ORDER BY id`;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    ...(r.min_amount === null ? {} : { minAmount: numericText(r.min_amount) }),
    ...(r.check_code === null ? {} : { checkCode: r.check_code }),
    requiredRole: r.required_role,
    description: r.description,
  }));
}
