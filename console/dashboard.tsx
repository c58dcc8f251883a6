import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { DashboardData } from '../api/reports/dashboard.js';
import { dec, sum } from '../domain/decimal.js';
import { readApi, type ApiCall } from './api-call.js';
import { money } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { Layout } from './layout.js';
import type { ConsoleEnv } from './session.js';
import { DASHBOARD_WORDS as W } from './words/dashboard.js';

/**
 * Chart.js, served from the installed package (pinned in package.json): the page loads nothing from
 * the internet, and the file changes only with the package.
 */
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');
export const CHART_JS_PATH = '/console/assets/chart.umd.js';
let chartJs: Promise<Buffer> | undefined;

/** The chart library's file; registered before sign-in, as the library holds nothing of the business. */
export function dashboardAssets() {
  const app = new Hono();
  app.get('/assets/chart.umd.js', async (c) =>
    c.body(new Uint8Array(await (chartJs ??= readFile(CHART_JS))), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }),
  );
  return app;
}

/** One chart: its bars (or line) per series, the figure each shows as text, and the list each bar opens. */
interface ChartSpec {
  id: string;
  horizontal?: boolean;
  labels: string[];
  series: { label: string; data: number[]; texts: string[]; line?: boolean }[];
  links: string[];
}

const link = (path: string, query: Record<string, string>) => `/console/${path}?${new URLSearchParams(query)}`;
/** The order list of the orders taken in a period: what the order counts count. */
const orderList = (from: string, to: string) => `/console?${new URLSearchParams({ from, to })}`;
const salesList = (from: string, to: string, by: 'product' | 'customer' = 'product') => link('reports/sales-ranking', { by, from, to });

/** Draws every chart the page lists in its JSON; a click on a bar opens the list behind it. */
const DRAW = `(function(){
var specs=JSON.parse(document.getElementById('dashboard-charts').textContent);
specs.forEach(function(s){
  var canvas=document.getElementById(s.id);
  var twoAxes=s.series.some(function(d){return d.line});
  new Chart(canvas,{
    type:'bar',
    data:{labels:s.labels,datasets:s.series.map(function(d){var set={label:d.label,data:d.data,type:d.line?'line':'bar',
      backgroundColor:d.line?'#e76f51':'#457b9d',borderColor:d.line?'#e76f51':'#1d3557',borderWidth:d.line?2:0,pointRadius:d.line?2:0,maxBarThickness:36,order:d.line?0:1};
      if(d.line)set.yAxisID='count';return set})},
    options:{animation:false,maintainAspectRatio:false,indexAxis:s.horizontal?'y':'x',
      scales:twoAxes?{y:{beginAtZero:true},count:{position:'right',beginAtZero:true,grid:{drawOnChartArea:false},ticks:{precision:0}}}:{},
      plugins:{legend:{display:s.series.length>1},tooltip:{callbacks:{label:function(c){return c.dataset.label+': '+s.series[c.datasetIndex].texts[c.dataIndex]}}}},
      onHover:function(e,items){e.native.target.style.cursor=items.length?'pointer':'default'},
      onClick:function(e,items){if(items.length)location.href=s.links[items[0].index]}}
  });
});
})();`;

const STYLE = `
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.8rem;margin:1rem 0}
.kpi{display:block;border:1px solid #dde3ea;border-radius:6px;padding:.6rem .8rem;text-decoration:none;color:inherit}
.kpi:hover{border-color:#457b9d}.kpi .k{color:#667;font-size:.85rem}
.kpi .v{display:block;font-size:1.45rem;font-weight:600;font-variant-numeric:tabular-nums;color:#1d3557}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(30rem,1fr));gap:1rem}
.card{border:1px solid #dde3ea;border-radius:6px;padding:.5rem .8rem}.card h2{font-size:1rem;margin:.2rem 0 .5rem}
.card h2 a{color:#1d3557}.chart{position:relative;height:270px}
`;

function Kpi(props: { name: string; value: string; href: string }) {
  return (
    <a class="kpi" href={props.href} data-figure={props.name}>
      <span class="k">{props.name}</span>
      <span class="v">{props.value}</span>
    </a>
  );
}

function Card(props: { id: string; title: string; href: string }) {
  return (
    <section class="card">
      <h2><a href={props.href}>{props.title}</a></h2>
      <div class="chart"><canvas id={props.id} data-chart={props.id} /></div>
    </section>
  );
}

