import type { WriteOffAuthority, WriteOffRequestFacts } from '../domain/order/index.js';
import { DomainError } from '../domain/errors.js';
import type { Sql, Tx } from './client.js';

/** 坏账核销 requests of an order (migration 013): asked by finance, decided by another finance approver. */

export interface WriteOffRequestView extends WriteOffRequestFacts {
  currency: string;
  reason: string;
  requestedAt: string;
  decidedAt: string | null;
  rejectReason: string | null;
  writtenOff: { invoice: string; amount: string }[] | null;
}

/** What the API needs besides the view: the row, and the requester's role the workflow's command carries. */
export interface LockedWriteOffRequest extends WriteOffRequestView {
  rowId: string;
  orderId: string;
  requestedByRole: string;
}

interface Row {
  row_id: string;
  order_id: string;
  seq: number;
  order_number: string;
  status: WriteOffRequestFacts['status'];
  amount: string;
  currency: string;
  reason: string;
  requested_by: string;
  requested_by_role: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
  written_off: { invoice: string; amount: string }[] | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const viewOf = (r: Row): WriteOffRequestView => ({
  id: r.seq,
  orderNumber: r.order_number,
  status: r.status,
  amount: r.amount,
  currency: r.currency,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: iso(r.requested_at)!,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  rejectReason: r.reject_reason,
  writtenOff: r.written_off,
});

const COLUMNS = (sql: Sql | Tx) => sql`
  w.id AS row_id, w.order_id, w.seq, o.number AS order_number, w.status, w.amount::text, w.currency, w.reason,
  w.requested_by, w.requested_by_role, w.requested_at, w.decided_by, w.decided_at, w.reject_reason, w.written_off`;

export async function writeOffRequestsOf(sql: Sql | Tx, orderNumber: string): Promise<WriteOffRequestView[]> {
  const rows = await sql<Row[]>`
    SELECT ${COLUMNS(sql)} FROM write_off_requests w JOIN sales_orders o ON o.id = w.order_id
    WHERE o.number = ${orderNumber} ORDER BY w.seq`;
  return rows.map(viewOf);
}

export async function writeOffRequest(sql: Sql | Tx, orderNumber: string, seq: number): Promise<WriteOffRequestView | undefined> {
  return (await writeOffRequestsOf(sql, orderNumber)).find((r) => r.id === seq);
}

/** The request, locked for its decision; NOT_FOUND naming the order or the request. */
export async function lockWriteOffRequest(tx: Tx, orderNumber: string, seq: number): Promise<LockedWriteOffRequest> {
  const [row] = await tx<Row[]>`
    SELECT ${COLUMNS(tx)} FROM write_off_requests w JOIN sales_orders o ON o.id = w.order_id
    WHERE o.number = ${orderNumber} AND w.seq = ${seq} FOR UPDATE OF w`;
  if (!row) {
    const [order] = await tx`SELECT 1 FROM sales_orders WHERE number = ${orderNumber}`;
    if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'number');
    throw new DomainError('NOT_FOUND', `order ${orderNumber} has no write-off request ${seq}`, 'id');
  }
  return { ...viewOf(row), rowId: row.row_id, orderId: row.order_id, requestedByRole: row.requested_by_role };
}

/** The order, its status and what is open on its invoices (the amount a bad-debt write-off would close), locked. */
export async function orderOpenAmount(tx: Tx, orderNumber: string): Promise<{ id: string; status: string; currency: string; open: string }> {
  const [order] = await tx<{ id: string; status: string; currency: string }[]>`
    SELECT id, status, currency FROM sales_orders WHERE number = ${orderNumber} FOR UPDATE`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'number');
  return { ...order, open: await openOnInvoices(tx, orderNumber) };
}

