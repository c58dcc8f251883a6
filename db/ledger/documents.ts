import { dec, money } from '../../domain/decimal.js';
import { takeCredit, type CreditHeld, type Posting } from '../../domain/ledger.js';
import { settledInBase } from '../../domain/fx.js';
import { baseCurrency } from '../fx.js';
import type { Tx } from '../client.js';
import { postVoucher } from './post.js';

/**
 * Each posting document's voucher, read back inside the document's transaction once its rows
 * (and their allocations) are written, so the voucher says what the document did, not what it
 * was asked to do. One call at the end of each document's step.
 */

interface Payer {
  code: string;
  grade: string;
}

async function payerOf(tx: Tx, customerId: string): Promise<Payer> {
  const [p] = await tx<Payer[]>`SELECT code, grade FROM customers WHERE id = ${customerId}`;
  return p!;
}

const asDims = (payer: Payer) => ({ customerGroup: payer.grade });

/** What the last `amount` settled of an invoice (now `settled` in all) clears in base, as aging counts it (domain/fx.ts). */
const clearedInBase = (a: { amount: string; settled: string; fx_rate: string }) =>
  money(settledInBase(a.fx_rate, dec(a.settled).minus(dec(a.amount)), a.amount));

/**
 * The account an invoice's receivable was booked to (its voucher's first line): what clears it later (a receipt, a
 * credit note, a write-off) credits that account, so a changed mapping never leaves a balance behind on the old one.
 * Nothing for an invoice with no voucher (loaded as an opening balance): the mapping decides.
 */
async function receivableAccountOf(tx: Tx, invoiceId: string): Promise<string | undefined> {
  const [row] = await tx<{ account_code: string }[]>`
    SELECT l.account_code FROM invoices i JOIN vouchers v ON v.source_type = 'invoice' AND v.source_number = i.number
    JOIN voucher_lines l ON l.voucher_id = v.id
    WHERE i.id = ${invoiceId} AND l.debit > 0 AND l.customer_code IS NOT NULL ORDER BY l.line_no LIMIT 1`;
  return row?.account_code;
}
const positive = (amount: string) => money(dec(amount));

/**
 * What a customer's credit (预收) holds on each account it was booked to, oldest first: in base and in the document
 * currency. Lines posted before voucher lines kept their purpose are read by their account (a customer's line is a
 * receivable or a credit: a credit-side account or one mapped to 'advance', and not one mapped to 'receivable').
 */
export async function advanceHeldByAccount(tx: Tx, customerCode: string): Promise<CreditHeld[]> {
  return tx<CreditHeld[]>`
    SELECT l.account_code AS account, sum(l.credit - l.debit)::text AS base, (-sum(l.doc_amount))::text AS doc
    FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id JOIN ledger_accounts a ON a.code = l.account_code
    WHERE l.customer_code = ${customerCode}
      AND (l.purpose = 'advance'
           OR (l.purpose IS NULL
               AND (a.normal_side = 'credit' OR l.account_code IN (SELECT account_code FROM ledger_account_mapping WHERE purpose = 'advance'))
               AND l.account_code NOT IN (SELECT account_code FROM ledger_account_mapping WHERE purpose = 'receivable')))
    GROUP BY l.account_code ORDER BY min(v.voucher_date), min(v.id)`;
}

/**
 * The debits of a customer's credit in one voucher, in order (an invoice takes its advances, then credit notes'
 * credit), one list of postings each: each taken off the accounts that hold the credit, as domain/ledger.ts takeCredit shares it.
 */
async function creditDebits(tx: Tx, payer: Payer, rate: string, takes: { amount: string; base?: 'held' | string; memo: string }[]): Promise<Posting[][]> {
  let held = await advanceHeldByAccount(tx, payer.code);
  const postings: Posting[][] = [];
  for (const t of takes) {
    const taken = takeCredit(held, t.amount, t.base, rate);
    held = taken.held;
    postings.push(taken.parts.map((p): Posting => ({
      purpose: 'advance', side: 'debit', amount: p.amount, ...(p.base === undefined ? {} : { base: p.base }), ...(p.account === undefined ? {} : { account: p.account }),
      dims: asDims(payer), customerCode: payer.code, memo: t.memo,
    })));
  }
  return postings;
}

