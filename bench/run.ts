import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchProduct, floor, hotProduct, latency, lifecycle, temporalClient } from './scenarios.js';
import { rssMiB, startBenchStack } from './stack.js';
import { round } from './stats.js';

/**
 * `npm run bench`: measures the product against this machine's own floor, side
 * by side in one run, prints a table and writes bench/results/bench-<time>.json.
 * BENCH_ORDERS (default 200) and BENCH_CLIENTS (default 8) size the runs.
 */
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);

async function main() {
  console.log(`› starting the bench stack (${ORDERS} orders, ${CLIENTS} clients)…`);
  const stack = await startBenchStack();
  try {
    const client = await temporalClient(stack.temporalAddress);
    await benchProduct(stack, 'BENCH-P', '1000000');
    // Warm both paths (bundles loaded, connections open) before measuring.
    await floor(client, 10, CLIENTS);
    await lifecycle(stack, client, 10, CLIENTS, 'BENCH-P');

    // Interleave so a noisy moment hurts both sides alike.
    const floorA = await floor(client, ORDERS / 2, CLIENTS);
    const lifeA = await lifecycle(stack, client, ORDERS / 2, CLIENTS, 'BENCH-P');
    const floorB = await floor(client, ORDERS / 2, CLIENTS);
    const lifeB = await lifecycle(stack, client, ORDERS / 2, CLIENTS, 'BENCH-P');
    const floorRate = round(ORDERS / (floorA.seconds + floorB.seconds), 2);
    const lifeRate = round(ORDERS / (lifeA.seconds + lifeB.seconds), 2);
    const approve = latency([...lifeA.approveMs, ...lifeB.approveMs]);
    const bareUpdate = latency([...floorA.updateMs, ...floorB.updateMs]);

    const hot = await hotProduct(stack);
    const [ledger] = await stack.sql`
      SELECT count(*)::int AS mismatches FROM stock_levels s
      LEFT JOIN (SELECT product_id, warehouse_id, sum(on_hand_delta) oh, sum(reserved_delta) r FROM stock_moves GROUP BY 1, 2) m
        USING (product_id, warehouse_id)
      JOIN products p ON p.id = s.product_id
      -- the raw baseline writes stock_levels alone, on purpose: it is what the product is measured against
      WHERE p.code NOT LIKE 'HOTRAW-%' AND (s.on_hand <> coalesce(m.oh, 0) OR s.reserved <> coalesce(m.r, 0))`;

    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version },
      config: { orders: ORDERS, clients: CLIENTS },
      lifecycle: { ordersPerSecond: lifeRate, floorOrdersPerSecond: floorRate, ratio: round(lifeRate / floorRate, 2), target: '>= 0.80' },
      approveLatencyMs: { api: approve, bareUpdate, p99Ratio: round(approve.p99 / bareUpdate.p99, 2), target: '<= 1.5' },
      hotProduct: hot,
      stockLedgerMismatches: ledger!.mismatches,
      workerRssMiB: rssMiB(stack.workerPid()),
    };

    console.log('\n  measure                              product        floor / raw     ratio   target');
    console.log('  ───────────────────────────────────  ─────────────  ──────────────  ──────  ──────');
    const row = (a: string, b: string, c: string, d: string, e: string) => console.log(`  ${a.padEnd(35)}  ${b.padEnd(13)}  ${c.padEnd(14)}  ${d.padEnd(6)}  ${e}`);
    row('lifecycle, orders/s', String(lifeRate), String(floorRate), String(results.lifecycle.ratio), '≥ 0.80');
    row('approve p50 ms (API vs bare update)', String(approve.p50), String(bareUpdate.p50), String(round(approve.p50 / bareUpdate.p50, 2)), '');
    row('approve p99 ms (API vs bare update)', String(approve.p99), String(bareUpdate.p99), String(results.approveLatencyMs.p99Ratio), '≤ 1.5');
    row('hot product reservations/s', String(hot.reservationsPerSecond), String(hot.raw.reservationsPerSecond), String(round(hot.reservationsPerSecond / hot.raw.reservationsPerSecond, 3)), '');
    row('hot product reserved / approved', `${hot.reservedAfter} / ${hot.approved}`, `${hot.raw.reserved}`, '', 'exactly 100');
    row('stock ledger mismatches', String(ledger!.mismatches), '', '', '0');
    row('worker RSS MiB', String(results.workerRssMiB), '', '', '');

    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/bench-${results.at.replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify(results, null, 2));
    console.log(`\n  written to ${file}`);
    await client.connection.close();
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
