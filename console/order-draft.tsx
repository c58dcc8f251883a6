import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { mayPerform } from '../domain/authorization.js';
import { dec } from '../domain/decimal.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';
import type { OrderDocuments } from '../db/orders.js';
import { callApi, type ApiError } from './api-call.js';
import { setFlash } from './flash.js';
import { money } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { CsrfField, Layout } from './layout.js';
import { text, type FormFields } from './order-actions.js';
import { headerChoices } from './header-choices.js';
import { orderHeaderBody, OrderHeaderInputs, type HeaderChoices } from './order-forms.js';
import type { OrderChangeDeps } from './order-change.js';
import { orderPageData, type OrderPageData } from './order-page.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

/**
 * 草稿 in the console: the creator's edit of an order before approval, and the
 * revision of a rejected one (修改后重新提交). The form is the whole order as it
 * should read, prefilled with what it says now; the API prices and checks it again.
 */

const ADDED_ROWS = 2;
type Line = OrderDocuments['lines'][number];

/**
 * The form as the API's edit body. A price left as it was on a line the price strategies priced is not sent, so the
 * line is priced again as on order entry; a price typed (or one typed before) is the clerk's own.
 */
function draftBody(order: OrderDocuments, f: FormFields) {
  const rows = order.lines.length + ADDED_ROWS;
  const lines: Record<string, string>[] = [];
  for (let i = 0; i < rows; i++) {
    const current: Line | undefined = order.lines[i];
    if (current && text(f[`remove_${i}`]) === 'on') continue;
    const productCode = text(f[`productCode_${i}`]);
    const quantity = text(f[`quantity_${i}`]);
    if (!current && !productCode && !quantity) continue;
    const unitPrice = text(f[`unitPrice_${i}`]);
    const date = text(f[`expectedDeliveryDate_${i}`]);
    const priceAsBefore =
      current !== undefined && current.priceRule !== 'manual' && productCode === current.productCode && /^\d+(\.\d+)?$/.test(unitPrice) && dec(unitPrice).eq(current.unitPrice);
    lines.push({
      productCode,
      warehouseCode: text(f[`warehouseCode_${i}`]),
      quantity,
      ...(unitPrice && !priceAsBefore ? { unitPrice } : {}),
      ...(date ? { expectedDeliveryDate: date } : {}),
    });
  }
  return { shortfallPolicy: text(f.shortfallPolicy), lines, ...orderHeaderBody((key) => text(f[key])) };
}

/** The header as the form's fields hold it: what the order says now. */
function headerValues(h: OrderDocuments['header']): Record<string, string> {
  return {
    shipTo: h.shipTo.label ?? '',
    contact: h.shipTo.contact ?? '',
    salesperson: h.salesperson ?? '',
    department: h.department ?? '',
    depositRatio: h.depositRatio ?? '',
    depositAmount: h.depositAmount ?? '',
    settlementTerms: h.paymentTerms?.settlementTerms ?? '',
    settlementDays: h.paymentTerms ? String(h.paymentTerms.settlementDays) : '',
  };
}