/** 发票: receivable (gross) against revenue (net, by category and rate) and output VAT; advances and credit it took at once. */
export async function postInvoiceVoucher(tx: Tx, invoiceId: string) {
  const [inv] = await tx<{ number: string; issued_on: string; currency: string; fx_rate: string; gross: string; base_gross: string; payer_id: string; order_number: string }[]>`
    SELECT i.number, i.issued_on::text, i.currency, i.fx_rate::text, i.gross_amount::text AS gross, i.base_gross_amount::text AS base_gross,
           i.payer_customer_id AS payer_id, o.number AS order_number
    FROM invoices i JOIN sales_orders o ON o.id = i.order_id WHERE i.id = ${invoiceId}`;
  const payer = await payerOf(tx, inv!.payer_id);
  const lines = await tx<{ net: string; tax: string; tax_rate: string; category: string | null }[]>`
    SELECT il.net_amount::text AS net, il.tax_amount::text AS tax, il.tax_rate::text, p.category
    FROM invoice_lines il JOIN products p ON p.id = il.product_id WHERE il.invoice_id = ${invoiceId} ORDER BY il.line_no`;
  // Advances it took: 2203 cleared at the rate each was received at, the receivable at the invoice's (the difference: fx).
  const [taken] = await tx<{ advances: string; advances_invoice_base: string; advances_receipt_base: string; credit: string; settled: string; fx_rate: string }[]>`
    SELECT a.advances::text, a.advances_invoice_base::text, a.advances_receipt_base::text, cr.credit::text,
           s.settled::text, i.fx_rate::text
    FROM invoices i,
         LATERAL (SELECT coalesce(sum(amount), 0) AS advances, coalesce(sum(base_amount), 0) AS advances_invoice_base,
                         coalesce(sum(base_amount + exchange_difference), 0) AS advances_receipt_base
                  FROM receipt_allocations WHERE invoice_id = i.id) a,
         LATERAL (SELECT coalesce(sum(amount), 0) AS credit FROM credit_note_allocations WHERE invoice_id = i.id) cr,
         LATERAL (SELECT i.paid_amount + i.written_off_amount + i.credited_amount AS settled) s
    WHERE i.id = ${invoiceId}`;
  const c = { customerCode: payer.code };
  // The advances and credit it took, off the accounts they were booked to (the advances at their receipts' rates).
  const [fromAdvances, fromCredit] = await creditDebits(tx, payer, inv!.fx_rate, [
    { amount: taken!.advances, base: taken!.advances_receipt_base, memo: '预收款冲抵应收' },
    { amount: taken!.credit, memo: '贷项冲抵应收' },
  ]);
  const postings: Posting[] = [
    { purpose: 'receivable', side: 'debit', amount: positive(inv!.gross), base: inv!.base_gross, dims: asDims(payer), ...c, memo: `销售发票 ${inv!.number}` },
    ...lines.map((l): Posting => ({ purpose: 'revenue', side: 'credit', amount: l.net, dims: { taxRate: l.tax_rate, productCategory: l.category, ...asDims(payer) }, memo: '主营业务收入' })),
    ...lines.map((l): Posting => ({ purpose: 'output_vat', side: 'credit', amount: l.tax, dims: { taxRate: l.tax_rate }, memo: '销项税额' })),
    ...fromAdvances!,
    { purpose: 'receivable', side: 'credit', amount: taken!.advances, base: taken!.advances_invoice_base, dims: asDims(payer), ...c, memo: '预收款冲抵应收' },
    ...fromCredit!,
    // The credit it took last (after the advances).
    { purpose: 'receivable', side: 'credit', amount: taken!.credit, base: clearedInBase({ amount: taken!.credit, settled: taken!.settled, fx_rate: taken!.fx_rate }), dims: asDims(payer), ...c, memo: '贷项冲抵应收' },
  ];
  return postVoucher(tx, { date: inv!.issued_on, source: 'invoice', sourceNumber: inv!.number, orderNumber: inv!.order_number, currency: inv!.currency, exchangeRate: inv!.fx_rate, postings });
}

