import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import type { Sql } from '../db/client.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';
import { callApi, type ApiCall, type ApiError } from './api-call.js';
import { setFlash } from './flash.js';
import { money } from './format.js';
import { label, say } from './i18n.js';
import { CsrfField, Layout } from './layout.js';
import { orderChangeRoutes } from './order-change.js';
import { orderHeaderBody, OrderHeaderInputs } from './order-forms.js';
import { headerChoices } from './header-choices.js';
import { orderDraftRoutes } from './order-draft.js';
import { doneText, isOrderAction, ORDER_ACTIONS, refusedText, type FormFields } from './order-actions.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

export interface ConsoleCommandDeps {
  sql: Sql;
  temporal: Client;
  api: ApiCall;
}

const NEW_ORDER_ROWS = 5;
const field = (f: FormFields, k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');

async function masterLists(sql: Sql) {
  const [customers, products, warehouses, header] = await Promise.all([
    sql<{ code: string; name: string }[]>`SELECT code, name FROM customers WHERE active ORDER BY code LIMIT 1000`,
    sql<{ code: string; name: string }[]>`SELECT code, name FROM products WHERE active ORDER BY code LIMIT 1000`,
    sql<{ code: string; name: string }[]>`SELECT code, name FROM warehouses WHERE active ORDER BY code`,
    headerChoices(sql),
  ]);
  return { customers, products, warehouses, header };
}

type Lists = Awaited<ReturnType<typeof masterLists>>;

function NewOrderPage(props: { session: ConsoleSession; lists: Lists; values: FormFields; error?: ApiError | undefined }) {
  // A refused form comes back as typed, except the control characters that got it refused (never echoed into the page).
  const v = (k: string) => field(props.values, k).replace(/[\u0000-\u001f\u007f]/g, '');
  const lang = props.session.lang;
  const flash = props.error ? { kind: 'error' as const, text: props.error.message, code: props.error.code, field: props.error.field } : undefined;
  return (
    <Layout title={say(lang, { zh: '新建订单', en: 'New order' })} session={props.session} flash={flash}>
      <form method="post" action="/console/orders/new">
        <CsrfField session={props.session} />
        <input type="hidden" name="_key" value={randomUUID()} />
        {/* Each option is a code with its name: the browser shows both as the user types either. */}
        <datalist id="customers">{props.lists.customers.map((c) => <option value={c.code}>{c.code} {c.name}</option>)}</datalist>
        <datalist id="products">{props.lists.products.map((p) => <option value={p.code}>{p.code} {p.name}</option>)}</datalist>
        <p><label>{label(lang, 'customerCode')} <input name="customerCode" list="customers" required value={v('customerCode')} /></label></p>
        <OrderHeaderInputs lang={lang} choices={props.lists.header} value={v} />
        <table>
          <thead>
            <tr>
              <th>{label(lang, 'lineNo')}</th><th>{label(lang, 'productCode')}</th><th>{label(lang, 'warehouseCode')}</th><th>{label(lang, 'quantity')}</th>
              <th>{say(lang, { zh: '单价（留空：按价格策略）', en: 'Unit price (blank: from the price strategies)' })}</th>
              <th>{say(lang, { zh: '预交货日（留空：7 天后）', en: 'Expected delivery (blank: in 7 days)' })}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: NEW_ORDER_ROWS }, (_, i) => (
              <tr>
                <td>{i + 1}</td>
                <td><input name={`productCode_${i}`} list="products" value={v(`productCode_${i}`)} aria-label={`${label(lang, 'productCode')} ${i + 1}`} /></td>
                <td>
                  <select name={`warehouseCode_${i}`} aria-label={`${label(lang, 'warehouseCode')} ${i + 1}`}>
                    {props.lists.warehouses.map((w) => <option value={w.code} selected={w.code === v(`warehouseCode_${i}`)}>{w.code} {w.name}</option>)}
                  </select>
                </td>
                <td><input class="qty" name={`quantity_${i}`} inputmode="decimal" value={v(`quantity_${i}`)} aria-label={`${label(lang, 'quantity')} ${i + 1}`} /></td>
                <td><input name={`unitPrice_${i}`} inputmode="decimal" value={v(`unitPrice_${i}`)} aria-label={`${label(lang, 'unitPrice')} ${i + 1}`} /></td>
                <td><input type="date" name={`expectedDeliveryDate_${i}`} value={v(`expectedDeliveryDate_${i}`)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit">{say(lang, { zh: '创建订单', en: 'Create order' })}</button>
      </form>
    </Layout>
  );
}

/** The form's filled rows as the API's create-order body; the row numbers the API names in `field` count these lines. */
function createOrderBody(f: FormFields) {
  const lines = Array.from({ length: NEW_ORDER_ROWS }, (_, i) => i)
    .filter((i) => field(f, `productCode_${i}`) !== '' || field(f, `quantity_${i}`) !== '')
    .map((i) => {
      const unitPrice = field(f, `unitPrice_${i}`);
      const expectedDeliveryDate = field(f, `expectedDeliveryDate_${i}`);
      return {
        productCode: field(f, `productCode_${i}`),
        warehouseCode: field(f, `warehouseCode_${i}`),
        quantity: field(f, `quantity_${i}`),
        ...(unitPrice ? { unitPrice } : {}),
        ...(expectedDeliveryDate ? { expectedDeliveryDate } : {}),
      };
    });
  return { customerCode: field(f, 'customerCode'), lines, ...orderHeaderBody((k) => field(f, k)) };
}

/**
 * The console's commands: each form posts here, is sent to the API route of the
 * same command as the signed-in user, and comes back to the order page with the
 * outcome (or the API's error: code, message and field).
 */
export function consoleCommandRoutes(deps: ConsoleCommandDeps) {
  const app = new Hono<ConsoleEnv>();

  app.get('/orders/new', async (c) =>
    c.html(<NewOrderPage session={c.get('session')} lists={await masterLists(deps.sql)} values={{}} />),
  );

  app.post('/orders/new', async (c) => {
    const form = await c.req.parseBody();
    const session = c.get('session');
    const outcome = await callApi(deps.api, session, '/orders', createOrderBody(form), field(form, '_key') || undefined);
    if (!outcome.ok) {
      // The form comes back filled in, with the refusal above it.
      return c.html(<NewOrderPage session={session} lists={await masterLists(deps.sql)} values={form} error={outcome.error} />, 422);
    }
    const order = outcome.body.order as { number: string; status: string; totals: { gross: string } };
    const status = label(session.lang, order.status);
    const gross = money(order.totals.gross);
    setFlash(c, {
      kind: 'ok',
      text: say(session.lang, { zh: `订单 ${order.number} 已创建（${status}，含税金额 ${gross}）。`, en: `Order ${order.number} created (${status}, gross ${gross}).` }),
    });
    return c.redirect(`/console/orders/${order.number}`, 303);
  });

  // 坏账核销: ask for one, or decide a request, through the API's routes.
  const writeOffCommand = async (c: Context<ConsoleEnv>, number: string, decision?: { id: string; verb: string }) => {
    if (!DOCUMENT_NUMBER.test(number) || (decision && (!/^[1-9]\d{0,3}$/.test(decision.id) || !['approve', 'reject'].includes(decision.verb)))) {
      return c.text('No such console command.', 404);
    }
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    const verb = decision?.verb === 'approve' ? { zh: '批准', en: 'approve' } : { zh: '驳回', en: 'reject' };
    const what = decision ? say(lang, { zh: `坏账核销 ${decision.id}：${verb.zh}`, en: `Write-off ${decision.id}: ${verb.en}` }) : say(lang, { zh: '坏账核销申请', en: 'Write-off request' });
    const path = `/orders/${number}/write-offs${decision ? `/${decision.id}/${decision.verb}` : ''}`;
    const outcome = await callApi(deps.api, c.get('session'), path, decision?.verb === 'approve' ? {} : { reason: field(form, 'reason') });
    if (outcome.ok) {
      const r = (outcome.body.writeOffRequest ?? outcome.body) as { id: number; status: string; amount: string };
      const status = label(lang, r.status);
      setFlash(c, { kind: 'ok', text: say(lang, { zh: `${what}：申请 ${r.id} ${status}（${money(r.amount)}）。`, en: `${what}: request ${r.id} is ${status} (${money(r.amount)}).` }) });
    } else {
      setFlash(c, { kind: 'error', text: say(lang, { zh: `${what}被拒绝：${outcome.error.message}`, en: `${what} refused: ${outcome.error.message}` }), code: outcome.error.code, field: outcome.error.field });
    }
    return c.redirect(`/console/orders/${number}`, 303);
  };
  app.post('/orders/:number/write-offs', (c) => writeOffCommand(c, c.req.param('number')));
  app.post('/orders/:number/write-offs/:id/:verb', (c) => writeOffCommand(c, c.req.param('number'), { id: c.req.param('id'), verb: c.req.param('verb') }));

  // 订单变更单 before the generic command route: its form and page are its own.
  app.route('/', orderChangeRoutes(deps));
  app.route('/', orderDraftRoutes(deps));

  app.post('/orders/:number/:action', async (c) => {
    const { number, action } = c.req.param();
    if (!DOCUMENT_NUMBER.test(number) || !isOrderAction(action)) return c.text('No such console command.', 404);
    const form = await c.req.parseBody();
    const session = c.get('session');
    const spec = ORDER_ACTIONS[action];
    const outcome = await callApi(deps.api, session, `/orders/${number}/${spec.route(form)}`, spec.body(form), field(form, '_key') || undefined);
    if (outcome.ok) setFlash(c, { kind: 'ok', text: doneText(session.lang, spec.words, outcome.body) });
    else setFlash(c, { kind: 'error', text: refusedText(session.lang, spec.words, outcome.error.message), code: outcome.error.code, field: outcome.error.field });
    return c.redirect(`/console/orders/${number}`, 303);
  });

  return app;
}

