import { DomainError } from '../domain/errors.js';
import { checkVatDataChange, checkVatInvoiceData, type VatInvoiceData, type VatInvoiceType } from '../domain/vat-invoice.js';
import type { Sql, Tx } from './client.js';
import { rejectIfAny, type RowError } from './import.js';

/** What finance sends: any of the fields; what it leaves out stays as recorded, or comes from the customer master. */
export type TaxDataInput = Partial<VatInvoiceData>;

interface Row {
  id: string;
  number: string;
  issued_on: string;
  vat_type: VatInvoiceType | null;
  buyer_tax_id: string | null;
  buyer_address: string | null;
  buyer_bank_name: string | null;
  buyer_bank_account: string | null;
  tax_number: string | null;
  tax_date: string | null;
  tax_data_by: string | null;
  tax_data_at: Date | null;
  customer_code: string;
  c_tax_id: string | null;
  c_invoice_address: string | null;
  c_bank_name: string | null;
  c_bank_account: string | null;
}

// The buyer on a VAT invoice is whoever it is made out to: the payer (a head office for its branch).
const SELECT = (sql: Sql | Tx, numbers: string[]) => sql<Row[]>`
  SELECT i.id, i.number, i.issued_on::text, i.vat_type, i.buyer_tax_id, i.buyer_address, i.buyer_bank_name, i.buyer_bank_account,
         i.tax_number, i.tax_date::text, i.tax_data_by, i.tax_data_at, c.code AS customer_code,
         c.tax_id AS c_tax_id, c.invoice_address AS c_invoice_address, c.bank_name AS c_bank_name, c.bank_account AS c_bank_account
  FROM invoices i JOIN customers c ON c.id = i.payer_customer_id
  WHERE i.number = ANY(${numbers}::text[])`;

/** The VAT data as recorded on the invoice (each field null until recorded). */
const recorded = (r: Row) => ({
  vatType: r.vat_type,
  buyerTaxId: r.buyer_tax_id,
  buyerAddress: r.buyer_address,
  buyerBankName: r.buyer_bank_name,
  buyerBankAccount: r.buyer_bank_account,
  taxNumber: r.tax_number,
  taxDate: r.tax_date,
});

function stored(r: Row): VatInvoiceData | null {
  return r.vat_type === null ? null : { ...recorded(r), vatType: r.vat_type };
}

function view(r: Row) {
  return {
    invoice: r.number,
    payerCode: r.customer_code,
    ...recorded(r),
    recordedBy: r.tax_data_by,
    recordedAt: r.tax_data_at ? new Date(r.tax_data_at).toISOString() : null,
  };
}
export type InvoiceTaxDataView = ReturnType<typeof view>;

/** What is sent, else what was recorded, else the payer's master data; the type must be said once. */
function merged(r: Row, input: TaxDataInput): { data: VatInvoiceData; taxIdFromMaster: boolean } {
  const before = stored(r);
  const vatType = input.vatType ?? before?.vatType;
  if (!vatType) throw new DomainError('VALIDATION_FAILED', `invoice ${r.number} has no VAT invoice type yet: say vatType`, 'vatType');
  const pick = <K extends keyof VatInvoiceData>(k: K, master: VatInvoiceData[K]) => (input[k] !== undefined ? input[k] : (before?.[k] ?? master));
  const data: VatInvoiceData = {
    vatType,
    buyerTaxId: pick('buyerTaxId', r.c_tax_id),
    buyerAddress: pick('buyerAddress', r.c_invoice_address),
    buyerBankName: pick('buyerBankName', r.c_bank_name),
    buyerBankAccount: pick('buyerBankAccount', r.c_bank_account),
    taxNumber: pick('taxNumber', null),
    taxDate: pick('taxDate', null),
  };
  return { data, taxIdFromMaster: input.buyerTaxId === undefined && !before?.buyerTaxId && r.c_tax_id !== null };
}