/** 红字发票: revenue and output VAT reversed, against the receivable it settled and the payer's credit (预收) for the rest. */
export async function postCreditNoteVoucher(tx: Tx, creditNoteId: string) {
  const [note] = await tx<{ number: string; issued_on: string; currency: string; fx_rate: string; gross: string; payer_id: string; order_number: string; return_id: string; allocated: string }[]>`
    SELECT n.number, n.issued_on::text, i.currency, n.fx_rate::text, n.gross_amount::text AS gross, n.payer_customer_id AS payer_id, o.number AS order_number,
           n.sales_return_id AS return_id, (SELECT coalesce(sum(amount), 0) FROM credit_note_allocations WHERE credit_note_id = n.id)::text AS allocated
    FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id JOIN sales_orders o ON o.id = n.order_id WHERE n.id = ${creditNoteId}`;
  const payer = await payerOf(tx, note!.payer_id);
  const applied = (
    await tx<{ invoice_id: string; amount: string; settled: string; fx_rate: string }[]>`
      SELECT a.invoice_id, a.amount::text, (i.paid_amount + i.written_off_amount + i.credited_amount)::text AS settled, i.fx_rate::text
      FROM credit_note_allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.credit_note_id = ${creditNoteId} ORDER BY a.invoice_id`
  ).map((a) => ({ ...a, base: clearedInBase(a) }));
  const lines = await tx<{ net: string; tax: string; tax_rate: string; category: string | null }[]>`
    SELECT rl.net_amount::text AS net, rl.tax_amount::text AS tax, rl.tax_rate::text, p.category
    FROM sales_return_lines rl JOIN products p ON p.id = rl.product_id WHERE rl.sales_return_id = ${note!.return_id} ORDER BY rl.line_no`;
  const c = { customerCode: payer.code };
  const postings: Posting[] = [
    ...lines.map((l): Posting => ({ purpose: 'revenue', side: 'debit', amount: l.net, dims: { taxRate: l.tax_rate, productCategory: l.category, ...asDims(payer) }, memo: `红字发票 ${note!.number}` })),
    ...lines.map((l): Posting => ({ purpose: 'output_vat', side: 'debit', amount: l.tax, dims: { taxRate: l.tax_rate }, memo: '销项税额冲减' })),
    // Each invoice it settled (its own, or another open one of the order) is cleared on its own account and at its own
    // rate, as aging clears it (what it has settled now, less before, each rounded at the invoice's rate).
    ...(await Promise.all(applied.map(async (a): Promise<Posting> => ({
      purpose: 'receivable', side: 'credit', amount: a.amount, base: a.base, account: await receivableAccountOf(tx, a.invoice_id), dims: asDims(payer), ...c, memo: '冲减应收',
    })))),
    { purpose: 'advance', side: 'credit', amount: money(dec(note!.gross).minus(dec(note!.allocated))), dims: asDims(payer), ...c, memo: '客户贷项余额' },
  ];
  return postVoucher(tx, { date: note!.issued_on, source: 'credit_note', sourceNumber: note!.number, orderNumber: note!.order_number, currency: note!.currency, exchangeRate: note!.fx_rate, postings });
}

