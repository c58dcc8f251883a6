import ExcelJS from 'exceljs';
import { devToken } from '../../api/auth/demo-users.js';
import type { Stack } from './stack.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An upload as Excel users send it: the file's raw bytes, not a JS string. */
export async function uploadFile(stack: Stack, path: string, bytes: Uint8Array, contentType: string, user = 'admin.root') {
  const res = await stack.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: await res.json() };
}

/** A workbook as Excel saves it: the first sheet holds the rows, cells typed as given (numbers, dates, rich text). */
export async function workbook(rows: unknown[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}
