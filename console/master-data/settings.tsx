import { Hono } from 'hono';
import { mayPerform } from '../../domain/authorization.js';
import { CREDIT_CHECK_POINTS } from '../../domain/credit.js';
import { callApi, readApi, type ApiCall } from '../api-call.js';
import { ExportLink } from '../export.js';
import { setFlash, takeFlash } from '../flash.js';
import { label, say } from '../i18n.js';
import { CsrfField, Layout } from '../layout.js';
import type { ConsoleEnv, ConsoleSession } from '../session.js';
import { CHOICES, choiceWord } from './choices.js';
import { refusalFlash } from './form.js';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function Choice(props: { session: ConsoleSession; name: string; value: string; disabled: boolean; form?: string }) {
  return (
    <select name={props.name} form={props.form} disabled={props.disabled}>
      {Object.entries(CHOICES[props.name] ?? {}).map(([v, w]) => <option value={v} selected={v === props.value}>{say(props.session.lang, w)}</option>)}
    </select>
  );
}

/** 编码原则 (numbering rules, for those who keep master data) and credit control (for the credit controller). */
export function settingsPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/numbering-rules', async (c) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const out = await readApi(deps.api, session, '/numbering-rules');
    const rules = (out.ok ? out.body.items : []) as Record<string, unknown>[];
    const editable = mayPerform(session.user.role, 'maintainMasterData');
    return c.html(
      <Layout title={t('编码原则', 'Numbering rules')} session={session} flash={out.ok ? takeFlash(c) : refusalFlash(out.error)}>
        <p><ExportLink view={session} apiPath="numbering-rules" query={{}} /></p>
        <table>
          <thead>
            <tr>{['documentType', 'prefix', 'datePart', 'digits', 'separator'].map((k) => <th data-key={k}>{label(session.lang, k)}</th>)}{editable ? <th /> : ''}</tr>
          </thead>
          <tbody>
            {rules.map((r) => {
              const type = String(r.documentType);
              const form = `rule-${type}`;
              return (
                <tr data-rule={type}>
                  <td>{choiceWord(session.lang, 'documentType', type) ?? type} <code>{type}</code></td>
                  <td><input form={form} name="prefix" value={String(r.prefix)} disabled={!editable} /></td>
                  <td><Choice session={session} name="datePart" value={String(r.datePart)} disabled={!editable} form={form} /></td>
                  <td><input form={form} name="digits" inputmode="numeric" class="qty" value={String(r.digits)} disabled={!editable} /></td>
                  <td><Choice session={session} name="separator" value={String(r.separator)} disabled={!editable} form={form} /></td>
                  {editable ? (
                    <td>
                      <form id={form} method="post" action={`/console/numbering-rules/${encodeURIComponent(type)}`}>
                        <CsrfField session={session} />
                        <button type="submit">{t('保存', 'Save')}</button>
                      </form>
                    </td>
                  ) : ''}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Layout>,
    );
  });

  app.post('/numbering-rules/:type', async (c) => {
    const form = await c.req.parseBody();
    const digits = text(form.digits);
    const body = { prefix: text(form.prefix), datePart: text(form.datePart), digits: /^\d{1,3}$/.test(digits) ? Number(digits) : digits, separator: typeof form.separator === 'string' ? form.separator : '' };
    const out = await callApi(deps.api, c.get('session'), `/numbering-rules/${encodeURIComponent(c.req.param('type'))}`, body, undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(c.get('session').lang, { zh: '编码原则已保存', en: 'Numbering rule saved.' }) } : refusalFlash(out.error));
    return c.redirect('/console/numbering-rules', 303);
  });

  app.get('/settings/credit', async (c) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const out = await readApi(deps.api, session, '/settings/credit');
    const s = (out.ok ? out.body : {}) as { checkPoints?: string[]; onBreach?: string; defaultLimit?: string; defaultOverrunRate?: string };
    const editable = mayPerform(session.user.role, 'manageCreditSettings');
    return c.html(
      <Layout title={t('信用控制设置', 'Credit control')} session={session} flash={out.ok ? takeFlash(c) : refusalFlash(out.error)}>
        <form method="post" action="/console/settings/credit">
          <CsrfField session={session} />
          <p>
            {label(session.lang, 'checkPoints')}:{' '}
            {CREDIT_CHECK_POINTS.map((p) => (
              <label><input type="checkbox" name={`checkPoint_${p}`} checked={s.checkPoints?.includes(p)} disabled={!editable} /> {choiceWord(session.lang, 'checkPoints', p)}</label>
            ))}
          </p>
          <p><label>{label(session.lang, 'onBreach')} <Choice session={session} name="onBreach" value={s.onBreach ?? 'block'} disabled={!editable} /></label></p>
          <p><label>{label(session.lang, 'defaultLimit')} <input name="defaultLimit" inputmode="decimal" value={s.defaultLimit ?? ''} disabled={!editable} /></label></p>
          <p><label>{label(session.lang, 'defaultOverrunRate')} <input name="defaultOverrunRate" inputmode="decimal" value={s.defaultOverrunRate ?? ''} disabled={!editable} /></label></p>
          {editable ? <button type="submit">{t('保存', 'Save')}</button> : <p class="muted">{t('仅信用管理员可修改', 'Only the credit controller may change these.')}</p>}
        </form>
      </Layout>,
    );
  });

  app.post('/settings/credit', async (c) => {
    const form = await c.req.parseBody();
    const body = {
      checkPoints: CREDIT_CHECK_POINTS.filter((p) => form[`checkPoint_${p}`] === 'on'),
      onBreach: text(form.onBreach),
      defaultLimit: text(form.defaultLimit),
      defaultOverrunRate: text(form.defaultOverrunRate),
    };
    const out = await callApi(deps.api, c.get('session'), '/settings/credit', body, undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(c.get('session').lang, { zh: '信用控制设置已保存', en: 'Credit control saved.' }) } : refusalFlash(out.error));
    return c.redirect('/console/settings/credit', 303);
  });

  app.get('/settings/expiry-warnings', async (c) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const out = await readApi(deps.api, session, '/settings/expiry-warnings');
    const days = out.ok ? String((out.body as { days: number }).days) : '';
    const editable = mayPerform(session.user.role, 'manageStockSettings');
    return c.html(
      <Layout title={t('效期预警设置', 'Expiry warning days')} session={session} flash={out.ok ? takeFlash(c) : refusalFlash(out.error)}>
        <form method="post" action="/console/settings/expiry-warnings">
          <CsrfField session={session} />
          <p><label>{label(session.lang, 'expiryWarningDays')} <input name="days" inputmode="numeric" class="qty" value={days} disabled={!editable} /></label></p>
          <p class="muted">{t('库存批次在到期前这么多天内列入效期预警；已过期的批次总在其中。', 'Batches expiring within this many days are listed as warnings; expired batches always are.')}</p>
          {editable ? <button type="submit">{t('保存', 'Save')}</button> : <p class="muted">{t('仅仓库人员可修改', 'Only the warehouse may change this.')}</p>}
        </form>
        <p><a href="/console/stock/expiry-warnings">{t('效期预警', 'Expiry warnings')}</a></p>
      </Layout>,
    );
  });

  app.post('/settings/expiry-warnings', async (c) => {
    const form = await c.req.parseBody();
    const days = text(form.days);
    // A whole number goes as a number; anything else as typed, for the API to refuse by its field.
    const out = await callApi(deps.api, c.get('session'), '/settings/expiry-warnings', { days: /^\d{1,4}$/.test(days) ? Number(days) : days }, undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(c.get('session').lang, { zh: '效期预警天数已保存', en: 'Expiry warning days saved.' }) } : refusalFlash(out.error));
    return c.redirect('/console/settings/expiry-warnings', 303);
  });

  return app;
}
