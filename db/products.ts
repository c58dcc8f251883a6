import { DomainError } from '../domain/errors.js';
import { numericText } from '../domain/decimal.js';
import type { CreateProduct, UpdateProduct } from '../contracts/master-data.js';
import type { Sql } from './client.js';
import { deleteUnreferenced } from './customers.js';
import { orderBy, whenGiven } from './listing.js';

const SORTS = { code: 'code', name: 'name', createdAt: 'created_at', listPrice: 'list_price' } as const;

export interface ProductFilter {
  q?: string | undefined;
  category?: string | undefined;
  active?: boolean | undefined;
  sort?: string | undefined;
  limit: number;
  offset: number;
}

function view(p: Record<string, any>) {
  return {
    code: p.code as string,
    name: p.name as string,
    spec: p.spec as string | null,
    unit: p.unit as string,
    category: p.category as string | null,
    costPrice: numericText(p.cost_price),
    listPrice: numericText(p.list_price),
    taxRate: numericText(p.tax_rate),
    priceFloorRate: numericText(p.price_floor_rate),
    overDeliveryRate: numericText(p.over_delivery_rate),
    safetyStock: numericText(p.safety_stock),
    batchManaged: p.batch_managed as boolean,
    shelfLifeDays: p.shelf_life_days as number | null,
    active: p.active as boolean,
    createdAt: new Date(p.created_at).toISOString(),
    updatedAt: new Date(p.updated_at).toISOString(),
  };
}
export type ProductView = ReturnType<typeof view>;

export function productColumns(p: UpdateProduct): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: p.name,
    spec: p.spec,
    unit: p.unit,
    category: p.category,
    cost_price: p.costPrice,
    list_price: p.listPrice,
    tax_rate: p.taxRate,
    price_floor_rate: p.priceFloorRate,
    over_delivery_rate: p.overDeliveryRate,
    safety_stock: p.safetyStock,
    batch_managed: p.batchManaged,
    shelf_life_days: p.shelfLifeDays,
    active: p.active,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

export async function listProducts(sql: Sql, f: ProductFilter) {
  const rows = await sql`
    SELECT p.*, count(*) OVER () AS total FROM products p
    WHERE true
      ${whenGiven(sql, f.q, (q) => sql`AND (p.code ILIKE ${'%' + q + '%'} OR p.name ILIKE ${'%' + q + '%'})`)}
      ${whenGiven(sql, f.category, (v) => sql`AND p.category = ${v}`)}
      ${whenGiven(sql, f.active, (v) => sql`AND p.active = ${v}`)}
    ORDER BY ${orderBy(sql, 'p', SORTS, f.sort ?? 'code')}, p.id
    LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total: rows.length ? Number(rows[0]!.total) : 0, items: rows.map(view) };
}

export async function getProduct(sql: Sql, code: string): Promise<ProductView> {
  const [p] = await sql`SELECT * FROM products WHERE code = ${code}`;
  if (!p) throw new DomainError('NOT_FOUND', `product ${code} does not exist`, 'code');
  return view(p);
}

export async function createProduct(sql: Sql, input: CreateProduct): Promise<ProductView> {
  const [taken] = await sql`SELECT 1 FROM products WHERE code = ${input.code}`;
  if (taken) throw new DomainError('DUPLICATE', `product code ${input.code} is taken`, 'code');
  const [p] = await sql`INSERT INTO products ${sql({ code: input.code, ...productColumns(input) } as never)} RETURNING *`;
  return view(p!);
}

/** `guard` sees the stored product under its row lock, so what it allows is what the update changes. */
export async function updateProduct(sql: Sql, code: string, input: UpdateProduct, guard?: (current: ProductView) => void): Promise<ProductView> {
  return sql.begin(async (tx) => {
    const [current] = await tx`SELECT * FROM products WHERE code = ${code} FOR UPDATE`;
    if (!current) throw new DomainError('NOT_FOUND', `product ${code} does not exist`, 'code');
    guard?.(view(current));
    const [p] = await tx`UPDATE products SET ${tx({ ...productColumns(input), updated_at: new Date() } as never)} WHERE id = ${current.id} RETURNING *`;
    return view(p!);
  });
}

/** Stock rows at zero with no ledger behind them do not count as a reference. */
export async function deleteProduct(sql: Sql, code: string): Promise<void> {
  await deleteUnreferenced(sql, 'product', code, async (tx) => {
    const [p] = await tx`SELECT id FROM products WHERE code = ${code} FOR UPDATE`;
    if (!p) throw new DomainError('NOT_FOUND', `product ${code} does not exist`, 'code');
    await tx`DELETE FROM stock_levels s WHERE s.product_id = ${p.id} AND s.on_hand = 0 AND s.reserved = 0
             AND NOT EXISTS (SELECT 1 FROM stock_moves m WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id)`;
    await tx`DELETE FROM products WHERE id = ${p.id}`;
  });
}
