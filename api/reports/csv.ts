/**
 * RFC 4180 cell: quoted when it holds a comma, a quote or a line break. A cell a spreadsheet would read as a
 * formula (starting with = + - @, a tab or a carriage return; OWASP's list) gets a leading apostrophe;
 * a plain negative number is left as it is.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-\d+(\.\d+)?$/.test(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as CSV with a header of the given columns, CRLF line ends, and a UTF-8 BOM
 * so that spreadsheet programs show Chinese names correctly.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * A file name taken from the query (a customer or product code) may hold any
 * character: headers carry only Latin-1, so an ASCII fallback plus the RFC 5987 form.
 */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The headers of a CSV download. */
export const csvAttachment = (fileName: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(fileName) });
