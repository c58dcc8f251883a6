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
 * with a BOM, and says neither; so, unless the client names the charset or the
 * file starts with a BOM, the bytes decide. UTF-8 Chinese is three bytes a character
 * (U+0800 and up); GB18030 is two, and about 1,900 common characters' two bytes are
 * also a valid UTF-8 pair, which decodes to Cyrillic, Greek or IPA (小 is "С").
 * So: valid UTF-8 that reads as such a pair-only script while the same bytes are clean
 * GB18030 Chinese is GB18030; invalid UTF-8 is GB18030 unless real UTF-8 Chinese came
 * before the break (a damaged UTF-8 file). Bytes that are neither are refused with
 * their line, never imported as mojibake.
 */
export function decodeCsv(bytes: Uint8Array, charset?: string): string {
  const declared = charset?.trim().toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && !GB_CHARSETS.has(declared)) {
    throw new DomainError('VALIDATION_FAILED', `charset ${charset} is not read; send UTF-8 or GB18030`, 'content-type');
  }
  const gbDeclared = GB_CHARSETS.has(declared ?? '');
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const gb = () => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  if (!gbDeclared) {
    const utf8 = strictUtf8(bytes);
    if (utf8 !== undefined) {
      if (declared || bom || !/[\u0180-\u07ff]/.test(utf8) || /[\u0800-\uffff]/.test(utf8)) return utf8;
      const asGb = gb();
      return asGb.includes('\uFFFD') || !/[\u3400-\u9fff]/.test(asGb) ? utf8 : asGb;
    }
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = Math.max(0, lenient.indexOf('\uFFFD'));
    if (declared || bom || /[\u0800-\uffff]/.test(lenient.slice(0, bad))) {
      throw fileProblem(lineBreaks(lenient.slice(0, bad)) + 1, 'file', 'a broken UTF-8 character (a multi-byte sequence cut or damaged); save the file again as CSV UTF-8');
    }
  }
  const text = gb();
  const badGb = text.indexOf('\uFFFD');
  if (badGb >= 0) {
    throw fileProblem(lineBreaks(text.slice(0, badGb)) + 1, 'file', 'bytes that are neither UTF-8 nor GB18030 (a multi-byte character cut or damaged); save the file again as CSV or CSV UTF-8');
  }
  return text;
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** One field for a template: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',');
}
