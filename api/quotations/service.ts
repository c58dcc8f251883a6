import { moneyTotals, totals } from '../../domain/amounts.js';
import { businessDate } from '../../domain/calendar.js';
import { money, plain } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import { checkAccept, checkCopyToOrder, checkNewVersion } from '../../domain/quotation.js';
import { nextDocumentNumber } from '../../db/numbering.js';
import { insertQuotationVersion, lockQuotation, quotationDocument, type QuotationVersionInsert } from '../../db/quotations.js';
import type { ShortfallPolicy } from '../../domain/order/index.js';
import { createOrder, prepareOrder, type OrderServiceDeps } from '../orders/create-order.js';

/**
 * 报价单: a quotation carries no process of its own (no stock, no money), so it is
 * a document written here in one transaction per step; copying it makes a real order.
 */
export interface QuotationLinesRequest {
  validUntil?: string | undefined;
  lines: { productCode: string; warehouseCode: string; quantity: string; giftQty?: string | undefined; unitPrice?: string | undefined }[];
}

const today = (deps: OrderServiceDeps) => businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);

/** Prices the lines as an order would (same master data, same price rules). */
async function priceVersion(deps: OrderServiceDeps, customerCode: string, req: QuotationLinesRequest, createdBy: string) {
  const prepared = await prepareOrder(deps.sql, { customerCode, lines: req.lines }, today(deps));
  const version: QuotationVersionInsert = {
    validUntil: req.validUntil ?? null,
    createdBy,
    totals: moneyTotals(totals(prepared.lines.map((l) => l.amounts))),
    lines: prepared.lines.map((l, i) => ({
      lineNo: l.lineNo,
      productId: l.product.id,
      warehouseId: l.warehouse.id,
      quantity: plain(l.quantity),
      giftQty: req.lines[i]!.giftQty ?? '0',
      unitPrice: plain(l.unitPrice),
      taxRate: plain(l.taxRate),
      net: money(l.amounts.net),
      tax: money(l.amounts.tax),
    })),
  };
  return { customerId: prepared.customer.id, version };
}

async function document(deps: OrderServiceDeps, number: string) {
  const doc = await quotationDocument(deps.sql, number);
  if (!doc) throw new DomainError('NOT_FOUND', `quotation ${number} does not exist`, 'number');
  return doc;
}

async function locked<T>(deps: OrderServiceDeps, number: string, step: (q: NonNullable<Awaited<ReturnType<typeof lockQuotation>>>, tx: Parameters<typeof lockQuotation>[0]) => Promise<T>) {
  return deps.sql.begin(async (tx) => {
    const q = await lockQuotation(tx, number);
    if (!q) throw new DomainError('NOT_FOUND', `quotation ${number} does not exist`, 'number');
    return step(q, tx);
  }) as Promise<T>;
}

export async function createQuotation(deps: OrderServiceDeps, req: QuotationLinesRequest & { customerCode: string }, createdBy: string) {
  const { customerId, version } = await priceVersion(deps, req.customerCode, req, createdBy);
  const number = await deps.sql.begin(async (tx) => {
    const n = await nextDocumentNumber(tx, 'quotation', today(deps));
    const [q] = await tx<{ id: string }[]>`
      INSERT INTO quotations (number, customer_id, created_by) VALUES (${n}, ${customerId}, ${createdBy}) RETURNING id`;
    await insertQuotationVersion(tx, q!.id, 1, version);
    return n;
  });
  return document(deps, number);
}

export async function addQuotationVersion(deps: OrderServiceDeps, number: string, req: QuotationLinesRequest, createdBy: string) {
  const { customerCode } = await document(deps, number);
  const { version } = await priceVersion(deps, customerCode, req, createdBy);
  await locked(deps, number, async (q, tx) => {
    const next = checkNewVersion(q);
    await insertQuotationVersion(tx, q.id, next, version);
    await tx`UPDATE quotations SET current_version = ${next}, status = 'open', accepted_version = NULL WHERE id = ${q.id}`;
  });
  return document(deps, number);
}

/** 客户审核: the customer accepted the current version. */
export async function acceptQuotation(deps: OrderServiceDeps, number: string, version: number | undefined) {
  await locked(deps, number, async (q, tx) => {
    const v = checkAccept(q, version);
    await tx`UPDATE quotations SET status = 'accepted', accepted_version = ${v} WHERE id = ${q.id}`;
  });
  return document(deps, number);
}

/**
 * 复制前置单据: the accepted version becomes a sales order at the quoted prices;
 * gift quantities become lines at price 0. The create key makes a repeat return the same order.
 */
export async function copyQuotationToOrder(deps: OrderServiceDeps, number: string, createdBy: string, shortfallPolicy?: ShortfallPolicy) {
  const doc = await document(deps, number);
  await locked(deps, number, async (q) => checkCopyToOrder(q, today(deps)));
  const accepted = doc.versions.find((v) => v.version === doc.acceptedVersion)!;
  const lines = accepted.lines.flatMap((l) => [
    { productCode: l.productCode, warehouseCode: l.warehouseCode, quantity: l.quantity, unitPrice: l.unitPrice },
    ...(Number(l.giftQty) > 0 ? [{ productCode: l.productCode, warehouseCode: l.warehouseCode, quantity: l.giftQty, unitPrice: '0' }] : []),
  ]);
  const order = await createOrder(
    deps,
    { customerCode: doc.customerCode, lines, ...(shortfallPolicy ? { shortfallPolicy } : {}) },
    createdBy,
    `quotation/${number}/v${accepted.version}`,
  );
  await deps.sql`UPDATE quotations SET status = 'ordered', order_number = ${order.orderNumber} WHERE number = ${number} AND status = 'accepted'`;
  return { orderNumber: order.orderNumber, quotation: await document(deps, number) };
}

export { document as quotationView };
