import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { mayPerform, type Command } from '../../domain/authorization.js';
import { IMPORT_TEMPLATES, type ImportKind } from '../../db/import-templates.js';
import { fetchApi, type ApiCall } from '../api-call.js';
import { setFlash, takeFlash, type Flash } from '../flash.js';
import { label, say, type Lang, type Words } from '../i18n.js';
import { CsrfField, Layout } from '../layout.js';
import type { ConsoleEnv, ConsoleSession } from '../session.js';

interface ImportSpec {
  kind: ImportKind;
  title: Words;
  /** What one row is, and what the import makes of the file. */
  about: Words;
  /** The API route that takes the file, and the command that may send it (the route checks it again). */
  apiPath: string;
  command: Command;
}

const IMPORTS: readonly ImportSpec[] = [
  { kind: 'customers', title: { zh: '客户', en: 'Customers' }, about: { zh: '每行一个客户；编码留空则自动编码。', en: 'One customer per row; a blank code is numbered automatically.' }, apiPath: '/import/customers', command: 'maintainMasterData' },
  { kind: 'products', title: { zh: '产品', en: 'Products' }, about: { zh: '每行一个产品。', en: 'One product per row.' }, apiPath: '/import/products', command: 'maintainMasterData' },
  { kind: 'opening_stock', title: { zh: '期初库存', en: 'Opening stock' }, about: { zh: '每行一个产品在一个仓库的期初数量，加到现有库存上。', en: 'One product in one warehouse per row, added to what is on hand.' }, apiPath: '/import/opening_stock', command: 'maintainMasterData' },
  { kind: 'customer_prices', title: { zh: '客户价格', en: 'Customer prices' }, about: { zh: '每行一个客户的产品协议价。', en: "One customer's agreed price for a product per row." }, apiPath: '/import/customer_prices', command: 'maintainMasterData' },
  {
    kind: 'opening_orders',
    title: { zh: '期初未结订单', en: 'Opening orders' },
    about: {
      zh: '每行一个订单行，原系统单号相同的行为同一订单；导入即由您审核。同一原系统单号只导入一次，重复导入返回已有订单。',
      en: 'One order line per row; rows with the same old-system order no. are one order, approved by you as you load it. Each old-system order loads once; importing it again answers the order it made.',
    },
    apiPath: '/orders/opening/import',
    command: 'loadOpeningBalance',
  },
  {
    kind: 'stock_counts',
    title: { zh: '盘点单', en: 'Stock counts' },
    about: {
      zh: '每行一个产品的实盘数量，每个仓库一张盘点单，须由另一人审核后才调整库存。批号管理的产品按批号逐行盘点（账上没有的批号须填有效期至）。',
      en: 'One product counted per row, one count sheet per warehouse; stock changes once someone else approves it. A batch-tracked product is counted per batch, one row each (a batch not in the book needs its expiry date).',
    },
    apiPath: '/stock/counts/import',
    command: 'countStock',
  },
  {
    kind: 'exchange_rates',
    title: { zh: '汇率', en: 'Exchange rates' },
    about: {
      zh: '每行一个币别某日对本位币的汇率；同一币别同一日已有的汇率被更正，已开出的单据不变。',
      en: 'One rate to the base currency per currency and day per row; a rate already entered for that day is corrected, documents already issued keep theirs.',
    },
    apiPath: '/finance/exchange-rates/import',
    command: 'manageExchangeRates',
  },
  {
    kind: 'invoice_tax_data',
    title: { zh: '增值税发票信息', en: 'VAT invoice data' },
    about: {
      zh: '每行一张本系统发票：发票种类、购方税号与地址、开户行，以及税务系统开出的发票号码和日期；空格保留已登记的内容。全部通过才登记。',
      en: "One back-office invoice per row: its VAT type, the buyer's tax id, address and bank, and the number and date the tax system issued; a blank cell keeps what is recorded. Recorded only if every row passes.",
    },
    apiPath: '/invoices/tax-data/import',
    command: 'recordInvoiceTaxData',
  },
];

type RowProblem = { line: number; field: string; reason: string };
type Outcome = { spec: ImportSpec; problems: RowProblem[] };

function ImportSection(props: { session: ConsoleSession; spec: ImportSpec }) {
  const { session, spec } = props;
  const t = (zh: string, en: string) => say(session.lang, { zh, en });
  const template = IMPORT_TEMPLATES[spec.kind];
  const base = `/console/imports/${spec.kind}`;
  return (
    <section id={spec.kind} data-import={spec.kind}>
      <h2>{say(session.lang, spec.title)}</h2>
      <p>{say(session.lang, spec.about)}</p>
      <p class="muted">
        {t('列：', 'Columns: ')}
        {template.columns.map((c, i) => (
          <>
            {i ? t('，', ', ') : ''}
            <code>{c}</code> {label(session.lang, c)}
            {(template.required as readonly string[]).includes(c) ? '*' : ''}
          </>
        ))}
      </p>
      <p>
        {t('模板：', 'Template: ')}
        <a href={`${base}/template?format=xlsx`} download>Excel (.xlsx)</a> · <a href={`${base}/template?format=csv`} download>CSV</a>
      </p>
      {mayPerform(session.user.role, spec.command) ? (
        <form method="post" action={base} enctype="multipart/form-data">
          <CsrfField session={session} />
          <input type="hidden" name="_key" value={randomUUID()} />
          <input type="file" name="file" accept=".xlsx,.csv,text/csv" required />
          <button type="submit">{t('导入', 'Import')}</button>
        </form>
      ) : (
        <p class="muted">{t('您的角色不能导入此项。', 'Your role may not import this.')}</p>
      )}
    </section>
  );
}

