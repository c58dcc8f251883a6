import type { Term } from './index.js';

/** The documents pages' fields and codes. */
export const DOCUMENT_WORDS: Record<string, Term> = {
  // 增值税发票信息 on an invoice's page (console/invoice-tax-form.tsx).
  vatType: { zh: '发票种类', en: 'VAT invoice type', kind: 'code' },
  'vatType.special': { zh: '增值税专用发票（专票）', en: 'Special VAT invoice (专票)' },
  'vatType.ordinary': { zh: '增值税普通发票（普票）', en: 'Ordinary VAT invoice (普票)' },
  'vatType.e_special': { zh: '电子发票（增值税专用发票）', en: 'Electronic special VAT invoice' },
  'vatType.e_ordinary': { zh: '电子发票（普通发票）', en: 'Electronic ordinary VAT invoice' },
  buyerTaxId: { zh: '购买方税号', en: "Buyer's tax ID" },
  buyerAddress: { zh: '购买方地址电话', en: "Buyer's address and phone" },
  buyerBankName: { zh: '购买方开户行', en: "Buyer's bank" },
  buyerBankAccount: { zh: '购买方账号', en: "Buyer's bank account" },
  taxNumber: { zh: '税务发票号', en: 'Tax invoice number' },
  taxDate: { zh: '税务开票日', en: 'Tax invoice date', kind: 'date' },
};
