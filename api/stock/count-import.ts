import { createHash } from 'node:crypto';
import type { CsvRecord } from '../../domain/csv.js';
import type { Sql } from '../../db/client.js';
import { readTable, rejectIfAny, typed, type ImportRow, type RowError } from '../../db/import.js';
import { countRefusals, openImportedCount, writeStockCount, type CountInput } from '../../db/stock-counts.js';
import { CountBody } from './schemas.js';

interface FileCount {
  rows: ImportRow[];
  input: CountInput;
}

/** One row of the file: a count line and its warehouse, by the count body's own field rules. */
const CountRow = CountBody.shape.lines.element.extend({ warehouseCode: CountBody.shape.warehouseCode });

/** The rows of a file → one count-sheet body per warehouse (a sheet counts one warehouse), in file order. */
function countBodies(rows: ImportRow[], errors: RowError[]): FileCount[] {
  const sheets = new Map<string, FileCount>();
  for (const row of rows) {
    const parsed = CountRow.safeParse(typed(row.values));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ line: row.line, field: String(issue.path[0] ?? 'row'), reason: issue.message });
      continue;
    }
    const { warehouseCode, ...line } = parsed.data;
    let sheet = sheets.get(warehouseCode);
    if (!sheet) sheets.set(warehouseCode, (sheet = { rows: [], input: { warehouseCode, lines: [] } }));
    sheet.rows.push(row);
    sheet.input.lines.push(line);
  }
  return [...sheets.values()];
}

function rowError(sheet: FileCount, path: readonly PropertyKey[], reason: string): RowError {
  const [head, index, leaf] = path;
  const row = (head === 'lines' && typeof index === 'number' && sheet.rows[index]) || sheet.rows[0]!;
  return { line: row.line, field: head === 'lines' && leaf !== undefined ? String(leaf) : head === 'lines' ? 'warehouseCode' : String(head ?? 'row'), reason };
}

/** `lines[3].productCode` → its path, to name the file row of a refusal from the count's own checks. */
const pathOf = (field: string | undefined) => (field ?? 'row').split(/[[\].]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** Same warehouse, same products and figures: the same count, whatever the file's format or column order. */
const importKeyOf = (input: CountInput) => createHash('sha256').update(JSON.stringify(input)).digest('hex');

/**
 * 盘点单 import: a count sheet per warehouse in the file, through the same checks and writer as POST /stock/counts,
 * all in one transaction; any bad row and nothing is written. The sheets then wait for another person's approval.
 * The same figures imported again while their sheet still waits answer that sheet (created: false).
 */
export async function importStockCounts(sql: Sql, file: CsvRecord[], countedBy: string, businessDate: string) {
  const errors: RowError[] = [];
  const inputs: CountInput[] = [];
  for (const sheet of countBodies(readTable('stock_counts', file, errors), errors)) {
    const parsed = CountBody.safeParse(sheet.input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(rowError(sheet, issue.path, `${sheet.input.warehouseCode}: ${issue.message}`));
      continue;
    }
    const { refusals } = await countRefusals(sql, parsed.data);
    for (const r of refusals) errors.push(rowError(sheet, pathOf(r.field), r.message));
    inputs.push(parsed.data);
  }
  rejectIfAny(errors);
  return sql.begin(async (tx) => {
    const counts = [];
    for (const input of inputs) {
      const key = importKeyOf(input);
      // Two imports of the same file at once: the second waits, then finds the first one's sheet.
      await tx`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
      const before = await openImportedCount(tx, key);
      counts.push(before ? { ...before, created: false } : { ...(await writeStockCount(tx, input, countedBy, businessDate, key)), created: true });
    }
    return { counts };
  });
}
