import { numericText } from '../../domain/decimal.js';
import { DEFAULT_DELIVERY_DAYS } from '../../domain/order/header.js';
import type { Sql } from '../client.js';
import { BASIS } from './basis.js';
import { businessDay, inPeriod, ofTeam, requireKnownCodes, total, type Paging, type Period, type ReportPage, type SalesTeam } from './common.js';

/** The period (from, to) is on the expected delivery date (预交货日), as seed 002's 订单预计出货表 asks. */
export interface ExpectedShipmentsFilter extends Period, Paging, SalesTeam {
  customerCode?: string | undefined;
  productCode?: string | undefined;
}

export interface ExpectedShipment {
  /** 预交货日: the line's own date; a line saved without one is expected a week after its order, as on entry. */
  expectedDeliveryDate: string;
  orderDate: string;
  orderNumber: string;
  orderStatus: string;
  customerCode: string;
  customerName: string;
  salesperson: string | null;
  department: string | null;
  lineNo: number;
  productCode: string;
  productName: string;
  warehouseCode: string;
  orderedQty: string;
  deliveredQty: string;
  openQty: string;
  unitPrice: string;
  openNet: string;
}

/**
 * 预计出货表: every open order line still to deliver (not closed, not cancelled), in
 * expected-delivery-date order, filtered by that date, product, customer, salesperson
 * and department (the seed's four views: by date, product, customer, salesperson).
 * Open net is the open quantity × price, rounded per line, in the base currency at the order's rate.
 */
export async function expectedShipments(sql: Sql, timeZone: string, f: ExpectedShipmentsFilter): Promise<ReportPage<ExpectedShipment>> {
  await requireKnownCodes(sql, f);
  const rows = await sql`
    WITH open_lines AS (
      SELECT ${businessDay(sql, 'o.created_at', timeZone)} AS order_date,
             coalesce(l.expected_delivery_date, ${businessDay(sql, 'o.created_at', timeZone)} + ${DEFAULT_DELIVERY_DAYS}::int) AS expected_date, o.number, o.status, c.code AS customer_code, c.name AS customer_name,
             o.salesperson, o.department, l.line_no, p.code AS product_code, p.name AS product_name, w.code AS warehouse_code,
             l.quantity, l.delivered_qty, l.quantity - l.delivered_qty AS open_qty, l.unit_price,
             round(round((l.quantity - l.delivered_qty) * l.unit_price, 2) * o.fx_rate, 2) AS open_net
      FROM sales_order_lines l
      JOIN sales_orders o ON o.id = l.order_id
      JOIN customers c ON c.id = o.customer_id
      JOIN products p ON p.id = l.product_id
      JOIN warehouses w ON w.id = l.warehouse_id
      WHERE l.close_status = 'N' AND o.status NOT IN ('Cancelled', 'Completed') AND l.quantity > l.delivered_qty
        AND (${f.customerCode ?? null}::text IS NULL OR c.code = ${f.customerCode ?? null})
        AND (${f.productCode ?? null}::text IS NULL OR p.code = ${f.productCode ?? null})
        AND ${ofTeam(sql, 'o', f)}
    )
    SELECT *, order_date::text AS order_day, expected_date::text AS expected_day, count(*) OVER () AS total_rows, sum(open_net) OVER () AS total_open_net
    FROM open_lines WHERE ${inPeriod(sql, 'expected_date', f)}
    ORDER BY expected_date, number, line_no LIMIT ${f.limit} OFFSET ${f.offset}`;
  return {
    basis: BASIS.expectedShipments,
    total: total(rows),
    totals: { openNet: rows[0]?.total_open_net ?? '0.00' },
    items: rows.map((r) => ({
      expectedDeliveryDate: r.expected_day,
      orderDate: r.order_day,
      orderNumber: r.number,
      orderStatus: r.status,
      customerCode: r.customer_code,
      customerName: r.customer_name,
      salesperson: r.salesperson,
      department: r.department,
      lineNo: r.line_no,
      productCode: r.product_code,
      productName: r.product_name,
      warehouseCode: r.warehouse_code,
      orderedQty: numericText(r.quantity),
      deliveredQty: numericText(r.delivered_qty),
      openQty: numericText(r.open_qty),
      unitPrice: numericText(r.unit_price),
      openNet: r.open_net,
    })),
  };
}
