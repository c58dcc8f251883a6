import type { Child } from 'hono/jsx';

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1d232a}
header{background:#1d3557;color:#fff;padding:.6rem 1rem;display:flex;gap:1.2rem;align-items:center}
header a{color:#fff;text-decoration:none}header strong{margin-right:1rem}
main{padding:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.business{background:#f8fff4}.workflow{background:#f5f8ff}.failed{color:#b00020}
form{margin:.5rem 0}input,select{margin-right:.5rem}.muted{color:#667}
`;

/** The page frame: navigation to orders and each report. */
export function Layout(props: { title: string; children: Child }) {
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
          <a href="/console/reports/expected-shipments">预计出货</a>
          <a href="/console/reports/sales-ranking">Sales ranking</a>
          <a href="/console/reports/customer-contribution">Contribution</a>
          <a href="/console/reports/gross-margin">Gross margin</a>
          <a href="/docs">API</a>
        </header>
        <main>
          <h1>{props.title}</h1>
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
