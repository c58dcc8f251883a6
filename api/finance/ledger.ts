import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { POSTING_PURPOSES } from '../../domain/ledger.js';
import type { Sql } from '../../db/client.js';
import { accountChart, journal, saveAccount, saveMapping, trialBalance } from '../../db/ledger/read.js';
import { requires } from '../auth/authorize.js';
import { CSV_MAX_ROWS } from '../reports/index.js';
import { csvAttachment, toCsv } from '../reports/csv.js';
import { ActorHeader, body, errorResponses, IsoDate, json, Rate, SingleLine } from '../schemas.js';

/** The books (总账): the journal and trial balance by period, and the account mapping vouchers are posted by. */

const Format = z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: every line as a CSV file (paging ignored)' });
const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').openapi({ example: '2026-12' });
const AccountCode = z.string().regex(/^[0-9]{4,12}$/, 'an account code of 4 to 12 digits, e.g. 1122').openapi({ example: '1122' });

const JournalQuery = z
  .object({
    from: IsoDate.openapi({ description: 'first voucher date, inclusive', example: '2026-12-01' }),
    to: IsoDate.openapi({ description: 'last voucher date, inclusive', example: '2026-12-31' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
    format: Format,
  })
  .refine((q) => q.from <= q.to, { message: 'the period ends before it starts', path: ['to'] });

const Money = z.string().openapi({ example: '113.00' });
const JournalLine = z.object({
  voucherNumber: z.string(), date: z.string(), sourceType: z.string(), sourceNumber: z.string(), orderNumber: z.string().nullable(),
  lineNo: z.number().int(), accountCode: z.string(), accountName: z.string(), accountNameEn: z.string(), debit: Money, credit: Money, customerCode: z.string().nullable(),
  memo: z.string(), currency: z.string(), exchangeRate: z.string(), docAmount: Money,
});
const Journal = z
  .object({ from: z.string(), to: z.string(), total: z.number().int(), items: z.array(JournalLine), totals: z.object({ vouchers: z.string(), debit: Money, credit: Money }) })
  .openapi('Journal');
const Balances = { openingDebit: Money, openingCredit: Money, debit: Money, credit: Money, closingDebit: Money, closingCredit: Money };
const TrialBalance = z
  .object({
    period: z.string(), from: z.string(), to: z.string(),
    items: z.array(z.object({ accountCode: z.string(), accountName: z.string(), accountNameEn: z.string(), normalSide: z.enum(['debit', 'credit']), ...Balances })),
    totals: z.object(Balances),
  })
  .openapi('TrialBalance');

const MappingRow = z.object({
  purpose: z.enum(POSTING_PURPOSES), taxRate: z.string().nullable(), customerGroup: z.string().nullable(), productCategory: z.string().nullable(),
  accountCode: z.string(), accountName: z.string(), updatedBy: z.string(), updatedAt: z.string(),
});
const Chart = z
  .object({ accounts: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), normalSide: z.string() })), mapping: z.array(MappingRow) })
  .openapi('AccountChart');
const MappingBody = z
  .object({
    purpose: z.enum(POSTING_PURPOSES).openapi({ example: 'receivable' }),
    taxRate: Rate(0.9999, 'a tax rate, e.g. "0.13"').optional().openapi({ description: 'only postings at this tax rate', example: '0.13' }),
    customerGroup: z.enum(['vip', 'regular']).optional().openapi({ description: "only customers of this group (the customer's grade)" }),
    productCategory: SingleLine(100).optional().openapi({ description: 'only products of this category', example: '传感器' }),
    accountCode: AccountCode,
  })
  .strict()
  .openapi('AccountMappingChange');
const AccountBody = z
  .object({ nameZh: SingleLine(100).openapi({ example: '应收账款-VIP客户' }), nameEn: SingleLine(100).openapi({ example: 'Receivables - VIP customers' }), normalSide: z.enum(['debit', 'credit']) })
  .strict()
  .openapi('LedgerAccount');

const CsvOrJson = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
  description: `${description}; ?format=csv gives text/csv`,
});

