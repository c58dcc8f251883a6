import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { businessConfig } from '../runtime/config.js';
import { importScenario, type ImportResult } from './import.js';
import { readSideScenario, type ReadSideResult } from './read-side/scenario.js';
import { orderWorkflowId } from '../workflows/sales-order/definitions.js';
import { apiClient, bareUpdates, benchProduct, floor, hotProduct, latency, lifecycle, temporalClient } from './scenarios.js';
import { historyBytes, runShape } from './shape.js';
import { growthRows, growthScenario } from './growth.js';
import { cpuPerOrder, type ProcessGroup } from './cpu.js';
import { rssMiB, startBenchStack } from './stack.js';
import { round } from './stats.js';

/**
 * `npm run bench`: measures the product against this machine's own floor, side
 * by side in one run, prints a table and writes bench/results/bench-<time>.json.
 * BENCH_ORDERS (default 200) and BENCH_CLIENTS (default 8) size the runs;
 * `--scale 0.01` (or BENCH_SCALE) shrinks the read side's data set (default 1:
 * 1,000,000 receivables), BENCH_IMPORT_ROWS the import (default 50,000),
 * BENCH_OPEN_ORDERS the orders left open for the growth run (default 10,000), BENCH_DELIVERIES the long order's (200),
 * BENCH_WORKERS the worker processes (default 1).
 */
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const scaleArg = process.argv.findIndex((a) => a === '--scale' || a.startsWith('--scale='));
const SCALE = Number(
  scaleArg < 0 ? (process.env.BENCH_SCALE ?? 1) : process.argv[scaleArg]!.includes('=') ? process.argv[scaleArg]!.split('=')[1] : process.argv[scaleArg + 1],
);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const OPEN_ORDERS = Number(process.env.BENCH_OPEN_ORDERS ?? 10_000);
if (!(SCALE > 0 && SCALE <= 1) || !(IMPORT_ROWS > 1)) throw new Error('--scale must be in (0, 1] and BENCH_IMPORT_ROWS above 1');
const fmt = (n: number) => n.toLocaleString('en-US');

