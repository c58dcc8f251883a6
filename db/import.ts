import { z } from '@hono/zod-openapi';
import { Quantity } from '../contracts/numbers.js';
import { Code } from '../contracts/text.js';
import { CreateCustomerBody, CreateProductBody, CUSTOMER_DEFAULTS, CustomerPriceBody, PRODUCT_DEFAULTS } from '../contracts/master-data.js';
import type { CsvRecord } from '../domain/csv.js';
import { D, dec, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { authorizeControlledFields } from '../domain/master-data-controls.js';
import type { Sql, Tx } from './client.js';
import { customerColumns, nextCustomerCode } from './customers.js';
import { IMPORT_TEMPLATES, type ImportKind, type MasterImportKind } from './import-templates.js';
import { productColumns } from './products.js';

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

export type ImportRow = { line: number; values: Record<string, string> };
const MAX_REPORTED = 1000;
const QUANTITY_LIMIT = new D(10).pow(14);
const CHUNK = 1000;

const INT_FIELDS = new Set(['settlementDays', 'shelfLifeDays']);
const BOOL_FIELDS = new Set(['batchManaged']);

/** CSV text → typed input for the same zod schema the API uses; a blank cell means "not given". */
export function typed(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(values)) {
    const v = raw.trim();
    if (v === '') continue;
    if (INT_FIELDS.has(k)) out[k] = /^-?\d+$/.test(v) ? Number(v) : v;
    else if (BOOL_FIELDS.has(k)) out[k] = /^(true|1|y|yes)$/i.test(v) ? true : /^(false|0|n|no)$/i.test(v) ? false : v;
    else out[k] = v;
  }
  return out;
}

function customerInput(values: Record<string, string>) {
  const { contactName, contactPhone, deliveryAddress, ...rest } = typed(values) as Record<string, string>;
  return {
    ...rest,
    contacts: contactName || contactPhone ? [{ name: contactName ?? '', ...(contactPhone ? { phone: contactPhone } : {}) }] : [],
    addresses: deliveryAddress ? [{ label: 'default', address: deliveryAddress, isDefault: true }] : [],
  };
}

/** A zod path in the built input back to the CSV column it came from. */
function columnOf(path: readonly PropertyKey[]): string {
  const [head, , leaf] = path.map(String);
  if (head === 'contacts') return leaf === 'phone' ? 'contactPhone' : 'contactName';
  if (head === 'addresses') return 'deliveryAddress';
  return head ?? 'row';
}

const OpeningStockRow = z.object({ productCode: Code, warehouseCode: Code, quantity: Quantity }).strict();

const SCHEMAS: Record<MasterImportKind, { schema: z.ZodTypeAny; input: (v: Record<string, string>) => unknown }> = {
  customers: { schema: CreateCustomerBody, input: customerInput },
  products: { schema: CreateProductBody, input: typed },
  opening_stock: { schema: OpeningStockRow, input: typed },
  customer_prices: { schema: CustomerPriceBody, input: typed },
};

/** The header checked against the template, then each record as its values by column (ragged rows are errors). */
export function readTable(kind: ImportKind, file: CsvRecord[], errors: RowError[]): ImportRow[] {
  const [header, ...records] = file;
  const t = IMPORT_TEMPLATES[kind];
  if (!header) {
    errors.push({ line: 1, field: 'header', reason: `the file is empty; the first line names the columns: ${t.columns.join(',')}` });
    return [];
  }
  const names = header.fields.map((f) => f.trim());
  names.forEach((n) => {
    // A column name is echoed as the field, cut to a length a person reads (a 2 MB "name" is not echoed whole).
    if (!(t.columns as readonly string[]).includes(n)) errors.push({ line: header.line, field: (n.length > 64 ? `${n.slice(0, 64)}…` : n) || 'header', reason: `unknown column; the columns are ${t.columns.join(',')}` });
  });
  for (const r of t.required) if (!names.includes(r)) errors.push({ line: header.line, field: r, reason: 'required column is missing' });
  if (errors.length) return [];
  if (records.length === 0) errors.push({ line: header.line + 1, field: 'row', reason: 'the file has a header but no rows' });
  const rows: ImportRow[] = [];
  for (const rec of records) {
    if (rec.fields.length !== names.length) errors.push({ line: rec.line, field: 'row', reason: `has ${rec.fields.length} fields, the header has ${names.length}` });
    else rows.push({ line: rec.line, values: Object.fromEntries(names.map((n, i) => [n, rec.fields[i]!])) });
  }
  return rows;
}

/** Every problem found, by line, in one 422: the file is refused whole. */
export function rejectIfAny(found: RowError[]): void {
  if (found.length === 0) return;
  // One entry per cell: a value broken two ways ("abc" as a quantity) is one problem with both reasons.
  const byCell = new Map<string, RowError>();
  for (const e of found) {
    const same = byCell.get(`${e.line}\u0000${e.field}`);
    if (same) same.reason = `${same.reason}; ${e.reason}`;
    else byCell.set(`${e.line}\u0000${e.field}`, { ...e });
  }
  const errors = [...byCell.values()].sort((a, b) => a.line - b.line);
  throw new DomainError('IMPORT_REJECTED', `${errors.length} problem(s) in the file; nothing was imported`, errors[0]!.field, {
    line: errors[0]!.line,
    errors: errors.slice(0, MAX_REPORTED),
    errorCount: errors.length,
  });
}

