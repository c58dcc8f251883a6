import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { TAX_NUMBER, VAT_INVOICE_TYPES } from '../../domain/vat-invoice.js';
import type { Sql } from '../../db/client.js';
import { readTable, typed, type RowError } from '../../db/import.js';
import { invoiceTaxData, recordInvoiceTaxData, recordInvoiceTaxDataBatch, type ImportedTaxData } from '../../db/invoice-tax-data.js';
import { requires } from '../auth/authorize.js';
import { importFileBody, readUpload } from '../master-data/import.js';
import { ActorHeader, body, DocumentNumber, errorResponses, IsoDate, json, SingleLine } from '../schemas.js';

/** 增值税发票信息: what the tax system issued for a back-office invoice, entered one by one or imported as a file. */

export const TaxDataBody = z
  .object({
    vatType: z.enum(VAT_INVOICE_TYPES).optional().openapi({
      description: 'special 专票, ordinary 普票, e_special / e_ordinary their electronic (数电) forms; required the first time',
    }),
    buyerTaxId: SingleLine(18).optional().openapi({
      description: "纳税人识别号: the buyer's unified social credit code (18 characters with its check character); a 专票 needs it. Omitted: the payer's on file",
    }),
    buyerAddress: SingleLine(200).optional().openapi({ description: '地址、电话; omitted: the payer\'s invoice address on file' }),
    buyerBankName: SingleLine(100).optional().openapi({ description: '开户行; omitted: the payer\'s on file' }),
    buyerBankAccount: SingleLine(60).optional().openapi({ description: '账号; omitted: the payer\'s on file' }),
    taxNumber: z.string().regex(TAX_NUMBER, '8 to 20 digits').optional().openapi({
      description: "The number the tax system gave the invoice (数电 20 digits, paper 8); unique; with taxDate. Once recorded, the invoice's tax data no longer changes",
    }),
    taxDate: IsoDate.optional().openapi({ description: 'The date the tax system issued it: not before the invoice, not in the future' }),
  })
  .strict()
  .openapi('InvoiceTaxData', {
    example: { vatType: 'special', buyerTaxId: '91350100M000100Y43', taxNumber: '26352000000012345678', taxDate: '2026-11-23' },
  });

const TaxDataView = z
  .object({
    invoice: z.string(),
    payerCode: z.string(),
    vatType: z.enum(VAT_INVOICE_TYPES).nullable(),
    buyerTaxId: z.string().nullable(),
    buyerAddress: z.string().nullable(),
    buyerBankName: z.string().nullable(),
    buyerBankAccount: z.string().nullable(),
    taxNumber: z.string().nullable(),
    taxDate: z.string().nullable(),
    recordedBy: z.string().nullable(),
    recordedAt: z.string().nullable(),
  })
  .openapi('InvoiceTaxDataView');

const NumberParam = z.object({ number: DocumentNumber('INV-20261123-0001') });
const tags = ['Finance'];

const routes = {
  read: createRoute({
    method: 'get', path: '/invoices/{number}/tax-data', tags, summary: "An invoice's VAT invoice data (增值税发票信息) as recorded",
    request: { params: NumberParam },
    responses: { 200: json(TaxDataView, 'As recorded (all null before anything was)'), ...errorResponses },
  }),
  record: createRoute({
    method: 'patch', path: '/invoices/{number}/tax-data', tags,
    summary: "Record an invoice's VAT invoice data: type, buyer (defaults from the payer's master data), the tax system's number and date",
    middleware: [requires('recordInvoiceTaxData')] as const,
    request: { params: NumberParam, headers: ActorHeader, body: body(TaxDataBody) },
    responses: { 200: json(TaxDataView, 'Recorded'), ...errorResponses },
  }),
  import: createRoute({
    method: 'post', path: '/invoices/tax-data/import', tags,
    summary:
      'Import VAT invoice data for many invoices (.xlsx or CSV, template GET /import/invoice_tax_data/template): each row checked as PATCH ' +
      '/invoices/{number}/tax-data would; all rows or none; 422 IMPORT_REJECTED lists each bad row',
    middleware: [requires('recordInvoiceTaxData')] as const,
    request: { headers: ActorHeader, body: importFileBody },
    responses: { 200: json(z.object({ rows: z.number() }), 'Every row was recorded'), ...errorResponses },
  }),
};

/** The file's rows as PATCH bodies: the same schema, the same messages, by line and column. */
function fileRows(file: Awaited<ReturnType<typeof readUpload>>, errors: RowError[]): ImportedTaxData[] {
  const out: ImportedTaxData[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of readTable('invoice_tax_data', file, errors)) {
    const { invoice, ...fields } = typed(values) as Record<string, string>;
    const number = NumberParam.shape.number.safeParse(invoice ?? '');
    if (!number.success) {
      errors.push({ line, field: 'invoice', reason: invoice === undefined ? 'required: the invoice number' : number.error.issues[0]!.message });
      continue;
    }
    const first = seen.get(number.data);
    if (first !== undefined) {
      errors.push({ line, field: 'invoice', reason: `${number.data} already appears on line ${first}` });
      continue;
    }
    seen.set(number.data, line);
    const parsed = TaxDataBody.safeParse(fields);
    if (parsed.success) out.push({ line, invoice: number.data, input: parsed.data });
    else for (const issue of parsed.error.issues) errors.push({ line, field: String(issue.path[0] ?? 'row'), reason: issue.message });
  }
  return out;
}

export function registerInvoiceTaxDataRoutes(app: OpenAPIHono, deps: { sql: Sql; timeZone: string; now?: () => Date }): void {
  const today = () => businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);

  app.openapi(routes.read, async (c) => {
    const { number } = c.req.valid('param');
    const data = await invoiceTaxData(deps.sql, number);
    if (!data) throw new DomainError('NOT_FOUND', `invoice ${number} does not exist`, 'number');
    return c.json(data, 200);
  });

  app.openapi(routes.record, async (c) => {
    const { number } = c.req.valid('param');
    return c.json(await recordInvoiceTaxData(deps.sql, number, c.req.valid('json'), c.get('user').name, today()), 200);
  });

  app.openapi(routes.import, async (c) => {
    const errors: RowError[] = [];
    const rows = fileRows(await readUpload(c), errors);
    // The rows that read well are still checked against the invoices, so the answer lists every bad row at once.
    return c.json({ rows: await recordInvoiceTaxDataBatch(deps.sql, rows, c.get('user').name, today(), errors) }, 200);
  });
}
