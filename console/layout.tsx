import type { Child } from 'hono/jsx';
import { mayPerform, type Command } from '../domain/authorization.js';
import { numeric, shown } from './format.js';
import { DEFAULT_LANG, label, say, term, type Lang, type View, type Words } from './i18n.js';
import type { Kind } from './words/index.js';
import type { Flash } from './flash.js';
import type { ConsoleSession } from './session.js';

const STYLE = `
body{font-family:"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:0;color:#1d232a}
header{background:#1d3557;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}header a,header strong{white-space:nowrap}
header a{color:#fff;text-decoration:none}header strong{margin-right:1rem}
main{padding:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.business{background:#f8fff4}.workflow{background:#f5f8ff}.failed{color:#b00020}
form{margin:.5rem 0}input,select{margin-right:.5rem}.muted{color:#667}
header form{margin:0 0 0 auto}header button{background:none;border:1px solid #fff;color:#fff;cursor:pointer}
.flash{padding:.5rem .8rem;border-radius:4px;margin:.5rem 0}.flash.ok{background:#e6f4ea;color:#1e4620}
.flash.error{background:#fdecea;color:#8a1c1c}.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.actions form{border:1px solid #ddd;border-radius:4px;padding:.5rem;margin:0}input.qty{width:6rem}
`;

/** The one hidden field every console form carries (console/session.ts checks it). */
export function CsrfField(props: { session: ConsoleSession }) {
  return <input type="hidden" name="_csrf" value={props.session.csrfToken} />;
}

/** The outcome of the last form: a success line, or the API's refusal with its code and field. */
export function FlashMessage(props: { flash: Flash | undefined }) {
  const f = props.flash;
  if (!f) return <></>;
  if (f.kind === 'ok') return <p class="flash ok" role="status">{f.text}</p>;
  return (
    <p class="flash error" role="alert">
      <strong>{f.code}</strong>: {f.text}
      {f.field ? <> (field <code>{f.field}</code>)</> : ''}
    </p>
  );
}

/** The menu: each entry is shown when the role may use it. Areas add their pages here. */
export interface MenuEntry {
  href: string;
  words: Words;
  /** The permission that shows this entry; none: everyone signed in. */
  needs?: Command;
}

export const MENU: readonly MenuEntry[] = [
  { href: '/console/dashboard', words: { zh: '经营看板', en: 'Dashboard' } },
  { href: '/console', words: { zh: '销售订单', en: 'Orders' } },
  { href: '/console/orders/new', words: { zh: '新建订单', en: 'New order' }, needs: 'createOrder' },
  { href: '/console/inbox', words: { zh: '待我审批', en: 'Waiting for me' }, needs: 'approve' },
  { href: '/console/quotations', words: { zh: '报价单', en: 'Quotations' } },
  { href: '/console/reports/expected-shipments', words: { zh: '预计出货', en: 'Expected shipments' } },
  { href: '/console/reports/sales-ranking', words: { zh: '销售排行', en: 'Sales ranking' } },
  { href: '/console/reports/customer-contribution', words: { zh: '客户贡献', en: 'Contribution' } },
  { href: '/console/reports/gross-margin', words: { zh: '毛利', en: 'Gross margin' } },
  { href: '/console/reports/customer-sales-detail', words: { zh: '客户销货明细', en: 'Customer sales' } },
  { href: '/console/reports/product-transactions', words: { zh: '产品交易记录', en: 'Product history' } },
  { href: '/console/finance', words: { zh: '财务', en: 'Finance' }, needs: 'listStuckPayments' },
  { href: '/console/finance/write-offs', words: { zh: '坏账核销审批', en: 'Write-offs' }, needs: 'decideWriteOff' },
  { href: '/console/finance/books', words: { zh: '总账', en: 'Books' }, needs: 'readBooks' },
  { href: '/console/finance/exchange-rates', words: { zh: '汇率', en: 'Exchange rates' }, needs: 'listStuckPayments' },
  { href: '/console/customers', words: { zh: '客户', en: 'Customers' } },
  { href: '/console/products', words: { zh: '产品', en: 'Products' } },
  { href: '/console/stock-moves', words: { zh: '出入库', en: 'Stock moves' }, needs: 'receiveStock' },
  { href: '/console/master-data', words: { zh: '基础资料', en: 'Master data' } },
  { href: '/console/imports', words: { zh: '批量导入', en: 'Imports' } },
  { href: '/console/authority', words: { zh: '权限管理', en: 'Authority' }, needs: 'manageAuthority' },
  { href: '/console/notification-routing', words: { zh: '通知设置', en: 'Notifications' }, needs: 'manageNotifications' },
  { href: '/docs', words: { zh: 'API 文档', en: 'API' } },
];

