import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import type { Sql } from '../db/client.js';
import { orderChanges } from '../db/order-changes.js';
import { orderDocuments, type OrderDocuments } from '../db/orders.js';
import { dec } from '../domain/decimal.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';
import type { ChangeDiffLine, LineTerms } from '../domain/order/changes.js';
import { callApi, type ApiCall, type ApiError } from './api-call.js';
import { setFlash, takeFlash } from './flash.js';
import { money, qty } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { CsrfField, Layout } from './layout.js';
import { text, type FormFields } from './order-actions.js';
import { OrderCommands } from './order-forms.js';
import { namesOf, orderPageData } from './order-page.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

/** 订单变更单 in the console: the change form (each line's current terms beside the new ones) and the change's own page. */

export interface OrderChangeDeps {
  sql: Sql;
  temporal: Client;
  api: ApiCall;
}

const ADDED_ROWS = 2;
const DECIMAL = /^\d+(\.\d+)?$/;
type Line = OrderDocuments['lines'][number];

/** A line a change may touch: any but one closed by hand (the API would refuse it; a new line replaces it). */
const editable = (o: OrderDocuments) => o.lines.filter((l) => l.closeStatus !== 'y');

/**
 * Only what differs from the line's current terms is sent; a number typed as it was is no change. `rows` names
 * the form row each request line came from, so a refusal's `lines[i]` can be shown as the row the user typed in.
 */
function changeBody(order: OrderDocuments, f: FormFields, lang: Lang) {
  const rows: string[] = [];
  const differs = (typed: string, current: string | null) =>
    typed !== '' && (DECIMAL.test(typed) && current !== null && DECIMAL.test(current) ? !dec(typed).eq(current) : typed !== current);
  const lines: Record<string, unknown>[] = [];
  for (const l of editable(order)) {
    if (text(f[`close_${l.lineNo}`]) === 'on') {
      lines.push({ action: 'cancel', lineNo: l.lineNo });
      rows.push(`${label(lang, 'lineNo')} ${l.lineNo}`);
      continue;
    }
    const asked: Record<string, string> = {};
    const quantity = text(f[`quantity_${l.lineNo}`]);
    const unitPrice = text(f[`unitPrice_${l.lineNo}`]);
    const date = text(f[`expectedDeliveryDate_${l.lineNo}`]);
    if (differs(quantity, l.quantity)) asked.quantity = quantity;
    if (differs(unitPrice, l.unitPrice)) asked.unitPrice = unitPrice;
    if (differs(date, l.expectedDeliveryDate)) asked.expectedDeliveryDate = date;
    if (Object.keys(asked).length > 0) {
      lines.push({ action: 'change', lineNo: l.lineNo, ...asked });
      rows.push(`${label(lang, 'lineNo')} ${l.lineNo}`);
    }
  }
  for (let i = 0; i < ADDED_ROWS; i++) {
    const productCode = text(f[`new_productCode_${i}`]);
    const quantity = text(f[`new_quantity_${i}`]);
    if (!productCode && !quantity) continue;
    const unitPrice = text(f[`new_unitPrice_${i}`]);
    const date = text(f[`new_expectedDeliveryDate_${i}`]);
    lines.push({
      action: 'add',
      productCode,
      warehouseCode: text(f[`new_warehouseCode_${i}`]),
      quantity,
      ...(unitPrice ? { unitPrice } : {}),
      ...(date ? { expectedDeliveryDate: date } : {}),
    });
    rows.push(say(lang, { zh: `新增第 ${i + 1} 行`, en: `new line ${i + 1}` }));
  }
  return { body: { reason: text(f.reason), lines }, rows };
}

async function formLists(sql: Sql) {
  const [products, warehouses] = await Promise.all([
    sql<{ code: string; name: string }[]>`SELECT code, name FROM products WHERE active ORDER BY code LIMIT 1000`,
    sql<{ code: string; name: string }[]>`SELECT code, name FROM warehouses WHERE active ORDER BY code`,
  ]);
  return { products, warehouses };
}

