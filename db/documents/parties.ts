import type { Sql } from '../client.js';
import type { CompanyHeader, Party } from './model.js';

/** The company header from company_settings; a key nobody set prints empty rather than failing a document. */
export async function companyHeader(sql: Sql): Promise<CompanyHeader> {
  const rows = await sql<{ key: string; value: unknown }[]>`SELECT key, value FROM company_settings WHERE key LIKE 'company.%'`;
  const v = new Map(rows.map((r) => [r.key, typeof r.value === 'string' ? r.value : '']));
  return { name: v.get('company.name') ?? '', address: v.get('company.address') ?? '', taxId: v.get('company.tax_id') ?? '', phone: v.get('company.phone') ?? '' };
}

/** The customer with its default delivery address (else its first one) and tax id. */
export async function partyOf(sql: Sql, customerCode: string): Promise<(Party & { currency: string }) | undefined> {
  const [c] = await sql<{ code: string; name: string; tax_id: string | null; address: string | null; currency: string }[]>`
    SELECT c.code, c.name, c.tax_id, c.currency,
           (SELECT a.address FROM customer_addresses a WHERE a.customer_id = c.id ORDER BY a.is_default DESC, a.id LIMIT 1) AS address
    FROM customers c WHERE c.code = ${customerCode}`;
  return c && { code: c.code, name: c.name, address: c.address, taxId: c.tax_id, currency: c.currency };
}

/** Product names and units by code, for lines the order's read model names by code only. */
export async function productNames(sql: Sql, codes: readonly string[]): Promise<Map<string, { name: string; unit: string }>> {
  const rows = await sql<{ code: string; name: string; unit: string }[]>`SELECT code, name, unit FROM products WHERE code = ANY(${[...new Set(codes)]})`;
  return new Map(rows.map((r) => [r.code, { name: r.name, unit: r.unit }]));
}
