import { AUTHORITY_WORDS } from './authority.js';
import { COMMON_WORDS } from './common.js';
import { DOCUMENT_WORDS } from './documents.js';
import { FINANCE_WORDS } from './finance.js';
import { LEDGER_WORDS } from './ledger.js';
import { MASTER_DATA_WORDS } from './master-data.js';
import { NOTIFICATION_WORDS } from './notifications.js';
import { ORDER_WORDS } from './orders.js';
import { REPORT_WORDS } from './reports.js';
import { STOCK_WORDS } from './stock.js';

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

export const AREA_WORDS: Readonly<Record<string, Record<string, Term>>> = {
  common: COMMON_WORDS,
  orders: ORDER_WORDS,
  finance: FINANCE_WORDS,
  'master-data': MASTER_DATA_WORDS,
  reports: REPORT_WORDS,
  documents: DOCUMENT_WORDS,
  stock: STOCK_WORDS,
  authority: AUTHORITY_WORDS,
  notifications: NOTIFICATION_WORDS,
  ledger: LEDGER_WORDS,
};

/**
 * Every area keeps its own words in its own file; one dictionary joins them. A key two
 * areas both need lives in common.ts (a test refuses the same key in two files), so one
 * area can never silently rename another's column.
 */
export const WORDS: Readonly<Record<string, Term>> = Object.freeze(Object.assign({}, ...Object.values(AREA_WORDS)));