/** A refused file's rows, at the top of the page where the user lands after the upload. */
function ProblemTable(props: { lang: Lang; failed: Outcome }) {
  const t = (zh: string, en: string) => say(props.lang, { zh, en });
  if (props.failed.problems.length === 0) return <></>;
  return (
    <table class="failed" data-import-errors={props.failed.spec.kind}>
      <caption>{say(props.lang, props.failed.spec.title)}</caption>
      <thead><tr><th>{t('行', 'Row')}</th><th>{t('列', 'Column')}</th><th>{t('问题', 'Problem')}</th></tr></thead>
      <tbody>{props.failed.problems.map((p) => <tr><td class="num">{p.line}</td><td><code>{p.field}</code> {label(props.lang, p.field)}</td><td>{p.reason}</td></tr>)}</tbody>
    </table>
  );
}

/** What the API made of the file, in a line for the flash. */
function doneText(lang: Lang, spec: ImportSpec, body: Record<string, unknown>): string {
  if (spec.kind === 'opening_orders') {
    const orders = body.orders as { orderNumber: string; created: boolean }[];
    const made = orders.filter((o) => o.created).map((o) => o.orderNumber);
    const before = orders.filter((o) => !o.created).map((o) => o.orderNumber);
    return say(lang, {
      zh: `已载入订单 ${made.join('、') || '无'}${before.length ? `；此前已载入：${before.join('、')}` : ''}`,
      en: `Orders loaded: ${made.join(', ') || 'none'}${before.length ? `; loaded before: ${before.join(', ')}` : ''}`,
    });
  }
  if (spec.kind === 'stock_counts') {
    const numbers = (body.counts as { number: string }[]).map((c) => c.number);
    return say(lang, { zh: `盘点单 ${numbers.join('、')} 已登记，待他人审核`, en: `Count sheets ${numbers.join(', ')} recorded, waiting for someone else's approval` });
  }
  if (spec.kind === 'exchange_rates') return say(lang, { zh: `已保存 ${String(body.saved)} 条汇率`, en: `${String(body.saved)} rates saved` });
  return say(lang, { zh: `已导入 ${String(body.rows)} 行`, en: `${String(body.rows)} rows imported` });
}

/** 批量导入: every import with its templates; the upload runs the API's own import route as the signed-in user. */
export function importPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  const page = (c: Context<ConsoleEnv>, flash?: Flash, failed?: Outcome) => {
    const session = c.get('session');
    return c.html(
      <Layout title={say(session.lang, { zh: '批量导入', en: 'Imports' })} session={session} flash={flash}>
        <p class="muted">
          {say(session.lang, {
            zh: '接受 Excel 工作簿（.xlsx，读第一张表）和 CSV（UTF-8 或 GB18030，即 Excel 另存的两种 CSV）。任何一行有误则整份文件都不导入，并列出每个出错的行和列。',
            en: 'Takes Excel workbooks (.xlsx, first sheet) and CSV (UTF-8 or GB18030, both CSVs Excel saves). One bad row and nothing in the file is imported; each bad row and column is listed.',
          })}
        </p>
        {failed ? <ProblemTable lang={session.lang} failed={failed} /> : ''}
        {IMPORTS.map((spec) => <ImportSection session={session} spec={spec} />)}
      </Layout>,
      failed ? 422 : 200,
    );
  };
  app.get('/imports', (c) => page(c, takeFlash(c)));
  for (const spec of IMPORTS) {
    app.get(`/imports/${spec.kind}/template`, async (c) => {
      const format = c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv';
      const res = await fetchApi(deps.api, c.get('session'), `/import/${spec.kind}/template?format=${format}`);
      const headers: Record<string, string> = { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' };
      const disposition = res.headers.get('content-disposition');
      if (disposition) headers['content-disposition'] = disposition;
      return c.body(new Uint8Array(await res.arrayBuffer()), res.status as ContentfulStatusCode, headers);
    });
    app.post(`/imports/${spec.kind}`, async (c) => {
      const session = c.get('session');
      const form = await c.req.parseBody();
      const file = form.file;
      if (!(file instanceof File) || file.size === 0) {
        const text = say(session.lang, { zh: '请选择要导入的文件', en: 'Choose a file to import' });
        return page(c, { kind: 'error', code: 'VALIDATION_FAILED', text, field: 'file' }, { spec, problems: [] });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const xlsx = bytes[0] === 0x50 && bytes[1] === 0x4b;
      const headers: Record<string, string> = {
        authorization: `Bearer ${session.token}`,
        'content-type': xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
      };
      if (typeof form._key === 'string') headers['idempotency-key'] = form._key;
      const res = await deps.api(spec.apiPath, { method: 'POST', headers, body: bytes });
      const body = (await res.json().catch(() => ({}))) as Record<string, any>;
      if (res.ok) {
        setFlash(c, { kind: 'ok', text: `${say(session.lang, spec.title)}：${doneText(session.lang, spec, body)}` });
        return c.redirect('/console/imports', 303);
      }
      const error = body.error ?? {};
      const flash: Flash = { kind: 'error', code: error.code ?? `HTTP_${res.status}`, text: error.message ?? res.statusText, field: error.field ?? null };
      return page(c, flash, { spec, problems: (error.details?.errors ?? []) as RowProblem[] });
    });
  }
  return app;
}
