import { Hono } from 'hono';
import { mayPerform } from '../domain/authorization.js';
import { businessDate } from '../domain/calendar.js';
import { DomainError } from '../domain/errors.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';
import { checkAccept, checkCopyToOrder, checkNewVersion, type QuotationHeader } from '../domain/quotation.js';
import type { Sql } from '../db/client.js';
import { listQuotations } from '../db/finance-lists.js';
import { quotationDocument, type QuotationDocument } from '../db/quotations.js';
import type { ApiCall } from './api-call.js';
import { ApiForm, field, queryOf, sendAndFlash } from './finance-forms.js';
import { takeFlash } from './flash.js';
import { money } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { Layout, RowsTable } from './layout.js';
import type { FormFields } from './order-actions.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

export interface QuotationPageDeps {
  sql: Sql;
  api: ApiCall;
  timeZone: string;
}

const ROWS = 5;
const PAGE = 50;
const STATUSES = ['open', 'accepted', 'ordered'] as const;
const t = (lang: Lang, zh: string, en: string) => say(lang, { zh, en });

const allows = (check: () => unknown) => {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
};

/** The form's filled rows as the API's quotation lines (the API names a refused one by its place among these). */
function versionBody(f: FormFields) {
  const lines = Array.from({ length: ROWS }, (_, i) => i)
    .filter((i) => field(f, `productCode_${i}`) !== '' || field(f, `quantity_${i}`) !== '')
    .map((i) => {
      const opt = (k: string, as: string) => (field(f, `${k}_${i}`) ? { [as]: field(f, `${k}_${i}`) } : {});
      return { productCode: field(f, `productCode_${i}`), warehouseCode: field(f, `warehouseCode_${i}`), quantity: field(f, `quantity_${i}`), ...opt('giftQty', 'giftQty'), ...opt('unitPrice', 'unitPrice') };
    });
  return { ...(field(f, 'validUntil') ? { validUntil: field(f, 'validUntil') } : {}), lines };
}

type LineValues = { productCode: string; warehouseCode: string; quantity: string; giftQty?: string; unitPrice?: string };

