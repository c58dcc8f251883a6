import { dec, money, numericText } from '../../domain/decimal.js';
import type { Sql } from '../client.js';
import { BASIS } from './basis.js';
import { salesLines, inPeriod, ofTeam, total, type Paging, type Period, type ReportPage, type SalesTeam } from './common.js';

export type SalesDimension = 'product' | 'customer';

export interface SalesByFilter extends Period, Paging, SalesTeam {
  by: SalesDimension;
}

export interface SalesGroup {
  rank: number;
  code: string;
  name: string;
  /** Delivered less returned quantity; only by product (units differ between products). */
  quantity?: string;
  net: string;
  cost: string;
  /** net × 100 / the net of every group in the period, to two decimals. */
  sharePercent: string | null;
  cumulativeSharePercent: string | null;
  margin: string;
  marginPercent: string | null;
}

/**
 * Net sales, cost and margin per product or per customer in a period (of one salesperson
 * or department when asked), on the basis of salesLines: deliveries less returns and
 * allowances. Ranked by net sales (ties by code). Sales ranking, customer contribution and
 * gross margin are views of these rows; the dashboard reads the same function.
 */
export async function salesBy(sql: Sql, timeZone: string, f: SalesByFilter): Promise<ReportPage<SalesGroup>> {
  const code = sql.unsafe(f.by === 'product' ? 'x.product_code' : 'x.customer_code');
  const name = sql.unsafe(f.by === 'product' ? 'x.product_name' : 'x.customer_name');
  const rows = await sql`
    WITH groups AS (
      SELECT ${code} AS code, ${name} AS name, sum(x.quantity) AS quantity, sum(x.net) AS net, sum(x.cost) AS cost
      FROM (${salesLines(sql, timeZone)}) x
      WHERE ${inPeriod(sql, 'x.movement_date', f)} AND ${ofTeam(sql, 'x', f)}
      GROUP BY 1, 2
    ), ranked AS (
      SELECT g.*, g.net - g.cost AS margin,
             rank() OVER (ORDER BY g.net DESC) AS rank,
             sum(g.net) OVER () AS all_net, sum(g.cost) OVER () AS all_cost,
             sum(g.net) OVER (ORDER BY g.net DESC, g.code) AS cumulative_net,
             count(*) OVER () AS total_rows
      FROM groups g
    )
    SELECT *,
           CASE WHEN all_net > 0 THEN round(net * 100 / all_net, 2) END AS share,
           CASE WHEN all_net > 0 THEN round(cumulative_net * 100 / all_net, 2) END AS cumulative_share,
           CASE WHEN net > 0 THEN round(margin * 100 / net, 2) END AS margin_rate
    FROM ranked ORDER BY net DESC, code LIMIT ${f.limit} OFFSET ${f.offset}`;
  const first = rows[0];
  return {
    basis: BASIS.salesRanking,
    total: total(rows),
    totals: first
      ? { net: first.all_net, cost: first.all_cost, margin: money(dec(first.all_net).minus(dec(first.all_cost))) }
      : { net: '0.00', cost: '0.00', margin: '0.00' },
    items: rows.map((r) => ({
      rank: Number(r.rank),
      code: r.code,
      name: r.name,
      ...(f.by === 'product' ? { quantity: numericText(r.quantity) } : {}),
      net: r.net,
      cost: r.cost,
      margin: r.margin,
      marginPercent: r.margin_rate,
      sharePercent: r.share,
      cumulativeSharePercent: r.cumulative_share,
    })),
  };
}
