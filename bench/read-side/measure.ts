import type { Sql } from '../../db/client.js';
import { expectedShipments } from '../../db/reports/expected-shipments.js';
import { aging } from '../../db/receivables.js';
import { stuckPayments } from '../../db/stuck-payments.js';
import { percentile, round } from '../stats.js';

/** Each read is timed this many times after one warm-up run. */
const RUNS = 5;
export const READ_TARGET_MS = 300;

export interface ReadTiming {
  p50: number;
  max: number;
  runs: number;
  /** How many rows the function answered (for a paged report: how many match). */
  rows: number;
  target: string;
}

/**
 * The same functions the API routes call (GET /finance/stuck-payments and
 * /reports/expected-shipments with their default page, /finance/aging), each
 * timed on its own, one after the other.
 */
export function readSideReads(sql: Sql, asOf: string, timeZone: string): Record<string, () => Promise<number>> {
  return {
    stuckPayments: async () => (await stuckPayments(sql, { asOf, limit: 50, offset: 0 })).total,
    aging: async () => (await aging(sql, asOf)).length,
    expectedShipments: async () => (await expectedShipments(sql, timeZone, { limit: 50, offset: 0 })).total,
  };
}

export async function timeReads(reads: Record<string, () => Promise<number>>, runs = RUNS): Promise<Record<string, ReadTiming>> {
  const out: Record<string, ReadTiming> = {};
  for (const [name, read] of Object.entries(reads)) {
    let rows = await read();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      rows = await read();
      ms.push(performance.now() - t0);
    }
    out[name] = { p50: round(percentile(ms, 50)), max: round(Math.max(...ms)), runs, rows, target: `< ${READ_TARGET_MS} ms` };
  }
  return out;
}
