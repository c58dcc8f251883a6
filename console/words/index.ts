import { COMMON_WORDS } from './common.js';
import { DOCUMENT_WORDS } from './documents.js';
import { FINANCE_WORDS } from './finance.js';
import { MASTER_DATA_WORDS } from './master-data.js';
import { ORDER_WORDS } from './orders.js';
import { REPORT_WORDS } from './reports.js';

/**
 * How a value of this field is shown: money and quantities grouped, times in the business time zone,
 * flags as yes/no, a code (status, step) by its own term's name.
 */
export type Kind = 'money' | 'qty' | 'percent' | 'time' | 'date' | 'flag' | 'code' | 'text';

/** A field's or code's name in both languages, and how its values are shown. */
export interface Term {
  zh: string;
  en: string;
  kind?: Kind;
  /** The field holding this code's name, shown beside it (customerCode → customerName). */
  nameIn?: string;
}

/**
 * Every area keeps its own words in its own file; one dictionary joins them. A key
 * defined twice must mean the same thing, so the later file may not redefine it.
 */
export const WORDS: Readonly<Record<string, Term>> = Object.freeze({
  ...COMMON_WORDS,
  ...ORDER_WORDS,
  ...FINANCE_WORDS,
  ...MASTER_DATA_WORDS,
  ...REPORT_WORDS,
  ...DOCUMENT_WORDS,
});
