import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { mayPerform, type Command } from '../domain/authorization.js';
import { callApi, readApi, type ApiCall, type ApiError } from './api-call.js';
import { setFlash, takeFlash, type Flash } from './flash.js';
import { label, say, type Words } from './i18n.js';
import { CsrfField, Layout, RowsTable } from './layout.js';
import type { ConsoleSession, ConsoleEnv } from './session.js';

type Ctx = Context<ConsoleEnv>;
type Form = Record<string, unknown>;

/** Rows a receipt or transfer form offers; blank rows are left out. */
const LINE_ROWS = 5;

interface MoveForm {
  /** The console's route under /console/stock-moves/, and the API's under /stock/ unless `apiPath` says otherwise. */
  path: string;
  apiPath?: (form: Form) => string;
  command: Command;
  title: Words;
  /** Header fields, then (for receipts and transfers) the fields of each line. */
  fields: readonly string[];
  lineFields?: readonly string[];
  done: Words;
}

const FORMS: readonly MoveForm[] = [
  {
    path: 'receipts', command: 'receiveStock', title: { zh: '入库', en: 'Goods receipt' },
    fields: ['warehouseCode'], lineFields: ['productCode', 'quantity', 'batchNo', 'expiryDate'],
    done: { zh: '已入库', en: 'Received' },
  },
  {
    path: 'adjustments', command: 'adjustStock', title: { zh: '库存调整', en: 'Adjustment' },
    fields: ['warehouseCode', 'productCode', 'adjustQuantity', 'reason', 'batchNo'],
    done: { zh: '已调整', en: 'Adjusted' },
  },
  {
    path: 'transfers', command: 'transferStock', title: { zh: '调拨', en: 'Transfer' },
    fields: ['fromWarehouseCode', 'toWarehouseCode'], lineFields: ['productCode', 'quantity', 'batchNo'],
    done: { zh: '已调拨', en: 'Transferred' },
  },
  {
    path: 'counts', command: 'countStock', title: { zh: '盘点', en: 'Stock count' },
    fields: ['warehouseCode'], lineFields: ['productCode', 'countedQuantity', 'batchNo', 'expiryDate'],
    done: { zh: '已登记盘点单', en: 'Count recorded' },
  },
  {
    path: 'counts/approve', command: 'approveStockCount', title: { zh: '审核盘点单', en: 'Approve a count' },
    apiPath: (form) => `/stock/counts/${encodeURIComponent(text(form.countNumber))}/approve`,
    fields: ['countNumber'],
    done: { zh: '盘点差异已入账', en: 'Count differences booked' },
  },
];

const WAREHOUSE_FIELDS = new Set(['warehouseCode', 'fromWarehouseCode', 'toWarehouseCode']);
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** The form's adjustQuantity is the API's signed quantity (its own label says a minus sign decreases). */
const apiField = (key: string) => (key === 'adjustQuantity' ? 'quantity' : key);
/** Fields that name the document the command acts on go in the address, not the body. */
const IN_PATH = new Set(['countNumber']);

/** The form as the API's body: blank fields left out, so the API names what is missing. */
function bodyOf(spec: MoveForm, form: Form) {
  const body: Record<string, unknown> = {};
  for (const key of spec.fields) if (text(form[key]) && !IN_PATH.has(key)) body[apiField(key)] = text(form[key]);
  if (spec.lineFields) {
    const lines = [];
    for (let i = 0; i < LINE_ROWS; i++) {
      const line = Object.fromEntries(spec.lineFields.filter((k) => text(form[`lines.${i}.${k}`])).map((k) => [k, text(form[`lines.${i}.${k}`])]));
      if (Object.keys(line).length) lines.push(line);
    }
    body.lines = lines;
  }
  return body;
}

