import type { WriteOffRequestStatus } from '../domain/order/index.js';
import type { Sql } from './client.js';

/** What finance's console pages list beside the API's reports: a payer's open invoices, the write-offs awaiting a decision, the quotations. */

export interface PayerOpenInvoice {
  invoiceNumber: string;
  orderNumber: string;
  customerCode: string;
  customerName: string;
  currency: string;
  gross: string;
  openAmount: string;
  dueOn: string;
}

/** The payer's invoices still open (what a receipt can be allocated to, 核销), oldest due first. */
export async function payerOpenInvoices(sql: Sql, payerCode: string): Promise<PayerOpenInvoice[]> {
  const rows = await sql<{ number: string; order_number: string; code: string; name: string; currency: string; gross: string; open: string; due_on: string }[]>`
    SELECT i.number, o.number AS order_number, c.code, c.name, i.currency, i.gross_amount::text AS gross,
           (i.gross_amount - i.paid_amount - i.written_off_amount - i.credited_amount)::text AS open, i.due_on::text
    FROM invoices i JOIN customers p ON p.id = i.payer_customer_id JOIN customers c ON c.id = i.customer_id
    JOIN sales_orders o ON o.id = i.order_id
    WHERE p.code = ${payerCode} AND i.paid_amount + i.written_off_amount + i.credited_amount < i.gross_amount
    ORDER BY i.due_on, i.number LIMIT 500`;
  return rows.map((r) => ({
    invoiceNumber: r.number,
    orderNumber: r.order_number,
    customerCode: r.code,
    customerName: r.name,
    currency: r.currency,
    gross: r.gross,
    openAmount: r.open,
    dueOn: r.due_on,
  }));
}

export interface UndecidedWriteOff {
  id: number;
  orderNumber: string;
  customerCode: string;
  customerName: string;
  status: WriteOffRequestStatus;
  amount: string;
  currency: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
}

/** 坏账核销 requests still waiting for a decision (or being booked), every order's, oldest first. */
export async function undecidedWriteOffs(sql: Sql): Promise<UndecidedWriteOff[]> {
  const rows = await sql<{ seq: number; number: string; code: string; name: string; status: WriteOffRequestStatus; amount: string; currency: string; reason: string; requested_by: string; requested_at: Date; decided_by: string | null }[]>`
    SELECT w.seq, o.number, c.code, c.name, w.status, w.amount::text, w.currency, w.reason, w.requested_by, w.requested_at, w.decided_by
    FROM write_off_requests w JOIN sales_orders o ON o.id = w.order_id JOIN customers c ON c.id = o.customer_id
    WHERE w.status IN ('pending', 'approving') ORDER BY w.requested_at, w.id LIMIT 500`;
  return rows.map((r) => ({
    id: r.seq,
    orderNumber: r.number,
    customerCode: r.code,
    customerName: r.name,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedAt: new Date(r.requested_at).toISOString(),
    decidedBy: r.decided_by,
  }));
}

export interface QuotationRow {
  quotationNumber: string;
  customerCode: string;
  customerName: string;
  status: string;
  currentVersion: number;
  gross: string;
  validUntil: string | null;
  orderNumber: string | null;
  createdBy: string;
  createdAt: string;
}

/** 报价单 list, newest first, with the current version's total. */
export async function listQuotations(sql: Sql, f: { customerCode?: string | undefined; status?: string | undefined; limit: number; offset: number }) {
  const where = sql`WHERE (${f.customerCode ?? null}::text IS NULL OR c.code = ${f.customerCode ?? null})
                      AND (${f.status ?? null}::text IS NULL OR q.status = ${f.status ?? null})`;
  const [rows, [count]] = await Promise.all([
    sql<{ number: string; code: string; name: string; status: string; current_version: number; gross: string; valid_until: string | null; order_number: string | null; created_by: string; created_at: Date }[]>`
      SELECT q.number, c.code, c.name, q.status, q.current_version, v.gross_amount::text AS gross, v.valid_until::text, q.order_number, q.created_by, q.created_at
      FROM quotations q JOIN customers c ON c.id = q.customer_id
      JOIN quotation_versions v ON v.quotation_id = q.id AND v.version = q.current_version
      ${where} ORDER BY q.created_at DESC, q.number DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    sql<{ total: number }[]>`SELECT count(*)::int AS total FROM quotations q JOIN customers c ON c.id = q.customer_id ${where}`,
  ]);
  const items: QuotationRow[] = rows.map((r) => ({
    quotationNumber: r.number,
    customerCode: r.code,
    customerName: r.name,
    status: r.status,
    currentVersion: r.current_version,
    gross: r.gross,
    validUntil: r.valid_until,
    orderNumber: r.order_number,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  }));
  return { total: count?.total ?? 0, items };
}
