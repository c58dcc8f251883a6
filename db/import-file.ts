import ExcelJS from 'exceljs';
import { Unzip, UnzipInflate, zipSync, type Unzipped } from 'fflate';
import { type CsvRecord, csvLine, decodeCsv, fileProblem, parseCsv } from '../domain/csv.js';
import { DomainError } from '../domain/errors.js';
import { IMPORT_TEMPLATES, type ImportKind } from './import-templates.js';

/** More rows than a master-data load has; a bigger file is split, not held in memory whole. */
export const MAX_IMPORT_ROWS = 100_000;
/** An .xlsx unpacks to several times its size; past this it is a zip bomb or far beyond MAX_IMPORT_ROWS. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_XLSX_ENTRIES = 1000;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOldExcel = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/**
 * Unpacks with the bytes counted as they inflate, so a bomb stops at the limit
 * instead of filling memory; exceljs then reads only what was unpacked here.
 */
function unpackBounded(bytes: Uint8Array): Unzipped {
  const files: Unzipped = {};
  let total = 0;
  let entries = 0;
  const tooBig = () => fileProblem(1, 'file', `the workbook unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB; split it`);
  const unzip = new Unzip((file) => {
    if (++entries > MAX_XLSX_ENTRIES) throw fileProblem(1, 'file', `the workbook holds more than ${MAX_XLSX_ENTRIES} parts`);
    if ((file.originalSize ?? 0) > MAX_XLSX_UNPACKED_BYTES) throw tooBig();
    const chunks: Buffer[] = [];
    file.ondata = (err, chunk, final) => {
      if (err) throw err;
      total += chunk.length;
      if (total > MAX_XLSX_UNPACKED_BYTES) throw tooBig();
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (final) files[file.name] = Buffer.concat(chunks);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.push(bytes, true);
  return files;
}

/** Rows in the sheets, counted in the XML before exceljs builds a model of every cell. */
function rowsIn(files: Unzipped): number {
  let rows = 0;
  for (const [name, data] of Object.entries(files)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let i = buf.indexOf('<row'); i >= 0; i = buf.indexOf('<row', i + 4)) rows++;
  }
  return rows;
}

type CellValue = ExcelJS.CellValue;

/** A cell as the text a user sees in it, in the form the CSV columns take (dates as YYYY-MM-DD). */
function cellText(v: CellValue, line: number, column: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('error' in v) throw fileProblem(line, column, `the cell holds the Excel error ${v.error}`);
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: CellValue }).result ?? null, line, column);
  if ('text' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as CellValue, line, column);
  return String(v);
}

async function readXlsx(bytes: Uint8Array): Promise<CsvRecord[]> {
  let files: Unzipped;
  try {
    files = unpackBounded(bytes);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw fileProblem(1, 'file', `not a readable .xlsx (the zip is damaged or cut short: ${(e as Error).message}); save it again from Excel`);
  }
  if (rowsIn(files) > MAX_IMPORT_ROWS + 1) throw fileProblem(1, 'file', `the workbook has more than ${MAX_IMPORT_ROWS} rows; split it`);
  const book = new ExcelJS.Workbook();
  try {
    // Re-packed without compression: exceljs sees exactly the bytes counted above.
    // (exceljs types its input as its own `Buffer extends ArrayBuffer`; it takes a Node Buffer.)
    await book.xlsx.load(Buffer.from(zipSync(files, { level: 0 })) as unknown as ArrayBuffer);
  } catch (e) {
    throw fileProblem(1, 'file', `not a readable .xlsx (${(e as Error).message}); save it again from Excel`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const records: CsvRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value, line, records[0]?.fields[col - 1] || cell.address);
    });
    const fields = Array.from(cells, (c) => c ?? '');
    while (fields.length > 0 && fields.at(-1)!.trim() === '') fields.pop();
    if (fields.length === 0) return;
    // A sheet stores no cells after the last filled one: pad to the header, as the CSV would have them.
    while (fields.length < (records[0]?.fields.length ?? 0)) fields.push('');
    records.push({ line, fields });
  });
  return records;
}

/**
 * An uploaded import file → records: .xlsx (first sheet; recognised by its
 * bytes, whatever the content type says) or CSV in UTF-8 or GB18030.
 */
export async function readImportFile(bytes: Uint8Array, charset?: string): Promise<CsvRecord[]> {
  if (isOldExcel(bytes)) throw fileProblem(1, 'file', 'an Excel 97-2003 .xls file or a password-protected workbook (both are this older container); save it as .xlsx without a password, or as CSV');
  const records = isZip(bytes) ? await readXlsx(bytes) : parseCsv(decodeCsv(bytes, charset));
  if (records.length > MAX_IMPORT_ROWS + 1) throw fileProblem(MAX_IMPORT_ROWS + 2, 'file', `the file has more than ${MAX_IMPORT_ROWS} rows; split it`);
  return records;
}

/** The template as CSV UTF-8 with a BOM, so Excel opens the Chinese example right. */
export function templateCsv(kind: ImportKind): string {
  const t = IMPORT_TEMPLATES[kind];
  return `\uFEFF${csvLine(t.columns)}\r\n${csvLine(t.example)}\r\n`;
}

/** The template as .xlsx: every column formatted as text, so codes like 0001 and dates stay as typed. */
export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const t = IMPORT_TEMPLATES[kind];
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(kind);
  sheet.columns = t.columns.map((c) => ({ key: c, width: Math.max(12, c.length + 2), style: { numFmt: '@' } }));
  sheet.addRow([...t.columns]).font = { bold: true };
  sheet.addRow([...t.example]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
