import { DomainError } from '../domain/errors.js';
import { numericText } from '../domain/decimal.js';
import type { CreateCustomer, UpdateCustomer } from '../contracts/master-data.js';
import type { Sql, Tx } from './client.js';
import { storableJson } from './json.js';
import { orderBy, whenGiven } from './listing.js';
import { nextDocumentNumber } from './numbering.js';

const SORTS = { code: 'code', name: 'name', createdAt: 'created_at', creditLimit: 'credit_limit' } as const;

export interface CustomerFilter {
  q?: string | undefined;
  grade?: string | undefined;
  region?: string | undefined;
  industry?: string | undefined;
  approvalStatus?: string | undefined;
  active?: boolean | undefined;
  sort?: string | undefined;
  limit: number;
  offset: number;
}

function view(c: Record<string, any>, addresses: Record<string, any>[] = []) {
  return {
    code: c.code as string,
    name: c.name as string,
    contacts: c.contacts,
    addresses: addresses.map((a) => ({ label: a.label, address: a.address, contact: a.contact, phone: a.phone, isDefault: a.is_default })),
    region: c.region,
    industry: c.industry,
    grade: c.grade,
    settlementTerms: c.settlement_terms,
    settlementDays: c.settlement_days,
    taxId: c.tax_id,
    invoiceAddress: c.invoice_address,
    bankName: c.bank_name,
    bankAccount: c.bank_account,
    approvalStatus: c.approval_status,
    billToCode: c.bill_to_code ?? null,
    depositRatio: numericText(c.deposit_ratio),
    pricingOrder: c.pricing_order,
    creditControl: c.credit_control,
    creditLimit: c.credit_limit as string,
    creditOverrunRate: numericText(c.credit_overrun_rate),
    currency: c.currency,
    invoiceMode: c.invoice_mode,
    active: c.active as boolean,
    createdAt: new Date(c.created_at).toISOString(),
    updatedAt: new Date(c.updated_at).toISOString(),
  };
}
export type CustomerView = ReturnType<typeof view>;