/** Line rows to fill: a new quotation's empty ones, or a revision's, starting from the current version. */
function LineInputs(props: { lang: Lang; warehouses: { code: string; name: string }[]; lines: LineValues[] }) {
  const { lang } = props;
  return (
    <table>
      <thead><tr>{['lineNo', 'productCode', 'warehouseCode', 'quantity', 'giftQty', 'unitPrice'].map((k) => <th>{label(lang, k)}</th>)}</tr></thead>
      <tbody>
        {Array.from({ length: ROWS }, (_, i) => {
          const l = props.lines[i];
          return (
            <tr>
              <td>{i + 1}</td>
              <td><input name={`productCode_${i}`} list="products" value={l?.productCode ?? ''} aria-label={`${label(lang, 'productCode')} ${i + 1}`} /></td>
              <td>
                <select name={`warehouseCode_${i}`}>
                  {props.warehouses.map((w) => <option value={w.code} selected={w.code === l?.warehouseCode}>{w.code} {w.name}</option>)}
                </select>
              </td>
              <td><input class="qty" name={`quantity_${i}`} inputmode="decimal" value={l?.quantity ?? ''} aria-label={`${label(lang, 'quantity')} ${i + 1}`} /></td>
              <td><input class="qty" name={`giftQty_${i}`} inputmode="decimal" value={l?.giftQty && l.giftQty !== '0' ? l.giftQty : ''} /></td>
              <td><input name={`unitPrice_${i}`} inputmode="decimal" value={l?.unitPrice ?? ''} placeholder={t(lang, '空白：按价格策略', 'blank: from the prices')} aria-label={`${label(lang, 'unitPrice')} ${i + 1}`} /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

async function lists(sql: Sql) {
  const [customers, products, warehouses] = await Promise.all([
    sql<{ code: string; name: string }[]>`SELECT code, name FROM customers WHERE active ORDER BY code LIMIT 1000`,
    sql<{ code: string; name: string }[]>`SELECT code, name FROM products WHERE active ORDER BY code LIMIT 1000`,
    sql<{ code: string; name: string }[]>`SELECT code, name FROM warehouses WHERE active ORDER BY code`,
  ]);
  return { customers, products, warehouses };
}

function Datalists(props: { l: Awaited<ReturnType<typeof lists>> }) {
  return (
    <>
      <datalist id="customers">{props.l.customers.map((c) => <option value={c.code}>{c.name}</option>)}</datalist>
      <datalist id="products">{props.l.products.map((p) => <option value={p.code}>{p.name}</option>)}</datalist>
    </>
  );
}

const headerOf = (q: QuotationDocument): QuotationHeader => ({
  number: q.number,
  status: q.status,
  currentVersion: q.currentVersion,
  validUntil: q.versions.find((v) => v.version === q.currentVersion)?.validUntil ?? null,
  orderNumber: q.orderNumber,
});

function VersionView(props: { q: QuotationDocument; v: QuotationDocument['versions'][number]; names: Map<string, string>; session: ConsoleSession }) {
  const { q, v, session } = props;
  const rows = v.lines.map((l) => ({ ...l, productName: props.names.get(l.productCode) }));
  const lang = session.lang;
  const state = v.version === q.currentVersion ? t(lang, '当前版本', 'current') : t(lang, '已被取代', 'superseded');
  return (
    <section data-version={v.version} id={`v${v.version}`}>
      <h3>
        {label(lang, 'version')} {v.version} · {state}
        {q.acceptedVersion === v.version ? ` · ${label(lang, 'accepted')}` : ''} · {label(lang, 'validUntil')} {v.validUntil ?? '—'} · {v.createdBy}
      </h3>
      <RowsTable view={session} columns={['lineNo', 'productCode', 'warehouseCode', 'quantity', 'giftQty', 'unitPrice', 'net', 'tax']} rows={rows} />
      <p class="totals">{label(lang, 'net')} {money(v.totals.net)} · {label(lang, 'tax')} {money(v.totals.tax)} · {label(lang, 'gross')} <strong>{money(v.totals.gross)}</strong></p>
    </section>
  );
}

/** 报价单: the list, a new quotation, each quotation with every version, revisions, acceptance and the order made from it. */
export function quotationPages(deps: QuotationPageDeps) {
  const app = new Hono<ConsoleEnv>();

  app.get('/quotations', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const q = queryOf(c);
    const status = (STATUSES as readonly string[]).includes(q.status ?? '') ? q.status : undefined;
    const page = Math.max(0, Number.parseInt(q.page ?? '0', 10) || 0);
    const [list, l] = await Promise.all([
      listQuotations(deps.sql, { customerCode: q.customerCode || undefined, status, limit: PAGE, offset: page * PAGE }),
      lists(deps.sql),
    ]);
    const mayWrite = mayPerform(session.user.role, 'createOrder');
    return c.html(
      <Layout title={t(lang, '报价单', 'Quotations')} session={session} flash={takeFlash(c)}>
        <form method="get">
          <label>{label(lang, 'customerCode')} <input name="customerCode" value={q.customerCode ?? ''} /></label>
          <select name="status" aria-label={label(lang, 'status')}>
            <option value="">{t(lang, '全部状态', 'any status')}</option>
            {STATUSES.map((s) => <option value={s} selected={s === status}>{label(lang, s)}</option>)}
          </select>
          <button type="submit">{t(lang, '筛选', 'Filter')}</button>
        </form>
        <p class="muted">{t(lang, `共 ${list.total} 张报价单`, `${list.total} quotations`)}</p>
        <RowsTable
          view={session}
          columns={['quotationNumber', 'customerCode', 'status', 'currentVersion', 'gross', 'validUntil', 'orderNumber', 'createdBy', 'createdAt']}
          rows={list.items as unknown as Record<string, unknown>[]}
          link={(r, col) =>
            col === 'quotationNumber' ? `/console/quotations/${r.quotationNumber}` : col === 'orderNumber' && r.orderNumber ? `/console/orders/${r.orderNumber}` : undefined
          }
        />
        {list.total > (page + 1) * PAGE ? <a href={`?${new URLSearchParams({ ...(q as Record<string, string>), page: String(page + 1) })}`}>{t(lang, '下一页', 'Next page')}</a> : ''}
        {mayWrite ? (
          <>
            <h2>{t(lang, '新建报价单', 'New quotation')}</h2>
            <ApiForm action="/console/quotations/new" name="create-quotation" session={session} button={t(lang, '建立报价单', 'Create quotation')}>
              <Datalists l={l} />
              <label>{label(lang, 'customerCode')} <input name="customerCode" list="customers" required /></label>
              <label>{label(lang, 'validUntil')} <input name="validUntil" type="date" /></label>
              <LineInputs lang={lang} warehouses={l.warehouses} lines={[]} />
            </ApiForm>
          </>
        ) : ''}
      </Layout>,
    );
  });

  app.post('/quotations/new', async (c) => {
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    const made = await sendAndFlash(c, deps.api, '/quotations', { customerCode: field(form, 'customerCode'), ...versionBody(form) }, form, (r) =>
      t(lang, `报价单 ${r.number} 已建立（版本 1）`, `Quotation ${r.number} created (version 1)`),
    );
    return c.redirect(made ? `/console/quotations/${made.number}` : '/console/quotations', 303);
  });

  app.get('/quotations/:number', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const number = c.req.param('number');
    const q = DOCUMENT_NUMBER.test(number) ? await quotationDocument(deps.sql, number) : undefined;
    if (!q) return c.html(<Layout title={t(lang, '找不到', 'Not found')} session={session}><p>{t(lang, `没有报价单 ${number}`, `No quotation ${number}.`)}</p></Layout>, 404);
    const codes = [...new Set(q.versions.flatMap((v) => v.lines.map((l) => l.productCode)))];
    const [[customer], products] = await Promise.all([
      deps.sql<{ name: string }[]>`SELECT name FROM customers WHERE code = ${q.customerCode}`,
      deps.sql<{ code: string; name: string }[]>`SELECT code, name FROM products WHERE code = ANY(${codes})`,
    ]);
    const names = new Map(products.map((p) => [p.code, p.name]));
    const header = headerOf(q);
    const mayWrite = mayPerform(session.user.role, 'createOrder');
    const current = q.versions.find((v) => v.version === q.currentVersion)!;
    const l = mayWrite ? await lists(deps.sql) : undefined;
    const base = `/console/quotations/${q.number}`;
    return c.html(
      <Layout title={`${t(lang, '报价单', 'Quotation')} ${q.number}`} session={session} flash={takeFlash(c)}>
        <p>
          {q.customerCode} {customer?.name ?? ''} · <strong data-status={q.status}>{label(lang, q.status)}</strong> · {label(lang, 'currentVersion')} {q.currentVersion} ·{' '}
          {q.createdBy}
          {q.orderNumber ? <> · {label(lang, 'orderNumber')} <a href={`/console/orders/${q.orderNumber}`}>{q.orderNumber}</a></> : ''}
        </p>
        <p><a href={`/console/documents/quotation/${q.number}`}>{t(lang, '打印报价单', 'Printable quotation')}</a></p>
        {mayWrite ? (
          <div class="actions">
            {allows(() => checkAccept(header, q.currentVersion)) ? (
              <ApiForm action={`${base}/accept`} name="accept" session={session} button={t(lang, `客户确认版本 ${q.currentVersion}`, `Customer accepted version ${q.currentVersion}`)}>
                <input type="hidden" name="version" value={String(q.currentVersion)} />
              </ApiForm>
            ) : ''}
            {allows(() => checkCopyToOrder(header, businessDate(new Date(), deps.timeZone))) ? (
              <ApiForm action={`${base}/order`} name="copy-to-order" session={session} button={t(lang, '转为销售订单', 'Copy to a sales order')} />
            ) : ''}
          </div>
        ) : ''}
        {[...q.versions].reverse().map((v) => <VersionView q={q} v={v} names={names} session={session} />)}
        {mayWrite && l && allows(() => checkNewVersion(header)) ? (
          <>
            <h2>{t(lang, `修订为版本 ${q.currentVersion + 1}`, `Revise as version ${q.currentVersion + 1}`)}</h2>
            <ApiForm action={`${base}/versions`} name="revise" session={session} button={t(lang, '保存新版本', 'Save new version')}>
              <Datalists l={l} />
              <label>{label(lang, 'validUntil')} <input name="validUntil" type="date" value={current.validUntil ?? ''} /></label>
              <LineInputs lang={lang} warehouses={l.warehouses} lines={current.lines} />
            </ApiForm>
          </>
        ) : ''}
      </Layout>,
    );
  });

  app.post('/quotations/:number/:action', async (c) => {
    const { number, action } = c.req.param();
    if (!DOCUMENT_NUMBER.test(number) || !['versions', 'accept', 'order'].includes(action)) return c.text('No such console command.', 404);
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    const path = `/quotations/${number}/${action}`;
    if (action === 'versions') {
      await sendAndFlash(c, deps.api, path, versionBody(form), form, (r) => t(lang, `已保存版本 ${r.currentVersion}`, `Version ${r.currentVersion} saved`));
    } else if (action === 'accept') {
      const version = Number.parseInt(field(form, 'version'), 10);
      await sendAndFlash(c, deps.api, path, Number.isInteger(version) ? { version } : {}, form, (r) =>
        t(lang, `客户已确认版本 ${r.acceptedVersion}`, `The customer accepted version ${r.acceptedVersion}`),
      );
    } else {
      const made = await sendAndFlash(c, deps.api, path, {}, form, (r) => t(lang, `已转为销售订单 ${r.orderNumber}`, `Sales order ${r.orderNumber} created from it`));
      if (made) return c.redirect(`/console/orders/${made.orderNumber}`, 303);
    }
    return c.redirect(`/console/quotations/${number}`, 303);
  });

  return app;
}
