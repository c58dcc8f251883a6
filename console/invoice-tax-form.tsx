import type { Context } from 'hono';
import { mayPerform } from '../domain/authorization.js';
import { VAT_INVOICE_TYPES } from '../domain/vat-invoice.js';
import { callApi, readApi, type ApiCall } from './api-call.js';
import { ApiForm, field } from './finance-forms.js';
import { setFlash } from './flash.js';
import { label, say } from './i18n.js';
import type { FormFields } from './order-actions.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

/**
 * 增值税发票信息 on an invoice's page: finance types in what the tax system issued. The form posts
 * to the console, which sends PATCH /invoices/{number}/tax-data as the user (the API checks, audits
 * and fills blanks from the payer's master data). Once the tax number is recorded the data is final, so
 * the form is no longer shown.
 */

const FIELDS = ['buyerTaxId', 'buyerAddress', 'buyerBankName', 'buyerBankAccount', 'taxNumber'] as const;

export async function InvoiceTaxForm(props: { api: ApiCall; session: ConsoleSession; number: string }) {
  const { session, number } = props;
  if (!mayPerform(session.user.role, 'recordInvoiceTaxData')) return '';
  const read = await readApi(props.api, session, `/invoices/${number}/tax-data`);
  if (!read.ok || read.body.taxNumber) return '';
  const data = read.body as Record<string, string | null>;
  const lang = session.lang;
  return (
    <section class="tax-data">
      <h2>{say(lang, { zh: '登记发票税务信息', en: 'Record VAT invoice data' })}</h2>
      <p class="muted">{say(lang, { zh: '留空的购买方信息取付款客户资料。', en: "Buyer fields left blank come from the payer's master data." })}</p>
      <ApiForm action={`/console/documents/invoice/${number}/tax-data`} name="taxData" session={session} button={say(lang, { zh: '保存', en: 'Save' })}>
        <label>
          {label(lang, 'vatType')}{' '}
          <select name="vatType">
            {VAT_INVOICE_TYPES.map((t) => <option value={t} selected={data.vatType === t}>{label(lang, `vatType.${t}`)}</option>)}
          </select>
        </label>
        <br />
        {FIELDS.map((k) => (
          <>
            <label>{label(lang, k)} <input name={k} value={data[k] ?? ''} /></label>
            <br />
          </>
        ))}
        <label>{label(lang, 'taxDate')} <input name="taxDate" type="date" value={data.taxDate ?? ''} /></label>
        <br />
      </ApiForm>
    </section>
  );
}

/** The form as the API's body: a blank field is left out (kept as recorded, or the master data's). */
function taxDataBody(form: FormFields): Record<string, string> {
  return Object.fromEntries(['vatType', ...FIELDS, 'taxDate'].map((k) => [k, field(form, k)]).filter(([, v]) => v !== ''));
}

export async function postInvoiceTaxData(c: Context<ConsoleEnv>, api: ApiCall, number: string): Promise<void> {
  const form = await c.req.parseBody();
  const session = c.get('session');
  const out = await callApi(api, session, `/invoices/${number}/tax-data`, taxDataBody(form), field(form, '_key') || undefined, 'PATCH');
  if (out.ok) setFlash(c, { kind: 'ok', text: say(session.lang, { zh: `发票 ${number} 的税务信息已保存`, en: `VAT data of invoice ${number} saved` }) });
  else setFlash(c, { kind: 'error', text: out.error.message, code: out.error.code, field: out.error.field });
}
