import type { MoneyTotals } from '../../domain/amounts.js';

/** The documents the console prints, by the name their address uses. */
export const DOCUMENT_KINDS = ['quotation', 'order', 'change', 'delivery-note', 'invoice', 'credit-note', 'statement'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const isDocumentKind = (v: string): v is DocumentKind => (DOCUMENT_KINDS as readonly string[]).includes(v);

/** 抬头: who issues every document (company_settings company.*). */
export interface CompanyHeader {
  name: string;
  address: string;
  taxId: string;
  phone: string;
}

/** The customer as the document names it: code and name, its default address and tax id where the data has them. */
export interface Party {
  code: string;
  name: string;
  address: string | null;
  taxId: string | null;
}

/** One priced line: amounts as stored (or, on a delivery note, by the one line rule of domain/amounts.ts). */
export interface DocumentLine {
  lineNo: number;
  productCode: string;
  productName: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  net: string;
  tax: string;
  gross: string;
  /** 赠品量: given free on top of the quantity (quotations). */
  giftQty?: string;
  /** 批次: the batches a delivery note line left from, each with its expiry (batch-tracked products). */
  batches?: { batchNo: string; expiryDate: string; quantity: string }[];
}

/** A document's own facts beside number and date; the console holds each key's words. */
export type FactKey =
  | 'orderNumber' | 'version' | 'validUntil' | 'status' | 'carrier' | 'trackingNumber' | 'dueOn' | 'invoice'
  | 'salesReturn' | 'returnKind' | 'deliveryNote' | 'reason' | 'requestedBy' | 'decidedBy' | 'createdBy' | 'payer'
  | 'shipTo' | 'contact' | 'salesperson' | 'department' | 'depositRequired' | 'paymentTerms'
  // VAT invoice data (增值税发票信息) on an invoice; a credit note's red-letter mark and its original's tax number.
  | 'vatType' | 'buyerTaxId' | 'buyerAddress' | 'buyerBank' | 'taxNumber' | 'taxDate' | 'redLetter' | 'originalTaxNumber';

export interface Fact {
  key: FactKey;
  value: string;
}

interface Common {
  number: string;
  /** The business date (YYYY-MM-DD in the company's time zone) the document was issued on. */
  date: string;
  currency: string;
  company: CompanyHeader;
  customer: Party;
  facts: Fact[];
}

/** Quotation, order confirmation, delivery note, invoice, credit note: priced lines and their totals. */
export interface LinesDocument extends Common {
  kind: 'quotation' | 'order' | 'delivery-note' | 'invoice' | 'credit-note';
  lines: DocumentLine[];
  totals: MoneyTotals;
}

export type ChangeSide = Omit<DocumentLine, 'lineNo'> & { expectedDeliveryDate: string | null };

/** 订单变更单: each changed line before and after. */
export interface ChangeDocument extends Common {
  kind: 'change';
  lines: { lineNo: number; action: string; before: ChangeSide | null; after: ChangeSide | null }[];
  totals: { grossBefore: string; grossAfter: string; difference: string };
}

/** 对账单: opening balance, the period's entries, closing balance. */
export interface StatementDocument extends Common {
  kind: 'statement';
  from: string;
  to: string;
  openingBalance: string;
  /** `amount` and `balance` in the base currency (the document's `currency`), with each entry's own currency and amount. */
  entries: { date: string; kind: string; document: string | null; orderNumber: string | null; currency: string; documentAmount: string; amount: string; balance: string }[];
  closingBalance: string;
}

export type PrintableDocument = LinesDocument | ChangeDocument | StatementDocument;

/** The facts a document has: a key without a value (no carrier, no due date) is left out. */
export const factsOf = (entries: [FactKey, string | null | undefined][]): Fact[] =>
  entries.filter((e): e is [FactKey, string] => typeof e[1] === 'string' && e[1] !== '').map(([key, value]) => ({ key, value }));
