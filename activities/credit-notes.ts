import { allocateOldestFirst } from '../domain/receivables.js';
import { dec } from '../domain/decimal.js';
import type { MoneyTotals } from '../domain/amounts.js';
import type { PaymentApplied } from '../domain/order/index.js';
import type { Tx } from '../db/client.js';
import { nextDocumentNumber } from '../db/numbering.js';
import { postCreditNoteVoucher } from '../db/ledger/documents.js';
import { baseTotals } from '../domain/fx.js';

/**
 * Credit notes (红字发票 / 贷项通知单): a return's or allowance's invoiced part, against
 * the invoice it corrects. It settles that invoice first, then the order's other
 * open invoices; what is left is the payer's credit, which the payer's next
 * invoices take like an advance, never beyond the note's amount (database CHECKs).
 */
export interface CreditNoteInput {
  order: { id: string; customer_id: string };
  salesReturnId: string;
  key: string;
  orderLineNos: number[];
  totals: MoneyTotals;
  issuedOn: string;
  issuedBy: string;
}

export async function issueCreditNote(tx: Tx, input: CreditNoteInput): Promise<{ number: string; applied: PaymentApplied[] }> {
  // The invoice it corrects: the latest one that billed one of these lines.
  const [invoice] = await tx<{ id: string; payer_customer_id: string; currency: string; fx_rate: string }[]>`
    SELECT i.id, i.payer_customer_id, i.currency, i.fx_rate::text FROM invoices i
    WHERE i.order_id = ${input.order.id}
    ORDER BY EXISTS (SELECT 1 FROM invoice_lines il WHERE il.invoice_id = i.id AND il.order_line_no = ANY(${input.orderLineNos}::int[])) DESC, i.id DESC
    LIMIT 1`;
  if (!invoice) throw new Error(`order ${input.order.id} has invoiced quantity but no invoice`);
  const number = await nextDocumentNumber(tx, 'credit_note', input.issuedOn);
  const t = input.totals;
  // 红字: the note reverses part of the invoice it corrects, so it takes that invoice's currency and rate (domain/fx.ts).
  const b = baseTotals(t, invoice.fx_rate);
  const [note] = await tx<{ id: string }[]>`
    INSERT INTO credit_notes (number, order_id, invoice_id, sales_return_id, customer_id, payer_customer_id, idempotency_key,
                              net_amount, tax_amount, gross_amount, issued_on, issued_by, currency, fx_rate, base_net_amount, base_tax_amount, base_gross_amount)
    VALUES (${number}, ${input.order.id}, ${invoice.id}, ${input.salesReturnId}, ${input.order.customer_id}, ${invoice.payer_customer_id},
            ${input.key}, ${t.net}, ${t.tax}, ${t.gross}, ${input.issuedOn}, ${input.issuedBy}, ${invoice.currency}, ${invoice.fx_rate}, ${b.net}, ${b.tax}, ${b.gross})
    RETURNING id`;
  await tx`
    INSERT INTO receivable_entries (idempotency_key, customer_id, order_id, invoice_id, kind, amount, entry_on, note, currency, fx_rate, base_amount)
    VALUES (${input.key}, ${invoice.payer_customer_id}, ${input.order.id}, ${invoice.id}, 'credit_note', ${dec(t.gross).negated().toFixed(2)},
            ${input.issuedOn}, ${number}, ${invoice.currency}, ${invoice.fx_rate}, ${dec(b.gross).negated().toFixed(2)})`;
  const open = await tx<{ id: string; number: string; open: string }[]>`
    SELECT id, number, (gross_amount - paid_amount - written_off_amount - credited_amount)::text AS open FROM invoices
    WHERE order_id = ${input.order.id} AND currency = ${invoice.currency} AND paid_amount + written_off_amount + credited_amount < gross_amount
    ORDER BY (id = ${invoice.id}) DESC, due_on, id FOR UPDATE`;
  const { allocations } = allocateOldestFirst(open.map((i) => ({ id: i.id, open: i.open })), t.gross);
  const applied: PaymentApplied[] = [];
  for (const a of allocations) {
    await tx`INSERT INTO credit_note_allocations (credit_note_id, invoice_id, amount) VALUES (${note!.id}, ${a.id}, ${a.amount})`;
    applied.push({ receipt: number, invoice: open.find((i) => i.id === a.id)!.number, amount: a.amount, credit: true });
  }
  await postCreditNoteVoucher(tx, note!.id);
  return { number, applied };
}

/** The payer's credit from earlier credit notes settles a new invoice, after its advances (receipts.ts). */
export async function applyCustomerCredit(
  tx: Tx,
  invoice: { id: string; number: string; open: string; currency: string },
  payerId: string,
): Promise<PaymentApplied[]> {
  const notes = await tx<{ id: string; number: string; open: string }[]>`
    SELECT id, number, (gross_amount - allocated_amount - refunded_amount)::text AS open FROM credit_notes
    WHERE payer_customer_id = ${payerId} AND currency = ${invoice.currency} AND allocated_amount + refunded_amount < gross_amount ORDER BY issued_on, id FOR UPDATE`;
  const { allocations } = allocateOldestFirst(notes.map((n) => ({ id: n.id, open: n.open })), invoice.open);
  const applied: PaymentApplied[] = [];
  for (const a of allocations) {
    await tx`INSERT INTO credit_note_allocations (credit_note_id, invoice_id, amount) VALUES (${a.id}, ${invoice.id}, ${a.amount})`;
    applied.push({ receipt: notes.find((n) => n.id === a.id)!.number, invoice: invoice.number, amount: a.amount, credit: true });
  }
  return applied;
}
