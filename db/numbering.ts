import { formatDocumentNumber, numberingPeriod, type DatePart, type NumberingRule } from '../domain/numbering.js';
import { DomainError } from '../domain/errors.js';
import type { Tx } from './client.js';

export type DocumentType = 'sales_order' | 'delivery_note' | 'invoice' | 'receipt' | 'customer' | 'monthly_invoice' | 'shipping_notice' | 'quotation' | 'sales_return' | 'credit_note' | 'refund'
  | 'stock_receipt' | 'stock_adjustment' | 'stock_transfer' | 'stock_count' | 'voucher';

async function numberingRule(tx: Tx, documentType: DocumentType): Promise<NumberingRule> {
  const [rule] = await tx<{ prefix: string; date_part: DatePart; digits: number; separator: string }[]>`
    SELECT prefix, date_part, digits, separator FROM numbering_rules WHERE document_type = ${documentType}`;
  if (!rule) throw new DomainError('NOT_FOUND', `no numbering rule for ${documentType}`, 'documentType');
  return { prefix: rule.prefix, datePart: rule.date_part, digits: rule.digits, separator: rule.separator };
}

/**
 * Takes the next number inside the caller's transaction. The counter row stays
 * locked until that transaction ends, so concurrent callers queue up, and a
 * rollback returns the number: numbers never repeat and never skip.
 */
export async function nextDocumentNumber(tx: Tx, documentType: DocumentType, isoDate: string): Promise<string> {
  const [first] = await nextDocumentNumbers(tx, documentType, isoDate, 1);
  return first!;
}

/** `count` consecutive numbers in one step (bulk import), under the same lock as one. */
export async function nextDocumentNumbers(tx: Tx, documentType: DocumentType, isoDate: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const numbering = await numberingRule(tx, documentType);
  const period = numberingPeriod(numbering, isoDate);
  const [row] = await tx<{ last_number: string }[]>`
    INSERT INTO numbering_counters (document_type, period, last_number) VALUES (${documentType}, ${period}, ${count})
    ON CONFLICT (document_type, period) DO UPDATE SET last_number = numbering_counters.last_number + ${count}
    RETURNING last_number`;
  const last = Number(row!.last_number);
  return Array.from({ length: count }, (_, i) => formatDocumentNumber(numbering, period, last - count + 1 + i));
}
