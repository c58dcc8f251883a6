import { dec, numericText, plain } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { floorPrice, parsePricingOrder, resolvePrice, validateQuantityTiers } from '../domain/pricing.js';
import type { Sql, Tx } from './client.js';
import { whenGiven } from './listing.js';
import { customerPricesOf, lastPricePaid, pricingTables } from './pricing.js';

export async function gradeDiscounts(sql: Sql) {
  const rows = await sql<{ grade: string; rate: string }[]>`SELECT grade, rate FROM grade_discounts ORDER BY grade`;
  return rows.map((r) => ({ grade: r.grade, rate: numericText(r.rate) }));
}

export async function saveGradeDiscounts(sql: Sql, discounts: { grade: string; rate: string }[]) {
  const grades = discounts.map((d) => d.grade);
  const twice = grades.findIndex((g, i) => grades.indexOf(g) !== i);
  if (twice >= 0) throw new DomainError('VALIDATION_FAILED', `grade ${grades[twice]} is listed twice`, `discounts[${twice}].grade`);
  await sql.begin(async (tx) => {
    for (const d of discounts) {
      await tx`INSERT INTO grade_discounts (grade, rate) VALUES (${d.grade}, ${d.rate}) ON CONFLICT (grade) DO UPDATE SET rate = EXCLUDED.rate`;
    }
  });
  return gradeDiscounts(sql);
}

export async function quantityTiers(sql: Sql) {
  const rows = await sql<{ above: string; up_to: string | null; rate: string }[]>`SELECT above, up_to, rate FROM quantity_tiers ORDER BY above`;
  return rows.map((r) => ({ above: numericText(r.above), upTo: r.up_to === null ? null : numericText(r.up_to), rate: numericText(r.rate) }));
}

/** Replaces the whole tier scale, refusing one with gaps or overlaps before anything is written. */
export async function saveQuantityTiers(sql: Sql, tiers: { above: string; upTo: string | null; rate: string }[]) {
  validateQuantityTiers(tiers.map((t) => ({ above: dec(t.above), upTo: t.upTo === null ? null : dec(t.upTo), rate: dec(t.rate) })));
  await sql.begin(async (tx) => {
    await tx`DELETE FROM quantity_tiers`;
    await tx`INSERT INTO quantity_tiers ${tx(tiers.map((t) => ({ above: t.above, up_to: t.upTo, rate: t.rate })))}`;
  });
  return quantityTiers(sql);
}

const priceView = (r: Record<string, any>) => ({
  id: String(r.id),
  customerCode: r.customer_code as string,
  productCode: r.product_code as string,
  unitPrice: numericText(r.unit_price),
  effectiveFrom: r.effective_from as string,
  effectiveTo: r.effective_to as string | null,
  active: r.active as boolean,
  createdBy: r.created_by as string,
  updatedBy: (r.updated_by ?? null) as string | null,
  updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
});

const priceColumns = (sql: Sql | Tx) =>
  sql`cp.id, c.code AS customer_code, p.code AS product_code, cp.unit_price, cp.effective_from::text, cp.effective_to::text,
      cp.active, cp.created_by, cp.updated_by, cp.updated_at`;

export async function listCustomerPrices(
  sql: Sql,
  f: { customerCode?: string | undefined; productCode?: string | undefined; active?: boolean | undefined; limit: number; offset: number },
) {
  const rows = await sql`
    SELECT ${priceColumns(sql)}, count(*) OVER () AS total
    FROM customer_prices cp JOIN customers c ON c.id = cp.customer_id JOIN products p ON p.id = cp.product_id
    WHERE true
      ${whenGiven(sql, f.customerCode, (v) => sql`AND c.code = ${v}`)}
      ${whenGiven(sql, f.productCode, (v) => sql`AND p.code = ${v}`)}
      ${whenGiven(sql, f.active, (v) => sql`AND cp.active = ${v}`)}
    ORDER BY c.code, p.code, cp.effective_from DESC, cp.id LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { total: rows.length ? Number(rows[0]!.total) : 0, items: rows.map(priceView) };
}

export async function createCustomerPrice(
  sql: Sql,
  input: { customerCode: string; productCode: string; unitPrice: string; effectiveFrom: string; effectiveTo: string | null },
  createdBy: string,
) {
  const [c] = await sql`SELECT id FROM customers WHERE code = ${input.customerCode}`;
  if (!c) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${input.customerCode} does not exist`, 'customerCode');
  const [p] = await sql`SELECT id FROM products WHERE code = ${input.productCode}`;
  if (!p) throw new DomainError('UNKNOWN_PRODUCT', `product ${input.productCode} does not exist`, 'productCode');
  const [row] = await sql`
    INSERT INTO customer_prices (customer_id, product_id, unit_price, effective_from, effective_to, created_by)
    VALUES (${c.id}, ${p.id}, ${input.unitPrice}, ${input.effectiveFrom}, ${input.effectiveTo}, ${createdBy})
    RETURNING id, unit_price, effective_from::text, effective_to::text, active, created_by, updated_by, updated_at`;
  return priceView({ ...row, customer_code: input.customerCode, product_code: input.productCode });
}

