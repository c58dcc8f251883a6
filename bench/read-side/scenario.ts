import { businessDate } from '../../domain/calendar.js';
import { round } from '../stats.js';
import { createScaleDatabase } from './database.js';
import { generateReadSide, readSideCounts, readSideSize, type ReadSideCounts, type ReadSideSize } from './generate.js';
import { readSideReads, timeReads, type ReadTiming } from './measure.js';

export interface ReadSideResult {
  scale: number;
  size: ReadSideSize;
  generatedWith: string;
  generatedSeconds: number;
  asOf: string;
  counts: ReadSideCounts;
  timings: Record<string, ReadTiming>;
}

/**
 * Scale of the read side: the data set generated in a database of its own, then
 * stuck payments, aging and expected shipments timed as the API calls them.
 */
export async function readSideScenario(databaseUrl: string, scale: number, timeZone: string): Promise<ReadSideResult> {
  const db = await createScaleDatabase(databaseUrl, 'bench_read_side');
  try {
    const asOf = businessDate(new Date(), timeZone);
    const size = readSideSize(scale);
    const generated = await generateReadSide(db.sql, size, asOf);
    return {
      scale,
      size,
      generatedWith: 'set-based SQL (generate_series) straight into Postgres, not through the workflow',
      generatedSeconds: round(generated.seconds, 1),
      asOf,
      counts: await readSideCounts(db.sql, asOf),
      timings: await timeReads(readSideReads(db.sql, asOf, timeZone)),
    };
  } finally {
    await db.drop();
  }
}
