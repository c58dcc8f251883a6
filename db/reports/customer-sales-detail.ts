import { dec, money, numericText } from '../../domain/decimal.js';
import type { Sql } from '../client.js';
import { deliveredLines, inPeriod, ofTeam, total, type Paging, type Period, type ReportPage, type SalesTeam } from './common.js';

export interface CustomerSalesDetailFilter extends Period, Paging, SalesTeam {
  customerCode: string;
}

export interface CustomerSalesLine {
  deliveryDate: string;
  deliveryNote: string;
  orderNumber: string;
  orderLineNo: number;
  productCode: string;
  productName: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  net: string;
  tax: string;
  gross: string;
  currency: string;
}

/** 客户销货明细表: what a customer received in a period and what it is worth, to reconcile with the customer. */
export async function customerSalesDetail(sql: Sql, timeZone: string, f: CustomerSalesDetailFilter): Promise<ReportPage<CustomerSalesLine>> {
  const rows = await sql`
    SELECT x.*, x.delivery_date::text AS delivery_day, x.net + x.tax AS gross,
           count(*) OVER () AS total_rows, sum(x.net) OVER () AS total_net, sum(x.tax) OVER () AS total_tax
    FROM (${deliveredLines(sql, timeZone)}) x
    WHERE x.customer_code = ${f.customerCode} AND ${inPeriod(sql, 'x.delivery_date', f)} AND ${ofTeam(sql, 'x', f)}
    ORDER BY x.created_at, x.delivery_note, x.order_line_no LIMIT ${f.limit} OFFSET ${f.offset}`;
  const first = rows[0];
  return {
    total: total(rows),
    totals: first
      ? { net: first.total_net, tax: first.total_tax, gross: money(dec(first.total_net).plus(dec(first.total_tax))) }
      : { net: '0.00', tax: '0.00', gross: '0.00' },
    items: rows.map((r) => ({
      deliveryDate: r.delivery_day,
      deliveryNote: r.delivery_note,
      orderNumber: r.order_number,
      orderLineNo: r.order_line_no,
      productCode: r.product_code,
      productName: r.product_name,
      unit: r.unit,
      quantity: numericText(r.quantity),
      unitPrice: numericText(r.unit_price),
      net: r.net,
      tax: r.tax,
      gross: r.gross,
      currency: r.currency,
    })),
  };
}
