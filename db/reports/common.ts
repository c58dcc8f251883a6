import { DomainError } from '../../domain/errors.js';
import type { Sql } from '../client.js';
import type { Basis } from './basis.js';

/** Every report: what it counts, one page of rows, how many rows match, and totals over all of them (not just the page). */
export interface ReportPage<Row, Totals = Record<string, string>> {
  /** What the report counts; every report under /reports states it. */
  basis?: Basis;
  total: number;
  items: Row[];
  totals?: Totals;
}

export interface Paging {
  limit: number;
  offset: number;
}

/** The business date of a timestamp column, in the company's time zone (reports filter and group by it). */
export const businessDay = (sql: Sql, column: string, timeZone: string) => sql`(${sql.unsafe(column)} AT TIME ZONE ${timeZone})::date`;

/** Which document a sales movement comes from: a delivery adds, a return or an allowance (折让) takes away. */
export type SalesMovementKind = 'delivery' | 'return' | 'allowance';

/**
 * Every sales movement with its amounts, the one basis of the sales reports (net of
 * returns and allowances, excluding tax). `net` and `tax` are in the base currency: the document's
 * amounts (`doc_net`, `doc_tax`, in the order's currency) at the rate of the delivery note, or of the
 * credit note for a return or allowance (the return's delivery, else the order, before one is issued),
 * each document's rows adding up to its gross and tax converted once, as the document and the
 * statement convert them (a row's base net may then differ by a cent from its own converted net):
 * - a delivery line: + quantity; net = quantity × the order line's price rounded half-up
 *   to cents per line; tax = net × the line's rate rounded per line; cost = quantity × the
 *   unit cost snapshotted on the delivery note (the product's cost price for notes issued
 *   before the snapshot existed); dated the day of the delivery;
 * - a return line (销退): the same arithmetic on the returned quantity, negative, its cost
 *   at the unit cost the delivery it came back from booked;
 * - an allowance line (折让): its net and tax, negative; no quantity and no cost.
 * A return or allowance is dated by its credit note (the day the customer's statement
 * shows it), or the day it was recorded when nothing of it had been invoiced. A credit
 * note is always the invoiced part of one return or allowance (credit_notes.sales_return_id),
 * so it is named on that row and never counted a second time.
 */
export function salesLines(sql: Sql, timeZone: string) {
  // Each document's rows share out its base totals as the document itself converts them (domain/fx.ts baseTotals: gross
  // and tax each rounded once, net the difference), by the running sums of its rows, so that a USD credit note of
  // 11.30 at 7.1102 is −80.35 on the detail as on the statement, not −71.10 − 9.24 = −80.34 from rounding each part.
  return sql`
    SELECT m.*, bg.gross - bt.tax AS net, bt.tax
    FROM (
      SELECT u.*, sum(u.doc_net + u.doc_tax) OVER running AS running_gross, sum(u.doc_tax) OVER running AS running_tax
      FROM (${movements(sql, timeZone)}) u
      WINDOW running AS (PARTITION BY u.kind, u.document ORDER BY u.document_line_no ROWS UNBOUNDED PRECEDING)
    ) m
    CROSS JOIN LATERAL (SELECT round(m.running_gross * m.fx_rate, 2) - round((m.running_gross - m.doc_net - m.doc_tax) * m.fx_rate, 2) AS gross) bg
    CROSS JOIN LATERAL (SELECT round(m.running_tax * m.fx_rate, 2) - round((m.running_tax - m.doc_tax) * m.fx_rate, 2) AS tax) bt`;
}