/** The page frame: the menu, who is signed in, the language switch, and the last form's outcome. */
export function Layout(props: { title: string; session?: ConsoleSession | undefined; lang?: Lang; flash?: Flash | undefined; children: Child }) {
  const s = props.session;
  const lang = s?.lang ?? props.lang ?? DEFAULT_LANG;
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <title>{props.title} · {say(lang, { zh: '销售后台', en: 'Sales back office' })}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <strong>{say(lang, { zh: '销售后台', en: 'Sales back office' })}</strong>
          {MENU.filter((m) => s && (!m.needs || mayPerform(s.user.role, m.needs))).map((m) => <a href={m.href}>{say(lang, m.words)}</a>)}
          <a class="lang" href={`/console/lang/${other}?next=${encodeURIComponent('/console')}`} data-lang-switch={other}>{other === 'en' ? 'English' : '中文'}</a>
          {s ? (
            <form method="post" action="/console/logout">
              <span class="who">{s.user.name} ({s.user.role})</span> <CsrfField session={s} />
              <button type="submit">{say(lang, { zh: '退出', en: 'Log out' })}</button>
            </form>
          ) : ''}
        </header>
        <main>
          <h1>{props.title}</h1>
          <FlashMessage flash={props.flash} />
          {props.children}
        </main>
        <script dangerouslySetInnerHTML={{ __html: LANG_SWITCH_BACK }} />
      </body>
    </html>
  );
}

/** The switch returns to the page it was clicked on (the server cannot know it when rendering the header link). */
const LANG_SWITCH_BACK = `document.querySelectorAll('a[data-lang-switch]').forEach(function(a){a.href='/console/lang/'+a.dataset.langSwitch+'?next='+encodeURIComponent(location.pathname+location.search)})`;

/** A column: a field (its header and format from the dictionary, console/words/) or one spelled out here. */
export type Column = string | { key: string; words?: Words; kind?: Kind; nameIn?: string };

/**
 * A table of rows: headers in the user's language, money and quantities grouped and right-aligned, times in the
 * business time zone, flags as yes/no, and a code beside its name where the row carries it.
 */
export function RowsTable(props: {
  view: View;
  columns: readonly Column[];
  rows: readonly Record<string, unknown>[];
  link?: (row: Record<string, unknown>, col: string) => string | undefined;
}) {
  const cols = props.columns.map((c) => {
    const spec = typeof c === 'string' ? { key: c } : c;
    const t = term(spec.key);
    return { key: spec.key, header: spec.words ? say(props.view.lang, spec.words) : label(props.view.lang, spec.key), kind: spec.kind ?? t?.kind, nameIn: spec.nameIn ?? t?.nameIn };
  });
  const shownKeys = new Set(cols.map((c) => c.key));
  return (
    <table>
      <thead>
        <tr>{cols.map((c) => <th data-key={c.key}>{c.header}</th>)}</tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            {cols.map((c) => {
              const v = shown(r[c.key], c.kind, props.view);
              // The name goes beside the code unless the table has its own column for it.
              const name = c.nameIn && !shownKeys.has(c.nameIn) && r[c.nameIn] != null ? ` ${String(r[c.nameIn])}` : '';
              const href = props.link?.(r, c.key);
              return <td class={numeric(c.kind) ? 'num' : ''}>{href ? <a href={href}>{v}</a> : v}{name}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
