import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { DomainError } from './errors.js';

/**
 * Reading CSV as spreadsheets write it (RFC 4180, through csv-parse): comma
 * separated, quoted fields may hold commas, quotes ("") and line breaks; CRLF,
 * LF or CR, mixed; a leading BOM is dropped; blank lines are skipped. Each
 * record keeps the file line it starts on, for error reports.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A whole-file problem (encoding, quoting, size), reported like a bad row so the client reads one shape. */
export function fileProblem(line: number, field: string, reason: string): DomainError {
  return new DomainError('IMPORT_REJECTED', `${reason}; nothing was imported`, field, { line, errors: [{ line, field, reason }], errorCount: 1 });
}

const lineBreaks = (s: string) => s.match(/\r\n|\n|\r/g)?.length ?? 0;

export function parseCsv(text: string): CsvRecord[] {
  try {
    const rows = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true, // the importer reports a ragged row by its line, with the counts
      relax_quotes: true, // a quote inside an unquoted field is a character, as Excel reads it
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as { record: string[]; info: { lines: number } }[];
    // info.lines is the line the record ends on; a quoted line break inside it moves the start up.
    return rows.map(({ record, info }) => ({ line: info.lines - record.reduce((n, f) => n + lineBreaks(f), 0), fields: record }));
  } catch (e) {
    if (e instanceof CsvError) throw fileProblem(Number(e.lines) || 1, 'file', `not readable as CSV: ${e.message}`);
    throw e;
  }
}

const GB_CHARSETS = new Set(['gb18030', 'gbk', 'gb2312', 'cp936']);

/**
 * Bytes → text. Excel in China saves "CSV" as GB18030 and "CSV UTF-8" as UTF-8
 * with a BOM, and says neither; so: valid UTF-8 is UTF-8, anything else is
 * GB18030, unless the client names the charset. Bytes that are neither are
 * refused with their line, never imported as mojibake.
 */
export function decodeCsv(bytes: Uint8Array, charset?: string): string {
  const declared = charset?.trim().toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && !GB_CHARSETS.has(declared)) {
    throw new DomainError('VALIDATION_FAILED', `charset ${charset} is not read; send UTF-8 or GB18030`, 'content-type');
  }
  const gbDeclared = GB_CHARSETS.has(declared ?? '');
  if (!gbDeclared) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      /* not UTF-8: find out below whether it is damaged UTF-8 or GB18030 */
    }
  }
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  const bad = Math.max(0, utf8.indexOf('\uFFFD'));
  // Chinese text in GB18030 breaks UTF-8 at its first Chinese character; text that was
  // UTF-8 for a while (a BOM, Chinese already read) is a damaged UTF-8 file.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!gbDeclared && (declared || bom || /[^\x00-\x7f]/.test(utf8.slice(0, bad)))) {
    throw fileProblem(lineBreaks(utf8.slice(0, bad)) + 1, 'file', 'a broken UTF-8 character (a multi-byte sequence cut or damaged); save the file again as CSV UTF-8');
  }
  const gb = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  const badGb = gb.indexOf('\uFFFD');
  if (badGb >= 0) {
    throw fileProblem(lineBreaks(gb.slice(0, badGb)) + 1, 'file', 'bytes that are neither UTF-8 nor GB18030 (a multi-byte character cut or damaged); save the file again as CSV or CSV UTF-8');
  }
  return gb;
}

/** One field for a template: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',');
}
