import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { IsoDate } from '../contracts/numbers.js';
import { Code } from '../contracts/text.js';
import { creditNotePrint, deliveryNotePrint, invoicePrint } from '../db/documents/billing.js';
import { isDocumentKind, type DocumentKind, type PrintableDocument } from '../db/documents/model.js';
import { changePrint, orderPrint, quotationPrint } from '../db/documents/sales.js';
import { statementPrint } from '../db/documents/statement.js';
import { mayPerform, type Command } from '../domain/authorization.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';
import { DocumentFontMissing, documentPdf } from './document-pdf.js';
import { LABELS, sheetOf, type Sheet } from './document-sheet.js';
import { LANGS, say, type Lang, type Words } from './i18n.js';
import type { ConsoleDeps } from './index.js';
import { takeFlash } from './flash.js';
import { InvoiceTaxForm, postInvoiceTaxData } from './invoice-tax-form.js';
import { Layout } from './layout.js';
import type { ConsoleEnv } from './session.js';

/**
 * Printable documents: `/console/documents/:kind/:number` (the page, with Print and
 * PDF links), `…/print` (a bare A4 print view) and `…/pdf` (the download). A change
 * is `?version=N` of an order; a statement is a customer code with `?from=&to=`.
 */

/** Who may read each kind: what the API lets them read (finance's statement is finance's, as /finance/statement). */
const READ: Record<DocumentKind, Command> = {
  quotation: 'read',
  order: 'read',
  change: 'read',
  'delivery-note': 'read',
  invoice: 'read',
  'credit-note': 'read',
  statement: 'listStuckPayments',
};

type Refusal = { status: 400 | 403 | 404; words: Words; detail: string };
type Found = { doc: PrintableDocument; lang: Lang; filename: string };

const refuse = (status: Refusal['status'], detail: string): Refusal => ({
  status,
  detail,
  words: status === 400 ? LABELS.badRequest : status === 403 ? LABELS.forbidden : LABELS.notFound,
});

/** A version as the address gives it: 1 … 9999 (change documents are numbered 0001 … 9999). */
function versionOf(text: string | undefined): number | Refusal | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1) return refuse(400, 'version: must be a whole number from 1 to 9999');
  return Number(text);
}

function dateOf(field: 'from' | 'to', text: string | undefined): string | Refusal {
  if (text === undefined) return refuse(400, `${field}: required, a date as YYYY-MM-DD`);
  const parsed = IsoDate.safeParse(text);
  return parsed.success ? parsed.data : refuse(400, `${field}: ${parsed.error.issues[0]?.message ?? 'a date as YYYY-MM-DD'}`);
}

const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && 'status' in v;

async function load(deps: ConsoleDeps, c: Context<ConsoleEnv>): Promise<Found | Refusal> {
  const kind = c.req.param('kind') ?? '';
  const number = c.req.param('number') ?? '';
  if (!isDocumentKind(kind)) return refuse(404, `no document kind ${kind}`);
  if (!mayPerform(c.get('session').user.role, READ[kind])) return refuse(403, `role ${c.get('session').user.role} may not read ${kind} documents`);
  // The user's language, or another for this copy (?lang=en prints an English one).
  const asked = c.req.query('lang');
  if (asked !== undefined && !(LANGS as readonly string[]).includes(asked)) return refuse(400, `lang: one of ${LANGS.join(', ')}`);
  const lang = (asked as Lang | undefined) ?? c.get('session').lang;
  const missing = refuse(404, `${kind} ${number}`);
  const { sql, timeZone } = deps;
  if (kind === 'statement') {
    if (!Code.safeParse(number).success) return missing;
    const from = dateOf('from', c.req.query('from'));
    if (isRefusal(from)) return from;
    const to = dateOf('to', c.req.query('to'));
    if (isRefusal(to)) return to;
    if (from > to) return refuse(400, 'to: must not be before from');
    const doc = await statementPrint(sql, timeZone, number, from, to, new Date());
    return doc ? { doc, lang, filename: `${number}_${from}_${to}` } : missing;
  }
  if (!DOCUMENT_NUMBER.test(number) || number.length > 60) return missing;
  const version = versionOf(c.req.query('version'));
  if (isRefusal(version)) return version;
  let doc: PrintableDocument | undefined;
  let filename = number;
  if (kind === 'change') {
    if (version === undefined) return refuse(400, 'version: required, the change version (1 … 9999)');
    doc = await changePrint(sql, timeZone, number, version);
    filename = `${number}_${String(version).padStart(4, '0')}`;
  } else if (kind === 'quotation') doc = await quotationPrint(sql, timeZone, number, version);
  else if (kind === 'order') doc = await orderPrint(sql, timeZone, number);
  else if (kind === 'delivery-note') doc = await deliveryNotePrint(sql, timeZone, number);
  else if (kind === 'invoice') doc = await invoicePrint(sql, number);
  else doc = await creditNotePrint(sql, number);
  return doc ? { doc, lang, filename } : missing;
}

