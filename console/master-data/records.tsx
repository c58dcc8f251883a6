import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { mayPerform } from '../../domain/authorization.js';
import { CONTROLLED_FIELDS, controlledFieldsLocked, type ControlledRecord } from '../../domain/master-data-controls.js';
import { callApi, readApi, type ApiCall, type ApiError } from '../api-call.js';
import { ExportLink } from '../export.js';
import { setFlash, takeFlash, type Flash } from '../flash.js';
import { label, say, type Words } from '../i18n.js';
import { Layout, RowsTable } from '../layout.js';
import { Pager, pagingOf, readApiList } from '../pager.js';
import type { ConsoleEnv, ConsoleSession } from '../session.js';
import { CHOICES, worded } from './choices.js';
import { bodyOf, ButtonForm, RecordForm, refusalFlash, valuesOf, type FieldSpec, type FormValues } from './form.js';

export interface ListFilter {
  key: string;
  type: 'text' | 'choice' | 'flag';
}

/** A kind of master record with a code (customer, product, warehouse): its list, its page, its forms. */
export interface RecordSpec {
  /** The API's path and the console's, e.g. customers. */
  path: string;
  title: Words;
  one: Words;
  listColumns: readonly string[];
  filters: readonly ListFilter[];
  sorts: readonly { value: string; words: Words }[];
  fields: readonly FieldSpec[];
  /** The record's controls (credit limit, price floor): locked for a clerk, a form of their own for their owner. */
  controls?: { record: ControlledRecord; title: Words };
  /** What else the record's page shows (addresses, stock, prices). */
  more?: (record: Record<string, unknown>, session: ConsoleSession, api: ApiCall) => Promise<Child>;
}

type Ctx = Context<ConsoleEnv>;
const formOf = async (c: Ctx) => (await c.req.parseBody()) as FormValues;
const flagWords = { true: { zh: '启用', en: 'Active' }, false: { zh: '停用', en: 'Inactive' } } as const;