async function customerPriceRow(sql: Sql | Tx, id: string, lock = false) {
  const [row] = await sql`
    SELECT ${priceColumns(sql)}
    FROM customer_prices cp JOIN customers c ON c.id = cp.customer_id JOIN products p ON p.id = cp.product_id
    WHERE cp.id = ${id} ${lock ? sql`FOR UPDATE OF cp` : sql``}`;
  if (!row) throw new DomainError('NOT_FOUND', `customer price ${id} does not exist`, 'id');
  return row;
}

export interface CustomerPriceChange {
  unitPrice?: string | undefined;
  effectiveFrom?: string | undefined;
  effectiveTo?: string | null | undefined;
  active?: boolean | undefined;
}

/**
 * Changes an agreed price, its dates or whether it is used. Order lines keep the
 * price they were given (they copy it), so a change reaches only orders entered
 * afterwards. The dates are checked together with the stored ones they meet.
 */
export async function updateCustomerPrice(sql: Sql, id: string, change: CustomerPriceChange, updatedBy: string) {
  return sql.begin(async (tx) => {
    const current = await customerPriceRow(tx, id, true);
    const from = change.effectiveFrom ?? (current.effective_from as string);
    const to = change.effectiveTo === undefined ? (current.effective_to as string | null) : change.effectiveTo;
    if (to !== null && to < from) {
      const field = change.effectiveTo === undefined ? 'effectiveFrom' : 'effectiveTo';
      throw new DomainError('VALIDATION_FAILED', `the price would end (${to}) before it takes effect (${from})`, field);
    }
    await tx`
      UPDATE customer_prices SET
        unit_price = ${change.unitPrice ?? current.unit_price}, effective_from = ${from}, effective_to = ${to},
        active = ${change.active ?? current.active}, updated_by = ${updatedBy}, updated_at = now()
      WHERE id = ${id}`;
    return priceView(await customerPriceRow(tx, id));
  });
}

/**
 * Deletes an agreed price no order line was priced by. One that order lines point
 * at is kept and deactivated instead (no longer used for pricing), so those lines
 * still show where their price came from.
 */
export async function deleteCustomerPrice(sql: Sql, id: string, deletedBy: string): Promise<{ deleted: true } | { deactivated: ReturnType<typeof priceView> }> {
  return sql.begin(async (tx) => {
    await customerPriceRow(tx, id, true);
    try {
      // The foreign key decides what refers to it, also for lines written a moment ago.
      await tx.savepoint((sp) => sp`DELETE FROM customer_prices WHERE id = ${id}`);
      return { deleted: true as const };
    } catch (err) {
      if ((err as { code?: string }).code !== '23503') throw err;
    }
    await tx`UPDATE customer_prices SET active = false, updated_by = ${deletedBy}, updated_at = now() WHERE id = ${id}`;
    return { deactivated: priceView(await customerPriceRow(tx, id)) };
  });
}

/** The price a customer would pay today for a quantity, the rule that won, the floor and the last price paid. */
export async function quotePrice(sql: Sql, q: { customerCode: string; productCode: string; quantity: string; date: string }) {
  const [c] = await sql`SELECT id, grade, pricing_order FROM customers WHERE code = ${q.customerCode}`;
  if (!c) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${q.customerCode} does not exist`, 'customerCode');
  const [p] = await sql`SELECT id, list_price, price_floor_rate FROM products WHERE code = ${q.productCode}`;
  if (!p) throw new DomainError('UNKNOWN_PRODUCT', `product ${q.productCode} does not exist`, 'productCode');
  const [tables, agreed, last] = await Promise.all([pricingTables(sql), customerPricesOf(sql, c.id, [p.id]), lastPricePaid(sql, c.id, p.id)]);
  const listPrice = dec(p.list_price);
  const resolved = resolvePrice({
    listPrice,
    quantity: dec(q.quantity),
    date: q.date,
    grade: c.grade,
    pricingOrder: parsePricingOrder(c.pricing_order),
    customerPrices: agreed.get(p.id) ?? [],
    ...tables,
  });
  return {
    customerCode: q.customerCode,
    productCode: q.productCode,
    quantity: plain(dec(q.quantity)),
    date: q.date,
    unitPrice: plain(resolved.unitPrice),
    rule: resolved.rule,
    ...(resolved.rate ? { rate: plain(resolved.rate) } : {}),
    listPrice: plain(listPrice),
    floorPrice: plain(floorPrice(listPrice, dec(p.price_floor_rate))),
    lastPrice: last,
  };
}
