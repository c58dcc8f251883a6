import { DomainError } from '../domain/errors.js';
import type { Sql } from './client.js';
import { deleteUnreferenced } from './customers.js';

const view = (w: Record<string, any>) => ({ code: w.code as string, name: w.name as string, active: w.active as boolean });

export async function listWarehouses(sql: Sql, f: { q?: string | undefined; limit: number; offset: number }) {
  const q = f.q ? `%${f.q}%` : null;
  const rows = await sql`
    SELECT *, count(*) OVER () AS total FROM warehouses
    WHERE ${q}::text IS NULL OR code ILIKE ${q} OR name ILIKE ${q}
    ORDER BY code LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total: rows.length ? Number(rows[0]!.total) : 0, items: rows.map(view) };
}

export async function getWarehouse(sql: Sql, code: string) {
  const [w] = await sql`SELECT * FROM warehouses WHERE code = ${code}`;
  if (!w) throw new DomainError('NOT_FOUND', `warehouse ${code} does not exist`, 'code');
  return view(w);
}

export async function createWarehouse(sql: Sql, input: { code: string; name: string }) {
  const [taken] = await sql`SELECT 1 FROM warehouses WHERE code = ${input.code}`;
  if (taken) throw new DomainError('DUPLICATE', `warehouse code ${input.code} is taken`, 'code');
  const [w] = await sql`INSERT INTO warehouses ${sql(input)} RETURNING *`;
  return view(w!);
}

export async function updateWarehouse(sql: Sql, code: string, input: { name?: string | undefined; active?: boolean | undefined }) {
  const row = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const [w] = Object.keys(row).length
    ? await sql`UPDATE warehouses SET ${sql(row as never)} WHERE code = ${code} RETURNING *`
    : await sql`SELECT * FROM warehouses WHERE code = ${code}`;
  if (!w) throw new DomainError('NOT_FOUND', `warehouse ${code} does not exist`, 'code');
  return view(w);
}

export async function deleteWarehouse(sql: Sql, code: string): Promise<void> {
  await deleteUnreferenced(sql, 'warehouse', code, async (tx) => {
    const [w] = await tx`SELECT id FROM warehouses WHERE code = ${code} FOR UPDATE`;
    if (!w) throw new DomainError('NOT_FOUND', `warehouse ${code} does not exist`, 'code');
    await tx`DELETE FROM warehouses WHERE id = ${w.id}`;
  });
}