async function main() {
  console.log(`› starting the bench stack (${ORDERS} orders, ${CLIENTS} clients)…`);
  const stack = await startBenchStack();
  let client: Client | undefined;
  try {
    client = await temporalClient(stack.temporalAddress);
    await benchProduct(stack, 'BENCH-P', '1000000');
    // Warm both paths (bundles loaded, connections open) before measuring; a warm-up order's
    // history gives the floor its shape: as many updates, activities and local activities.
    const warm = await lifecycle(stack, client, 10, CLIENTS, 'BENCH-P');
    const shape = await runShape(client, orderWorkflowId(warm.anOrder));
    const warmFloor = await floor(client, shape, 10, CLIENTS);
    const history = { product: await historyBytes(client, orderWorkflowId(warm.anOrder)), floor: await historyBytes(client, warmFloor.anOrder) };

    // Bare update round trips run alongside each measured run, so they meet the same load.
    const withPings = async <T>(run: () => Promise<T>): Promise<T & { pingMs: number[] }> => {
      const pings = await bareUpdates(client!);
      const result = await run();
      return { ...result, pingMs: await pings.stop() };
    };
    // Interleave so a noisy moment hurts both sides alike.
    // Each run also counts the CPU every process used (where the difference goes).
    const floorA = await withPings(() => cpuPerOrder(() => floor(client!, shape, ORDERS / 2, CLIENTS)));
    const lifeA = await withPings(() => cpuPerOrder(() => lifecycle(stack, client!, ORDERS / 2, CLIENTS, 'BENCH-P')));
    const floorB = await withPings(() => cpuPerOrder(() => floor(client!, shape, ORDERS / 2, CLIENTS)));
    const lifeB = await withPings(() => cpuPerOrder(() => lifecycle(stack, client!, ORDERS / 2, CLIENTS, 'BENCH-P')));
    const cpu = (a: { cpuMsPerOrder: Partial<Record<ProcessGroup, number>> }, b: typeof a) => {
      const out: Partial<Record<ProcessGroup, number>> = {};
      for (const g of new Set([...Object.keys(a.cpuMsPerOrder), ...Object.keys(b.cpuMsPerOrder)]) as Set<ProcessGroup>) {
        out[g] = Math.round(((a.cpuMsPerOrder[g] ?? 0) + (b.cpuMsPerOrder[g] ?? 0)) / 2);
      }
      return out;
    };
    const lifeCpu = cpu(lifeA, lifeB);
    const floorCpu = cpu(floorA, floorB);
    const floorRate = round(ORDERS / (floorA.seconds + floorB.seconds), 2);
    const lifeRate = round(ORDERS / (lifeA.seconds + lifeB.seconds), 2);
    const approve = latency([...lifeA.approveMs, ...lifeB.approveMs]);
    const bareUpdate = latency([...lifeA.pingMs, ...lifeB.pingMs]);
    const bareUpdateDuringFloor = latency([...floorA.pingMs, ...floorB.pingMs]);
    // The floor's first update is the approval's: the same activities, doing nothing.
    const floorApprove = latency([...floorA.stepMs[0]!, ...floorB.stepMs[0]!]);

    // The data scenarios before the hot product: a quick run reaches them in a minute, and a failure of one
    // scenario (on a machine this busy, 200 approvals at once can outlast fetch's 300 s) does not lose the others.
    console.log(`› import: ${fmt(IMPORT_ROWS)} products through POST /import/products…`);
    const api = apiClient(stack.apiUrl);
    const imported = await attempt('import', () =>
      importScenario((csv) => api.call('POST', '/import/products', 'admin.root', csv, 'text/csv'), stack.sql, IMPORT_ROWS, `IMP${Date.now().toString(36).toUpperCase()}`),
    );
    if (!('error' in imported)) importRows(progress, imported);
    const size = `${fmt(Math.round(1_000_000 * SCALE))} receivables`;
    console.log(`› read side: generating ${size} in a database of its own (set-based SQL, not through the workflow)…`);
    const readSide = await attempt('read side', () => readSideScenario(stack.databaseUrl, SCALE, businessConfig().BUSINESS_TIME_ZONE));
    if (!('error' in readSide)) readSideRows(progress, readSide);
    console.log('› hot product: 200 orders for a stock of 100 approved at once, and 200 orders for 200 products…');
    const hot = await attempt('hot product', () => hotProduct(stack));
    const [ledger] = await stack.sql`
      SELECT count(*)::int AS mismatches FROM stock_levels s
      LEFT JOIN (SELECT product_id, warehouse_id, sum(on_hand_delta) oh, sum(reserved_delta) r FROM stock_moves GROUP BY 1, 2) m
        USING (product_id, warehouse_id)
      WHERE s.on_hand <> coalesce(m.oh, 0) OR s.reserved <> coalesce(m.r, 0)`;
    // Last: the orders it leaves open would weigh on every scenario after it.
    const growth = await attempt('growth', () => growthScenario(stack, client!, { openOrders: OPEN_ORDERS, orders: ORDERS, clients: CLIENTS, deliveries: Number(process.env.BENCH_DELIVERIES ?? 200) }));

    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version },
      config: { orders: ORDERS, clients: CLIENTS, scale: SCALE, importRows: IMPORT_ROWS, openOrders: OPEN_ORDERS, workers: Number(process.env.BENCH_WORKERS ?? 1) },
      lifecycle: {
        ordersPerSecond: lifeRate,
        floorOrdersPerSecond: floorRate,
        ratio: round(lifeRate / floorRate, 2),
        target: '>= 0.80',
        floorShape: shape,
        historyBytesPerOrder: history,
        cpuMsPerOrder: { product: lifeCpu, floor: floorCpu },
      },
      approveLatencyMs: {
        api: approve,
        bareUpdate,
        p99Ratio: round(approve.p99 / bareUpdate.p99, 2),
        target: '<= 1.5',
        bareUpdateDuringFloor,
        floorApproveStep: floorApprove,
      },
      hotProduct: hot,
      stockLedgerMismatches: ledger!.mismatches,
      readSide,
      import: imported,
      growth,
      workerRssMiB: rssMiB(stack.workerPid()),
    };

    console.log('\n  measure                                   product          floor / raw     ratio   target');
    console.log('  ────────────────────────────────────────  ───────────────  ──────────────  ──────  ──────');
    const row: Row = (a, b, c, d, e) => console.log(`  ${a.padEnd(40)}  ${b.padEnd(15)}  ${c.padEnd(14)}  ${d.padEnd(6)}  ${e}`);
    row('lifecycle, orders/s', String(lifeRate), String(floorRate), String(results.lifecycle.ratio), '≥ 0.80');
    row('approve p50 ms (API vs bare update)', String(approve.p50), String(bareUpdate.p50), String(round(approve.p50 / bareUpdate.p50, 2)), '');
    row('approve p99 ms (API vs bare update)', String(approve.p99), String(bareUpdate.p99), String(results.approveLatencyMs.p99Ratio), '≤ 1.5');
    row('  floor\'s approval step p50 / p99 ms', `${floorApprove.p50} / ${floorApprove.p99}`, '', '', 'same activities, no-op');
    row('  bare update during the floor p50 / p99', `${bareUpdateDuringFloor.p50} / ${bareUpdateDuringFloor.p99}`, '', '', '');
    const steps = [...shape.start, ...shape.updates.flat(), ...shape.after.flat(), ...shape.closing];
    const count = (kind: string) => String(steps.filter((k) => k === kind).length);
    const total = (c: Partial<Record<ProcessGroup, number>>) => Object.values(c).reduce((x, y) => x + y, 0);
    row('  CPU ms per order, all processes', String(total(lifeCpu)), String(total(floorCpu)), String(round(total(floorCpu) / total(lifeCpu), 2)), '');
    for (const g of ['temporal', 'worker', 'api', 'postgres', 'bench', 'floorWorker', 'other'] as ProcessGroup[]) {
      row(`    ${g}`, String(lifeCpu[g] ?? 0), String(floorCpu[g] ?? 0), '', '');
    }
    row('history bytes per order (product vs floor)', fmt(history.product), fmt(history.floor), String(round(history.product / history.floor, 2)), '');
    row('  floor shape: updates / activities / local', `${shape.updates.length} / ${count('a')} / ${count('l')}`, '', '', 'copied from a real order');
    if ('error' in hot) row('hot product', 'FAILED', '', '', hot.error);
    else {
      row('hot product approvals/s (one vs 200 products)', String(hot.hot.approvalsPerSecond), String(hot.spread.approvalsPerSecond), String(hot.ratio), '≥ 0.80');
      row('  hot product reserved / approved / refused', `${hot.hot.reservedAfter} / ${hot.hot.approved} / ${hot.hot.refused}`, `${hot.spread.approved} / ${hot.spread.refused}`, '', 'exactly 100');
    }
    row('stock ledger mismatches', String(ledger!.mismatches), '', '', '0');
    if ('error' in readSide) row('read side', 'FAILED', '', '', readSide.error);
    else readSideRows((line) => row(...line), readSide);
    if ('error' in imported) row('import', 'FAILED', '', '', imported.error);
    else importRows((line) => row(...line), imported);
    row('worker RSS MiB', String(results.workerRssMiB), '', '', '');
    if ('error' in growth) row('growth', 'FAILED', '', '', growth.error);
    else growthRows((cells) => row(...cells), growth);

    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/bench-${results.at.replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify(results, null, 2));
    console.log(`\n  written to ${file}`);
  } finally {
    // An open client keeps the dev server from stopping.
    await client?.connection.close();
    await stack.stop();
  }
}