async function apply(tx: Tx, r: Row, input: TaxDataInput, actor: string, today: string): Promise<void> {
  const { data, taxIdFromMaster } = merged(r, input);
  try {
    checkVatInvoiceData(data, { issuedOn: r.issued_on, today });
  } catch (err) {
    if (err instanceof DomainError && err.field === 'buyerTaxId' && taxIdFromMaster) {
      throw new DomainError(err.code, `${err.message} (the tax id on file for customer ${r.customer_code}); send buyerTaxId`, 'buyerTaxId');
    }
    throw err;
  }
  checkVatDataChange(stored(r), data, r.number);
  const duplicate = async () => {
    const [other] = await tx<{ number: string }[]>`SELECT number FROM invoices WHERE tax_number = ${data.taxNumber} AND id <> ${r.id}`;
    return other && new DomainError('DUPLICATE', `tax invoice number ${data.taxNumber} is already recorded on invoice ${other.number}`, 'taxNumber', { invoice: other.number });
  };
  if (data.taxNumber !== null) {
    const found = await duplicate();
    if (found) throw found;
  }
  try {
    // In a savepoint: the same number recorded on another invoice by a transaction that committed meanwhile fails the
    // unique index here, and the invoice that has it can still be read and named.
    await tx.savepoint((sp) => sp`
      UPDATE invoices SET vat_type = ${data.vatType}, buyer_tax_id = ${data.buyerTaxId}, buyer_address = ${data.buyerAddress},
        buyer_bank_name = ${data.buyerBankName}, buyer_bank_account = ${data.buyerBankAccount}, tax_number = ${data.taxNumber},
        tax_date = ${data.taxDate}, tax_data_by = ${actor}, tax_data_at = now()
      WHERE id = ${r.id}`);
  } catch (err) {
    const pg = err as { code?: string; constraint_name?: string };
    if (pg.code === '23505' && pg.constraint_name === 'invoices_tax_number_key') throw (await duplicate()) ?? err;
    throw err;
  }
}

async function locked(tx: Tx, numbers: string[]): Promise<Map<string, Row>> {
  await tx`SELECT 1 FROM invoices WHERE number = ANY(${numbers}::text[]) ORDER BY id FOR UPDATE`;
  return new Map((await SELECT(tx, numbers)).map((r) => [r.number, r]));
}

export async function invoiceTaxData(sql: Sql, number: string): Promise<InvoiceTaxDataView | undefined> {
  const [r] = await SELECT(sql, [number]);
  return r && view(r);
}

/** Records one invoice's VAT data (增值税发票信息), checked by domain/vat-invoice.ts. */
export async function recordInvoiceTaxData(sql: Sql, number: string, input: TaxDataInput, actor: string, today: string): Promise<InvoiceTaxDataView> {
  await sql.begin(async (tx) => {
    const r = (await locked(tx, [number])).get(number);
    if (!r) throw new DomainError('NOT_FOUND', `invoice ${number} does not exist`, 'number');
    await apply(tx, r, input, actor, today);
  });
  return (await invoiceTaxData(sql, number))!;
}

/**
 * A batch of them (an import): every row checked as one entry would be, all written or none (IMPORT_REJECTED
 * listing each bad row by line, with `fileErrors`, those of rows the file's text already made unreadable). A row
 * checked after an earlier row of the file was applied sees it: the same tax number twice is refused on its second line.
 */
export async function recordInvoiceTaxDataBatch(sql: Sql, rows: ImportedTaxData[], actor: string, today: string, fileErrors: RowError[] = []): Promise<number> {
  await sql.begin(async (tx) => {
    const errors: RowError[] = [...fileErrors];
    const found = await locked(tx, rows.map((r) => r.invoice));
    for (const row of rows) {
      const r = found.get(row.invoice);
      if (!r) {
        errors.push({ line: row.line, field: 'invoice', reason: `invoice ${row.invoice} does not exist` });
        continue;
      }
      try {
        await tx.savepoint((sp) => apply(sp, r, row.input, actor, today));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        errors.push({ line: row.line, field: err.field ?? 'row', reason: err.message });
      }
    }
    rejectIfAny(errors);
  });
  return rows.length;
}

export interface ImportedTaxData {
  line: number;
  invoice: string;
  input: TaxDataInput;
}
