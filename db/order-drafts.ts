import { numericText } from '../domain/decimal.js';
import type { Sql, Tx } from './client.js';
import { restateOrderInBase } from './fx.js';
import { headerColumns, type OrderHeader } from './order-header.js';
import { insertOrderLines, type OrderLineInsert } from './orders.js';

/** 草稿: an unapproved (or rejected) order's lines and header replaced by an edit, and the revisions and rejections kept. */

/** What a revision record shows of the order, before and after the edit. */
export interface DraftSnapshot {
  totals: { net: string; tax: string; gross: string };
  shortfallPolicy: string;
  depositRequired: string;
  header: { shipTo: string | null; contact: string | null; salesperson: string; department: string | null; paymentTerms: string | null };
  lines: { lineNo: number; productCode: string; warehouseCode: string; quantity: string; unitPrice: string; expectedDeliveryDate: string | null }[];
}

export interface DraftReplacement {
  orderId: string;
  key: string;
  revision: number;
  editedBy: string;
  /** The order was rejected: it goes back to approval, and the approvals given before no longer count. */
  resubmit: boolean;
  shortfallPolicy: 'block' | 'backorder';
  depositRequired: string;
  /** Ship-to, salesperson, department, deposit and payment terms as the edit resolved them (absent in histories from before). */
  header?: OrderHeader;
  totals: { net: string; tax: string; gross: string };
  lines: OrderLineInsert[];
}

async function snapshot(tx: Tx, orderId: string): Promise<DraftSnapshot> {
  const [[o], lines] = await Promise.all([
    tx`SELECT net_amount, tax_amount, gross_amount, shortfall_policy, deposit_required::text, ship_to_address, ship_to_contact, salesperson, department,
              settlement_terms, settlement_days FROM sales_orders WHERE id = ${orderId}`,
    tx`SELECT l.line_no, p.code AS product_code, w.code AS warehouse_code, l.quantity, l.unit_price, l.expected_delivery_date::text AS expected
       FROM sales_order_lines l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
       WHERE l.order_id = ${orderId} ORDER BY l.line_no`,
  ]);
  return {
    totals: { net: o!.net_amount, tax: o!.tax_amount, gross: o!.gross_amount },
    shortfallPolicy: o!.shortfall_policy,
    depositRequired: o!.deposit_required,
    header: {
      shipTo: o!.ship_to_address,
      contact: o!.ship_to_contact,
      salesperson: o!.salesperson,
      department: o!.department,
      paymentTerms: o!.settlement_terms ? `${o!.settlement_terms} ${o!.settlement_days}` : null,
    },
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      productCode: l.product_code,
      warehouseCode: l.warehouse_code,
      quantity: numericText(l.quantity),
      unitPrice: numericText(l.unit_price),
      expectedDeliveryDate: l.expected,
    })),
  };
}

/** Replaces the draft's lines and header and records the revision with what it replaced, in the caller's transaction. */
export async function replaceDraft(tx: Tx, d: DraftReplacement): Promise<void> {
  const before = await snapshot(tx, d.orderId);
  await tx`DELETE FROM sales_order_lines WHERE order_id = ${d.orderId}`;
  await insertOrderLines(tx, d.orderId, d.lines);
  if (d.header) await tx`UPDATE sales_orders SET ${tx(headerColumns(d.header))} WHERE id = ${d.orderId}`;
  await tx`
    UPDATE sales_orders SET net_amount = ${d.totals.net}, tax_amount = ${d.totals.tax}, gross_amount = ${d.totals.gross},
           shortfall_policy = ${d.shortfallPolicy}, deposit_required = ${d.depositRequired}, revision = ${d.revision},
           status = 'Unapproved', rejected_by = NULL, reject_reason = NULL, updated_at = now()
    WHERE id = ${d.orderId}`;
  await restateOrderInBase(tx, d.orderId);
  if (d.resubmit) await tx`UPDATE order_approvals SET superseded = true WHERE order_id = ${d.orderId} AND NOT superseded`;
  const after = await snapshot(tx, d.orderId);
  await tx`
    INSERT INTO sales_order_revisions (idempotency_key, order_id, revision, edited_by, resubmitted, before, after)
    VALUES (${d.key}, ${d.orderId}, ${d.revision}, ${d.editedBy}, ${d.resubmit}, ${tx.json(before as never)}, ${tx.json(after as never)})`;
}

export interface RejectionRow {
  rejectedBy: string;
  reason: string;
  revision: number;
  rejectedAt: string;
}

export interface RevisionRow {
  revision: number;
  editedBy: string;
  resubmitted: boolean;
  before: DraftSnapshot;
  after: DraftSnapshot;
  editedAt: string;
}

/** Every rejection the order received and every edit of its draft, oldest first. */
export async function draftHistory(sql: Sql, orderId: string): Promise<{ rejections: RejectionRow[]; revisions: RevisionRow[] }> {
  const [rejections, revisions] = await Promise.all([
    sql`SELECT rejected_by, reason, revision, rejected_at FROM sales_order_rejections WHERE order_id = ${orderId} ORDER BY id`,
    sql`SELECT revision, edited_by, resubmitted, before, after, created_at FROM sales_order_revisions WHERE order_id = ${orderId} ORDER BY revision`,
  ]);
  return {
    rejections: rejections.map((r) => ({ rejectedBy: r.rejected_by, reason: r.reason, revision: r.revision, rejectedAt: new Date(r.rejected_at).toISOString() })),
    revisions: revisions.map((r) => ({
      revision: r.revision,
      editedBy: r.edited_by,
      resubmitted: r.resubmitted,
      before: r.before,
      after: r.after,
      editedAt: new Date(r.created_at).toISOString(),
    })),
  };
}
