import { Hono } from 'hono';
import { mayPerform } from '../domain/authorization.js';
import { businessDate } from '../domain/calendar.js';
import type { Sql } from '../db/client.js';
import { baseCurrency, listExchangeRates } from '../db/fx.js';
import type { ApiCall } from './api-call.js';
import { callApi } from './api-call.js';
import { ApiForm, field } from './finance-forms.js';
import { setFlash, takeFlash } from './flash.js';
import { label, say } from './i18n.js';
import { Layout, RowsTable } from './layout.js';
import type { ConsoleEnv } from './session.js';

/**
 * 汇率: the rates finance entered, newest first, and a form to enter one (through PUT /finance/exchange-rates,
 * so the API checks, audits and refuses as it does for any caller). A file of rates goes through 批量导入's
 * template (GET /import/exchange_rates/template) and POST /finance/exchange-rates/import.
 */
export function exchangeRatePages(deps: { sql: Sql; api: ApiCall; timeZone: string }) {
  const app = new Hono<ConsoleEnv>();

  app.get('/finance/exchange-rates', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = say(lang, { zh: '汇率', en: 'Exchange rates' });
    const flash = takeFlash(c);
    if (!mayPerform(session.user.role, 'listStuckPayments')) {
      return c.html(<Layout title={title} session={session} flash={flash}><p class="flash error" role="alert"><strong>FORBIDDEN</strong></p></Layout>, 403);
    }
    const [base, rates] = await Promise.all([baseCurrency(deps.sql), listExchangeRates(deps.sql, { limit: 200 })]);
    return c.html(
      <Layout title={title} session={session} flash={flash}>
        <p>
          {label(lang, 'baseCurrency')}: <strong data-base-currency>{base}</strong> ·{' '}
          {say(lang, { zh: '单据取其日期当天或之前最近的汇率；本位币单据汇率为 1。', en: 'A document takes the latest rate on or before its date; base-currency documents have rate 1.' })}
        </p>
        {mayPerform(session.user.role, 'manageExchangeRates') ? (
          <ApiForm action="/console/finance/exchange-rates" name="enter-rate" session={session} button={say(lang, { zh: '保存汇率', en: 'Save rate' })}>
            <label>{label(lang, 'currency')} <input name="currency" required maxlength={3} pattern="[A-Z]{3}" placeholder="USD" /></label>{' '}
            <label>{label(lang, 'date')} <input name="date" type="date" required value={businessDate(new Date(), deps.timeZone)} /></label>{' '}
            <label>{label(lang, 'fxRate')} <input name="rate" required inputmode="decimal" placeholder="7.1234" /></label>{' '}
          </ApiForm>
        ) : ''}
        {mayPerform(session.user.role, 'manageExchangeRates') ? (
          <p>
            <a href="/console/imports#exchange_rates">{say(lang, { zh: '从文件导入汇率（Excel / CSV）', en: 'Import rates from a file (Excel / CSV)' })}</a>
          </p>
        ) : ''}
        <RowsTable view={session} columns={['currency', 'date', 'fxRate', 'enteredBy', 'enteredAt']} rows={rates.map((r) => ({ ...r, fxRate: r.rate }))} />
      </Layout>,
    );
  });

  app.post('/finance/exchange-rates', async (c) => {
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    const rate = { currency: field(form, 'currency').toUpperCase(), date: field(form, 'date'), rate: field(form, 'rate') };
    const outcome = await callApi(deps.api, c.get('session'), '/finance/exchange-rates', { rates: [rate] }, field(form, '_key') || undefined, 'PUT');
    if (outcome.ok) setFlash(c, { kind: 'ok', text: say(lang, { zh: `已保存 ${rate.currency} ${rate.date} 汇率 ${rate.rate}`, en: `Saved ${rate.currency} ${rate.date} at ${rate.rate}` }) });
    else setFlash(c, { kind: 'error', text: outcome.error.message, code: outcome.error.code, field: outcome.error.field });
    return c.redirect('/console/finance/exchange-rates', 303);
  });

  return app;
}
