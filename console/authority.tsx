import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { ROLES } from '../domain/authorization.js';
import { callApi, readApi, type ApiCall, type WriteMethod } from './api-call.js';
import { setFlash, takeFlash } from './flash.js';
import { label, say } from './i18n.js';
import { CsrfField, Layout } from './layout.js';
import { refusalFlash } from './master-data/form.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

interface UserAuthority {
  name: string;
  role: string;
  approver: { senior: boolean; maxAmount: string | null } | null;
  creditController: boolean;
  financeApprover: { maxAmount: string | null } | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** A blank limit is no limit. */
const limitOf = (v: unknown) => text(v) || null;

type Form = Record<string, unknown>;
const CHANGES: Record<string, { path: (name: string) => string; method: WriteMethod; body: (form: Form, name: string) => unknown }> = {
  role: { path: (n) => `/authority/users/${n}/role`, method: 'PUT', body: (f) => ({ role: text(f.role) }) },
  approver: { path: (n) => `/authority/approvers/${n}`, method: 'PUT', body: (f) => ({ senior: f.senior === 'on', maxAmount: limitOf(f.maxAmount) }) },
  'approver/remove': { path: (n) => `/authority/approvers/${n}`, method: 'DELETE', body: () => undefined },
  'credit-controller': { path: () => '/authority/credit-controllers', method: 'POST', body: (_f, name) => ({ user: name }) },
  'credit-controller/remove': { path: (n) => `/authority/credit-controllers/${n}`, method: 'DELETE', body: () => undefined },
  'finance-approver': { path: (n) => `/authority/finance-approvers/${n}`, method: 'PUT', body: (f) => ({ maxAmount: limitOf(f.maxAmount) }) },
  'finance-approver/remove': { path: (n) => `/authority/finance-approvers/${n}`, method: 'DELETE', body: () => undefined },
};

/** A form of one row's cell, posted to its own console route; `_key` makes a double submit act once. */
function CellForm(props: { session: ConsoleSession; action: string; id?: string; children?: Child; button: string }) {
  return (
    <form method="post" action={props.action} id={props.id} class="inline" style="display:inline-block;margin:0 .3rem 0 0">
      <CsrfField session={props.session} />
      <input type="hidden" name="_key" value={randomUUID()} />
      {props.children}
      <button type="submit">{props.button}</button>
    </form>
  );
}

function UserRow(props: { session: ConsoleSession; u: UserAuthority }) {
  const { session, u } = props;
  const t = (zh: string, en: string) => say(session.lang, { zh, en });
  const at = `/console/authority/${encodeURIComponent(u.name)}`;
  return (
    <tr data-user={u.name}>
      <td>{u.name}</td>
      <td>
        <CellForm session={session} action={`${at}/role`} button={t('保存', 'Save')}>
          <select name="role" aria-label={label(session.lang, 'userRole')}>
            {ROLES.map((r) => <option value={r} selected={r === u.role}>{label(session.lang, `role.${r}`)}</option>)}
          </select>
        </CellForm>
      </td>
      <td>
        <CellForm session={session} action={`${at}/approver`} button={u.approver ? t('保存', 'Save') : t('授予', 'Grant')}>
          <label><input type="checkbox" name="senior" checked={u.approver?.senior ?? false} /> {label(session.lang, 'seniorApproval')}</label>{' '}
          <input name="maxAmount" inputmode="decimal" style="width:10rem" aria-label={label(session.lang, 'approvalMaxAmount')} value={u.approver?.maxAmount ?? ''} placeholder={u.approver ? t('不限', 'no limit') : t('上限，空为不限', 'limit (blank: none)')} />
        </CellForm>
        {u.approver ? <CellForm session={session} action={`${at}/approver/remove`} button={t('撤销', 'Remove')} /> : ''}
      </td>
      <td>
        {u.creditController
          ? <CellForm session={session} action={`${at}/credit-controller/remove`} button={t('撤销', 'Remove')}>{t('是', 'Yes')} </CellForm>
          : <CellForm session={session} action={`${at}/credit-controller`} button={t('授予', 'Grant')} />}
      </td>
      <td>
        <CellForm session={session} action={`${at}/finance-approver`} button={u.financeApprover ? t('保存', 'Save') : t('授予', 'Grant')}>
          <input name="maxAmount" inputmode="decimal" style="width:10rem" aria-label={label(session.lang, 'writeOffMaxAmount')} value={u.financeApprover?.maxAmount ?? ''} placeholder={u.financeApprover ? t('不限', 'no limit') : t('上限，空为不限', 'limit (blank: none)')} />
        </CellForm>
        {u.financeApprover ? <CellForm session={session} action={`${at}/finance-approver/remove`} button={t('撤销', 'Remove')} /> : ''}
      </td>
    </tr>
  );
}

/** 权限管理: users' roles and approval authority, changed through the API's /authority routes as the signed-in admin. */
export function authorityPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/authority', async (c) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const out = await readApi(deps.api, session, '/authority');
    const view = (out.ok ? out.body : { users: [], seniorThreshold: null }) as { users: UserAuthority[]; seniorThreshold: string | null };
    return c.html(
      <Layout title={t('权限管理', 'Authority')} session={session} flash={out.ok ? takeFlash(c) : refusalFlash(out.error)}>
        {out.ok ? (
          <>
            <p>
              {t('订单含税金额超过此金额时，除审批人外还须一位高级审批人审核。', 'Orders whose gross is above this amount need a senior approver as well as an approver.')}
            </p>
            <CellForm session={session} action="/console/authority/senior-threshold" button={t('保存', 'Save')}>
              <label>{label(session.lang, 'seniorThreshold')} <input name="amount" inputmode="decimal" value={view.seniorThreshold ?? ''} /></label>
            </CellForm>
            <p class="muted">{t('金额上限留空表示不限。每项修改都记入操作留痕，并在下一次审核时生效。', 'A blank limit means no limit. Every change is audited and counts from the next approval.')}</p>
            <table>
              <thead>
                <tr>{['userName', 'userRole', 'orderApproval', 'creditControllerFlag', 'writeOffApproval'].map((k) => <th data-key={k}>{label(session.lang, k)}</th>)}</tr>
              </thead>
              <tbody>{view.users.map((u) => <UserRow session={session} u={u} />)}</tbody>
            </table>
          </>
        ) : ''}
      </Layout>,
    );
  });

  app.post('/authority/senior-threshold', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const out = await callApi(deps.api, session, '/authority/senior-threshold', { amount: text(form.amount) }, text(form._key) || undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(session.lang, { zh: '高级审核起点金额已保存', en: 'Senior approval threshold saved.' }) } : refusalFlash(out.error));
    return c.redirect('/console/authority', 303);
  });
  // Each of a user's changes: the console's action, and the API route, method and body it runs.
  for (const [action, change] of Object.entries(CHANGES)) {
    app.post(`/authority/:name/${action}`, async (c) => {
      const session = c.get('session');
      const form = await c.req.parseBody();
      const name = c.req.param('name');
      const out = await callApi(deps.api, session, change.path(encodeURIComponent(name)), change.body(form, name), text(form._key) || undefined, change.method);
      setFlash(c, out.ok ? { kind: 'ok', text: say(session.lang, { zh: `已保存：${name}`, en: `Saved: ${name}` }) } : refusalFlash(out.error));
      return c.redirect('/console/authority', 303);
    });
  }
  return app;
}
