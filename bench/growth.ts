import { statSync } from 'node:fs';
import v8 from 'node:v8';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { orderWorkflowId } from '../workflows/sales-order/definitions.js';
import { apiClient, benchProduct, latency, lifecycle, type Api } from './scenarios.js';
import { rssMiB, type BenchStack } from './stack.js';
import { percentile, pool, round } from './stats.js';

/**
 * Issue 20 item 5, cost as the work grows: the lifecycle and the approval
 * latency measured again with thousands of orders open (real workflows with
 * their rows, started through the API and left waiting for approval, delivery
 * or payment), and the cost per command of an order that delivers 200 times
 * and so continues as new, against orders that deliver twice.
 */
export interface GrowthOptions {
  openOrders: number;
  /** The measured lifecycle's size and clients, as in the main run. */
  orders: number;
  clients: number;
  /** How many API calls the open orders are created with at once. */
  openClients?: number;
  deliveries?: number;
  log?: (line: string) => void;
}

type Call = ReturnType<Api['call']>;
type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

/**
 * The worker's workflow cache (maxCachedWorkflows): WORKER_CACHED_WORKFLOWS when the bench is given it, else the
 * SDK's default for the worker's heap limit, by the SDK's own rule (worker-options.js, reuseV8Context on);
 * the worker runs on this Node with the same options, so the same heap limit.
 */
const workerCacheSize = () =>
  process.env.WORKER_CACHED_WORKFLOWS
    ? Number(process.env.WORKER_CACHED_WORKFLOWS)
    : Math.max(Math.floor((Math.max(v8.getHeapStatistics().heap_size_limit / 2 ** 20 - 200, 0) * 600) / 1024), 10);

async function ok(p: Call, what: string) {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The Temporal dev server's SQLite file with its write-ahead log, in MiB (null on an external server). */
function dbMiB(file: string | undefined) {
  if (!file) return null;
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  return { db: round(size(file) / 2 ** 20, 2), wal: round(size(`${file}-wal`) / 2 ** 20, 2), total: round((size(file) + size(`${file}-wal`)) / 2 ** 20, 2) };
}

/** The lifecycle's rate and approval latency as the main run measures them (BENCH-P, C0002). */
async function measured(stack: BenchStack, client: Client, o: GrowthOptions) {
  const run = await lifecycle(stack, client, o.orders, o.clients, 'BENCH-P');
  return { ordersPerSecond: run.ordersPerSecond, approveMs: latency(run.approveMs) };
}

export async function growthScenario(stack: BenchStack, client: Client, o: GrowthOptions) {
  const log = o.log ?? console.log;
  const api = apiClient(stack.apiUrl);
  const tag = Date.now().toString(36).toUpperCase();
  const product = `GROWTH-${tag}`;
  await benchProduct(stack, product, '100000000');
  // A customer of their own without credit control: the open orders must not make the measured
  // orders' customer (C0002) wait on a credit check, nor be refused one themselves.
  const customer = `GR${tag}`;
  await stack.sql`INSERT INTO customers (code, name, settlement_days, credit_control) VALUES (${customer}, ${'Bench growth ' + tag}, 60, 'none')`;
  const order = (quantity: string) => ({ customerCode: customer, lines: [{ productCode: product, warehouseCode: 'WH-SH', quantity }] });

  log(`› growth: an order delivered ${o.deliveries ?? 200} times against orders delivered twice…`);
  const longOrder = await manyDeliveries(api, client, order, o.deliveries ?? 200);

  log(`› growth: ${o.orders} orders with few open…`);
  const few = await measured(stack, client, o);
  const rssBefore = rssMiB(stack.workerPid());
  const dbBefore = dbMiB(stack.temporalDbFile);

  log(`› growth: opening ${o.openOrders.toLocaleString('en-US')} orders (a third each waiting for approval, delivery, payment)…`);
  const started = performance.now();
  let done = 0;
  const every = Math.max(100, Math.round(o.openOrders / 2000) * 100);
  const numbers = await pool(o.openOrders, o.openClients ?? 16, async (i) => {
    const created = await ok(api.call('POST', '/orders', 'clerk.li', order('1')), 'create');
    const n = created.order.number as string;
    if (i % 3 >= 1) await ok(api.call('POST', `/orders/${n}/approve`, 'manager.wang', {}), 'approve');
    if (i % 3 === 2) {
      await ok(api.call('POST', `/orders/${n}/deliver`, 'warehouse.zhao', {}), 'deliver');
      await ok(api.call('POST', `/orders/${n}/invoice`, 'finance.chen', {}), 'invoice');
    }
    if (++done % every === 0 || done === o.openOrders) {
      const s = (performance.now() - started) / 1000;
      log(`    ${done} open · ${round(s)} s · ${round(done / s)} orders/s · worker RSS ${rssMiB(stack.workerPid())} MiB · Temporal db ${dbMiB(stack.temporalDbFile)?.total} MiB`);
    }
    return n;
  });
  const openSeconds = round((performance.now() - started) / 1000);
  // They are what they claim: rows in their states, and workflows running on Temporal.
  const states = await stack.sql<{ status: string; count: number }[]>`
    SELECT status, count(*)::int AS count FROM sales_orders WHERE number = ANY(${numbers}) GROUP BY 1 ORDER BY 1`;
  const running = (await client.workflow.count(`ExecutionStatus = 'Running' AND WorkflowType = 'salesOrder'`)).count;
  const rssAfter = rssMiB(stack.workerPid());
  const dbAfter = dbMiB(stack.temporalDbFile);

  log(`› growth: ${o.orders} orders with ${o.openOrders.toLocaleString('en-US')} open…`);
  const many = await measured(stack, client, o);
  const perOpen = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : round(((b - a) * 1024) / o.openOrders, 2));
  return {
    openOrders: o.openOrders,
    openSeconds,
    openPerSecond: round(o.openOrders / openSeconds, 1),
    states: Object.fromEntries(states.map((s) => [s.status, s.count])),
    runningOrderWorkflows: running,
    few,
    many,
    rateRatio: round(many.ordersPerSecond / few.ordersPerSecond, 2),
    approveP99Ratio: round(many.approveMs.p99 / few.approveMs.p99, 2),
    target: 'within 20%: rate ratio >= 0.80, p99 ratio <= 1.20',
    maxCachedWorkflows: workerCacheSize(),
    workerRssMiB: { before: rssBefore, after: rssAfter, rssAfterMeasured: rssMiB(stack.workerPid()), kibPerOpenOrder: perOpen(rssBefore, rssAfter) },
    temporalDbMiB: { before: dbBefore, after: dbAfter, kibPerOpenOrder: perOpen(dbBefore?.total, dbAfter?.total) },
    longOrder,
  };
}