function ChangeForm(props: {
  session: ConsoleSession;
  order: OrderDocuments;
  names: Map<string, string>;
  lists: Awaited<ReturnType<typeof formLists>>;
  values?: FormFields;
  error?: ApiError | undefined;
}) {
  const { session, order, lists } = props;
  const lang = session.lang;
  const w = (zh: string, en: string) => say(lang, { zh, en });
  const typed = (key: string, current: string) => (props.values && key in props.values ? text(props.values[key]) : current);
  const flash = props.error ? { kind: 'error' as const, text: props.error.message, code: props.error.code, field: props.error.field } : undefined;
  const cell = (l: Line, key: 'quantity' | 'unitPrice' | 'expectedDeliveryDate', shown: string) => (
    <td>
      <span class="muted" data-current={key}>{shown}</span> →{' '}
      <input name={`${key}_${l.lineNo}`} type={key === 'expectedDeliveryDate' ? 'date' : 'text'} class={key === 'expectedDeliveryDate' ? '' : 'qty'}
        value={typed(`${key}_${l.lineNo}`, key === 'quantity' ? qty(l.quantity).replaceAll(',', '') : (l[key] ?? ''))}
        aria-label={`${label(lang, key)} ${l.lineNo}`} />
    </td>
  );
  return (
    <Layout title={w(`订单变更单 · ${order.number}`, `Change order ${order.number}`)} session={session} flash={flash}>
      <p>{order.customerCode} {order.customerName} · <strong>{label(lang, order.status)}</strong> · {label(lang, 'gross')} {money(order.totals.gross)} {order.currency}</p>
      <p class="muted">{w('每行左边是现值，右边填新值；不改的保持原样。', 'Each line shows its current terms and, beside them, the new ones; leave what does not change.')}</p>
      <form method="post" action={`/console/orders/${order.number}/change`} data-form="change">
        <CsrfField session={session} />
        <input type="hidden" name="_key" value={randomUUID()} />
        <table>
          <thead>
            <tr>
              <th>{label(lang, 'lineNo')}</th><th>{label(lang, 'productCode')}</th><th>{label(lang, 'deliveredQty')}</th>
              <th>{label(lang, 'quantity')}</th><th>{label(lang, 'unitPrice')}</th><th>{label(lang, 'expectedDeliveryDate')}</th><th>{w('结束此行', 'Close line')}</th>
            </tr>
          </thead>
          <tbody>
            {editable(order).map((l) => (
              <tr data-line={l.lineNo}>
                <td>{l.lineNo}</td>
                <td>{l.productCode} {props.names.get(l.productCode) ?? ''}</td>
                <td class="num">{qty(l.deliveredQty)}</td>
                {cell(l, 'quantity', qty(l.quantity))}
                {cell(l, 'unitPrice', money(l.unitPrice))}
                {cell(l, 'expectedDeliveryDate', l.expectedDeliveryDate ?? '')}
                <td><input type="checkbox" name={`close_${l.lineNo}`} checked={typed(`close_${l.lineNo}`, '') === 'on'} aria-label={`${w('结束此行', 'Close line')} ${l.lineNo}`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>{w('新增明细', 'Add lines')}</h3>
        <datalist id="products">{lists.products.map((p) => <option value={p.code}>{p.code} {p.name}</option>)}</datalist>
        {Array.from({ length: ADDED_ROWS }, (_, i) => (
          <p data-new-line={i}>
            <input name={`new_productCode_${i}`} list="products" placeholder={label(lang, 'productCode')} value={typed(`new_productCode_${i}`, '')} aria-label={`${w('新增', 'New')} ${label(lang, 'productCode')} ${i + 1}`} />
            <select name={`new_warehouseCode_${i}`} aria-label={`${w('新增', 'New')} ${label(lang, 'warehouseCode')} ${i + 1}`}>
              {lists.warehouses.map((wh) => <option value={wh.code} selected={wh.code === typed(`new_warehouseCode_${i}`, order.lines[0]?.warehouseCode ?? '')}>{wh.code} {wh.name}</option>)}
            </select>
            <input class="qty" name={`new_quantity_${i}`} inputmode="decimal" placeholder={label(lang, 'quantity')} value={typed(`new_quantity_${i}`, '')} aria-label={`${w('新增', 'New')} ${label(lang, 'quantity')} ${i + 1}`} />
            <input name={`new_unitPrice_${i}`} inputmode="decimal" placeholder={w('单价（留空按价格策略）', 'unit price (blank: price strategies)')} value={typed(`new_unitPrice_${i}`, '')} />
            <input type="date" name={`new_expectedDeliveryDate_${i}`} value={typed(`new_expectedDeliveryDate_${i}`, '')} />
          </p>
        ))}
        <p><label>{label(lang, 'reason')} <input name="reason" required size={60} value={typed('reason', '')} /></label></p>
        <button type="submit">{w('提交变更', 'Submit change')}</button> <a href={`/console/orders/${order.number}`}>{w('返回订单', 'Back to the order')}</a>
      </form>
    </Layout>
  );
}

/** What a change altered stands out on the after side (the page's stylesheet is shared; this mark is the change page's own). */
const MARK = 'background:#fff3cd;font-weight:600';

function termsCells(lang: Lang, t: LineTerms | null, side: 'before' | 'after', other: LineTerms | null) {
  if (!t) return <td colspan={4} class="muted" data-side={side}>—</td>;
  const mark = (changed: boolean) => (side === 'after' && changed ? MARK : undefined);
  const differs = (k: keyof LineTerms) => !other || other[k] !== t[k];
  return (
    <>
      <td class="num" data-side={side} data-field="quantity" style={mark(!other || !dec(other.quantity).eq(t.quantity))}>{qty(t.quantity)}</td>
      <td class="num" data-side={side} data-field="unitPrice" style={mark(!other || !dec(other.unitPrice).eq(t.unitPrice))}>{money(t.unitPrice)}</td>
      <td data-side={side} data-field="expectedDeliveryDate" style={mark(differs('expectedDeliveryDate'))}>{t.expectedDeliveryDate ?? ''}</td>
      <td data-side={side} data-field="closeStatus" style={mark(differs('closeStatus'))}>{label(lang, `close.${t.closeStatus}`)}</td>
    </>
  );
}

/** A change's lines, each with its terms before and after. */
function ChangeLines(props: { lang: Lang; lines: ChangeDiffLine[]; names: Map<string, string> }) {
  const { lang } = props;
  const w = (zh: string, en: string) => say(lang, { zh, en });
  const heads = [label(lang, 'quantity'), label(lang, 'unitPrice'), label(lang, 'expectedDeliveryDate'), label(lang, 'closeState')];
  return (
    <table class="change-lines">
      <thead>
        <tr><th rowspan={2}>{label(lang, 'lineNo')}</th><th rowspan={2}>{label(lang, 'changeAction')}</th><th rowspan={2}>{label(lang, 'productCode')}</th>
          <th colspan={4}>{w('变更前', 'Before')}</th><th colspan={4}>{w('变更后', 'After')}</th></tr>
        <tr>{[...heads, ...heads].map((h) => <th>{h}</th>)}</tr>
      </thead>
      <tbody>
        {props.lines.map((d) => {
          const product = (d.after ?? d.before)?.productCode ?? '';
          return (
            <tr data-line={d.lineNo}>
              <td>{d.lineNo}</td>
              <td>{label(lang, `changeAction.${d.action}`)}</td>
              <td>{product} {props.names.get(product) ?? ''}</td>
              {termsCells(lang, d.before, 'before', d.after)}
              {termsCells(lang, d.after, 'after', d.before)}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function orderChangeRoutes(deps: OrderChangeDeps) {
  const app = new Hono<ConsoleEnv>();

  const showForm = async (session: ConsoleSession, order: OrderDocuments, values?: FormFields, error?: ApiError) => {
    const [names, lists] = await Promise.all([namesOf(deps.sql, 'products', order.lines.map((l) => l.productCode)), formLists(deps.sql)]);
    return <ChangeForm session={session} order={order} names={names} lists={lists} values={values} error={error} />;
  };

  const notFound = (session: ConsoleSession, number: string) => (
    <Layout title={say(session.lang, { zh: '未找到', en: 'Not found' })} session={session}>
      <p>{say(session.lang, { zh: `没有订单 ${number}。`, en: `No order ${number}.` })}</p>
    </Layout>
  );

  app.get('/orders/:number/change', async (c) => {
    const order = await orderDocuments(deps.sql, c.req.param('number'));
    if (!order) return c.html(notFound(c.get('session'), c.req.param('number')), 404);
    return c.html(await showForm(c.get('session'), order));
  });

  app.post('/orders/:number/change', async (c) => {
    const number = c.req.param('number');
    const order = DOCUMENT_NUMBER.test(number) ? await orderDocuments(deps.sql, number) : undefined;
    if (!order) return c.html(notFound(c.get('session'), number), 404);
    const form = await c.req.parseBody();
    const session = c.get('session');
    const { body, rows } = changeBody(order, form, session.lang);
    const outcome = await callApi(deps.api, session, `/orders/${number}/changes`, body, text(form._key) || undefined);
    // Refused: the form comes back as it was filled in, with the API's code, message and field (and the row it means) above it.
    if (!outcome.ok) {
      const row = rows[Number(/^lines\[(\d+)\]/.exec(outcome.error.field ?? '')?.[1] ?? -1)];
      const error = row ? { ...outcome.error, message: `${row}: ${outcome.error.message}` } : outcome.error;
      return c.html(await showForm(session, order, form, error), 422);
    }
    const change = outcome.body.change as { version: string; status: string };
    setFlash(c, {
      kind: 'ok',
      text: say(session.lang, {
        zh: `订单变更单 ${change.version}：${label(session.lang, `change.${change.status}`)}。`,
        en: `Order change ${change.version}: ${label(session.lang, `change.${change.status}`)}.`,
      }),
    });
    return c.redirect(`/console/orders/${number}/changes/${change.version}`, 303);
  });

  app.get('/orders/:number/changes/:version', async (c) => {
    const { number, version } = c.req.param();
    const session = c.get('session');
    const lang = session.lang;
    const w = (zh: string, en: string) => say(lang, { zh, en });
    const change = (await orderChanges(deps.sql, number))?.find((ch) => ch.version === version);
    const data = change ? await orderPageData(deps, number, session.user.name, session.user.role) : undefined;
    if (!change || !data) return c.html(<Layout title={w('未找到', 'Not found')} session={session}><p>{w(`没有变更单 ${number} / ${version}`, `No change ${number} / ${version}`)}</p></Layout>, 404);
    const diff = change.lines as ChangeDiffLine[];
    const names = await namesOf(deps.sql, 'products', [...new Set(diff.map((d) => (d.after ?? d.before)?.productCode ?? ''))]);
    const waiting = change.status === 'pending_approval';
    const decidable = data.offers?.changeVersion === Number(version);
    return c.html(
      <Layout title={w(`订单变更单 ${number} · 版次 ${version}`, `Order change ${number} · version ${version}`)} session={session} flash={takeFlash(c)}>
        <p>
          <strong data-change-status={change.status}>{label(lang, `change.${change.status}`)}</strong> · {label(lang, 'reason')}: {change.reason} ·{' '}
          {label(lang, 'requestedBy')} {change.requestedBy} · {label(lang, 'grossBefore')} <span data-total="before">{money(change.grossBefore)}</span> →{' '}
          {label(lang, 'grossAfter')} <span data-total="after">{money(change.grossAfter)}</span>
          {change.decidedBy ? ` · ${label(lang, 'decidedBy')} ${change.decidedBy}` : ''}
          {change.rejectReason ? ` (${change.rejectReason})` : ''}
        </p>
        {change.approvalReasons.length > 0 ? (
          <>
            <h2>{w('需要审核的原因（未通过的检查）', 'Why it needs approval (failed checks)')}</h2>
            <ul class="checks">{change.approvalReasons.map((r) => <li class="failed">{r}</li>)}</ul>
          </>
        ) : ''}
        {change.approvals.length > 0 ? <p>{w('已审核', 'Approved by')}: {change.approvals.map((a) => `${a.actor} (${a.role})`).join(', ')}</p> : ''}
        <h2>{w('变更明细（变更前 / 变更后）', 'Lines before and after')}</h2>
        <ChangeLines lang={lang} lines={diff} names={names} />
        {waiting && decidable ? <OrderCommands order={data.order} session={session} offers={{ ...data.offers!, commands: new Set(['approveChange', 'rejectChange']) }} /> : ''}
        <p>
          <a href={`/console/orders/${number}`}>{w('返回订单', 'Back to the order')}</a> ·{' '}
          <a href={`/console/documents/change/${number}?version=${version}`} data-document="change">{w('打印变更单', 'Print the change document')}</a>
        </p>
      </Layout>,
    );
  });

  return app;
}
