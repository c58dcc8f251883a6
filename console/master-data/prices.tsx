import { Hono, type Context } from 'hono';
import { mayPerform } from '../../domain/authorization.js';
import { callApi, readApi, type ApiCall, type ApiError } from '../api-call.js';
import { ExportLink } from '../export.js';
import { setFlash, takeFlash } from '../flash.js';
import { label, say } from '../i18n.js';
import { CsrfField, Layout } from '../layout.js';
import { money } from '../format.js';
import { Pager, pagingOf, readApiList } from '../pager.js';
import type { ConsoleEnv, ConsoleSession } from '../session.js';
import { bodyOf, ButtonForm, RecordForm, refusalFlash, type FieldSpec, type FormValues } from './form.js';

const NEW_PRICE: readonly FieldSpec[] = [
  { key: 'customerCode', type: 'text', required: true },
  { key: 'productCode', type: 'text', required: true },
  { key: 'unitPrice', type: 'decimal', required: true },
  { key: 'effectiveFrom', type: 'date', required: true },
  { key: 'effectiveTo', type: 'date' },
];
const FILTERS = ['customerCode', 'productCode'] as const;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

type Ctx = Context<ConsoleEnv>;

/** 客户商品价格 (agreed prices, each row editable in place) and the grade discounts and quantity tiers. */
export function pricePages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  const may = (s: ConsoleSession) => mayPerform(s.user.role, 'maintainMasterData');

  const listPage = async (c: Ctx, created?: { values: FormValues; error: ApiError }) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const raw = c.req.query();
    const query: Record<string, string | undefined> = Object.fromEntries(FILTERS.map((k) => [k, raw[k]?.trim() || undefined]));
    if (raw.size) query.size = raw.size;
    const read = await readApiList(deps.api, session, '/prices/customer-prices', query, pagingOf(raw));
    const list = read.ok ? read.page : { total: 0, items: [] };
    const paging = read.ok ? read.paging : pagingOf(raw);
    const flash = created ? refusalFlash(created.error) : read.ok ? takeFlash(c) : refusalFlash(read.error);
    const editable = may(session);
    return c.html(
      <Layout title={t('客户价格', 'Customer prices')} session={session} flash={flash}>
        <p><a href="/console/prices/strategies">{t('等级折扣与数量阶梯', 'Grade discounts and quantity tiers')}</a></p>
        <form method="get">
          {FILTERS.map((k) => <label>{label(session.lang, k)} <input name={k} value={query[k] ?? ''} /></label>)}
          {raw.size ? <input type="hidden" name="size" value={raw.size} /> : ''}
          <button type="submit">{t('查询', 'Search')}</button> <ExportLink view={session} apiPath="prices/customer-prices" query={query} />
        </form>
        <table data-prices>
          <thead>
            <tr>
              {['customerCode', 'productCode', 'unitPrice', 'effectiveFrom', 'effectiveTo', 'active'].map((k) => <th data-key={k}>{label(session.lang, k)}</th>)}
              {editable ? <th /> : ''}
            </tr>
          </thead>
          <tbody>
            {list.items.map((p) => {
              const id = String(p.id);
              const form = `price-${id}`;
              return (
                <tr data-price={id}>
                  <td>{String(p.customerCode)}</td>
                  <td>{String(p.productCode)}</td>
                  <td class="num">{editable ? <input form={form} name="unitPrice" inputmode="decimal" value={String(p.unitPrice)} class="qty" /> : money(String(p.unitPrice))}</td>
                  <td>{String(p.effectiveFrom)}</td>
                  <td>{editable ? <input form={form} name="effectiveTo" type="date" value={String(p.effectiveTo ?? '')} /> : String(p.effectiveTo ?? '')}</td>
                  <td>{label(session.lang, p.active ? 'yes' : 'no')}</td>
                  {editable ? (
                    <td>
                      <form id={form} method="post" action={`/console/prices/${id}`} style="display:inline-block;margin-right:.5rem">
                        <CsrfField session={session} />
                        <button type="submit">{t('保存', 'Save')}</button>
                      </form>
                      <ButtonForm session={session} action={`/console/prices/${id}/active`} fields={{ active: p.active ? 'false' : 'true' }} text={p.active ? t('停用', 'Deactivate') : t('启用', 'Activate')} />
                      <ButtonForm session={session} action={`/console/prices/${id}/delete`} text={t('删除', 'Delete')} />
                    </td>
                  ) : ''}
                </tr>
              );
            })}
          </tbody>
        </table>
        <Pager view={session} total={list.total} paging={paging} query={query} />
        {editable ? (
          <>
            <h2>{t('新增客户价格', 'Agree a new price')}</h2>
            <RecordForm session={session} action="/console/prices/new" fields={NEW_PRICE} values={created?.values ?? { customerCode: query.customerCode, productCode: query.productCode }} mode="create" error={created?.error} submit={t('保存', 'Save')} />
          </>
        ) : ''}
      </Layout>,
      created ? 422 : 200,
    );
  };

  app.get('/prices', (c) => listPage(c));
  app.post('/prices/new', async (c) => {
    const form = (await c.req.parseBody()) as FormValues;
    const out = await callApi(deps.api, c.get('session'), '/prices/customer-prices', bodyOf(NEW_PRICE, form, 'create'), text(form._key) || undefined);
    if (!out.ok) return listPage(c, { values: form, error: out.error });
    setFlash(c, { kind: 'ok', text: say(c.get('session').lang, { zh: `客户价格 ${String(out.body.id)} 已新增`, en: `Customer price ${String(out.body.id)} agreed.` }) });
    return c.redirect(`/console/prices?customerCode=${encodeURIComponent(String(out.body.customerCode))}`, 303);
  });

  // Each change goes back to the list the user was looking at (the Referer, when it is this console's price list).
  const back = (c: Ctx) => {
    const ref = c.req.header('referer');
    const url = ref ? new URL(ref, c.req.url) : undefined;
    return url && url.origin === new URL(c.req.url).origin && url.pathname === '/console/prices' ? `${url.pathname}${url.search}` : '/console/prices';
  };
  const change = async (c: Ctx, body: Record<string, unknown> | undefined, method: 'PATCH' | 'DELETE', done: { zh: string; en: string }) => {
    const id = c.req.param('id') ?? '';
    const out = await callApi(deps.api, c.get('session'), `/prices/customer-prices/${encodeURIComponent(id)}`, body, undefined, method);
    setFlash(c, out.ok ? { kind: 'ok', text: say(c.get('session').lang, done) } : refusalFlash(out.error));
    return c.redirect(back(c), 303);
  };
  app.post('/prices/:id{[0-9]+}/active', async (c) => {
    const active = (await c.req.parseBody()).active === 'true';
    return change(c, { active }, 'PATCH', active ? { zh: '价格已启用', en: 'The price is in use again.' } : { zh: '价格已停用', en: 'The price is no longer used.' });
  });
  app.post('/prices/:id{[0-9]+}/delete', (c) => change(c, undefined, 'DELETE', { zh: '价格已删除（或因已被订单使用而停用）', en: 'The price is deleted (or deactivated where order lines used it).' }));
  app.post('/prices/:id{[0-9]+}', async (c) => {
    const form = (await c.req.parseBody()) as FormValues;
    const to = text(form.effectiveTo);
    return change(c, { unitPrice: text(form.unitPrice), effectiveTo: to === '' ? null : to }, 'PATCH', { zh: '价格已保存', en: 'The price is saved.' });
  });

  app.get('/prices/strategies', async (c) => {
    const session = c.get('session');
    const t = (zh: string, en: string) => say(session.lang, { zh, en });
    const [grades, tiers] = await Promise.all([readApi(deps.api, session, '/prices/grade-discounts'), readApi(deps.api, session, '/prices/quantity-tiers')]);
    const discounts = (grades.ok ? grades.body.discounts : []) as { grade: string; rate: string }[];
    const scale = (tiers.ok ? tiers.body.tiers : []) as { above: string; upTo: string | null; rate: string }[];
    const rows = [...scale, ...Array.from({ length: 3 }, () => ({ above: '', upTo: '', rate: '' }))];
    const editable = may(session);
    return c.html(
      <Layout title={t('等级折扣与数量阶梯', 'Grade discounts and quantity tiers')} session={session} flash={takeFlash(c)}>
        <h2>{t('客户等级折扣', 'Grade discounts')}</h2>
        <p class="muted">{t('售价 = 标准售价 × 折扣率', 'Price = list price × rate')}</p>
        <form method="post" action="/console/prices/grade-discounts">
          <CsrfField session={session} />
          {['regular', 'vip'].map((g) => (
            <label>{g === 'vip' ? 'VIP' : t('普通', 'Regular')} <input name={`rate_${g}`} inputmode="decimal" value={discounts.find((d) => d.grade === g)?.rate ?? ''} disabled={!editable} /></label>
          ))}
          {editable ? <button type="submit">{t('保存', 'Save')}</button> : ''}
        </form>
        <h2>{t('数量阶梯', 'Quantity tiers')}</h2>
        <form method="post" action="/console/prices/quantity-tiers">
          <CsrfField session={session} />
          <table>
            <thead><tr><th>{label(session.lang, 'above')}</th><th>{label(session.lang, 'upTo')}</th><th>{label(session.lang, 'rate')}</th></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr>
                  <td><input name={`above_${i}`} inputmode="decimal" value={r.above} disabled={!editable} /></td>
                  <td><input name={`upTo_${i}`} inputmode="decimal" value={r.upTo ?? ''} disabled={!editable} /></td>
                  <td><input name={`rate_${i}`} inputmode="decimal" value={r.rate} disabled={!editable} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <input type="hidden" name="rows" value={String(rows.length)} />
          {editable ? <button type="submit">{t('保存阶梯', 'Save tiers')}</button> : ''}
        </form>
      </Layout>,
    );
  });

  const save = async (c: Ctx, path: string, body: unknown, done: { zh: string; en: string }) => {
    const out = await callApi(deps.api, c.get('session'), path, body, undefined, 'PUT');
    setFlash(c, out.ok ? { kind: 'ok', text: say(c.get('session').lang, done) } : refusalFlash(out.error));
    return c.redirect('/console/prices/strategies', 303);
  };
  app.post('/prices/grade-discounts', async (c) => {
    const form = await c.req.parseBody();
    const discounts = ['regular', 'vip'].filter((g) => text(form[`rate_${g}`]) !== '').map((grade) => ({ grade, rate: text(form[`rate_${grade}`]) }));
    return save(c, '/prices/grade-discounts', { discounts }, { zh: '等级折扣已保存', en: 'Grade discounts saved.' });
  });
  app.post('/prices/quantity-tiers', async (c) => {
    const form = await c.req.parseBody();
    const count = Math.min(60, Number(text(form.rows)) || 0);
    const tiers = Array.from({ length: count }, (_, i) => i)
      .filter((i) => text(form[`above_${i}`]) !== '' || text(form[`rate_${i}`]) !== '')
      .map((i) => ({ above: text(form[`above_${i}`]), upTo: text(form[`upTo_${i}`]) || null, rate: text(form[`rate_${i}`]) }));
    return save(c, '/prices/quantity-tiers', { tiers }, { zh: '数量阶梯已保存', en: 'Quantity tiers saved.' });
  });

  return app;
}