/** What the order's invoices still have open (gross less paid, written off and credited): what a write-off would take. */
export async function openOnInvoices(sql: Tx | Sql, orderNumber: string): Promise<string> {
  const [row] = await sql<{ open: string }[]>`
    SELECT coalesce(sum(i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount), 0)::numeric(18,2)::text AS open
    FROM invoices i JOIN sales_orders o ON o.id = i.order_id
    WHERE o.number = ${orderNumber} AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount`;
  return row!.open;
}

/** The order's request still waiting for a decision, if any. */
export async function undecidedWriteOffRequest(tx: Tx, orderId: string): Promise<WriteOffRequestFacts | undefined> {
  const [row] = await tx<Row[]>`
    SELECT ${COLUMNS(tx)} FROM write_off_requests w JOIN sales_orders o ON o.id = w.order_id
    WHERE w.order_id = ${orderId} AND w.status IN ('pending', 'approving')`;
  return row ? viewOf(row) : undefined;
}

export async function insertWriteOffRequest(
  tx: Tx,
  r: { orderId: string; amount: string; currency: string; reason: string; requestedBy: string; requestedByRole: string },
): Promise<number> {
  // The order row is locked by orderOpenAmount, so the next number is free.
  const [row] = await tx<{ seq: number }[]>`
    INSERT INTO write_off_requests (order_id, seq, status, amount, currency, reason, requested_by, requested_by_role)
    SELECT ${r.orderId}, coalesce(max(seq), 0) + 1, 'pending', ${r.amount}, ${r.currency}, ${r.reason}, ${r.requestedBy}, ${r.requestedByRole}
    FROM write_off_requests WHERE order_id = ${r.orderId}
    RETURNING seq`;
  return row!.seq;
}

/** A finance approver's authority (finance_approvers), or undefined for anyone else. */
export async function writeOffAuthorityOf(sql: Sql | Tx, userName: string): Promise<WriteOffAuthority | undefined> {
  const [row] = await sql<{ max_amount: string | null }[]>`SELECT max_amount::text FROM finance_approvers WHERE user_name = ${userName}`;
  return row ? { maxAmount: row.max_amount } : undefined;
}

export async function claimWriteOffRequest(tx: Tx, rowId: string, decidedBy: string): Promise<void> {
  await tx`UPDATE write_off_requests SET status = 'approving', decided_by = ${decidedBy}, decided_at = now() WHERE id = ${rowId} AND status = 'pending'`;
}

/** The workflow refused the write-off: nothing was booked, so the request waits again. */
export async function releaseWriteOffRequest(sql: Sql, rowId: string): Promise<void> {
  await sql`UPDATE write_off_requests SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = ${rowId} AND status = 'approving'`;
}

export async function finishWriteOffRequest(sql: Sql, rowId: string, writtenOff: { invoice: string; amount: string }[]): Promise<void> {
  await sql`UPDATE write_off_requests SET status = 'approved', written_off = ${sql.json(writtenOff as never)} WHERE id = ${rowId} AND status = 'approving'`;
}

export async function rejectWriteOffRequest(tx: Tx, rowId: string, decidedBy: string, reason: string): Promise<void> {
  await tx`
    UPDATE write_off_requests SET status = 'rejected', decided_by = ${decidedBy}, decided_at = now(), reject_reason = ${reason}
    WHERE id = ${rowId} AND status = 'pending'`;
}

/**
 * The write-off entries a claimed approval already booked (the bad-debt activity's note names the
 * requester and approver), for a repeated approval whose first answer was lost.
 */
export async function bookedWriteOffs(sql: Sql, r: { orderId: string; note: string; since: string }): Promise<{ invoice: string; amount: string }[]> {
  return sql<{ invoice: string; amount: string }[]>`
    SELECT i.number AS invoice, (-e.amount)::numeric(18,2)::text AS amount
    FROM receivable_entries e JOIN invoices i ON i.id = e.invoice_id
    WHERE e.order_id = ${r.orderId} AND e.kind = 'write_off' AND e.note = ${r.note} AND e.created_at >= ${r.since}
    ORDER BY e.id`;
}