/** A4 with page numbers, for the print view only. */
const PAGE_STYLE = '@page{size:A4;margin:14mm 12mm 16mm;@bottom-right{content:counter(page) " / " counter(pages);font-size:8pt;color:#555}}';
const SHEET_STYLE = `
.doc{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#000;font-size:9.5pt;max-width:186mm}
.doc-head{display:flex;justify-content:space-between;border-bottom:1.5pt solid #000;padding-bottom:6pt;margin-bottom:8pt}
.doc-head .company strong{font-size:13pt}.doc-head .company div{color:#555;font-size:8pt}
.doc-head .title{text-align:right}.doc-head .title .zh{font-size:18pt;font-weight:bold}.doc-head .title .en{color:#555}
.doc-info{display:flex;justify-content:space-between;gap:12pt;margin-bottom:8pt}
.doc-info dl{display:grid;grid-template-columns:auto 1fr;gap:1pt 8pt;margin:0}.doc-info dt{color:#555}.doc-info dd{margin:0}
table.doc-lines{border-collapse:collapse;width:100%;font-size:8.5pt}
.doc-lines thead{display:table-header-group}.doc-lines tr{break-inside:avoid}
.doc-lines th{background:#eee;text-align:left}.doc-lines th,.doc-lines td{border-bottom:.5pt solid #999;padding:2pt 3pt;vertical-align:top}
.doc-lines .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.doc table.doc-totals{width:auto;margin:8pt 0 0 auto;font-size:9.5pt;border-collapse:collapse}
.doc .doc-totals th{background:none;border:0;text-align:right;color:#555;font-weight:normal;padding:1pt 10pt 1pt 0}
.doc .doc-totals td{border:0;padding:1pt 3pt;text-align:right;font-weight:bold;font-variant-numeric:tabular-nums}
`;

/** The sheet as HTML: one markup for the console page and the print view. */
function SheetView(props: { sheet: Sheet; lang: Lang }) {
  const { sheet, lang } = props;
  const t = (w: Words) => say(lang, w);
  const company = sheet.company;
  const customer = sheet.customer;
  return (
    <article class="doc">
      <div class="doc-head">
        <div class="company">
          <strong>{company.name}</strong>
          <div>{company.address}</div>
          <div>
            {company.taxId ? `${t(LABELS.taxId)}: ${company.taxId}` : ''} {company.phone ? `${t(LABELS.phone)}: ${company.phone}` : ''}
          </div>
        </div>
        <div class="title">
          <div class="zh">{sheet.title.zh}</div>
          <div class="en">{sheet.title.en}</div>
        </div>
      </div>
      <div class="doc-info">
        <dl>
          <dt>{t(LABELS.customer)}</dt><dd>{customer.code} {customer.name}</dd>
          {customer.address ? <><dt>{t(LABELS.address)}</dt><dd>{customer.address}</dd></> : ''}
          {customer.taxId ? <><dt>{t(LABELS.taxId)}</dt><dd>{customer.taxId}</dd></> : ''}
        </dl>
        <dl>
          <dt>{t(LABELS.number)}</dt><dd>{sheet.number}</dd>
          <dt>{t(LABELS.date)}</dt><dd>{sheet.date}</dd>
          <dt>{t(LABELS.currency)}</dt><dd>{sheet.currency}</dd>
          {sheet.facts.map((f) => <><dt>{t(f.label)}</dt><dd>{f.value}</dd></>)}
        </dl>
      </div>
      <table class="doc-lines">
        <thead><tr>{sheet.columns.map((col) => <th class={col.align === 'right' ? 'num' : ''}>{t(col.label)}</th>)}</tr></thead>
        <tbody>
          {sheet.rows.map((row) => <tr>{row.map((cell, i) => <td class={sheet.columns[i]!.align === 'right' ? 'num' : ''}>{cell}</td>)}</tr>)}
        </tbody>
      </table>
      <table class="doc-totals">
        {sheet.totals.map((x) => <tr><th>{t(x.label)}</th><td>{x.value} {sheet.currency}</td></tr>)}
      </table>
    </article>
  );
}

