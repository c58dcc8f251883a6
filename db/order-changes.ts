import type { OrderSnapshot } from '../domain/order/index.js';
import type { Sql } from './client.js';

/** 历史变更信息: the change documents of one order, and the order as it was at one version. */

const label = (version: number) => String(version).padStart(4, '0');

export interface OrderChangeView {
  version: string;
  status: 'pending_approval' | 'applied' | 'rejected';
  reason: string;
  requestedBy: string;
  requestedAt: string;
  approvalReasons: string[];
  approvals: { actor: string; role: string }[];
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  grossBefore: string;
  grossAfter: string;
  lines: unknown[];
}

interface ChangeRow {
  version: number;
  status: OrderChangeView['status'];
  reason: string;
  requested_by: string;
  requested_at: Date;
  approval_reasons: string[];
  approvals: { actor: string; role: string }[];
  decided_by: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
  gross_before: string;
  gross_after: string;
  diff: unknown[];
  before_order: OrderTerms;
  after_order: OrderTerms;
}

type OrderTerms = OrderSnapshot;

const view = (r: ChangeRow): OrderChangeView => ({
  version: label(r.version),
  status: r.status,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  approvalReasons: r.approval_reasons,
  approvals: r.approvals.map((a) => ({ actor: a.actor, role: a.role })),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  rejectReason: r.reject_reason,
  grossBefore: r.gross_before,
  grossAfter: r.gross_after,
  lines: r.diff,
});

async function changeRows(sql: Sql, orderNumber: string): Promise<ChangeRow[] | undefined> {
  const [order] = await sql<{ id: string }[]>`SELECT id FROM sales_orders WHERE number = ${orderNumber}`;
  if (!order) return undefined;
  return sql<ChangeRow[]>`
    SELECT version, status, reason, requested_by, requested_at, approval_reasons, approvals, decided_by, decided_at, reject_reason,
           gross_before::text, gross_after::text, diff, before_order, after_order
    FROM order_changes WHERE order_id = ${order.id} ORDER BY version`;
}

/** Every version with its line-level before/after, who asked and who decided; undefined when the order does not exist. */
export async function orderChanges(sql: Sql, orderNumber: string): Promise<OrderChangeView[] | undefined> {
  return (await changeRows(sql, orderNumber))?.map(view);
}

export interface OrderAtVersion {
  number: string;
  version: string;
  /** What the change at this version became; version 0000 is the order as approved. */
  changeStatus: OrderChangeView['status'] | 'original';
  totals: OrderTerms['totals'];
  lines: OrderTerms['lines'];
}

/**
 * The order's terms at version N: after change N if it was applied, else as the
 * last applied change before it left them (a rejected or pending change changed nothing).
 */
export async function orderAtVersion(sql: Sql, orderNumber: string, version: number): Promise<OrderAtVersion | undefined> {
  const rows = await changeRows(sql, orderNumber);
  if (!rows) return undefined;
  const asked = rows.find((r) => r.version === version);
  if (version > 0 && !asked) return undefined;
  const applied = rows.filter((r) => r.status === 'applied' && r.version <= version).at(-1);
  // Before any applied change, the order as it was is the "before" of the first change.
  const first = rows[0];
  const terms = applied ? applied.after_order : first ? first.before_order : undefined;
  if (!terms) return undefined;
  return { number: orderNumber, version: label(version), changeStatus: asked ? asked.status : 'original', totals: terms.totals, lines: terms.lines };
}