const routes = {
  journal: createRoute({
    method: 'get', path: '/finance/journal', tags: ['Finance'],
    summary: 'The journal (序时账): every voucher line of a period, in base currency with the document currency beside',
    middleware: [requires('readBooks')] as const,
    request: { query: JournalQuery }, responses: { 200: CsvOrJson(Journal, 'Voucher lines'), ...errorResponses },
  }),
  trialBalance: createRoute({
    method: 'get', path: '/finance/trial-balance', tags: ['Finance'],
    summary: 'The trial balance (科目余额表) of a month: opening balance, the month\'s debits and credits, closing balance per account',
    middleware: [requires('readBooks')] as const,
    request: { query: z.object({ period: Period, format: Format }) }, responses: { 200: CsvOrJson(TrialBalance, 'Per account'), ...errorResponses },
  }),
  chart: createRoute({
    method: 'get', path: '/finance/account-mapping', tags: ['Finance'],
    summary: 'The chart of accounts (会计科目) and the account mapping vouchers are posted by',
    middleware: [requires('readBooks')] as const,
    responses: { 200: json(Chart, 'Accounts and mapping rows'), ...errorResponses },
  }),
  putMapping: createRoute({
    method: 'put', path: '/finance/account-mapping', tags: ['Finance'],
    summary: 'Set the account of a posting purpose, for every posting or only those of a tax rate, customer group or product category',
    middleware: [requires('maintainAccountMapping')] as const,
    request: { headers: ActorHeader, body: body(MappingBody) }, responses: { 200: json(Chart, 'The chart and mapping after the change'), ...errorResponses },
  }),
  putAccount: createRoute({
    method: 'put', path: '/finance/accounts/{code}', tags: ['Finance'],
    summary: 'Add an account to the chart of accounts, or rename one',
    middleware: [requires('maintainAccountMapping')] as const,
    request: { headers: ActorHeader, params: z.object({ code: AccountCode }), body: body(AccountBody) },
    responses: { 200: json(Chart, 'The chart and mapping after the change'), ...errorResponses },
  }),
};

const JOURNAL_COLUMNS = ['voucherNumber', 'date', 'sourceType', 'sourceNumber', 'orderNumber', 'lineNo', 'accountCode', 'accountName', 'debit', 'credit', 'customerCode', 'memo', 'currency', 'exchangeRate', 'docAmount'] as const;
const TRIAL_BALANCE_COLUMNS = ['accountCode', 'accountName', 'openingDebit', 'openingCredit', 'debit', 'credit', 'closingDebit', 'closingCredit'] as const;

export function registerLedgerRoutes(app: OpenAPIHono, deps: { sql: Sql }): void {
  app.openapi(routes.journal, async (c) => {
    const q = c.req.valid('query');
    if (q.format === 'csv') {
      const all = await journal(deps.sql, { from: q.from, to: q.to, limit: CSV_MAX_ROWS, offset: 0 });
      const rows: Record<string, unknown>[] = [...all.items.map((l) => ({ ...l })), { voucherNumber: 'total', debit: all.totals.debit, credit: all.totals.credit }];
      return c.body(toCsv(JOURNAL_COLUMNS, rows), 200, csvAttachment(`journal-${q.from}-${q.to}.csv`)) as never;
    }
    return c.json(await journal(deps.sql, q), 200);
  });

  app.openapi(routes.trialBalance, async (c) => {
    const q = c.req.valid('query');
    const tb = await trialBalance(deps.sql, q.period);
    if (q.format === 'csv') {
      const rows: Record<string, unknown>[] = [...tb.items.map((r) => ({ ...r })), { accountCode: 'total', ...tb.totals }];
      return c.body(toCsv(TRIAL_BALANCE_COLUMNS, rows), 200, csvAttachment(`trial-balance-${q.period}.csv`)) as never;
    }
    return c.json(tb, 200);
  });

  app.openapi(routes.chart, async (c) => c.json(await accountChart(deps.sql), 200));

  app.openapi(routes.putMapping, async (c) => {
    await saveMapping(deps.sql, c.req.valid('json'), c.get('user').name);
    return c.json(await accountChart(deps.sql), 200);
  });

  app.openapi(routes.putAccount, async (c) => {
    await saveAccount(deps.sql, { code: c.req.valid('param').code, ...c.req.valid('json') });
    return c.json(await accountChart(deps.sql), 200);
  });
}