export async function listCustomers(sql: Sql, f: CustomerFilter) {
  const rows = await sql`
    SELECT c.*, b.code AS bill_to_code, count(*) OVER () AS total
    FROM customers c LEFT JOIN customers b ON b.id = c.bill_to_customer_id
    WHERE true
      ${whenGiven(sql, f.q, (q) => sql`AND (c.code ILIKE ${'%' + q + '%'} OR c.name ILIKE ${'%' + q + '%'})`)}
      ${whenGiven(sql, f.grade, (v) => sql`AND c.grade = ${v}`)}
      ${whenGiven(sql, f.region, (v) => sql`AND c.region = ${v}`)}
      ${whenGiven(sql, f.industry, (v) => sql`AND c.industry = ${v}`)}
      ${whenGiven(sql, f.approvalStatus, (v) => sql`AND c.approval_status = ${v}`)}
      ${whenGiven(sql, f.active, (v) => sql`AND c.active = ${v}`)}
    ORDER BY ${orderBy(sql, 'c', SORTS, f.sort ?? 'code')}, c.id
    LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total: rows.length ? Number(rows[0]!.total) : 0, items: rows.map((r) => view(r)) };
}

export async function getCustomer(sql: Sql, code: string): Promise<CustomerView> {
  const [c] = await sql`
    SELECT c.*, b.code AS bill_to_code FROM customers c LEFT JOIN customers b ON b.id = c.bill_to_customer_id WHERE c.code = ${code}`;
  if (!c) throw new DomainError('NOT_FOUND', `customer ${code} does not exist`, 'code');
  const addresses = await sql`SELECT * FROM customer_addresses WHERE customer_id = ${c.id} ORDER BY id`;
  return view(c, addresses);
}

/** 总公司付款: the payer must exist, be someone else, and pay for itself (one level of head office). */
async function billToId(tx: Tx, billToCode: string | null | undefined, selfCode: string | null): Promise<string | null> {
  if (!billToCode) return null;
  if (billToCode === selfCode) throw new DomainError('VALIDATION_FAILED', 'a customer cannot pay for itself as its own head office', 'billToCode');
  const [payer] = await tx`SELECT id, bill_to_customer_id FROM customers WHERE code = ${billToCode}`;
  if (!payer) throw new DomainError('UNKNOWN_CUSTOMER', `head office ${billToCode} does not exist`, 'billToCode');
  if (payer.bill_to_customer_id) {
    throw new DomainError('VALIDATION_FAILED', `${billToCode} is itself a branch paid by another customer; name the paying head office`, 'billToCode');
  }
  if (selfCode) {
    const [branches] = await tx`SELECT count(*)::int AS n FROM customers WHERE bill_to_customer_id = (SELECT id FROM customers WHERE code = ${selfCode})`;
    if (branches!.n > 0) throw new DomainError('VALIDATION_FAILED', `${selfCode} is a head office paying for branches; it cannot be a branch too`, 'billToCode');
  }
  return payer.id;
}

async function replaceAddresses(tx: Tx, customerId: string, addresses: CreateCustomer['addresses']): Promise<void> {
  await tx`DELETE FROM customer_addresses WHERE customer_id = ${customerId}`;
  if (addresses.length === 0) return;
  await tx`INSERT INTO customer_addresses ${tx(
    addresses.map((a) => ({ customer_id: customerId, label: a.label, address: a.address, contact: a.contact ?? null, phone: a.phone ?? null, is_default: a.isDefault })),
  )}`;
}

/** A free customer code from the numbering rule; numbers taken by hand-coded customers are passed over. */
export async function nextCustomerCode(tx: Tx, today: string): Promise<string> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const code = await nextDocumentNumber(tx, 'customer', today);
    const [taken] = await tx`SELECT 1 FROM customers WHERE code = ${code}`;
    if (!taken) return code;
  }
  throw new DomainError('CONFLICT', 'the customer numbering rule finds no free code; change its prefix', 'code');
}

export function customerColumns(sql: Sql | Tx, c: Omit<UpdateCustomer, 'billToCode' | 'addresses'>): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: c.name,
    contacts: c.contacts === undefined ? undefined : sql.json(storableJson(c.contacts, 'contacts')),
    region: c.region,
    industry: c.industry,
    grade: c.grade,
    settlement_terms: c.settlementTerms,
    settlement_days: c.settlementDays,
    tax_id: c.taxId,
    invoice_address: c.invoiceAddress,
    bank_name: c.bankName,
    bank_account: c.bankAccount,
    approval_status: c.approvalStatus,
    deposit_ratio: c.depositRatio,
    pricing_order: c.pricingOrder,
    credit_control: c.creditControl,
    credit_limit: c.creditLimit,
    credit_overrun_rate: c.creditOverrunRate,
    currency: c.currency,
    invoice_mode: c.invoiceMode,
    active: c.active,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function createCustomer(sql: Sql, input: CreateCustomer, today: string): Promise<CustomerView> {
  const code = await sql.begin(async (tx) => {
    if (input.code) {
      const [taken] = await tx`SELECT 1 FROM customers WHERE code = ${input.code}`;
      if (taken) throw new DomainError('DUPLICATE', `customer code ${input.code} is taken`, 'code');
    }
    const code = input.code ?? (await nextCustomerCode(tx, today));
    const row = { code, bill_to_customer_id: await billToId(tx, input.billToCode, code), ...customerColumns(tx, input) };
    const [c] = await tx`INSERT INTO customers ${tx(row as never)} RETURNING id`;
    await replaceAddresses(tx, c!.id, input.addresses);
    return code;
  });
  return getCustomer(sql, code);
}

/** `guard` sees the stored customer under its row lock, so what it allows is what the update changes. */
export async function updateCustomer(sql: Sql, code: string, input: UpdateCustomer, guard?: (current: CustomerView) => void): Promise<CustomerView> {
  await sql.begin(async (tx) => {
    const [c] = await tx`
      SELECT c.*, h.code AS bill_to_code FROM customers c LEFT JOIN customers h ON h.id = c.bill_to_customer_id
      WHERE c.code = ${code} FOR UPDATE OF c`;
    if (!c) throw new DomainError('NOT_FOUND', `customer ${code} does not exist`, 'code');
    guard?.(view(c));
    const row: Record<string, unknown> = { ...customerColumns(tx, input), updated_at: new Date() };
    if (input.billToCode !== undefined) row.bill_to_customer_id = await billToId(tx, input.billToCode, code);
    await tx`UPDATE customers SET ${tx(row as never)} WHERE id = ${c.id}`;
    if (input.addresses) await replaceAddresses(tx, c.id, input.addresses);
  });
  return getCustomer(sql, code);
}

/** Only a customer nothing refers to can go; any other is deactivated instead. */
export async function deleteCustomer(sql: Sql, code: string): Promise<void> {
  await deleteUnreferenced(sql, 'customer', code, async (tx) => {
    const [c] = await tx`SELECT id FROM customers WHERE code = ${code} FOR UPDATE`;
    if (!c) throw new DomainError('NOT_FOUND', `customer ${code} does not exist`, 'code');
    await tx`DELETE FROM customer_addresses WHERE customer_id = ${c.id}`;
    await tx`DELETE FROM customers WHERE id = ${c.id}`;
  });
}

/**
 * Runs a delete; a foreign key that still points at the record (an order, a
 * price, a stock move…) turns it into IN_USE, and the transaction writes nothing.
 */
export async function deleteUnreferenced(sql: Sql, what: string, code: string, del: (tx: Tx) => Promise<void>): Promise<void> {
  try {
    await sql.begin(del);
  } catch (err) {
    const pg = err as { code?: string; table_name?: string };
    if (pg.code === '23503') {
      throw new DomainError('IN_USE', `${what} ${code} is referred to by ${pg.table_name ?? 'other records'}; deactivate it instead`, 'code', {
        referencedBy: pg.table_name ?? null,
      });
    }
    throw err;
  }
}