/** The charts of one dashboard, in the user's language; finance's only when the API gave them. */
function chartsOf(d: DashboardData, lang: Lang): { spec: ChartSpec; title: string; href: string }[] {
  const sales = say(lang, W.sales);
  const orders = say(lang, W.orders);
  const trend = (points: DashboardData['trend']['daily'], name: (p: (typeof points)[number]) => string) => ({
    labels: points.map(name),
    series: [
      { label: sales, data: points.map((p) => Number(p.net)), texts: points.map((p) => money(p.net)) },
      { label: orders, data: points.map((p) => p.orders), texts: points.map((p) => String(p.orders)), line: true },
    ],
    links: points.map((p) => salesList(p.from, p.to)),
  });
  const top = (rows: DashboardData['topProducts'], open: (code: string) => string) => ({
    horizontal: true,
    labels: rows.map((r) => `${r.code} ${r.name}`),
    series: [{ label: sales, data: rows.map((r) => Number(r.net)), texts: rows.map((r) => money(r.net)) }],
    links: rows.map((r) => open(r.code)),
  });
  const { month } = d;
  const charts = [
    { spec: { id: 'daily-sales', ...trend(d.trend.daily, (p) => p.from.slice(5)) }, title: say(lang, W.dailyTrend), href: salesList(d.trend.daily[0]!.from, d.asOf) },
    { spec: { id: 'monthly-sales', ...trend(d.trend.monthly, (p) => p.from.slice(0, 7)) }, title: say(lang, W.monthlyTrend), href: salesList(d.trend.monthly[0]!.from, d.asOf) },
    {
      spec: { id: 'top-products', ...top(d.topProducts, (code) => link('reports/product-transactions', { productCode: code, from: month.from, to: month.to })) },
      title: say(lang, W.topProducts),
      href: salesList(month.from, month.to),
    },
    {
      spec: { id: 'top-customers', ...top(d.topCustomers, (code) => link('reports/customer-sales-detail', { customerCode: code, from: month.from, to: month.to })) },
      title: say(lang, W.topCustomers),
      href: salesList(month.from, month.to, 'customer'),
    },
  ];
  if (d.stuckPayments) {
    const steps = d.stuckPayments;
    charts.push({
      spec: {
        id: 'stuck-payments',
        labels: steps.map((s) => `${label(lang, s.step)} (${s.orders})`),
        series: [{ label: say(lang, W.amountDue), data: steps.map((s) => Number(s.amountDue)), texts: steps.map((s) => `${money(s.amountDue)} · ${s.orders} ${say(lang, W.ordersUnit)}`) }],
        links: steps.map((s) => link('finance', { step: s.step, asOf: d.asOf })),
      },
      title: say(lang, W.stuckPayments),
      href: link('finance', { asOf: d.asOf }),
    });
  }
  if (d.aging) {
    const buckets = d.aging;
    charts.push({
      spec: {
        id: 'aging',
        labels: buckets.map((b) => label(lang, b.bucket)),
        series: [{ label: say(lang, W.amount), data: buckets.map((b) => Number(b.amount)), texts: buckets.map((b) => money(b.amount)) }],
        links: buckets.map(() => link('finance', { asOf: d.asOf })),
      },
      title: say(lang, W.aging),
      href: link('finance', { asOf: d.asOf }),
    });
  }
  return charts;
}

/** 经营看板: today's and this month's figures, the top 10, what waits, and the trends, each linked to its list. */
export function dashboardPages(deps: { api: ApiCall }) {
  const app = new Hono<ConsoleEnv>();
  app.get('/dashboard', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const asked = c.req.query('asOf')?.trim();
    const read = await readApi(deps.api, session, `/reports/dashboard${asked ? `?${new URLSearchParams({ asOf: asked })}` : ''}`);
    const flash = read.ok ? undefined : { kind: 'error' as const, code: read.error.code, text: read.error.message, field: read.error.field };
    const d = read.ok ? (read.body as unknown as DashboardData) : undefined;
    const charts = d ? chartsOf(d, lang) : [];
    const overdue = d?.aging ? sum(d.aging.filter((b) => b.bucket !== 'current').map((b) => dec(b.amount))).toFixed(2) : undefined;
    return c.html(
      <Layout title={`${say(lang, W.title)}${d ? ` · ${d.asOf}` : ''}`} session={session} flash={flash}>
        <style>{STYLE}</style>
        <form method="get">
          <label>{say(lang, W.asOf)} <input name="asOf" type="date" value={d?.asOf ?? asked ?? ''} /></label>
          <button type="submit">{say(lang, W.show)}</button> <span class="muted">{say(lang, W.clickHint)}</span>
        </form>
        {d ? (
          <>
            <div class="kpis">
              <Kpi name={say(lang, W.todayOrders)} value={String(d.today.orders)} href={orderList(d.today.from, d.today.to)} />
              <Kpi name={say(lang, W.todaySales)} value={money(d.today.net)} href={salesList(d.today.from, d.today.to)} />
              <Kpi name={say(lang, W.monthOrders)} value={String(d.month.orders)} href={orderList(d.month.from, d.month.to)} />
              <Kpi name={say(lang, W.monthSales)} value={money(d.month.net)} href={salesList(d.month.from, d.month.to)} />
              <Kpi name={say(lang, W.monthMargin)} value={money(d.month.margin)} href={link('reports/gross-margin', { by: 'product', from: d.month.from, to: d.month.to })} />
              <Kpi name={say(lang, W.unapproved)} value={String(d.approvals.unapproved)} href="/console?status=Unapproved" />
              {d.approvals.waitingForMe !== null ? <Kpi name={say(lang, W.waitingForMe)} value={String(d.approvals.waitingForMe)} href="/console/inbox" /> : ''}
              {overdue ? <Kpi name={say(lang, W.overdue)} value={money(overdue)} href={link('finance', { step: 'overdue', asOf: d.asOf })} /> : ''}
            </div>
            <p class="muted">{say(lang, W.basis)}</p>
            <div class="charts">{charts.map((ch) => <Card id={ch.spec.id} title={ch.title} href={ch.href} />)}</div>
            <script type="application/json" id="dashboard-charts" dangerouslySetInnerHTML={{ __html: JSON.stringify(charts.map((ch) => ch.spec)).replace(/</g, '\\u003c') }} />
            <script src={CHART_JS_PATH} />
            <script dangerouslySetInnerHTML={{ __html: DRAW }} />
          </>
        ) : ''}
      </Layout>,
    );
  });
  return app;
}
