import { DomainError } from './errors.js';

/**
 * VAT invoice data (增值税发票): the kind of invoice the tax system issued, whom it was issued to,
 * and the number and date it gave it. Recorded on the back office's invoice after the tax system
 * (金税 / 电子税务局) issued it; a credit note is its red-letter (红字) reversal.
 */

/** 专票, 普票 and their electronic (数电) forms. */
export const VAT_INVOICE_TYPES = ['special', 'ordinary', 'e_special', 'e_ordinary'] as const;
export type VatInvoiceType = (typeof VAT_INVOICE_TYPES)[number];

/** A 专票 lets the buyer deduct its input VAT, so it must name the buyer's taxpayer. */
export function isSpecialInvoice(type: VatInvoiceType): boolean {
  return type === 'special' || type === 'e_special';
}

/** Paper invoices carry an 8-digit number (with a 10- or 12-digit code), 数电 invoices a 20-digit one. */
export const TAX_NUMBER = /^[0-9]{8,20}$/;

// GB 32100-2015: 统一社会信用代码, 18 characters from this alphabet (no I, O, S, V, Z); the last is a check character.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Why a text is not a unified social credit code, or undefined when it is one. */
export function unifiedCreditCodeProblem(code: string): string | undefined {
  if (code.length !== 18) return 'a unified social credit code (统一社会信用代码) has 18 characters';
  const values = [...code].map((ch) => USCC_ALPHABET.indexOf(ch));
  const bad = values.findIndex((v) => v < 0);
  if (bad >= 0) return `character ${bad + 1} ("${code[bad]}") is not used in a unified social credit code (digits and capitals except I, O, S, V, Z)`;
  const weighted = USCC_WEIGHTS.reduce((s, w, i) => s + w * values[i]!, 0);
  const check = (31 - (weighted % 31)) % 31;
  if (values[17] !== check) return `the check character should be ${USCC_ALPHABET[check]}, not ${code[17]}: the code is mistyped`;
  return undefined;
}

/** What an invoice carries for the tax system, as it is to be stored. */
export interface VatInvoiceData {
  vatType: VatInvoiceType;
  buyerTaxId: string | null;
  buyerAddress: string | null;
  buyerBankName: string | null;
  buyerBankAccount: string | null;
  taxNumber: string | null;
  taxDate: string | null;
}

/**
 * The data is consistent: a tax id is a valid code, a 专票 names its buyer's tax id, and the tax
 * system's number comes with its date, which is not before the invoice and not in the future.
 */
export function checkVatInvoiceData(data: VatInvoiceData, invoice: { issuedOn: string; today: string }): void {
  if (data.buyerTaxId !== null) {
    const problem = unifiedCreditCodeProblem(data.buyerTaxId);
    if (problem) throw new DomainError('VALIDATION_FAILED', problem, 'buyerTaxId');
  }
  if (isSpecialInvoice(data.vatType) && data.buyerTaxId === null) {
    throw new DomainError('VALIDATION_FAILED', "a 专票 (special VAT invoice) needs the buyer's tax id; the customer has none on file", 'buyerTaxId');
  }
  if (data.taxNumber !== null && !TAX_NUMBER.test(data.taxNumber)) {
    throw new DomainError('VALIDATION_FAILED', 'the tax invoice number is 8 to 20 digits', 'taxNumber');
  }
  if ((data.taxNumber === null) !== (data.taxDate === null)) {
    const missing = data.taxNumber === null ? 'taxNumber' : 'taxDate';
    throw new DomainError('VALIDATION_FAILED', "the tax system's invoice number and date are entered together", missing);
  }
  if (data.taxDate !== null && data.taxDate < invoice.issuedOn) {
    throw new DomainError('VALIDATION_FAILED', `the tax invoice date is before the invoice was issued (${invoice.issuedOn})`, 'taxDate');
  }
  if (data.taxDate !== null && data.taxDate > invoice.today) {
    throw new DomainError('VALIDATION_FAILED', 'the tax invoice date is in the future', 'taxDate');
  }
}

/**
 * Once the tax system's number is recorded the invoice exists there as recorded: its data changes no more
 * (a mistake is corrected there by a red-letter invoice, here by a credit note). Sending the same again is fine.
 */
export function checkVatDataChange(stored: VatInvoiceData | null, next: VatInvoiceData, invoiceNumber: string): void {
  if (stored?.taxNumber == null) return;
  const changed = (Object.keys(next) as (keyof VatInvoiceData)[]).find((k) => next[k] !== stored[k]);
  if (changed) {
    throw new DomainError('CONFLICT', `invoice ${invoiceNumber} was issued by the tax system as ${stored.taxNumber}; its tax data no longer changes`, changed, {
      taxNumber: stored.taxNumber,
    });
  }
}