function readRows(kind: MasterImportKind, file: CsvRecord[], errors: RowError[]): { line: number; data: any }[] {
  const parsed: { line: number; data: any }[] = [];
  const { schema, input } = SCHEMAS[kind];
  for (const { line, values } of readTable(kind, file, errors)) {
    const result = schema.safeParse(input(values));
    if (result.success) parsed.push({ line, data: result.data });
    else for (const issue of result.error.issues) errors.push({ line, field: columnOf(issue.path), reason: issue.message });
  }
  return parsed;
}

function duplicatesIn(parsed: { line: number; data: any }[], key: (d: any) => string | undefined, field: string, errors: RowError[]) {
  const seen = new Map<string, number>();
  for (const p of parsed) {
    const k = key(p.data);
    if (k === undefined) continue;
    const first = seen.get(k);
    if (first !== undefined) errors.push({ line: p.line, field, reason: `${k} already appears on line ${first}` });
    else seen.set(k, p.line);
  }
}

async function idsOf(sql: Sql | Tx, table: 'customers' | 'products' | 'warehouses', codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<{ id: string; code: string }[]>`SELECT id, code FROM ${sql(table)} WHERE code = ANY(${[...new Set(codes)]}::text[])`;
  return new Map(rows.map((r) => [r.code, r.id]));
}

function unknownRefs(parsed: { line: number; data: any }[], known: Map<string, string>, field: string, what: string, errors: RowError[]) {
  for (const p of parsed) {
    const code = p.data[field] as string | undefined;
    if (code !== undefined && !known.has(code)) errors.push({ line: p.line, field, reason: `${what} ${code} does not exist` });
  }
}

/** Opening stock adds to what is on hand: the sum must still fit stock_levels.on_hand, numeric(18,4). */
async function stockStaysStorable(sql: Sql, parsed: { line: number; data: any }[], errors: RowError[]) {
  const levels = await sql<{ product: string; warehouse: string; on_hand: string }[]>`
    SELECT p.code AS product, w.code AS warehouse, s.on_hand::text AS on_hand
    FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
    WHERE p.code = ANY(${[...new Set(parsed.map((p) => p.data.productCode as string))]}::text[])`;
  const onHand = new Map(levels.map((l) => [`${l.product}@${l.warehouse}`, l.on_hand]));
  for (const p of parsed) {
    const total = dec(onHand.get(`${p.data.productCode}@${p.data.warehouseCode}`) ?? '0').plus(dec(p.data.quantity));
    if (total.greaterThanOrEqualTo(QUANTITY_LIMIT)) errors.push({ line: p.line, field: 'quantity', reason: `${plain(total)} on hand would be more than a quantity can hold (14 digits before the point)` });
  }
}

async function crossCheck(sql: Sql, kind: MasterImportKind, parsed: { line: number; data: any }[], errors: RowError[]) {
  if (kind === 'products' || kind === 'customers') {
    duplicatesIn(parsed, (d) => d.code, 'code', errors);
    const existing = await idsOf(sql, kind, parsed.map((p) => p.data.code).filter(Boolean));
    for (const p of parsed) if (p.data.code && existing.has(p.data.code)) errors.push({ line: p.line, field: 'code', reason: `code ${p.data.code} is taken` });
  }
  if (kind === 'customers') {
    const inFile = new Map(parsed.filter((p) => p.data.code).map((p) => [p.data.code as string, p.data]));
    const heads = parsed.map((p) => p.data.billToCode).filter(Boolean);
    const inDb = await sql<{ code: string; bill_to_customer_id: string | null }[]>`
      SELECT code, bill_to_customer_id FROM customers WHERE code = ANY(${[...new Set(heads)]}::text[])`;
    const dbHeads = new Map(inDb.map((r) => [r.code, r.bill_to_customer_id]));
    for (const p of parsed) {
      const head = p.data.billToCode as string | null;
      if (!head) continue;
      if (head === p.data.code) errors.push({ line: p.line, field: 'billToCode', reason: 'a customer cannot be its own head office' });
      else if (!dbHeads.has(head) && !inFile.has(head)) errors.push({ line: p.line, field: 'billToCode', reason: `head office ${head} does not exist` });
      else if (dbHeads.get(head) || inFile.get(head)?.billToCode) errors.push({ line: p.line, field: 'billToCode', reason: `${head} is itself a branch` });
    }
  }
  if (kind === 'opening_stock') {
    duplicatesIn(parsed, (d) => `${d.productCode}@${d.warehouseCode}`, 'productCode', errors);
    unknownRefs(parsed, await idsOf(sql, 'products', parsed.map((p) => p.data.productCode)), 'productCode', 'product', errors);
    unknownRefs(parsed, await idsOf(sql, 'warehouses', parsed.map((p) => p.data.warehouseCode)), 'warehouseCode', 'warehouse', errors);
    await stockStaysStorable(sql, parsed, errors);
  }
  if (kind === 'customer_prices') {
    unknownRefs(parsed, await idsOf(sql, 'customers', parsed.map((p) => p.data.customerCode)), 'customerCode', 'customer', errors);
    unknownRefs(parsed, await idsOf(sql, 'products', parsed.map((p) => p.data.productCode)), 'productCode', 'product', errors);
  }
}