export type GrowthResult = Awaited<ReturnType<typeof growthScenario>>;

/**
 * One order delivered `deliveries` times, one unit each, and, between every
 * tenth of them, an order of 2 delivered twice: the same client, one command at
 * a time, so a noisy moment hurts both alike.
 */
async function manyDeliveries(api: Api, client: Client, order: (q: string) => object, deliveries: number) {
  const open = async (quantity: string) => {
    const n = (await ok(api.call('POST', '/orders', 'clerk.li', order(quantity)), 'create')).order.number as string;
    await ok(api.call('POST', `/orders/${n}/approve`, 'manager.wang', {}), 'approve');
    return n;
  };
  const deliverOne = async (n: string, into: number[]) => {
    const t0 = performance.now();
    await ok(api.call('POST', `/orders/${n}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 1, quantity: '1' }] }), 'deliver');
    into.push(performance.now() - t0);
  };
  const long = await open(String(deliveries));
  const firstRunId = (await client.workflow.getHandle(orderWorkflowId(long)).describe()).runId;
  const longMs: number[] = [];
  const shortMs: number[] = [];
  for (let i = 0; i < deliveries; i++) {
    await deliverOne(long, longMs);
    if (i % 10 === 9) {
      const short = await open('2');
      await deliverOne(short, shortMs);
      await deliverOne(short, shortMs);
    }
  }
  // The chain of runs, from the first run's history to the one running now.
  const runs: { runId: string; events: number }[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const events: HistoryEvents = (await client.workflow.getHandle(orderWorkflowId(long), runId).fetchHistory()).events ?? [];
    runs.push({ runId, events: events.length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  const last = await client.workflow.getHandle(orderWorkflowId(long)).describe();
  const stats = (ms: number[]) => ({ mean: round(ms.reduce((a, b) => a + b, 0) / ms.length), p99: round(percentile(ms, 99)), max: round(Math.max(...ms)), n: ms.length });
  const lastTenth = longMs.slice(-Math.max(1, Math.floor(deliveries / 10)));
  return {
    orderNumber: long,
    deliveries,
    long: stats(longMs),
    longLastTenth: stats(lastTenth),
    short: stats(shortMs),
    meanRatio: round(stats(longMs).mean / stats(shortMs).mean, 2),
    p99Ratio: round(stats(longMs).p99 / stats(shortMs).p99, 2),
    runs: runs.length,
    continuedAsNew: runs.length > 1 && last.runId === runs.at(-1)!.runId,
    eventsPerRun: runs.map((r) => r.events),
    lastRun: { historyLength: last.historyLength, historyBytes: Number(last.raw.workflowExecutionInfo?.historySizeBytes ?? 0) },
  };
}

type Cells = [string, string, string, string, string];

/** The table rows: measure, with few open orders / with many, ratio, target. */
export function growthRows(emit: (cells: Cells) => void, g: GrowthResult) {
  const n = g.openOrders.toLocaleString('en-US');
  emit([`growth: ${n} open orders started in s`, String(g.openSeconds), `${g.openPerSecond} orders/s`, '', JSON.stringify(g.states)]);
  emit(['  lifecycle orders/s, many vs few open', String(g.many.ordersPerSecond), String(g.few.ordersPerSecond), String(g.rateRatio), '≥ 0.80']);
  emit(['  approve p99 ms, many vs few open', String(g.many.approveMs.p99), String(g.few.approveMs.p99), String(g.approveP99Ratio), '≤ 1.20']);
  const rss = g.workerRssMiB;
  emit(['  worker RSS MiB after / before', `${rss.after} / ${rss.before}`, `${rss.kibPerOpenOrder} KiB/open`, '', `cache ${g.maxCachedWorkflows} wf${process.env.WORKER_CACHED_WORKFLOWS ? '' : ' (SDK default)'}`]);
  const db = g.temporalDbMiB;
  emit(['  Temporal db+wal MiB after / before', `${db.after?.total} / ${db.before?.total}`, `${db.kibPerOpenOrder} KiB/open`, '', '']);
  const l = g.longOrder;
  emit([`  ${l.deliveries} deliveries: ms/command mean / p99`, `${l.long.mean} / ${l.long.p99}`, `${l.short.mean} / ${l.short.p99}`, `${l.meanRatio} / ${l.p99Ratio}`, 'same as 2 deliveries']);
  emit(['  runs (continued as new) · last run', `${l.runs} (${l.continuedAsNew})`, `${l.lastRun.historyLength} ev, ${l.lastRun.historyBytes} B`, '', '> 1 run']);
}
