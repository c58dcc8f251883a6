import type { Child } from 'hono/jsx';
import { mayPerform } from '../domain/authorization.js';
import type { Flash } from './flash.js';
import type { ConsoleSession } from './session.js';

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1d232a}
header{background:#1d3557;color:#fff;padding:.6rem 1rem;display:flex;gap:1.2rem;align-items:center}
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

/** The page frame: navigation to orders and each report, who is signed in, and the last form's outcome. */
export function Layout(props: { title: string; session?: ConsoleSession | undefined; flash?: Flash | undefined; children: Child }) {
  const s = props.session;
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <title>{props.title} · Sales back office</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <strong>Sales back office</strong>
          <a href="/console">Orders</a>
          {s && mayPerform(s.user.role, 'createOrder') ? <a href="/console/orders/new">New order</a> : ''}
          <a href="/console/reports/expected-shipments">预计出货</a>
          <a href="/console/reports/sales-ranking">Sales ranking</a>
          <a href="/console/reports/customer-contribution">Contribution</a>
          <a href="/console/reports/gross-margin">Gross margin</a>
          {s && mayPerform(s.user.role, 'listStuckPayments') ? <a href="/console/finance">Finance</a> : ''}
          <a href="/console/customers">Customers</a>
          <a href="/console/products">Products</a>
          <a href="/docs">API</a>
          {s ? (
            <form method="post" action="/console/logout">
              <span class="who">{s.user.name} ({s.user.role})</span> <CsrfField session={s} />
              <button type="submit">Log out</button>
            </form>
          ) : ''}
        </header>
        <main>
          <h1>{props.title}</h1>
          <FlashMessage flash={props.flash} />
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A table of plain rows: one column per key, amounts and quantities right-aligned. */
export function RowsTable(props: { columns: readonly string[]; rows: readonly Record<string, unknown>[]; link?: (row: Record<string, unknown>, col: string) => string | undefined }) {
  return (
    <table>
      <thead>
        <tr>{props.columns.map((c) => <th>{c}</th>)}</tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            {props.columns.map((c) => {
              const v = r[c] == null ? '' : String(r[c]);
              const href = props.link?.(r, c);
              return <td class={/^-?\d+(\.\d+)?$/.test(v) ? 'num' : ''}>{href ? <a href={href}>{v}</a> : v}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
