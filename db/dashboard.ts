import type { Sql } from './client.js';

/**
 * How many sales orders were taken on each business day of an inclusive period (days
 * without one are left out). Counted from the order's creation in the company's time
 * zone, as the order list's dates read, over a range of created_at the index can use.
 */
export async function ordersPerDay(sql: Sql, timeZone: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await sql<{ day: string; n: number }[]>`
    SELECT (created_at AT TIME ZONE ${timeZone})::date::text AS day, count(*)::int AS n
    FROM sales_orders
    WHERE created_at >= (${from}::date::timestamp AT TIME ZONE ${timeZone})
      AND created_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${timeZone})
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.day, r.n]));
}