/** The list, record, create, edit, (de)activate and delete routes of one kind of record, all through its API routes. */
export function recordPages(spec: RecordSpec, deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  const base = `/console/${spec.path}`;
  const may = (s: ConsoleSession) => mayPerform(s.user.role, 'maintainMasterData');
  const t = (s: ConsoleSession, zh: string, en: string) => say(s.lang, { zh, en });
  const lockedFor = (s: ConsoleSession): ReadonlySet<string> =>
    spec.controls ? controlledFieldsLocked((command) => mayPerform(s.user.role, command), spec.controls.record) : new Set();
  const controlFields = spec.controls ? spec.fields.filter((f) => f.key in CONTROLLED_FIELDS[spec.controls!.record]) : [];
  /** Who sets the controls without keeping the record (the credit controller, the sales manager) gets a form of only them. */
  const controlsOnly = (s: ConsoleSession) => !may(s) && controlFields.length > 0 && lockedFor(s).size < controlFields.length;

  app.get(`/${spec.path}`, async (c) => {
    const session = c.get('session');
    const raw = c.req.query();
    const query: Record<string, string | undefined> = Object.fromEntries(
      [...spec.filters.map((f) => f.key), 'sort'].map((k) => [k, raw[k]?.trim() || undefined]),
    );
    if (raw.size) query.size = raw.size;
    const read = await readApiList(deps.api, session, `/${spec.path}`, query, pagingOf(raw));
    const list = read.ok ? read.page : { total: 0, items: [] };
    const paging = read.ok ? read.paging : pagingOf(raw);
    return c.html(
      <Layout title={say(session.lang, spec.title)} session={session} flash={read.ok ? takeFlash(c) : refusalFlash(read.error)}>
        <form method="get" data-filters={spec.path}>
          {spec.filters.map((f) => (
            <label>
              {label(session.lang, f.key)}{' '}
              {f.type === 'text' ? (
                <input name={f.key} value={query[f.key] ?? ''} />
              ) : (
                <select name={f.key}>
                  <option value="">{t(session, '全部', 'Any')}</option>
                  {Object.entries(f.type === 'flag' ? flagWords : (CHOICES[f.key] ?? {})).map(([v, w]) => (
                    <option value={v} selected={v === query[f.key]}>{say(session.lang, w)}</option>
                  ))}
                </select>
              )}
            </label>
          ))}
          {spec.sorts.length ? (
            <label>
              {t(session, '排序', 'Sort')}{' '}
              <select name="sort">
                {spec.sorts.map((s) => <option value={s.value} selected={s.value === (query.sort ?? '')}>{say(session.lang, s.words)}</option>)}
              </select>
            </label>
          ) : ''}
          {raw.size ? <input type="hidden" name="size" value={raw.size} /> : ''}
          <button type="submit">{t(session, '查询', 'Search')}</button> <ExportLink view={session} apiPath={spec.path} query={query} />
          {may(session) ? <> · <a href={`${base}/new`} data-new>{t(session, `新建${spec.one.zh}`, `New ${spec.one.en.toLowerCase()}`)}</a></> : ''}
        </form>
        <RowsTable
          view={session}
          columns={spec.listColumns}
          rows={worded(session.lang, list.items)}
          link={(r, col) => (col === 'code' ? `${base}/${encodeURIComponent(String(r.code))}` : undefined)}
        />
        <Pager view={session} total={list.total} paging={paging} query={query} />
      </Layout>,
    );
  });

  const newPage = (c: Ctx, values: FormValues, error?: ApiError) => {
    const session = c.get('session');
    return c.html(
      <Layout title={t(session, `新建${spec.one.zh}`, `New ${spec.one.en.toLowerCase()}`)} session={session} flash={error ? refusalFlash(error) : undefined}>
        <RecordForm session={session} action={`${base}/new`} fields={spec.fields} values={values} mode="create" error={error} submit={t(session, '保存', 'Save')} locked={lockedFor(session)} />
      </Layout>,
      error ? 422 : 200,
    );
  };
  app.get(`/${spec.path}/new`, (c) => newPage(c, {}));
  app.post(`/${spec.path}/new`, async (c) => {
    const form = await formOf(c);
    const out = await callApi(deps.api, c.get('session'), `/${spec.path}`, bodyOf(spec.fields, form, 'create', lockedFor(c.get('session'))), typeof form._key === 'string' ? form._key : undefined);
    if (!out.ok) return newPage(c, form, out.error);
    const code = String(out.body.code);
    setFlash(c, { kind: 'ok', text: say(c.get('session').lang, { zh: `已新建${spec.one.zh} ${code}`, en: `${spec.one.en} ${code} created.` }) });
    return c.redirect(`${base}/${encodeURIComponent(code)}`, 303);
  });

  const recordPage = async (c: Ctx, code: string, edit?: { values: FormValues; error: ApiError; form?: 'controls' }) => {
    const session = c.get('session');
    const out = await readApi(deps.api, session, `/${spec.path}/${encodeURIComponent(code)}`);
    if (!out.ok) {
      return c.html(<Layout title={code} session={session} flash={refusalFlash(out.error)}><p><a href={base}>{say(session.lang, spec.title)}</a></p></Layout>, out.status === 404 ? 404 : 400);
    }
    const record = out.body;
    const flash: Flash | undefined = edit ? refusalFlash(edit.error) : takeFlash(c);
    const active = record.active === true;
    return c.html(
      <Layout title={`${say(session.lang, spec.one)} ${code} ${String(record.name ?? '')}`} session={session} flash={flash}>
        <p><a href={base}>← {say(session.lang, spec.title)}</a></p>
        <RowsTable view={session} columns={[...new Set(['code', 'name', ...spec.fields.map((f) => f.key), 'active'])]} rows={worded(session.lang, [record])} />
        {spec.more ? await spec.more(record, session, deps.api) : ''}
        {may(session) ? (
          <>
            <h2>{t(session, '修改', 'Edit')}</h2>
            <RecordForm
              session={session}
              action={`${base}/${encodeURIComponent(code)}`}
              fields={spec.fields}
              values={edit?.values ?? valuesOf(record)}
              mode="edit"
              error={edit?.error}
              submit={t(session, '保存修改', 'Save changes')}
              locked={lockedFor(session)}
            />
            <p>
              <ButtonForm
                session={session}
                action={`${base}/${encodeURIComponent(code)}/active`}
                fields={{ active: active ? 'false' : 'true' }}
                text={active ? t(session, '停用', 'Deactivate') : t(session, '启用', 'Activate')}
              />
              <ButtonForm
                session={session}
                action={`${base}/${encodeURIComponent(code)}/delete`}
                text={t(session, '删除', 'Delete')}
                confirm={t(session, `删除 ${code}？`, `Delete ${code}?`)}
              />
            </p>
          </>
        ) : ''}
        {controlsOnly(session) && spec.controls ? (
          <>
            <h2>{say(session.lang, spec.controls.title)}</h2>
            <RecordForm
              session={session}
              action={`${base}/${encodeURIComponent(code)}/controls`}
              fields={controlFields}
              values={edit?.form === 'controls' ? edit.values : valuesOf(record)}
              mode="edit"
              error={edit?.form === 'controls' ? edit.error : undefined}
              submit={t(session, '保存控制设置', 'Save controls')}
              locked={lockedFor(session)}
            />
          </>
        ) : ''}
      </Layout>,
      edit ? 422 : 200,
    );
  };
  app.get(`/${spec.path}/:code`, (c) => recordPage(c, c.req.param('code')));

  app.post(`/${spec.path}/:code/controls`, async (c) => {
    const code = c.req.param('code');
    const form = await formOf(c);
    const session = c.get('session');
    const out = await callApi(deps.api, session, `/${spec.path}/${encodeURIComponent(code)}/controls`, bodyOf(controlFields, form, 'edit', lockedFor(session)), undefined, 'PATCH');
    if (!out.ok) return recordPage(c, code, { values: form, error: out.error, form: 'controls' });
    setFlash(c, { kind: 'ok', text: say(session.lang, { zh: `${code} 的控制设置已保存`, en: `${code}: controls saved.` }) });
    return c.redirect(`${base}/${encodeURIComponent(code)}`, 303);
  });

  app.post(`/${spec.path}/:code`, async (c) => {
    const code = c.req.param('code');
    const form = await formOf(c);
    const out = await callApi(deps.api, c.get('session'), `/${spec.path}/${encodeURIComponent(code)}`, bodyOf(spec.fields, form, 'edit', lockedFor(c.get('session'))), undefined, 'PATCH');
    if (!out.ok) return recordPage(c, code, { values: form, error: out.error });
    setFlash(c, { kind: 'ok', text: say(c.get('session').lang, { zh: `${code} 已保存`, en: `${code} saved.` }) });
    return c.redirect(`${base}/${encodeURIComponent(code)}`, 303);
  });

  app.post(`/${spec.path}/:code/active`, async (c) => {
    const code = c.req.param('code');
    const form = await formOf(c);
    const active = form.active === 'true';
    const out = await callApi(deps.api, c.get('session'), `/${spec.path}/${encodeURIComponent(code)}`, { active }, undefined, 'PATCH');
    const lang = c.get('session').lang;
    setFlash(c, out.ok ? { kind: 'ok', text: say(lang, active ? { zh: `${code} 已启用`, en: `${code} is active.` } : { zh: `${code} 已停用`, en: `${code} is inactive.` }) } : refusalFlash(out.error));
    return c.redirect(`${base}/${encodeURIComponent(code)}`, 303);
  });

  app.post(`/${spec.path}/:code/delete`, async (c) => {
    const code = c.req.param('code');
    const out = await callApi(deps.api, c.get('session'), `/${spec.path}/${encodeURIComponent(code)}`, undefined, undefined, 'DELETE');
    if (!out.ok) {
      setFlash(c, refusalFlash(out.error));
      return c.redirect(`${base}/${encodeURIComponent(code)}`, 303);
    }
    setFlash(c, { kind: 'ok', text: say(c.get('session').lang, { zh: `${code} 已删除`, en: `${code} deleted.` }) });
    return c.redirect(base, 303);
  });

  return app;
}
