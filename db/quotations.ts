import { numericText } from '../domain/decimal.js';
import type { QuotationHeader, QuotationStatus } from '../domain/quotation.js';
import type { Sql, Tx } from './client.js';

export interface QuotationLineInsert {
  lineNo: number;
  productId: string;
  warehouseId: string;
  quantity: string;
  giftQty: string;
  unitPrice: string;
  taxRate: string;
  net: string;
  tax: string;
}

export interface QuotationVersionInsert {
  validUntil: string | null;
  createdBy: string;
  totals: { net: string; tax: string; gross: string };
  lines: QuotationLineInsert[];
}

export async function insertQuotationVersion(tx: Tx, quotationId: string, version: number, v: QuotationVersionInsert): Promise<void> {
  await tx`
    INSERT INTO quotation_versions (quotation_id, version, valid_until, net_amount, tax_amount, gross_amount, created_by)
    VALUES (${quotationId}, ${version}, ${v.validUntil}, ${v.totals.net}, ${v.totals.tax}, ${v.totals.gross}, ${v.createdBy})`;
  for (const l of v.lines) {
    await tx`
      INSERT INTO quotation_lines (quotation_id, version, line_no, product_id, warehouse_id, quantity, gift_qty, unit_price, tax_rate, net_amount, tax_amount)
      VALUES (${quotationId}, ${version}, ${l.lineNo}, ${l.productId}, ${l.warehouseId}, ${l.quantity}, ${l.giftQty}, ${l.unitPrice}, ${l.taxRate},
              ${l.net}, ${l.tax})`;
  }
}

/** The quotation row, locked for the caller's transaction. */
export async function lockQuotation(tx: Tx, number: string): Promise<(QuotationHeader & { id: string; customerCode: string; acceptedVersion: number | null }) | undefined> {
  const [q] = await tx<{ id: string; number: string; status: QuotationStatus; current_version: number; accepted_version: number | null; order_number: string | null; valid_until: string | null; customer_code: string }[]>`
    SELECT q.id, q.number, q.status, q.current_version, q.accepted_version, q.order_number, v.valid_until::text, c.code AS customer_code
    FROM quotations q JOIN customers c ON c.id = q.customer_id
    JOIN quotation_versions v ON v.quotation_id = q.id AND v.version = q.current_version
    WHERE q.number = ${number} FOR UPDATE OF q`;
  if (!q) return undefined;
  return {
    id: q.id,
    number: q.number,
    status: q.status,
    currentVersion: q.current_version,
    acceptedVersion: q.accepted_version,
    orderNumber: q.order_number,
    validUntil: q.valid_until,
    customerCode: q.customer_code,
  };
}

/** The quotation with every version, newest last. */
export async function quotationDocument(sql: Sql, number: string) {
  const [q] = await sql`
    SELECT q.id, q.number, c.code AS customer_code, q.status, q.current_version, q.accepted_version, q.order_number, q.created_by, q.created_at
    FROM quotations q JOIN customers c ON c.id = q.customer_id WHERE q.number = ${number}`;
  if (!q) return undefined;
  const [versions, lines] = await Promise.all([
    sql`SELECT version, valid_until::text, net_amount, tax_amount, gross_amount, created_by, created_at FROM quotation_versions
        WHERE quotation_id = ${q.id} ORDER BY version`,
    sql`SELECT l.*, p.code AS product_code, w.code AS warehouse_code FROM quotation_lines l
        JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
        WHERE l.quotation_id = ${q.id} ORDER BY l.version, l.line_no`,
  ]);
  return {
    number: q.number as string,
    customerCode: q.customer_code as string,
    status: q.status as QuotationStatus,
    currentVersion: q.current_version as number,
    acceptedVersion: q.accepted_version as number | null,
    orderNumber: q.order_number as string | null,
    createdBy: q.created_by as string,
    createdAt: new Date(q.created_at).toISOString(),
    versions: versions.map((v) => ({
      version: v.version as number,
      validUntil: v.valid_until as string | null,
      totals: { net: v.net_amount as string, tax: v.tax_amount as string, gross: v.gross_amount as string },
      createdBy: v.created_by as string,
      lines: lines
        .filter((l) => l.version === v.version)
        .map((l) => ({
          lineNo: l.line_no as number,
          productCode: l.product_code as string,
          warehouseCode: l.warehouse_code as string,
          quantity: numericText(l.quantity),
          giftQty: numericText(l.gift_qty),
          unitPrice: numericText(l.unit_price),
          taxRate: numericText(l.tax_rate),
          net: l.net_amount as string,
          tax: l.tax_amount as string,
        })),
    })),
  };
}

export type QuotationDocument = NonNullable<Awaited<ReturnType<typeof quotationDocument>>>;