/** A row may set a control (a credit limit, a price floor) only when the importer may set it through the API. */
function controlsSetBy(role: string, kind: ImportKind, parsed: { line: number; data: any }[], errors: RowError[]) {
  const record = kind === 'customers' ? 'customer' : kind === 'products' ? 'product' : undefined;
  if (!record) return;
  const defaults = record === 'customer' ? CUSTOMER_DEFAULTS : PRODUCT_DEFAULTS;
  for (const p of parsed) {
    try {
      authorizeControlledFields(role, record, p.data, defaults);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      errors.push({ line: p.line, field: e.field ?? 'role', reason: e.message });
    }
  }
}

async function insertChunks(tx: Tx, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx`INSERT INTO ${tx(table)} ${tx(rows.slice(i, i + CHUNK) as never)}`;
}

const PRODUCT_NULLABLE = { spec: null, category: null, shelf_life_days: null };

async function write(tx: Tx, kind: MasterImportKind, importId: string, parsed: { line: number; data: any }[], today: string) {
  const data = parsed.map((p) => p.data);
  if (kind === 'products') {
    await insertChunks(tx, 'products', data.map((d) => ({ code: d.code, ...PRODUCT_NULLABLE, ...productColumns(d) })));
  } else if (kind === 'customers') {
    for (const d of data) {
      const code = d.code ?? (await nextCustomerCode(tx, today));
      const [c] = await tx`INSERT INTO customers ${tx({ code, ...customerColumns(tx, d) } as never)} RETURNING id`;
      if (d.addresses.length) {
        await tx`INSERT INTO customer_addresses (customer_id, label, address, is_default) VALUES (${c!.id}, 'default', ${d.addresses[0].address}, true)`;
      }
      d.code = code;
    }
    const branches = data.filter((d) => d.billToCode);
    for (const d of branches) {
      await tx`UPDATE customers SET bill_to_customer_id = (SELECT id FROM customers WHERE code = ${d.billToCode}) WHERE code = ${d.code}`;
    }
  } else if (kind === 'opening_stock') {
    const products = await idsOf(tx, 'products', data.map((d) => d.productCode));
    const warehouses = await idsOf(tx, 'warehouses', data.map((d) => d.warehouseCode));
    const moves = parsed.map((p) => ({
      idempotency_key: `import/${importId}/${p.line}`,
      product_id: products.get(p.data.productCode)!,
      warehouse_id: warehouses.get(p.data.warehouseCode)!,
      kind: 'opening',
      on_hand_delta: p.data.quantity,
      reserved_delta: '0',
      document_number: `IMPORT-${importId}`,
    }));
    for (let i = 0; i < moves.length; i += CHUNK) {
      const chunk = moves.slice(i, i + CHUNK);
      await tx`INSERT INTO stock_levels ${tx(chunk.map((m) => ({ product_id: m.product_id, warehouse_id: m.warehouse_id, on_hand: m.on_hand_delta, reserved: '0' })))}
               ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand`;
      await tx`INSERT INTO stock_moves ${tx(chunk)}`;
    }
  } else {
    const customers = await idsOf(tx, 'customers', data.map((d) => d.customerCode));
    const products = await idsOf(tx, 'products', data.map((d) => d.productCode));
    await insertChunks(
      tx,
      'customer_prices',
      data.map((d) => ({
        customer_id: customers.get(d.customerCode)!,
        product_id: products.get(d.productCode)!,
        unit_price: d.unitPrice,
        effective_from: d.effectiveFrom,
        effective_to: d.effectiveTo,
        created_by: 'import',
      })),
    );
  }
}

/**
 * Validates every row (the same zod rules as the API, then references and
 * duplicates), and writes all rows in one transaction or none: a file with one
 * bad row is refused with every bad row listed by line, field and reason.
 */
export async function importRecords(sql: Sql, kind: MasterImportKind, file: CsvRecord[], importedBy: { name: string; role: string }, today: string) {
  const errors: RowError[] = [];
  const parsed = readRows(kind, file, errors);
  controlsSetBy(importedBy.role, kind, parsed, errors);
  await crossCheck(sql, kind, parsed, errors);
  rejectIfAny(errors);
  return sql.begin(async (tx) => {
    const [imp] = await tx`INSERT INTO imports (kind, row_count, imported_by) VALUES (${kind}, ${parsed.length}, ${importedBy.name}) RETURNING id`;
    await write(tx, kind, imp!.id, parsed, today);
    return { importId: String(imp!.id), kind, rows: parsed.length };
  });
}
