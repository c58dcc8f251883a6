import { dec, money, numericText } from '../../domain/decimal.js';
import type { Sql } from '../client.js';
import { BASIS } from './basis.js';
import { inPeriod, ofTeam, requireKnownCodes, salesLines, total, type Paging, type Period, type ReportPage, type SalesMovementKind, type SalesTeam } from './common.js';

export interface CustomerSalesDetailFilter extends Period, Paging, SalesTeam {
  customerCode: string;
}

export interface CustomerSalesLine {
  date: string;
  kind: SalesMovementKind;
  /** The delivery note, or the return / allowance (销退单) number. */
  document: string;
  /** The delivery note the goods went out on (a return's too); null for an allowance. */
  deliveryNote: string | null;
  /** The credit note the invoiced part of a return or allowance became. */
  creditNote: string | null;
  orderNumber: string;
  orderLineNo: number;
  productCode: string;
  productName: string;
  unit: string;
  /** Negative for a return; 0 for an allowance. */
  quantity: string;
  unitPrice: string;
  net: string;
  tax: string;
  gross: string;
  /** The order's currency, and the row's gross in it (net, tax and gross are in the base currency). */
  currency: string;
  documentGross: string;
}

/**
 * 客户销货明细表: what a customer received, sent back and was allowed in a period, row by
 * row, so that its total reconciles with the customer's statement (对账单).
 */
export async function customerSalesDetail(sql: Sql, timeZone: string, f: CustomerSalesDetailFilter): Promise<ReportPage<CustomerSalesLine>> {
  await requireKnownCodes(sql, f);
  const rows = await sql`
    SELECT x.*, x.movement_date::text AS day, x.net + x.tax AS gross,
           count(*) OVER () AS total_rows, sum(x.net) OVER () AS total_net, sum(x.tax) OVER () AS total_tax
    FROM (${salesLines(sql, timeZone)}) x
    WHERE x.customer_code = ${f.customerCode} AND ${inPeriod(sql, 'x.movement_date', f)} AND ${ofTeam(sql, 'x', f)}
    ORDER BY x.movement_date, x.created_at, x.document, x.document_line_no LIMIT ${f.limit} OFFSET ${f.offset}`;
  const first = rows[0];
  return {
    basis: BASIS.customerSalesDetail,
    total: total(rows),
    totals: first
      ? { net: first.total_net, tax: first.total_tax, gross: money(dec(first.total_net).plus(dec(first.total_tax))) }
      : { net: '0.00', tax: '0.00', gross: '0.00' },
    items: rows.map((r) => ({
      date: r.day,
      kind: r.kind,
      document: r.document,
      deliveryNote: r.delivery_note,
      creditNote: r.credit_note,
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
      documentGross: money(dec(r.doc_net).plus(dec(r.doc_tax))),
    })),
  };
}
