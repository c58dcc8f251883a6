import { Hono, type Context } from 'hono';
import { mayPerform } from '../domain/authorization.js';
import { businessDate } from '../domain/calendar.js';
import { POSTING_PURPOSES } from '../domain/ledger.js';
import { callApi, readApi, type ApiCall } from './api-call.js';
import { ExportLink } from './export.js';
import { ApiForm, field, queryOf } from './finance-forms.js';
import { setFlash, takeFlash } from './flash.js';
import { label, say, type Lang } from './i18n.js';
import { Layout, RowsTable, type Column } from './layout.js';
import type { FormFields } from './order-actions.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

/**
 * 总账: the trial balance (科目余额表) and journal (序时账) of a month, and the account mapping vouchers
 * are posted by. Everything is read from the API as the signed-in user and changed through its routes.
 */
export interface LedgerPageDeps {
  api: ApiCall;
  timeZone: string;
}

const PAGE = 100;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const t = (lang: Lang, zh: string, en: string) => say(lang, { zh, en });
type Row = Record<string, unknown>;

const money = (key: string, zh: string, en: string): Column => ({ key, words: { zh, en }, kind: 'money' });
const JOURNAL_COLUMNS: Column[] = [
  'date', 'voucherNumber', 'sourceType', 'sourceNumber', 'orderNumber', 'accountCode', 'memo',
  money('debit', '借方', 'Debit'), money('credit', '贷方', 'Credit'), 'customerCode', 'currency', 'docAmount',
];
const TRIAL_COLUMNS: Column[] = [
  'accountCode', 'openingDebit', 'openingCredit', money('debit', '本期借方', 'Debit this period'), money('credit', '本期贷方', 'Credit this period'), 'closingDebit', 'closingCredit',
];

/** A read the API refused (the role, a bad period): its code and words, nothing else. */
function Refused(props: { session: ConsoleSession; title: string; code: string; text: string }) {
  return (
    <Layout title={props.title} session={props.session}>
      <p class="flash error" role="alert"><strong>{props.code}</strong>: {props.text}</p>
    </Layout>
  );
}

function nextMonth(period: string, step: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + step, 1));
  return d.toISOString().slice(0, 7);
}