/** `attachment` with the number as the file name; anything but letters, digits, dot, dash and underscore becomes _. */
const attachment = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}.pdf`;

export function documentRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>();
  const refusal = (c: Context<ConsoleEnv>, r: Refusal) =>
    c.html(
      <Layout title={`${r.words.zh} ${r.words.en}`} session={c.get('session')}>
        <p>{r.detail}</p>
      </Layout>,
      r.status,
    );

  app.get('/documents/:kind/:number', async (c) => {
    const found = await load(deps, c);
    if (isRefusal(found)) return refusal(c, found);
    const sheet = sheetOf(found.doc, found.lang);
    const query = new URL(c.req.url).search;
    const base = `/console/documents/${found.doc.kind}/${encodeURIComponent(c.req.param('number'))}`;
    return c.html(
      <Layout title={`${sheet.title.zh} ${sheet.title.en} ${sheet.number}`} session={c.get('session')} flash={takeFlash(c)}>
        <style>{raw(SHEET_STYLE)}</style>
        <p>
          <a href={`${base}/print${query}`} target="_blank">{say(found.lang, LABELS.print)}</a> · <a href={`${base}/pdf${query}`}>{say(found.lang, LABELS.pdf)}</a>
        </p>
        <SheetView sheet={sheet} lang={found.lang} />
        {found.doc.kind === 'invoice' ? await InvoiceTaxForm({ api: deps.api, session: c.get('session'), number: found.doc.number }) : ''}
      </Layout>,
    );
  });

  app.post('/documents/invoice/:number/tax-data', async (c) => {
    const number = c.req.param('number');
    if (!DOCUMENT_NUMBER.test(number)) return refusal(c, refuse(404, 'no such invoice'));
    await postInvoiceTaxData(c, deps.api, number);
    return c.redirect(`/console/documents/invoice/${encodeURIComponent(number)}`, 303);
  });

  app.get('/documents/:kind/:number/print', async (c) => {
    const found = await load(deps, c);
    if (isRefusal(found)) return refusal(c, found);
    const sheet = sheetOf(found.doc, found.lang);
    return c.html(
      <html lang={found.lang}>
        <head>
          <meta charset="utf-8" />
          <title>{`${sheet.title.zh} ${sheet.title.en} ${sheet.number}`}</title>
          <style>{raw(PAGE_STYLE + SHEET_STYLE)}</style>
        </head>
        <body>
          <SheetView sheet={sheet} lang={found.lang} />
        </body>
      </html>,
    );
  });

  app.get('/documents/:kind/:number/pdf', async (c) => {
    const found = await load(deps, c);
    if (isRefusal(found)) return refusal(c, found);
    let pdf: Buffer;
    try {
      pdf = await documentPdf(sheetOf(found.doc, found.lang), found.lang);
    } catch (err) {
      if (!(err instanceof DocumentFontMissing)) throw err;
      return c.html(<Layout title="PDF" session={c.get('session')}><p>{err.message}</p></Layout>, 503);
    }
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': attachment(found.filename) });
  });

  return app;
}