function DraftForm(props: { session: ConsoleSession; data: OrderPageData; warehouses: { code: string; name: string }[]; choices: HeaderChoices; values?: FormFields; error?: ApiError | undefined }) {
  const { session, data, warehouses } = props;
  const { order } = data;
  const lang: Lang = session.lang;
  const w = (zh: string, en: string) => say(lang, { zh, en });
  const typed = (key: string, current: string) => (props.values && key in props.values ? text(props.values[key]) : current);
  const rejected = order.status === 'Rejected';
  const flash = props.error ? { kind: 'error' as const, text: props.error.message, code: props.error.code, field: props.error.field } : undefined;
  const rows = [...order.lines.map((l) => l as Line | undefined), ...Array.from({ length: ADDED_ROWS }, () => undefined)];
  return (
    <Layout title={rejected ? w(`修改后重新提交 · ${order.number}`, `Revise and resubmit ${order.number}`) : w(`编辑草稿 · ${order.number}`, `Edit draft ${order.number}`)} session={session} flash={flash}>
      <p>{order.customerCode} {order.customerName} · <strong data-status={order.status}>{label(lang, order.status)}</strong> · {label(lang, 'gross')} {money(order.totals.gross)} {order.currency}</p>
      <RejectionList lang={lang} order={order} />
      <p class="muted">
        {w(
          '这是订单现在的全部内容；改好后保存即替换原明细与表头，并重新定价、重新检查。单价保持原值则按价格策略重新定价；留空的预交货日为今天起七天。',
          'This is the whole order as it reads now; saving replaces its lines and header, priced and checked again. A price left as it was is priced again by the price strategies; a blank expected date is a week from today.',
        )}
        {rejected ? ` ${w('保存后订单回到待审核，需重新审核。', 'Saving sends the order back for approval, with fresh approvals.')}` : ''}
      </p>
      <form method="post" action={`/console/orders/${order.number}/draft`} data-form="draft">
        <CsrfField session={session} />
        <input type="hidden" name="_key" value={randomUUID()} />
        <table>
          <thead>
            <tr>
              <th>{label(lang, 'lineNo')}</th><th>{label(lang, 'productCode')}</th><th>{label(lang, 'warehouseCode')}</th><th>{label(lang, 'quantity')}</th>
              <th>{label(lang, 'unitPrice')}</th><th>{label(lang, 'expectedDeliveryDate')}</th><th>{w('删除此行', 'Remove')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((l, i) => (
              <tr data-draft-row={i}>
                <td>{l ? l.lineNo : w('新增', 'new')}</td>
                <td><input name={`productCode_${i}`} list="products" value={typed(`productCode_${i}`, l?.productCode ?? '')} aria-label={`${label(lang, 'productCode')} ${i + 1}`} /></td>
                <td>
                  <select name={`warehouseCode_${i}`} aria-label={`${label(lang, 'warehouseCode')} ${i + 1}`}>
                    {warehouses.map((wh) => <option value={wh.code} selected={wh.code === typed(`warehouseCode_${i}`, l?.warehouseCode ?? order.lines[0]?.warehouseCode ?? '')}>{wh.code} {wh.name}</option>)}
                  </select>
                </td>
                <td><input class="qty" name={`quantity_${i}`} inputmode="decimal" value={typed(`quantity_${i}`, l ? dec(l.quantity).toString() : '')} aria-label={`${label(lang, 'quantity')} ${i + 1}`} /></td>
                <td><input name={`unitPrice_${i}`} size={14} inputmode="decimal" placeholder={w('留空按价格策略', 'blank: price strategies')} value={typed(`unitPrice_${i}`, l ? dec(l.unitPrice).toString() : '')} aria-label={`${label(lang, 'unitPrice')} ${i + 1}`} /></td>
                <td><input type="date" name={`expectedDeliveryDate_${i}`} value={typed(`expectedDeliveryDate_${i}`, l?.expectedDeliveryDate ?? '')} aria-label={`${label(lang, 'expectedDeliveryDate')} ${i + 1}`} /></td>
                <td>{l ? <input type="checkbox" name={`remove_${i}`} checked={typed(`remove_${i}`, '') === 'on'} aria-label={`${w('删除此行', 'Remove')} ${i + 1}`} /> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <label>{label(lang, 'shortfallPolicy')}{' '}
            <select name="shortfallPolicy">
              {(['block', 'backorder'] as const).map((p) => <option value={p} selected={typed('shortfallPolicy', order.shortfallPolicy) === p}>{label(lang, `shortfall.${p}`)}</option>)}
            </select>
          </label>{' '}
        </p>
        <input type="hidden" name="customerCode" value={order.customerCode} />
        <OrderHeaderInputs lang={lang} choices={props.choices} value={(key) => typed(key, headerValues(order.header)[key] ?? '')} />
        <button type="submit">{rejected ? w('修改后重新提交', 'Revise and resubmit') : w('保存草稿', 'Save draft')}</button>{' '}
        <a href={`/console/orders/${order.number}`}>{w('返回订单', 'Back to the order')}</a>
      </form>
    </Layout>
  );
}

/** Every rejection the order received, kept after it was revised: why, by whom, on which revision. */
export function RejectionList(props: { lang: Lang; order: Pick<OrderDocuments, 'rejections'> }) {
  const { lang, order } = props;
  if (order.rejections.length === 0) return <></>;
  return (
    <section class="rejections">
      <h3>{say(lang, { zh: '驳回记录', en: 'Rejections' })}</h3>
      <ul class="checks">
        {order.rejections.map((r) => (
          <li class="failed" data-rejection={r.revision}>
            {say(lang, { zh: `第 ${r.revision} 版被 ${r.rejectedBy} 驳回：`, en: `Revision ${r.revision} rejected by ${r.rejectedBy}: ` })}
            <span data-reject-reason>{r.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function orderDraftRoutes(deps: OrderChangeDeps) {
  const app = new Hono<ConsoleEnv>();

  const page = async (session: ConsoleSession, number: string) => {
    if (!DOCUMENT_NUMBER.test(number)) return undefined;
    const data = await orderPageData(deps, number, session.user.name, session.user.role);
    // Offered as the order page offers it: the role may, and the draft rule allows it now.
    return data?.offers?.commands.has('editDraft') && mayPerform(session.user.role, 'editDraft') ? data : undefined;
  };
  const showForm = async (session: ConsoleSession, data: OrderPageData, values?: FormFields, error?: ApiError) => {
    const [warehouses, products, choices] = await Promise.all([
      deps.sql<{ code: string; name: string }[]>`SELECT code, name FROM warehouses WHERE active ORDER BY code`,
      deps.sql<{ code: string; name: string }[]>`SELECT code, name FROM products WHERE active ORDER BY code LIMIT 1000`,
      headerChoices(deps.sql),
    ]);
    return (
      <>
        <DraftForm session={session} data={data} warehouses={warehouses} choices={choices} values={values} error={error} />
        <datalist id="products">{products.map((p) => <option value={p.code}>{p.code} {p.name}</option>)}</datalist>
      </>
    );
  };
  const notOffered = (session: ConsoleSession, number: string) => (
    <Layout title={say(session.lang, { zh: '不能编辑', en: 'Cannot edit' })} session={session}>
      <p>{say(session.lang, { zh: `订单 ${number} 现在不能由您编辑。`, en: `Order ${number} cannot be edited by you now.` })}</p>
      <p><a href={`/console/orders/${number}`}>{say(session.lang, { zh: '返回订单', en: 'Back to the order' })}</a></p>
    </Layout>
  );

  app.get('/orders/:number/draft', async (c) => {
    const session = c.get('session');
    const data = await page(session, c.req.param('number'));
    if (!data) return c.html(notOffered(session, c.req.param('number')), 409);
    return c.html(await showForm(session, data));
  });

  app.post('/orders/:number/draft', async (c) => {
    const session = c.get('session');
    const number = c.req.param('number');
    const data = await page(session, number);
    if (!data) return c.html(notOffered(session, number), 409);
    const form = await c.req.parseBody();
    const outcome = await callApi(deps.api, session, `/orders/${number}/draft`, draftBody(data.order, form), text(form._key) || undefined);
    if (!outcome.ok) return c.html(await showForm(session, data, form, outcome.error), 422);
    const status = (outcome.body.order as { status?: string } | undefined)?.status ?? '';
    setFlash(c, {
      kind: 'ok',
      text: say(session.lang, { zh: `草稿已保存，订单现为${label(session.lang, status)}。`, en: `Draft saved; the order is now ${label(session.lang, status)}.` }),
    });
    return c.redirect(`/console/orders/${number}`, 303);
  });

  return app;
}
