import type { Sql } from '../../db/client.js';
import type { TimelineEvent } from './event.js';

const at = (t: unknown) => new Date(t as string).toISOString();
const biz = (e: Omit<TimelineEvent, 'source'>): TimelineEvent => ({ source: 'business', ...e });
const label = (v: number) => String(v).padStart(4, '0');

/** Changes (asked, approved or rejected), returns and allowances, and the credit notes they produced. */
export async function changeAndReturnEvents(sql: Sql, orderId: string, currency: string): Promise<TimelineEvent[]> {
  const [changes, returns, credits] = await Promise.all([
    sql`SELECT version, status, reason, requested_by, requested_at, decided_by, decided_at, reject_reason, approval_reasons,
               gross_before::text, gross_after::text
        FROM order_changes WHERE order_id = ${orderId} ORDER BY version`,
    sql`SELECT r.number, r.kind, r.reason, r.recorded_by, r.disposition, r.gross_amount::text, r.created_at, d.number AS delivery_note, w.code AS warehouse_code
        FROM sales_returns r LEFT JOIN delivery_notes d ON d.id = r.delivery_note_id LEFT JOIN warehouses w ON w.id = r.warehouse_id
        WHERE r.order_id = ${orderId} ORDER BY r.id`,
    sql`SELECT cn.number, cn.gross_amount::text, cn.allocated_amount::text, cn.issued_by, cn.created_at, i.number AS invoice
        FROM credit_notes cn JOIN invoices i ON i.id = cn.invoice_id WHERE cn.order_id = ${orderId} ORDER BY cn.id`,
  ]);
  const events: TimelineEvent[] = [];
  for (const c of changes) {
    const version = label(c.version);
    const waits = (c.approval_reasons as string[]).length > 0;
    events.push(biz({
      at: at(c.requested_at),
      kind: 'change.requested',
      summary: `change ${version}: ${c.reason} (${c.gross_before} → ${c.gross_after} ${currency})${waits ? `; needs approval: ${(c.approval_reasons as string[]).join('; ')}` : ''}`,
      actor: c.requested_by,
      document: version,
    }));
    if (c.status === 'applied') {
      events.push(biz({ at: at(c.decided_at ?? c.requested_at), kind: 'change.applied', summary: `change ${version} applied${c.decided_by ? `, approved by ${c.decided_by}` : ''}`, actor: c.decided_by, document: version }));
    } else if (c.status === 'rejected') {
      events.push(biz({ at: at(c.decided_at), kind: 'change.rejected', summary: `change ${version} rejected by ${c.decided_by}: ${c.reject_reason}`, actor: c.decided_by, document: version }));
    }
  }
  for (const r of returns) {
    const what = r.kind === 'return' ? `return ${r.number} of ${r.delivery_note} into ${r.warehouse_code} (${r.disposition})` : `allowance ${r.number}`;
    events.push(biz({ at: at(r.created_at), kind: `${r.kind}.recorded`, summary: `${what}: ${r.reason}`, actor: r.recorded_by, document: r.number, details: { gross: r.gross_amount } }));
  }
  for (const n of credits) {
    events.push(biz({
      at: at(n.created_at),
      kind: 'credit_note.issued',
      summary: `credit note ${n.number} for ${n.gross_amount} ${currency} against ${n.invoice}, ${n.allocated_amount} settled on the order's invoices`,
      actor: n.issued_by,
      document: n.number,
      details: { gross: n.gross_amount, applied: n.allocated_amount },
    }));
  }
  return events;
}
