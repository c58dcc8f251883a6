import type { Sql } from '../db/client.js';
import { round } from './stats.js';

/** Sends a CSV to POST /import/products the way a user's upload does (the bench over HTTP, the smoke test in-process). */
export type PostCsv = (csv: string) => Promise<{ status: number; body: any }>;

export interface ImportResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  written: number;
  refused: { status: number; code: string | undefined; errorLine: number | undefined; seconds: number; written: number };
}

const HEADER = 'code,name,spec,unit,category,costPrice,listPrice,taxRate,priceFloorRate,overDeliveryRate,safetyStock,batchManaged,shelfLifeDays';

/** A product file of `rows` rows with codes `<prefix>000001…`; realistic cells (a spec, a quoted name with a comma, prices). */
export function productCsv(prefix: string, rows: number, badLine?: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= rows; i++) {
    const code = `${prefix}${String(i).padStart(6, '0')}`;
    const list = (10 + (i % 997) * 1.25).toFixed(2);
    const cost = (Number(list) * 0.6).toFixed(2);
    lines.push(`${code},"传感器 Sensor ${i}, type ${i % 7}",TS-${i % 300},pcs,Cat ${i % 40},${cost},${list},0.13,0.8,0.05,${i % 50},${i % 9 === 0},${i % 9 === 0 ? 365 : ''}`);
  }
  // A negative list price: the whole file must be refused.
  if (badLine !== undefined) lines[badLine - 1] = lines[badLine - 1]!.replace(/,pcs,(Cat \d+),([\d.]+),([\d.]+),/, ',pcs,$1,$2,-$3,');
  return lines.join('\r\n');
}

const countLike = async (sql: Sql, prefix: string) =>
  Number((await sql`SELECT count(*)::int AS n FROM products WHERE code LIKE ${prefix + '%'}`)[0]!.n);

/**
 * 批量导入 through the API's import path: a file of `rows` products (all written,
 * in one transaction), then a file of the same size with one bad row in the middle
 * (refused as a whole: nothing written). Counts come from the products table.
 */
export async function importScenario(post: PostCsv, sql: Sql, rows: number, prefix: string): Promise<ImportResult> {
  const good = productCsv(`${prefix}G`, rows);
  const t0 = performance.now();
  const res = await post(good);
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== 201) throw new Error(`import: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);

  const badLine = Math.floor(rows / 2) + 1;
  const bad = productCsv(`${prefix}B`, rows, badLine);
  const t1 = performance.now();
  const refused = await post(bad);
  const refuseSeconds = (performance.now() - t1) / 1000;
  return {
    rows,
    seconds: round(seconds, 2),
    rowsPerSecond: Math.round(rows / seconds),
    written: await countLike(sql, `${prefix}G`),
    refused: {
      status: refused.status,
      code: refused.body?.error?.code,
      errorLine: refused.body?.error?.details?.line,
      seconds: round(refuseSeconds, 2),
      written: await countLike(sql, `${prefix}B`),
    },
  };
}
