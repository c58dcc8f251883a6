import { D, PRICE_SCALE, type D as Dec } from './decimal.js';
import { DomainError } from './errors.js';

/**
 * 价格策略: the price a customer pays for a product, found by walking the
 * customer's pricing order (定价顺序/取价顺序). The first rule that yields a price
 * wins; when none does, the list price stands. A rule whose rate is 1 (a 100%
 * tier, a grade without discount) yields nothing, so the next rule is asked.
 */
export const PRICE_RULES = ['customer_price', 'grade_discount', 'quantity_tier'] as const;
export type PriceRule = (typeof PRICE_RULES)[number];
/** Where a line's price came from: a rule, the list price, or typed in by the clerk. */
export type PriceSource = PriceRule | 'list_price' | 'manual';

/** 客户商品价格: valid from `effectiveFrom` to `effectiveTo` inclusive (open-ended when null). */
export interface CustomerPrice {
  /** The stored agreement, so an order line can point at the price it was given. */
  id?: string;
  unitPrice: Dec;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** Quantities q with above < q <= upTo (upTo null: no upper end) pay `rate` × list. */
export interface QuantityTier {
  above: Dec;
  upTo: Dec | null;
  rate: Dec;
}

export interface PricingContext {
  listPrice: Dec;
  quantity: Dec;
  /** The order date, YYYY-MM-DD. */
  date: string;
  grade: string;
  pricingOrder: readonly PriceRule[];
  customerPrices: readonly CustomerPrice[];
  gradeDiscounts: ReadonlyMap<string, Dec>;
  quantityTiers: readonly QuantityTier[];
}

export interface ResolvedPrice {
  unitPrice: Dec;
  rule: PriceSource;
  /** The share of the list price for the discount rules. */
  rate?: Dec;
  /** The agreed price that won, for rule 'customer_price'. */
  customerPriceId?: string;
}

/** A price as it is stored: six decimals, half-up. */
export function roundPrice(value: Dec): Dec {
  return value.toDecimalPlaces(PRICE_SCALE, D.ROUND_HALF_UP);
}

/** The customer price in force on `date`; of several, the one that took effect last. */
export function customerPriceOn(prices: readonly CustomerPrice[], date: string): CustomerPrice | undefined {
  return prices
    .filter((p) => p.effectiveFrom <= date && (p.effectiveTo === null || date <= p.effectiveTo))
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0))[0];
}

export function tierFor(tiers: readonly QuantityTier[], quantity: Dec): QuantityTier | undefined {
  return tiers.find((t) => quantity.greaterThan(t.above) && (t.upTo === null || quantity.lessThanOrEqualTo(t.upTo)));
}

function applyRule(rule: PriceRule, ctx: PricingContext): ResolvedPrice | undefined {
  switch (rule) {
    case 'customer_price': {
      const agreed = customerPriceOn(ctx.customerPrices, ctx.date);
      return agreed && { unitPrice: agreed.unitPrice, rule, ...(agreed.id ? { customerPriceId: agreed.id } : {}) };
    }
    case 'grade_discount': {
      const rate = ctx.gradeDiscounts.get(ctx.grade);
      return rate && rate.lessThan(1) ? { unitPrice: roundPrice(ctx.listPrice.times(rate)), rule, rate } : undefined;
    }
    case 'quantity_tier': {
      const tier = tierFor(ctx.quantityTiers, ctx.quantity);
      return tier && tier.rate.lessThan(1) ? { unitPrice: roundPrice(ctx.listPrice.times(tier.rate)), rule, rate: tier.rate } : undefined;
    }
  }
}

/** The price for one line and the rule that won. */
export function resolvePrice(ctx: PricingContext): ResolvedPrice {
  for (const rule of ctx.pricingOrder) {
    const found = applyRule(rule, ctx);
    if (found) return found;
  }
  return { unitPrice: ctx.listPrice, rule: 'list_price' };
}

/** 单价下限: the lowest price a clerk may sell at without approval. */
export function floorPrice(listPrice: Dec, floorRate: Dec): Dec {
  return listPrice.times(floorRate);
}

export function isBelowFloor(unitPrice: Dec, listPrice: Dec, floorRate: Dec): boolean {
  return unitPrice.lessThan(floorPrice(listPrice, floorRate));
}

export interface PricedLine {
  unitPrice: Dec;
  rule: PriceSource;
  belowFloor: boolean;
  floorPrice: Dec;
  customerPriceId?: string;
}

/** A line's price: the clerk's own price when given, else the strategy's; flagged when under the floor. */
export function priceLine(ctx: PricingContext & { floorRate: Dec; manualPrice?: Dec | undefined }): PricedLine {
  const resolved: ResolvedPrice = ctx.manualPrice ? { unitPrice: ctx.manualPrice, rule: 'manual' } : resolvePrice(ctx);
  return {
    unitPrice: resolved.unitPrice,
    rule: resolved.rule,
    ...(resolved.customerPriceId ? { customerPriceId: resolved.customerPriceId } : {}),
    belowFloor: isBelowFloor(resolved.unitPrice, ctx.listPrice, ctx.floorRate),
    floorPrice: floorPrice(ctx.listPrice, ctx.floorRate),
  };
}

/**
 * A tier table is one unbroken scale: the first tier starts above 0, each next
 * one starts where the previous ends, only the last is open-ended.
 */
export function validateQuantityTiers(tiers: readonly QuantityTier[], field = 'tiers'): void {
  if (tiers.length === 0) throw new DomainError('VALIDATION_FAILED', 'a tier table needs at least one tier', field);
  const sorted = [...tiers].map((t, i) => ({ ...t, i })).sort((a, b) => a.above.comparedTo(b.above));
  if (!sorted[0]!.above.isZero()) {
    throw new DomainError('VALIDATION_FAILED', `the first tier must start above 0, not above ${sorted[0]!.above.toFixed()}`, `${field}[${sorted[0]!.i}].above`);
  }
  sorted.forEach((t, k) => {
    const at = `${field}[${t.i}]`;
    if (t.rate.lessThanOrEqualTo(0) || t.rate.greaterThan(1)) {
      throw new DomainError('VALIDATION_FAILED', 'a tier rate is a share of the list price above 0 and at most 1', `${at}.rate`);
    }
    if (t.upTo !== null && t.upTo.lessThanOrEqualTo(t.above)) {
      throw new DomainError('VALIDATION_FAILED', 'a tier must end above where it starts', `${at}.upTo`);
    }
    const next = sorted[k + 1];
    if (!next) {
      if (t.upTo !== null) throw new DomainError('VALIDATION_FAILED', `quantities above ${t.upTo.toFixed()} fall in no tier (gap)`, `${at}.upTo`);
      return;
    }
    if (t.upTo === null) throw new DomainError('VALIDATION_FAILED', 'only the last tier may be open-ended (overlap)', `${at}.upTo`);
    if (next.above.lessThan(t.upTo)) {
      throw new DomainError('VALIDATION_FAILED', `tiers overlap between ${next.above.toFixed()} and ${t.upTo.toFixed()}`, `${field}[${next.i}].above`);
    }
    if (next.above.greaterThan(t.upTo)) {
      throw new DomainError('VALIDATION_FAILED', `quantities above ${t.upTo.toFixed()} up to ${next.above.toFixed()} fall in no tier (gap)`, `${field}[${next.i}].above`);
    }
  });
}

/** The customer's pricing order as stored, refusing anything that is not a rule. */
export function parsePricingOrder(values: readonly string[]): PriceRule[] {
  return values.filter((v): v is PriceRule => (PRICE_RULES as readonly string[]).includes(v));
}
