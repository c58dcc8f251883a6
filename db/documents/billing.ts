import { lineAmountsOf, moneyTotals, totals } from '../../domain/amounts.js';
import { businessDate } from '../../domain/calendar.js';
import { dec, money, numericText } from '../../domain/decimal.js';
import type { Sql } from '../client.js';
import { orderDocuments, type OrderDocuments } from '../orders.js';
import { factsOf, type DocumentLine, type LinesDocument } from './model.js';
import { invoiceTaxData } from '../invoice-tax-data.js';
import { companyHeader, partyOf, productNames } from './parties.js';

/** 销货单, 发票 and 红字发票 (credit note): each found by its number, then read from its order's read model. */


/** The order a document of this table belongs to; undefined for a number the table does not hold. */
async function orderOf(sql: Sql, table: 'delivery_notes' | 'invoices' | 'credit_notes', number: string): Promise<OrderDocuments | undefined> {
  const [row] = await sql<{ number: string }[]>`
    SELECT o.number FROM ${sql(table)} d JOIN sales_orders o ON o.id = d.order_id WHERE d.number = ${number}`;
  return row ? orderDocuments(sql, row.number) : undefined;
}

async function header(sql: Sql, o: OrderDocuments, codes: string[]) {
  const [company, customer, names] = await Promise.all([companyHeader(sql), partyOf(sql, o.customerCode), productNames(sql, codes)]);
  const name = (code: string) => ({ productName: names.get(code)?.name ?? '', unit: names.get(code)?.unit ?? '' });
  return { company, customer: customer!, currency: o.currency, name };
}

/** Priced at the order line's price and tax rate by the one line rule, as the invoice for it will be. */
function pricedAtOrder(o: OrderDocuments, orderLineNo: number, quantity: string, name: (code: string) => { productName: string; unit: string }): DocumentLine {
  const line = o.lines.find((l) => l.lineNo === orderLineNo)!;
  const a = lineAmountsOf({ quantity, unitPrice: line.unitPrice, taxRate: line.taxRate });
  return {
    lineNo: orderLineNo,
    productCode: line.productCode,
    ...name(line.productCode),
    quantity,
    unitPrice: line.unitPrice,
    taxRate: line.taxRate,
    net: money(a.net),
    tax: money(a.tax),
    gross: money(a.gross),
  };
}

/** The batches each line of a delivery note took, by order line, soonest expiry first. */
async function noteBatches(sql: Sql, number: string) {
  const rows = await sql<{ order_line_no: number; batch_no: string; expiry_date: string; quantity: string }[]>`
    SELECT l.order_line_no, b.batch_no, b.expiry_date::text, b.quantity::text FROM delivery_note_batches b
    JOIN delivery_note_lines l ON l.delivery_note_id = b.delivery_note_id AND l.line_no = b.line_no
    JOIN delivery_notes d ON d.id = b.delivery_note_id
    WHERE d.number = ${number} ORDER BY l.order_line_no, b.expiry_date, b.batch_no`;
  const out = new Map<number, { batchNo: string; expiryDate: string; quantity: string }[]>();
  for (const r of rows) {
    out.set(r.order_line_no, [...(out.get(r.order_line_no) ?? []), { batchNo: r.batch_no, expiryDate: r.expiry_date, quantity: numericText(r.quantity) }]);
  }
  return out;
}

/** 销货单: what left, priced at the order's terms, with carrier and tracking number. */
export async function deliveryNotePrint(sql: Sql, timeZone: string, number: string): Promise<LinesDocument | undefined> {
  const o = await orderOf(sql, 'delivery_notes', number);
  const note = o?.deliveryNotes.find((d) => d.number === number);
  if (!o || !note) return undefined;
  const [h, batches] = await Promise.all([header(sql, o, o.lines.map((l) => l.productCode)), noteBatches(sql, number)]);
  const lines = note.lines
    .map((l) => {
      const priced = pricedAtOrder(o, l.orderLineNo, l.quantity, h.name);
      const taken = batches.get(l.orderLineNo);
      return taken ? { ...priced, batches: taken } : priced;
    })
    .sort((a, b) => a.lineNo - b.lineNo);
  return {
    kind: 'delivery-note',
    number,
    date: businessDate(new Date(note.createdAt), timeZone),
    ...h,
    facts: factsOf([
      ['orderNumber', o.number],
      ['carrier', note.carrier],
      ['trackingNumber', note.trackingNumber],
    ]),
    lines,
    totals: moneyTotals(totals(lines.map((l) => ({ net: dec(l.net), tax: dec(l.tax), gross: dec(l.gross) })))),
  };
}

