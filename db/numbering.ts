import { formatDocumentNumber, numberingPeriod, type DatePart } from '../domain/numbering.js';
import { DomainError } from '../domain/errors.js';
import type { Tx } from './client.js';

export type DocumentType = 'sales_order' | 'delivery_note' | 'invoice' | 'receipt' | 'shipping_notice' | 'quotation';

/**
 * Takes the next number inside the caller's transaction. The counter row stays
 * locked until that transaction ends, so concurrent callers queue up, and a
 * rollback returns the number: numbers never repeat and never skip.
 */
export async function nextDocumentNumber(tx: Tx, documentType: DocumentType, isoDate: string): Promise<string> {
  const [rule] = await tx<{ prefix: string; date_part: DatePart; digits: number }[]>`
    SELECT prefix, date_part, digits FROM numbering_rules WHERE document_type = ${documentType}`;
  if (!rule) throw new DomainError('NOT_FOUND', `no numbering rule for ${documentType}`, 'documentType');
  const numbering = { prefix: rule.prefix, datePart: rule.date_part, digits: rule.digits };
  const period = numberingPeriod(numbering, isoDate);
  const [row] = await tx<{ last_number: string }[]>`
    INSERT INTO numbering_counters (document_type, period, last_number) VALUES (${documentType}, ${period}, 1)
    ON CONFLICT (document_type, period) DO UPDATE SET last_number = numbering_counters.last_number + 1
    RETURNING last_number`;
  return formatDocumentNumber(numbering, period, Number(row!.last_number));
}