/** 收款单: the bank against the receivables it matched; what it did not match is an advance (预收). */
export async function postReceiptVoucher(tx: Tx, receiptId: string) {
  const [r] = await tx<{ number: string; received_on: string; currency: string; fx_rate: string; amount: string; base_amount: string; payer_id: string; order_number: string | null; method: string; allocated: string; invoice_base: string; receipt_base: string }[]>`
    SELECT r.number, r.received_on::text, r.currency, r.fx_rate::text, r.amount::text, r.base_amount::text, r.customer_id AS payer_id, o.number AS order_number,
           r.method, a.allocated::text, a.invoice_base::text, a.receipt_base::text
    FROM receipts r LEFT JOIN sales_orders o ON o.id = r.order_id,
         LATERAL (SELECT coalesce(sum(amount), 0) AS allocated, coalesce(sum(base_amount), 0) AS invoice_base,
                         coalesce(sum(base_amount + exchange_difference), 0) AS receipt_base
                  FROM receipt_allocations WHERE receipt_id = r.id) a
    WHERE r.id = ${receiptId}`;
  const payer = await payerOf(tx, r!.payer_id);
  const allocations = await tx<{ invoice_id: string; amount: string; base: string }[]>`
    SELECT invoice_id, amount::text, base_amount::text AS base FROM receipt_allocations WHERE receipt_id = ${receiptId} ORDER BY invoice_id`;
  const c = { customerCode: payer.code };
  // The receivables it matched are cleared at the rate they were booked at; the difference to the money's worth is fx.
  const postings: Posting[] = [
    { purpose: 'bank', side: 'debit', amount: r!.amount, base: r!.base_amount, memo: `收款单 ${r!.number} (${r!.method})` },
    ...(await Promise.all(allocations.map(async (a): Promise<Posting> => ({
      purpose: 'receivable', side: 'credit', amount: a.amount, base: a.base, account: await receivableAccountOf(tx, a.invoice_id), dims: asDims(payer), ...c, memo: '核销应收',
    })))),
    {
      purpose: 'advance', side: 'credit', amount: money(dec(r!.amount).minus(dec(r!.allocated))), base: money(dec(r!.base_amount).minus(dec(r!.receipt_base))),
      dims: asDims(payer), ...c, memo: '预收账款',
    },
  ];
  return postVoucher(tx, { date: r!.received_on, source: 'receipt', sourceNumber: r!.number, orderNumber: r!.order_number, currency: r!.currency, exchangeRate: r!.fx_rate, postings });
}

/** 核销差额 (tolerance, a financial expense) or 坏账 (bad debt): the loss against the receivable. */
export async function postWriteOffVoucher(tx: Tx, w: { invoiceId: string; amount: string; base: string; date: string; kind: 'tolerance' | 'bad_debt'; note: string }) {
  const [inv] = await tx<{ number: string; currency: string; fx_rate: string; payer_id: string; order_number: string }[]>`
    SELECT i.number, i.currency, i.fx_rate::text, i.payer_customer_id AS payer_id, o.number AS order_number
    FROM invoices i JOIN sales_orders o ON o.id = i.order_id WHERE i.id = ${w.invoiceId}`;
  const payer = await payerOf(tx, inv!.payer_id);
  const postings: Posting[] = [
    // At what the receivable was booked at: a write-off clears it, it makes no exchange difference.
    { purpose: w.kind, side: 'debit', amount: w.amount, base: w.base, dims: asDims(payer), memo: w.note.slice(0, 200) },
    { purpose: 'receivable', side: 'credit', amount: w.amount, base: w.base, account: await receivableAccountOf(tx, w.invoiceId), dims: asDims(payer), customerCode: payer.code, memo: `核销 ${inv!.number}` },
  ];
  const source = w.kind === 'tolerance' ? 'write_off_tolerance' : 'write_off_bad_debt';
  return postVoucher(tx, { date: w.date, source, sourceNumber: inv!.number, orderNumber: inv!.order_number, currency: inv!.currency, exchangeRate: inv!.fx_rate, postings });
}