type Row = (a: string, b: string, c: string, d: string, e: string) => void;
/** A table row as its cells; the progress lines print them as they come, the table pads them. */
type Emit = (cells: [string, string, string, string, string]) => void;

const progress: Emit = (cells) => console.log(`    ${cells.filter(Boolean).join(' · ')}`);

/** A scenario's result, or why it failed (printed in the table and kept in the JSON). */
async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (err) {
    console.error(`  ${name} failed:`, err);
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function readSideRows(emit: Emit, r: ReadSideResult) {
  const row: Row = (...cells) => emit(cells);
  const c = r.counts;
  row(`read side generated (${r.generatedSeconds} s)`, `${fmt(c.invoices)} recv.`, `${fmt(c.orders)} orders`, '', 'set-based SQL, not the workflow');
  row('  open / overdue receivables', fmt(c.openInvoices), fmt(c.overdueInvoices), '', '');
  const names: Record<string, string> = { stuckPayments: 'stuck payments', aging: 'receivables aging', expectedShipments: 'expected shipments (page)' };
  for (const [key, t] of Object.entries(r.timings)) row(`  ${names[key] ?? key} p50 / max ms`, `${t.p50} / ${t.max}`, `${fmt(t.rows)} rows`, '', t.target);
}

function importRows(emit: Emit, r: ImportResult) {
  const row: Row = (...cells) => emit(cells);
  row(`import ${fmt(r.rows)} products, s`, String(r.seconds), `${fmt(r.rowsPerSecond)} rows/s`, '', '');
  row('  written / expected', `${fmt(r.written)} / ${fmt(r.rows)}`, '', '', 'all');
  row('  one bad row mid-file: refused in s', String(r.refused.seconds), `${r.refused.status} ${r.refused.code ?? ''}`, '', '422, 0 written');
  row('  written by the refused file', String(r.refused.written), `line ${r.refused.errorLine}`, '', '0');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
