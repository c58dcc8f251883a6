import type { Sql } from '../client.js';

/** Every report: one page of rows, how many rows match, and totals over all of them (not just the page). */
export interface ReportPage<Row, Totals = Record<string, string>> {
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

/**
 * Every delivered line with its amounts, the basis of the sales reports: net is
 * delivered quantity × the order line's price rounded half-up to cents per line,
 * tax is that net × the line's tax rate rounded per line, cost is the quantity ×
 * the unit cost snapshotted on the delivery note (the product's cost price for notes
 * issued before the snapshot existed).
 */
export function deliveredLines(sql: Sql, timeZone: string) {
  return sql`
    SELECT d.number AS delivery_note, ${businessDay(sql, 'd.created_at', timeZone)} AS delivery_date, d.created_at,
           o.number AS order_number, o.currency, o.salesperson, o.department, c.code AS customer_code, c.name AS customer_name,
           dl.order_line_no, p.code AS product_code, p.name AS product_name, p.unit,
           dl.quantity, l.unit_price, l.tax_rate,
           round(dl.quantity * l.unit_price, 2) AS net,
           round(round(dl.quantity * l.unit_price, 2) * l.tax_rate, 2) AS tax,
           round(dl.quantity * coalesce(dl.unit_cost, p.cost_price), 2) AS cost
    FROM delivery_note_lines dl
    JOIN delivery_notes d ON d.id = dl.delivery_note_id
    JOIN sales_orders o ON o.id = d.order_id
    JOIN sales_order_lines l ON l.order_id = o.id AND l.line_no = dl.order_line_no
    JOIN customers c ON c.id = o.customer_id
    JOIN products p ON p.id = dl.product_id`;
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
