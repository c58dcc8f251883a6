import { buildVoucher, type MappingRow, type Voucher, type VoucherDraft } from '../../domain/ledger.js';
import type { Sql, Tx } from '../client.js';
import { nextDocumentNumber } from '../numbering.js';

/** The account mapping finance maintains (ledger_account_mapping), as domain/ledger.ts reads it. */
export async function accountMapping(sql: Sql | Tx): Promise<MappingRow[]> {
  const rows = await sql<{ purpose: MappingRow['purpose']; tax_rate: string | null; customer_group: string | null; product_category: string | null; account_code: string }[]>`
    SELECT purpose, tax_rate::text, customer_group, product_category, account_code FROM ledger_account_mapping ORDER BY id`;
  return rows.map((r) => ({ purpose: r.purpose, taxRate: r.tax_rate, customerGroup: r.customer_group, productCategory: r.product_category, accountCode: r.account_code }));
}

/**
 * Posts a document's voucher inside the document's own transaction: built and checked by
 * domain/ledger.ts (an unbalanced one throws, and the document rolls back with it), numbered
 * by the voucher numbering rule of its date. Nothing is written when nothing is left to post.
 */
export async function postVoucher(tx: Tx, draft: VoucherDraft): Promise<Voucher & { number: string } | null> {
  const voucher = buildVoucher(draft, await accountMapping(tx));
  if (!voucher) return null;
  const number = await nextDocumentNumber(tx, 'voucher', voucher.date);
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO vouchers (number, voucher_date, source_type, source_number, order_number, currency, exchange_rate)
    VALUES (${number}, ${voucher.date}, ${voucher.source}, ${voucher.sourceNumber}, ${voucher.orderNumber}, ${voucher.currency}, ${voucher.exchangeRate})
    RETURNING id`;
  for (const [i, l] of voucher.lines.entries()) {
    await tx`
      INSERT INTO voucher_lines (voucher_id, line_no, account_code, purpose, debit, credit, customer_code, memo, doc_amount)
      VALUES (${row!.id}, ${i + 1}, ${l.accountCode}, ${l.purpose}, ${l.debit}, ${l.credit}, ${l.customerCode}, ${l.memo}, ${l.docAmount})`;
  }
  return { ...voucher, number };
}
