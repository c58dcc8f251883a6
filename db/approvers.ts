import type { Approver, ApproverRole } from '../domain/order/index.js';
import type { Sql, Tx } from './client.js';

/** A user's approval authority (审核权限), or null when they are not an active approver: what approveOrder and the inbox read. */
export async function readApprover(sql: Sql | Tx, userName: string): Promise<Approver | null> {
  const [row] = await sql<{ user_name: string; role: ApproverRole; max_amount: string | null }[]>`
    SELECT user_name, role, max_amount::text FROM approvers WHERE user_name = ${userName} AND active`;
  if (!row) return null;
  return { userName: row.user_name, role: row.role, ...(row.max_amount === null ? {} : { maxAmount: row.max_amount }) };
}