/** 发票: the invoice's own lines and totals as issued, with its due date and who pays it. */
export async function invoicePrint(sql: Sql, number: string): Promise<LinesDocument | undefined> {
  const o = await orderOf(sql, 'invoices', number);
  const inv = o?.invoices.find((i) => i.number === number);
  if (!o || !inv) return undefined;
  const rows = await sql<{ order_line_no: number; product_code: string; quantity: string; unit_price: string; tax_rate: string; net_amount: string; tax_amount: string; payer: string }[]>`
    SELECT il.order_line_no, p.code AS product_code, il.quantity, il.unit_price, il.tax_rate, il.net_amount, il.tax_amount, pc.code AS payer
    FROM invoices i JOIN invoice_lines il ON il.invoice_id = i.id JOIN products p ON p.id = il.product_id
    JOIN customers pc ON pc.id = i.payer_customer_id
    WHERE i.number = ${number} ORDER BY il.line_no`;
  const [h, vat] = await Promise.all([header(sql, o, rows.map((r) => r.product_code)), invoiceTaxData(sql, number)]);
  const payer = rows[0]?.payer;
  return {
    kind: 'invoice',
    number,
    date: inv.issuedOn,
    ...h,
    facts: factsOf([
      ['orderNumber', o.number],
      ['dueOn', inv.dueOn],
      ['payer', payer === o.customerCode ? null : payer],
      ['vatType', vat?.vatType],
      ['buyerTaxId', vat?.buyerTaxId],
      ['buyerAddress', vat?.buyerAddress],
      ['buyerBank', [vat?.buyerBankName, vat?.buyerBankAccount].filter(Boolean).join(' ')],
      ['taxNumber', vat?.taxNumber],
      ['taxDate', vat?.taxDate],
    ]),
    lines: rows.map((r) => ({
      lineNo: r.order_line_no,
      productCode: r.product_code,
      ...h.name(r.product_code),
      quantity: numericText(r.quantity),
      unitPrice: numericText(r.unit_price),
      taxRate: numericText(r.tax_rate),
      net: r.net_amount,
      tax: r.tax_amount,
      gross: money(dec(r.net_amount).plus(dec(r.tax_amount))),
    })),
    totals: { net: inv.net, tax: inv.tax, gross: inv.gross },
  };
}

/** 红字发票: the credit note with the return or allowance it comes from and the invoice it corrects. */
export async function creditNotePrint(sql: Sql, number: string): Promise<LinesDocument | undefined> {
  const o = await orderOf(sql, 'credit_notes', number);
  const cn = o?.creditNotes.find((c) => c.number === number);
  const source = o?.returns.find((r) => r.number === cn?.salesReturn);
  if (!o || !cn || !source) return undefined;
  const [h, original] = await Promise.all([header(sql, o, o.lines.map((l) => l.productCode)), invoiceTaxData(sql, cn.invoice)]);
  return {
    kind: 'credit-note',
    number,
    date: cn.issuedOn,
    ...h,
    facts: factsOf([
      ['orderNumber', o.number],
      // 红字: a credit note reverses (part of) the invoice it names, by the tax system's number once that is known.
      ['redLetter', 'red_letter'],
      ['invoice', cn.invoice],
      ['originalTaxNumber', original?.taxNumber],
      ['salesReturn', source.number],
      ['returnKind', source.kind],
      ['deliveryNote', source.deliveryNote],
      ['reason', source.reason],
    ]),
    // What the note gives back per line: the return line's credited amounts (an allowance has amounts and no quantity).
    lines: source.lines
      .filter((l) => !dec(l.net).plus(dec(l.tax)).isZero())
      .map((l) => {
        const line = o.lines.find((x) => x.lineNo === l.orderLineNo)!;
        return {
          lineNo: l.orderLineNo,
          productCode: line.productCode,
          ...h.name(line.productCode),
          quantity: l.invoicedQty,
          // An allowance gives back an amount, not a quantity at a price.
          unitPrice: dec(l.invoicedQty).isZero() ? '' : line.unitPrice,
          taxRate: line.taxRate,
          net: l.net,
          tax: l.tax,
          gross: money(dec(l.net).plus(dec(l.tax))),
        };
      }),
    totals: { net: cn.net, tax: cn.tax, gross: cn.gross },
  };
}