/** 退款: the payer's credit (预收) paid back out of the bank. */
export async function postRefundVoucher(tx: Tx, refundId: string) {
  const [r] = await tx<{ number: string; paid_on: string; currency: string; fx_rate: string; amount: string; payer_id: string }[]>`
    SELECT r.number, r.paid_on::text, r.currency, r.fx_rate::text, r.amount::text, r.customer_id AS payer_id FROM refunds r WHERE r.id = ${refundId}`;
  const payer = await payerOf(tx, r!.payer_id);
  // The payer's credit (预收) was booked at the rates of the receipts and credit notes that made it: paid back, it
  // leaves at their average (all of what is left when the refund takes it all), the bank at today's rate; the
  // difference is an exchange gain or loss.
  // Taken off the accounts it was booked to, each at its own average.
  const postings: Posting[] = [
    ...(await creditDebits(tx, payer, r!.fx_rate, [{ amount: r!.amount, base: 'held', memo: `退款 ${r!.number}` }]))[0]!,
    { purpose: 'bank', side: 'credit', amount: r!.amount, memo: `退款 ${r!.number}` },
  ];
  return postVoucher(tx, { date: r!.paid_on, source: 'refund', sourceNumber: r!.number, orderNumber: null, currency: r!.currency, exchangeRate: r!.fx_rate, postings });
}

/**
 * Goods at cost, the cost the margin report uses (db/reports/common.ts): each line's quantity × the
 * unit cost its delivery note kept (the product's cost price before notes kept one), rounded per line.
 * Delivery: cost of goods sold against inventory; a return puts that cost back.
 */
async function postCost(tx: Tx, v: { source: 'delivery' | 'return'; number: string; orderNumber: string; date: string }, lines: { cost: string; category: string | null }[]) {
  const [dr, cr] = v.source === 'delivery' ? (['cogs', 'inventory'] as const) : (['inventory', 'cogs'] as const);
  const memo = `${v.source === 'delivery' ? '销货单' : '销退单'} ${v.number}`;
  const postings = lines.flatMap((l): Posting[] => [
    { purpose: dr, side: 'debit', amount: l.cost, dims: { productCategory: l.category }, memo },
    { purpose: cr, side: 'credit', amount: l.cost, dims: { productCategory: l.category }, memo },
  ]);
  return postVoucher(tx, { date: v.date, source: v.source, sourceNumber: v.number, orderNumber: v.orderNumber, currency: await baseCurrency(tx), exchangeRate: '1', postings });
}

export async function postDeliveryVoucher(tx: Tx, deliveryNoteId: string, date: string) {
  const lines = await tx<{ number: string; order_number: string; cost: string; category: string | null }[]>`
    SELECT d.number, o.number AS order_number, round(dl.quantity * coalesce(dl.unit_cost, p.cost_price), 2)::text AS cost, p.category
    FROM delivery_note_lines dl JOIN delivery_notes d ON d.id = dl.delivery_note_id JOIN sales_orders o ON o.id = d.order_id
    JOIN products p ON p.id = dl.product_id WHERE dl.delivery_note_id = ${deliveryNoteId} ORDER BY dl.line_no`;
  if (lines.length === 0) return null;
  return postCost(tx, { source: 'delivery', number: lines[0]!.number, orderNumber: lines[0]!.order_number, date }, lines);
}

/** 销退: the returned quantity at the cost its delivery note line went out at. An allowance moves no goods. */
export async function postReturnVoucher(tx: Tx, salesReturnId: string, date: string) {
  const lines = await tx<{ number: string; order_number: string; cost: string; category: string | null }[]>`
    SELECT r.number, o.number AS order_number, round(rl.quantity * coalesce(dl.unit_cost, p.cost_price), 2)::text AS cost, p.category
    FROM sales_return_lines rl JOIN sales_returns r ON r.id = rl.sales_return_id JOIN sales_orders o ON o.id = r.order_id
    JOIN delivery_note_lines dl ON dl.delivery_note_id = r.delivery_note_id AND dl.order_line_no = rl.order_line_no
    JOIN products p ON p.id = rl.product_id WHERE rl.sales_return_id = ${salesReturnId} AND r.kind = 'return' ORDER BY rl.line_no`;
  if (lines.length === 0) return null;
  return postCost(tx, { source: 'return', number: lines[0]!.number, orderNumber: lines[0]!.order_number, date }, lines);
}

