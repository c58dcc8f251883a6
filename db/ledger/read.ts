import { addDays } from '../../domain/calendar.js';
import { dec, money, plain, sum } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import type { PostingPurpose } from '../../domain/ledger.js';
import type { Sql } from '../client.js';

/** What finance reads of the books: the journal (序时账), the trial balance (科目余额表) and the mapping. */

export interface JournalLine {
  voucherNumber: string;
  date: string;
  sourceType: string;
  sourceNumber: string;
  orderNumber: string | null;
  lineNo: number;
  accountCode: string;
  accountName: string;
  accountNameEn: string;
  debit: string;
  credit: string;
  customerCode: string | null;
  memo: string;
  currency: string;
  exchangeRate: string;
  docAmount: string;
}

/** Every voucher line dated within the period, in voucher order; totals over all of them (not just the page). */
export async function journal(sql: Sql, q: { from: string; to: string; limit: number; offset: number }) {
  const rows = await sql<(Omit<JournalLine, 'lineNo'> & { lineNo: number; total_rows: string })[]>`
    SELECT v.number AS "voucherNumber", v.voucher_date::text AS date, v.source_type AS "sourceType", v.source_number AS "sourceNumber",
           v.order_number AS "orderNumber", l.line_no AS "lineNo", l.account_code AS "accountCode", a.name_zh AS "accountName", a.name_en AS "accountNameEn",
           l.debit::text, l.credit::text, l.customer_code AS "customerCode", l.memo, v.currency, v.exchange_rate::text AS "exchangeRate",
           l.doc_amount::text AS "docAmount", count(*) OVER () AS total_rows
    FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id JOIN ledger_accounts a ON a.code = l.account_code
    WHERE v.voucher_date BETWEEN ${q.from}::date AND ${q.to}::date
    ORDER BY v.voucher_date, v.id, l.line_no
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [totals] = await sql<{ vouchers: number; debit: string; credit: string }[]>`
    SELECT count(DISTINCT v.id)::int AS vouchers, coalesce(sum(l.debit), 0)::text AS debit, coalesce(sum(l.credit), 0)::text AS credit
    FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id WHERE v.voucher_date BETWEEN ${q.from}::date AND ${q.to}::date`;
  const items: JournalLine[] = rows.map(({ total_rows: _, ...r }) => ({ ...r, debit: money(dec(r.debit)), credit: money(dec(r.credit)), docAmount: money(dec(r.docAmount)), exchangeRate: plain(dec(r.exchangeRate)) }));
  return {
    from: q.from,
    to: q.to,
    total: rows.length > 0 ? Number(rows[0]!.total_rows) : 0,
    items,
    totals: { vouchers: String(totals!.vouchers), debit: money(dec(totals!.debit)), credit: money(dec(totals!.credit)) },
  };
}

export interface TrialBalanceRow {
  accountCode: string;
  accountName: string;
  accountNameEn: string;
  normalSide: 'debit' | 'credit';
  openingDebit: string;
  openingCredit: string;
  debit: string;
  credit: string;
  closingDebit: string;
  closingCredit: string;
}

/** A balance shown on the side it sits: a net debit in the debit column, a net credit in the credit column. */
function sides(net: ReturnType<typeof dec>): [string, string] {
  return net.isNegative() ? ['0.00', money(net.negated())] : [money(net), '0.00'];
}

/** First and last day of a YYYY-MM period. */
export function periodDays(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  if (!(m >= 1 && m <= 12) || !(y >= 1)) throw new DomainError('VALIDATION_FAILED', `period ${period} is not a month (YYYY-MM, from year 0001)`, 'period');
  // December ends on the 31st (9999-12 has no next month); else the day before the next month's first (Date.UTC would
  // read a year below 100 as 19xx).
  if (m === 12) return { from: `${period}-01`, to: `${period}-31` };
  return { from: `${period}-01`, to: addDays(`${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`, -1) };
}

/**
 * 科目余额表 for a month: each account with a balance or a movement, its opening balance (every
 * voucher before the month), the month's debits and credits, and its closing balance; the totals
 * row balances (debits = credits in each pair of columns) whenever every voucher does.
 */
export async function trialBalance(sql: Sql, period: string) {
  const { from, to } = periodDays(period);
  const rows = await sql<{ code: string; name_zh: string; name_en: string; normal_side: 'debit' | 'credit'; opening: string; debit: string; credit: string }[]>`
    SELECT a.code, a.name_zh, a.name_en, a.normal_side,
           coalesce(sum(l.debit - l.credit) FILTER (WHERE v.voucher_date < ${from}::date), 0)::text AS opening,
           coalesce(sum(l.debit) FILTER (WHERE v.voucher_date BETWEEN ${from}::date AND ${to}::date), 0)::text AS debit,
           coalesce(sum(l.credit) FILTER (WHERE v.voucher_date BETWEEN ${from}::date AND ${to}::date), 0)::text AS credit
    FROM ledger_accounts a JOIN voucher_lines l ON l.account_code = a.code JOIN vouchers v ON v.id = l.voucher_id
    WHERE v.voucher_date <= ${to}::date
    GROUP BY a.code ORDER BY a.code`;
  const items: TrialBalanceRow[] = rows.map((r) => {
    const opening = dec(r.opening);
    const closing = opening.plus(dec(r.debit)).minus(dec(r.credit));
    const [openingDebit, openingCredit] = sides(opening);
    const [closingDebit, closingCredit] = sides(closing);
    return {
      accountCode: r.code,
      accountName: r.name_zh,
      accountNameEn: r.name_en,
      normalSide: r.normal_side,
      openingDebit,
      openingCredit,
      debit: money(dec(r.debit)),
      credit: money(dec(r.credit)),
      closingDebit,
      closingCredit,
    };
  });
  const total = (k: keyof TrialBalanceRow) => money(sum(items.map((i) => dec(i[k]))));
  return {
    period,
    from,
    to,
    items,
    totals: {
      openingDebit: total('openingDebit'),
      openingCredit: total('openingCredit'),
      debit: total('debit'),
      credit: total('credit'),
      closingDebit: total('closingDebit'),
      closingCredit: total('closingCredit'),
    },
  };
}

export interface MappingView {
  purpose: PostingPurpose;
  taxRate: string | null;
  customerGroup: string | null;
  productCategory: string | null;
  accountCode: string;
  accountName: string;
  updatedBy: string;
  updatedAt: string;
}

export async function accountChart(sql: Sql) {
  const accounts = await sql<{ code: string; nameZh: string; nameEn: string; normalSide: string }[]>`
    SELECT code, name_zh AS "nameZh", name_en AS "nameEn", normal_side AS "normalSide" FROM ledger_accounts ORDER BY code`;
  const mapping = await sql<MappingView[]>`
    SELECT m.purpose, m.tax_rate::text AS "taxRate", m.customer_group AS "customerGroup", m.product_category AS "productCategory",
           m.account_code AS "accountCode", a.name_zh AS "accountName", m.updated_by AS "updatedBy", m.updated_at AS "updatedAt"
    FROM ledger_account_mapping m JOIN ledger_accounts a ON a.code = m.account_code
    ORDER BY m.purpose, (m.tax_rate IS NOT NULL OR m.customer_group IS NOT NULL OR m.product_category IS NOT NULL), m.id`;
  return { accounts, mapping: mapping.map((m) => ({ ...m, taxRate: m.taxRate === null ? null : String(dec(m.taxRate)), updatedAt: new Date(m.updatedAt).toISOString() })) };
}

export interface MappingChange {
  purpose: PostingPurpose;
  taxRate?: string | undefined;
  customerGroup?: string | undefined;
  productCategory?: string | undefined;
  accountCode: string;
}

/** Sets the account of one mapping row, adding the row when it narrows in a way none did before (one statement: two racing saves meet at the key). */
export async function saveMapping(sql: Sql, change: MappingChange, by: string): Promise<void> {
  const [account] = await sql`SELECT 1 FROM ledger_accounts WHERE code = ${change.accountCode}`;
  if (!account) throw new DomainError('NOT_FOUND', `account ${change.accountCode} is not in the chart of accounts`, 'accountCode');
  await sql`
    INSERT INTO ledger_account_mapping (purpose, tax_rate, customer_group, product_category, account_code, updated_by)
    VALUES (${change.purpose}, ${change.taxRate ?? null}, ${change.customerGroup ?? null}, ${change.productCategory ?? null}, ${change.accountCode}, ${by})
    ON CONFLICT (purpose, coalesce(tax_rate, -1), coalesce(customer_group, ''), coalesce(product_category, ''))
    DO UPDATE SET account_code = EXCLUDED.account_code, updated_by = EXCLUDED.updated_by, updated_at = now()`;
}

/** Adds an account to the chart, or renames it. */
export async function saveAccount(sql: Sql, a: { code: string; nameZh: string; nameEn: string; normalSide: 'debit' | 'credit' }): Promise<void> {
  await sql`
    INSERT INTO ledger_accounts (code, name_zh, name_en, normal_side) VALUES (${a.code}, ${a.nameZh}, ${a.nameEn}, ${a.normalSide})
    ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, normal_side = EXCLUDED.normal_side`;
}