/** The sales movements of salesLines with their amounts in the order's currency and the rate of their document. */
function movements(sql: Sql, timeZone: string) {
  return sql`
    SELECT 'delivery' AS kind, d.number AS document, d.number AS delivery_note, NULL::text AS credit_note,
           ${businessDay(sql, 'd.created_at', timeZone)} AS movement_date, d.created_at, dl.line_no AS document_line_no,
           o.number AS order_number, o.currency, o.salesperson, o.department, c.code AS customer_code, c.name AS customer_name,
           dl.order_line_no, p.code AS product_code, p.name AS product_name, p.unit,
           dl.quantity, l.unit_price, l.tax_rate, d.fx_rate,
           round(dl.quantity * coalesce(dl.unit_cost, p.cost_price), 2) AS cost,
           round(dl.quantity * l.unit_price, 2) AS doc_net,
           round(round(dl.quantity * l.unit_price, 2) * l.tax_rate, 2) AS doc_tax
    FROM delivery_note_lines dl
    JOIN delivery_notes d ON d.id = dl.delivery_note_id
    JOIN sales_orders o ON o.id = d.order_id
    JOIN sales_order_lines l ON l.order_id = o.id AND l.line_no = dl.order_line_no
    JOIN customers c ON c.id = o.customer_id
    JOIN products p ON p.id = dl.product_id
    UNION ALL
    SELECT sr.kind, sr.number, dn.number, cn.number,
           coalesce(cn.issued_on, ${businessDay(sql, 'sr.created_at', timeZone)}), sr.created_at, rl.line_no,
           o.number, o.currency, o.salesperson, o.department, c.code, c.name,
           rl.order_line_no, p.code, p.name, p.unit,
           -rl.quantity, rl.unit_price, rl.tax_rate, coalesce(cn.fx_rate, dn.fx_rate, o.fx_rate),
           CASE sr.kind WHEN 'return' THEN -round(rl.quantity * coalesce(booked.unit_cost, p.cost_price), 2) ELSE 0 END,
           doc.net, doc.tax
    FROM sales_return_lines rl
    JOIN sales_returns sr ON sr.id = rl.sales_return_id
    JOIN sales_orders o ON o.id = sr.order_id
    JOIN customers c ON c.id = o.customer_id
    JOIN products p ON p.id = rl.product_id
    LEFT JOIN delivery_notes dn ON dn.id = sr.delivery_note_id
    LEFT JOIN credit_notes cn ON cn.sales_return_id = sr.id
    LEFT JOIN LATERAL (
      SELECT dl.unit_cost FROM delivery_note_lines dl
      WHERE dl.delivery_note_id = sr.delivery_note_id AND dl.order_line_no = rl.order_line_no ORDER BY dl.line_no LIMIT 1
    ) booked ON true
    CROSS JOIN LATERAL (
      SELECT CASE sr.kind WHEN 'return' THEN -round(rl.quantity * rl.unit_price, 2) ELSE -rl.net_amount END AS net,
             CASE sr.kind WHEN 'return' THEN -round(round(rl.quantity * rl.unit_price, 2) * rl.tax_rate, 2) ELSE -rl.tax_amount END AS tax
    ) doc`;
}

export interface Period {
  from?: string | undefined;
  to?: string | undefined;
}

/** A condition on a date column for an optional inclusive period. */
export function inPeriod(sql: Sql, column: string, p: Period) {
  return sql`(${p.from ?? null}::date IS NULL OR ${sql.unsafe(column)} >= ${p.from ?? null}::date)
         AND (${p.to ?? null}::date IS NULL OR ${sql.unsafe(column)} <= ${p.to ?? null}::date)`;
}

/** Whom a sale is credited to: the order's salesperson (业务员) and department (部门), each optional. */
export interface SalesTeam {
  salesperson?: string | undefined;
  department?: string | undefined;
}

/** A condition on the salesperson and department columns (of `alias`) for the optional team filters. */
export function ofTeam(sql: Sql, alias: string, f: SalesTeam) {
  const col = (name: string) => sql.unsafe(`${alias}.${name}`);
  return sql`(${f.salesperson ?? null}::text IS NULL OR ${col('salesperson')} = ${f.salesperson ?? null})
         AND (${f.department ?? null}::text IS NULL OR ${col('department')} = ${f.department ?? null})`;
}

export const total = (rows: readonly { total_rows?: unknown }[]) => (rows.length > 0 ? Number(rows[0]!.total_rows) : 0);

/** The master-data codes a report is filtered by; each given one must exist. */
export interface ReportCodes {
  customerCode?: string | undefined;
  productCode?: string | undefined;
  warehouseCode?: string | undefined;
}

/**
 * Refuses a filter on a customer, product or warehouse that does not exist (422 naming the field, as the statement
 * does), so that a mistyped code is told apart from one with nothing in the period.
 */
export async function requireKnownCodes(sql: Sql, f: ReportCodes): Promise<void> {
  const [found] = await sql<{ customer: boolean; product: boolean; warehouse: boolean }[]>`
    SELECT (${f.customerCode ?? null}::text IS NULL OR EXISTS (SELECT 1 FROM customers WHERE code = ${f.customerCode ?? null})) AS customer,
           (${f.productCode ?? null}::text IS NULL OR EXISTS (SELECT 1 FROM products WHERE code = ${f.productCode ?? null})) AS product,
           (${f.warehouseCode ?? null}::text IS NULL OR EXISTS (SELECT 1 FROM warehouses WHERE code = ${f.warehouseCode ?? null})) AS warehouse`;
  if (!found!.customer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${f.customerCode} does not exist`, 'customerCode');
  if (!found!.product) throw new DomainError('UNKNOWN_PRODUCT', `product ${f.productCode} does not exist`, 'productCode');
  if (!found!.warehouse) throw new DomainError('UNKNOWN_WAREHOUSE', `warehouse ${f.warehouseCode} does not exist`, 'warehouseCode');
}
