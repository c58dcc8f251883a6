import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { mayPerform, type Role } from '../../domain/authorization.js';
import { addDays, businessDate } from '../../domain/calendar.js';
import { dec, money, sum } from '../../domain/decimal.js';
import { AGING_BUCKETS } from '../../domain/receivables.js';
import { ordersPerDay } from '../../db/dashboard.js';
import { listOrders } from '../../db/orders.js';
import { aging } from '../../db/receivables.js';
import { salesBy } from '../../db/reports/sales-by.js';
import { PAYMENT_STEPS, stuckPayments } from '../../db/stuck-payments.js';
import { approvalInbox, type InboxDeps } from '../approvals/inbox.js';
import { IsoDate, json } from '../schemas.js';
import { validationHook } from '../validation.js';

export interface DashboardDeps extends InboxDeps {
  timeZone: string;
  now?: () => Date;
}

/** The days of the daily trend and the months of the monthly one, each ending with the dashboard's day. */
export const TREND_DAYS = 30;
export const TREND_MONTHS = 12;
/** How many report queries run at once: the dashboard must not take every connection of the pool. */
const AT_ONCE = 4;

const Figures = z
  .object({
    from: z.string().openapi({ description: 'first business date, inclusive' }),
    to: z.string().openapi({ description: 'last business date, inclusive' }),
    orders: z.number().int().openapi({ description: 'sales orders taken (created) in the period, whatever became of them' }),
    net: z.string().openapi({ description: 'sales: the net of the sales-ranking report (/reports/sales-ranking) for the same period' }),
    margin: z.string().openapi({ description: 'that net less its cost, as the gross-margin report counts it' }),
  })
  .openapi('DashboardFigures');
type Figures = z.infer<typeof Figures>;

const Ranked = z.object({ rank: z.number().int(), code: z.string(), name: z.string(), quantity: z.string().optional(), net: z.string() });

const Dashboard = z
  .object({
    asOf: z.string().openapi({ description: 'the business day the dashboard is for: today unless asked' }),
    today: Figures,
    month: Figures.openapi({ description: 'the month of asOf, up to asOf' }),
    topProducts: z.array(Ranked).openapi({ description: "this month's first 10 of /reports/sales-ranking?by=product" }),
    topCustomers: z.array(Ranked).openapi({ description: "this month's first 10 of /reports/sales-ranking?by=customer" }),
    approvals: z.object({
      unapproved: z.number().int().openapi({ description: 'orders waiting for approval (status Unapproved)' }),
      waitingForMe: z.number().int().nullable().openapi({ description: "the caller's 待我审批 (/approvals/inbox total); null for a role that does not approve" }),
    }),
    stuckPayments: z
      .array(z.object({ step: z.enum(PAYMENT_STEPS), orders: z.number().int(), amountDue: z.string() }))
      .nullable()
      .openapi({ description: '/finance/stuck-payments per step as of asOf; null for a role that may not read it' }),
    aging: z
      .array(z.object({ bucket: z.enum(AGING_BUCKETS), amount: z.string() }))
      .nullable()
      .openapi({ description: '/finance/aging summed over payers per bucket as of asOf; null for a role that may not read it' }),
    trend: z.object({
      daily: z.array(Figures).openapi({ description: `the last ${TREND_DAYS} days, oldest first` }),
      monthly: z.array(Figures).openapi({ description: `the last ${TREND_MONTHS} months, oldest first; the last one is month` }),
    }),
  })
  .openapi('Dashboard');
export type DashboardData = z.infer<typeof Dashboard>;

const route = createRoute({
  method: 'get',
  path: '/dashboard',
  tags: ['Reports'],
  summary: '经营看板 Dashboard: orders and sales today and this month, top 10, approvals waiting, stuck payments, aging, trends',
  description:
    'Every figure comes from the function behind its report or list, so it equals that report for the same period: sales from ' +
    '/reports/sales-ranking, stuck payments from /finance/stuck-payments, aging from /finance/aging, approvals from /approvals/inbox. ' +
    'Stuck payments and aging only for the roles that may read finance; waitingForMe only for the roles that approve.',
  request: {
    query: z.object({
      asOf: IsoDate.refine((v) => v >= '1000-01-01', 'the trend reaches a year back: from 1000-01-01 on')
        .optional()
        .openapi({ description: 'the business day to show (default: today); the trends end on it' }),
    }),
  },
  responses: { 200: json(Dashboard, 'The figures, each with the period it covers') },
});