function Field(props: { session: ConsoleSession; name: string; field: string; value: unknown; warehouses: string[]; invalid: boolean }) {
  const v = text(props.value);
  const common = { name: props.name, 'aria-label': label(props.session.lang, props.field), 'aria-invalid': props.invalid ? 'true' : undefined };
  if (WAREHOUSE_FIELDS.has(props.field)) {
    return (
      <select {...common}>
        <option value="">—</option>
        {props.warehouses.map((w) => <option value={w} selected={w === v}>{w}</option>)}
      </select>
    );
  }
  if (props.field === 'expiryDate') return <input type="date" {...common} value={v} />;
  const numeric = ['quantity', 'adjustQuantity', 'countedQuantity'].includes(props.field);
  return <input type="text" inputmode={numeric ? 'decimal' : undefined} {...common} value={v} />;
}

/** The form's field a refusal names (`lines[1].quantity` → the second row's quantity). */
const refusedName = (spec: MoveForm, e: ApiError | undefined) => {
  const f = e?.field ?? '';
  const line = /^lines\[(\d+)\]\.(\w+)$/.exec(f);
  if (line) return `lines.${line[1]}.${line[2]}`;
  return spec.fields.find((k) => apiField(k) === f) ?? '';
};

function MoveFormView(props: { session: ConsoleSession; spec: MoveForm; values: Form; error?: ApiError | undefined; warehouses: string[] }) {
  const { session, spec, values } = props;
  const refused = props.error ? refusedName(spec, props.error) : '';
  return (
    <section>
      <h2>{say(session.lang, spec.title)}</h2>
      <form method="post" action={`/console/stock-moves/${spec.path}`} data-form={spec.path}>
        <CsrfField session={session} />
        <input type="hidden" name="_key" value={randomUUID()} />
        <table class="form">
          <tbody>
            {spec.fields.map((k) => (
              <tr>
                <th>{label(session.lang, k)}</th>
                <td><Field session={session} name={k} field={k} value={values[k]} warehouses={props.warehouses} invalid={refused === k} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {spec.lineFields ? (
          <table>
            <thead><tr>{spec.lineFields.map((k) => <th>{label(session.lang, k)}</th>)}</tr></thead>
            <tbody>
              {Array.from({ length: LINE_ROWS }, (_, i) => (
                <tr>
                  {spec.lineFields!.map((k) => {
                    const name = `lines.${i}.${k}`;
                    return <td><Field session={session} name={name} field={k} value={values[name]} warehouses={props.warehouses} invalid={refused === name} /></td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        ) : ''}
        <button type="submit">{say(session.lang, { zh: '提交', en: 'Submit' })}</button>
      </form>
    </section>
  );
}

interface CountSheet {
  number: string;
  warehouseCode: string;
  countedBy: string;
  lines: { difference: string }[];
}

/** 待审核盘点单: each sheet's book, counted and difference per line, approved from here by someone other than its counter. */
function WaitingCounts(props: { session: ConsoleSession; sheets: CountSheet[]; total: number }) {
  const { session, sheets } = props;
  const w = (zh: string, en: string) => say(session.lang, { zh, en });
  const mayApprove = mayPerform(session.user.role, 'approveStockCount');
  return (
    <section data-waiting-counts>
      <h2>{w(`待审核盘点单（${props.total}）`, `Counts waiting for approval (${props.total})`)}</h2>
      {sheets.length === 0 ? <p>{w('没有待审核的盘点单。', 'No count waits for approval.')}</p> : ''}
      {sheets.map((sheet) => (
        <div data-count={sheet.number}>
          <h3>{sheet.number} · {sheet.warehouseCode} · {w(`盘点人 ${sheet.countedBy}`, `counted by ${sheet.countedBy}`)}</h3>
          <RowsTable
            view={session}
            columns={['lineNo', 'productCode', 'batchNo', 'expiryDate', 'bookQuantity', 'countedQuantity', 'countDifference']}
            rows={sheet.lines.map((l) => ({ ...l, countDifference: l.difference }))}
          />
          {mayApprove && sheet.countedBy !== session.user.name ? (
            <form method="post" action="/console/stock-moves/counts/approve" class="inline">
              <CsrfField session={session} />
              <input type="hidden" name="_key" value={randomUUID()} />
              <input type="hidden" name="countNumber" value={sheet.number} />
              <button type="submit">{w('审核并入账差异', 'Approve and book the differences')}</button>
            </form>
          ) : mayApprove ? <p class="muted">{w('盘点人不能审核自己的盘点单。', 'The counter cannot approve their own count.')}</p> : ''}
        </div>
      ))}
    </section>
  );
}

/** 入库, 调整, 调拨: each form runs the API's own route as the signed-in user (the API authorises, checks and audits). */
export function stockMovePages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  const page = async (c: Ctx, flash?: Flash, failed?: { spec: MoveForm; values: Form; error: ApiError }) => {
    const session = c.get('session');
    const [read, counts] = await Promise.all([
      readApi(deps.api, session, '/warehouses?limit=500'),
      readApi(deps.api, session, '/stock/counts?status=counted&limit=20'),
    ]);
    const items = read.ok ? (read.body.items as { code: string; active: boolean }[]) : [];
    const warehouses = items.filter((w) => w.active).map((w) => w.code);
    const forms = FORMS.filter((f) => mayPerform(session.user.role, f.command));
    return c.html(
      <Layout title={say(session.lang, { zh: '出入库', en: 'Stock moves' })} session={session} flash={flash}>
        <p>
          <a href="/console/stock">{say(session.lang, { zh: '库存', en: 'Stock levels' })}</a> ·{' '}
          <a href="/console/stock/moves">{say(session.lang, { zh: '库存流水', en: 'Stock ledger' })}</a>
        </p>
        {forms.length === 0 ? <p>{say(session.lang, { zh: '您的角色不能登记库存变动。', en: 'Your role may not record stock moves.' })}</p> : ''}
        {counts.ok ? <WaitingCounts session={session} sheets={counts.body.items as CountSheet[]} total={Number(counts.body.total)} /> : ''}
        {forms.map((spec) => (
          <MoveFormView
            session={session}
            spec={spec}
            values={failed?.spec === spec ? failed.values : {}}
            error={failed?.spec === spec ? failed.error : undefined}
            warehouses={warehouses}
          />
        ))}
      </Layout>,
      failed ? 422 : 200,
    );
  };
  app.get('/stock-moves', (c) => page(c, takeFlash(c)));
  for (const spec of FORMS) {
    app.post(`/stock-moves/${spec.path}`, async (c) => {
      const form = (await c.req.parseBody()) as Form;
      const session = c.get('session');
      const out = await callApi(deps.api, session, spec.apiPath ? spec.apiPath(form) : `/stock/${spec.path}`, bodyOf(spec, form), typeof form._key === 'string' ? form._key : undefined);
      if (!out.ok) return page(c, { kind: 'error', text: out.error.message, code: out.error.code, field: out.error.field }, { spec, values: form, error: out.error });
      const number = String(out.body.documentNumber ?? out.body.number);
      const offers = (out.body.backOrders ?? []) as { orderNumber: string; outcome: string; stillShort?: string }[];
      const served = offers.filter((b) => b.outcome === 'reserved').map((b) => b.orderNumber);
      const partly = offers.filter((b) => b.outcome === 'partly_reserved');
      const servedText =
        (served.length ? say(session.lang, { zh: `；已为订单 ${served.join('、')} 占用库存`, en: `; stock reserved for ${served.join(', ')}` }) : '') +
        partly.map((b) => say(session.lang, { zh: `；订单 ${b.orderNumber} 部分占用，仍缺 ${b.stillShort}`, en: `; ${b.orderNumber} partly reserved, still short ${b.stillShort}` })).join('');
      setFlash(c, { kind: 'ok', text: `${say(session.lang, spec.done)} ${number}${servedText}` });
      return c.redirect('/console/stock-moves', 303);
    });
  }
  return app;
}