export function ledgerPages(deps: LedgerPageDeps) {
  const app = new Hono<ConsoleEnv>();

  app.get('/finance/books', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = t(lang, '总账：科目余额表与序时账', 'Books: trial balance and journal');
    if (!mayPerform(session.user.role, 'readBooks')) {
      return c.html(<Refused session={session} title={title} code="FORBIDDEN" text={t(lang, `${session.user.role} 角色不能查看总账`, `the ${session.user.role} role may not read the books`)} />, 403);
    }
    const q = queryOf(c);
    const period = q.period && PERIOD.test(q.period) ? q.period : businessDate(new Date(), deps.timeZone).slice(0, 7);
    const page = Math.max(0, Math.min(10_000, Number.parseInt(q.page ?? '0', 10) || 0));
    const tb = await readApi(deps.api, session, `/finance/trial-balance?period=${period}`);
    if (!tb.ok) return c.html(<Refused session={session} title={title} code={tb.error.code} text={tb.error.message} />, tb.status as 400);
    const { from, to } = tb.body as { from: string; to: string };
    const journal = await readApi(deps.api, session, `/finance/journal?${new URLSearchParams({ from, to, limit: String(PAGE), offset: String(page * PAGE) })}`);
    if (!journal.ok) return c.html(<Refused session={session} title={title} code={journal.error.code} text={journal.error.message} />, journal.status as 400);
    const trial = tb.body as { items: Row[]; totals: Record<string, string> };
    const lines = journal.body as { total: number; items: Row[]; totals: { vouchers: string; debit: string; credit: string } };
    const more = lines.total > (page + 1) * PAGE;
    // The account's name in the reader's language beside its code.
    const named = (rows: Row[]) => (lang === 'en' ? rows.map((r) => ({ ...r, accountName: r.accountNameEn })) : rows);
    return c.html(
      <Layout title={title} session={session} flash={takeFlash(c)}>
        <p>
          <a href={`?period=${nextMonth(period, -1)}`}>{t(lang, '上月', 'Previous month')}</a> ·{' '}
          <a href={`?period=${nextMonth(period, 1)}`}>{t(lang, '下月', 'Next month')}</a> ·{' '}
          <a href="/console/finance/books/mapping">{t(lang, '科目与科目对照', 'Accounts and mapping')}</a>
        </p>
        <form method="get" class="filters">
          <label>{label(lang, 'period')} <input name="period" type="month" value={period} /></label>
          <button type="submit">{t(lang, '查询', 'Show')}</button>
        </form>
        <h2>{t(lang, `科目余额表 ${period}`, `Trial balance ${period}`)}</h2>
        <p><ExportLink view={session} apiPath="finance/trial-balance" query={{ period }} /></p>
        <RowsTable view={session} columns={TRIAL_COLUMNS} rows={[...named(trial.items), { accountCode: t(lang, '合计', 'Total'), ...trial.totals }]} />
        <h2>{t(lang, `序时账 ${from} – ${to}`, `Journal ${from} – ${to}`)}</h2>
        <p class="muted">
          {t(lang, `${lines.totals.vouchers} 张凭证，${lines.total} 行；借方合计 ${lines.totals.debit}，贷方合计 ${lines.totals.credit}`,
            `${lines.totals.vouchers} vouchers, ${lines.total} lines; debits ${lines.totals.debit}, credits ${lines.totals.credit}`)}{' '}
          · <ExportLink view={session} apiPath="finance/journal" query={{ from, to }} />
        </p>
        <RowsTable
          view={session}
          columns={JOURNAL_COLUMNS}
          rows={named(lines.items)}
          link={(row, col) => (col === 'orderNumber' && row.orderNumber ? `/console/orders/${String(row.orderNumber)}` : undefined)}
        />
        {page > 0 ? <a href={`?period=${period}&page=${page - 1}`}>{t(lang, '上一页', 'Previous page')}</a> : ''}{' '}
        {more ? <a href={`?period=${period}&page=${page + 1}`}>{t(lang, '下一页', 'Next page')}</a> : ''}
      </Layout>,
    );
  });

  app.get('/finance/books/mapping', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = t(lang, '会计科目与科目对照', 'Chart of accounts and account mapping');
    const chart = await readApi(deps.api, session, '/finance/account-mapping');
    if (!chart.ok) return c.html(<Refused session={session} title={title} code={chart.error.code} text={chart.error.message} />, chart.status as 403);
    const { accounts, mapping } = chart.body as { accounts: { code: string; nameZh: string; nameEn: string; normalSide: string }[]; mapping: Row[] };
    const may = mayPerform(session.user.role, 'maintainAccountMapping');
    const side = (s: string) => (s === 'debit' ? t(lang, '借', 'Debit') : t(lang, '贷', 'Credit'));
    return c.html(
      <Layout title={title} session={session} flash={takeFlash(c)}>
        <p><a href="/console/finance/books">{t(lang, '返回总账', 'Back to the books')}</a></p>
        <h2>{t(lang, '科目对照', 'Account mapping')}</h2>
        <p class="muted">{t(lang, '凭证按最具体的匹配行取科目（税率、产品类别、客户分组），没有匹配时用默认行。', 'A voucher takes the account of the most specific row that matches (tax rate, product category, customer group), else the default row.')}</p>
        <RowsTable view={session} columns={['purpose', 'taxRate', 'customerGroup', 'productCategory', 'accountCode', 'updatedBy', 'updatedAt']} rows={mapping} />
        {may ? (
          <ApiForm action="/console/finance/books/mapping" name="account-mapping" session={session} button={t(lang, '保存科目对照', 'Save mapping')}>
            <label>{label(lang, 'purpose')} <select name="purpose">{POSTING_PURPOSES.map((p) => <option value={p}>{label(lang, p)}</option>)}</select></label>
            <label>{label(lang, 'taxRate')} <input name="taxRate" inputmode="decimal" placeholder="0.13" /></label>
            <label>{label(lang, 'customerGroup')}{' '}
              <select name="customerGroup">
                <option value="">{t(lang, '全部', 'any')}</option>
                {['vip', 'regular'].map((g) => <option value={g}>{label(lang, g)}</option>)}
              </select>
            </label>
            <label>{label(lang, 'productCategory')} <input name="productCategory" /></label>
            <label>{label(lang, 'accountCode')} <select name="accountCode">{accounts.map((a) => <option value={a.code}>{a.code} {lang === 'en' ? a.nameEn : a.nameZh}</option>)}</select></label>
          </ApiForm>
        ) : ''}
        <h2>{t(lang, '会计科目', 'Chart of accounts')}</h2>
        <RowsTable view={session} columns={['code', 'nameZh', 'nameEn', 'normalSide']} rows={accounts.map((a) => ({ ...a, normalSide: side(a.normalSide) }))} />
        {may ? (
          <ApiForm action="/console/finance/books/accounts" name="ledger-account" session={session} button={t(lang, '保存科目', 'Save account')}>
            <label>{label(lang, 'code')} <input name="code" inputmode="numeric" required /></label>
            <label>{label(lang, 'nameZh')} <input name="nameZh" required /></label>
            <label>{label(lang, 'nameEn')} <input name="nameEn" required /></label>
            <label>{label(lang, 'normalSide')} <select name="normalSide"><option value="debit">{side('debit')}</option><option value="credit">{side('credit')}</option></select></label>
          </ApiForm>
        ) : ''}
      </Layout>,
    );
  });

  /** Sends a PUT as the user and flashes its outcome; the page shows the chart as it is afterwards. */
  async function put(c: Context<ConsoleEnv>, path: string, body: unknown, form: FormFields, done: string) {
    const outcome = await callApi(deps.api, c.get('session'), path, body, field(form, '_key') || undefined, 'PUT');
    setFlash(c, outcome.ok ? { kind: 'ok', text: done } : { kind: 'error', text: outcome.error.message, code: outcome.error.code, field: outcome.error.field });
    return c.redirect('/console/finance/books/mapping', 303);
  }

  app.post('/finance/books/mapping', async (c) => {
    const form = await c.req.parseBody();
    const optional = (k: string) => (field(form, k) ? { [k]: field(form, k) } : {});
    const body = { purpose: field(form, 'purpose'), accountCode: field(form, 'accountCode'), ...optional('taxRate'), ...optional('customerGroup'), ...optional('productCategory') };
    const lang = c.get('session').lang;
    return put(c, '/finance/account-mapping', body, form, t(lang, `科目对照已保存：${label(lang, body.purpose)} → ${body.accountCode}`, `Mapping saved: ${label(lang, body.purpose)} → ${body.accountCode}`));
  });

  app.post('/finance/books/accounts', async (c) => {
    const form = await c.req.parseBody();
    const code = field(form, 'code');
    const lang = c.get('session').lang;
    const body = { nameZh: field(form, 'nameZh'), nameEn: field(form, 'nameEn'), normalSide: field(form, 'normalSide') };
    return put(c, `/finance/accounts/${encodeURIComponent(code)}`, body, form, t(lang, `科目 ${code} 已保存`, `Account ${code} saved`));
  });

  return app;
}