/** The first day of the month `back` months before the month of `day`. */
function monthStart(day: string, back: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 10);
}

/** Runs the tasks a few at a time, answering in their order. */
async function fewAtOnce<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += AT_ONCE) out.push(...(await Promise.all(tasks.slice(i, i + AT_ONCE).map((t) => t()))));
  return out;
}

/** Everything on the dashboard for one user (what their role may see) as of one business day. */
export async function dashboard(deps: DashboardDeps, user: { name: string; role: Role }, asOf: string): Promise<DashboardData> {
  const { sql, timeZone } = deps;
  const sales = (from: string, to: string, by: 'product' | 'customer', limit: number) => salesBy(sql, timeZone, { by, from, to, limit, offset: 0 });
  const days = Array.from({ length: TREND_DAYS }, (_, i) => addDays(asOf, i - TREND_DAYS + 1));
  const months = Array.from({ length: TREND_MONTHS }, (_, i) => {
    const from = monthStart(asOf, TREND_MONTHS - 1 - i);
    return { from, to: i === TREND_MONTHS - 1 ? asOf : addDays(monthStart(asOf, TREND_MONTHS - 2 - i), -1) };
  });
  const thisMonth = months.at(-1)!;
  const [[orderCounts, products, customers], periods] = await Promise.all([
    Promise.all([ordersPerDay(sql, timeZone, months[0]!.from, asOf), sales(thisMonth.from, asOf, 'product', 10), sales(thisMonth.from, asOf, 'customer', 10)]),
    fewAtOnce([...days.map((d) => () => sales(d, d, 'customer', 1)), ...months.slice(0, -1).map((m) => () => sales(m.from, m.to, 'customer', 1))]),
  ]);
  const ordersIn = (from: string, to: string) => [...orderCounts.entries()].reduce((n, [day, count]) => (day >= from && day <= to ? n + count : n), 0);
  const figures = (from: string, to: string, totals: Record<string, string> | undefined): Figures => ({
    from,
    to,
    orders: ordersIn(from, to),
    net: totals?.net ?? '0.00',
    margin: totals?.margin ?? '0.00',
  });
  const daily = days.map((d, i) => figures(d, d, periods[i]!.totals));
  const month = figures(thisMonth.from, asOf, customers.totals);
  const monthly = [...months.slice(0, -1).map((m, i) => figures(m.from, m.to, periods[TREND_DAYS + i]!.totals)), month];
  const mayReadFinance = mayPerform(user.role, 'listStuckPayments');
  const [unapproved, inbox, stuck, payers] = await Promise.all([
    listOrders(sql, { status: 'Unapproved', limit: 1, offset: 0 }),
    mayPerform(user.role, 'approve') ? approvalInbox(deps, user.name, { limit: 1, offset: 0 }) : undefined,
    mayReadFinance ? Promise.all(PAYMENT_STEPS.map((step) => stuckPayments(sql, { asOf, step, limit: 1, offset: 0 }).then((p) => ({ step, orders: p.total, amountDue: p.totals?.amountDue ?? '0.00' })))) : null,
    mayReadFinance ? aging(sql, asOf) : undefined,
  ]);
  const ranked = (rows: typeof products.items) => rows.map((r) => ({ rank: r.rank, code: r.code, name: r.name, ...(r.quantity ? { quantity: r.quantity } : {}), net: r.net }));
  return {
    asOf,
    today: daily.at(-1)!,
    month,
    topProducts: ranked(products.items),
    topCustomers: ranked(customers.items),
    approvals: { unapproved: unapproved.total, waitingForMe: inbox ? inbox.total : null },
    stuckPayments: stuck,
    aging: payers ? AGING_BUCKETS.map((bucket) => ({ bucket, amount: money(sum(payers.map((p) => dec(p[bucket])))) })) : null,
    trend: { daily, monthly },
  };
}

/** GET /reports/dashboard: the console's 经营看板 reads it, and any client may. */
export function dashboardRoutes(deps: DashboardDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const asOf = c.req.valid('query').asOf ?? businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);
    return c.json(await dashboard(deps, c.get('user'), asOf), 200);
  });
  return app;
}
