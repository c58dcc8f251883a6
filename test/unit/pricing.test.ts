import { describe, expect, it } from 'vitest';
import { dec } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import {
  isBelowFloor,
  priceLine,
  resolvePrice,
  validateQuantityTiers,
  type PriceRule,
  type PricingContext,
  type QuantityTier,
} from '../../domain/pricing.js';

// DOMAIN.md: VIP 90%, regular 95%; 1–10 list, 11–50 98%, over 50 95%.
const tiers: QuantityTier[] = [
  { above: dec(0), upTo: dec(10), rate: dec(1) },
  { above: dec(10), upTo: dec(50), rate: dec('0.98') },
  { above: dec(50), upTo: null, rate: dec('0.95') },
];
const grades = new Map([
  ['vip', dec('0.90')],
  ['regular', dec('0.95')],
]);

function ctx(over: Partial<PricingContext> = {}): PricingContext {
  return {
    listPrice: dec('120.00'), // P0001
    quantity: dec(5),
    date: '2026-11-23',
    grade: 'vip',
    pricingOrder: ['customer_price', 'grade_discount', 'quantity_tier'],
    customerPrices: [],
    gradeDiscounts: grades,
    quantityTiers: tiers,
    ...over,
  };
}

describe('price resolution in the customer pricing order', () => {
  it('gives a VIP 90% and a regular customer 95% of the list price', () => {
    expect(resolvePrice(ctx())).toMatchObject({ rule: 'grade_discount' });
    expect(resolvePrice(ctx()).unitPrice.toFixed()).toBe('108');
    expect(resolvePrice(ctx({ grade: 'regular', listPrice: dec('2500.00') })).unitPrice.toFixed()).toBe('2375');
    expect(resolvePrice(ctx({ grade: 'regular', listPrice: dec('3.50') })).unitPrice.toFixed()).toBe('3.325');
  });

  it.each([
    ['1', '120', 'list_price'],
    ['10', '120', 'list_price'],
    ['10.5', '117.6', 'quantity_tier'],
    ['11', '117.6', 'quantity_tier'],
    ['50', '117.6', 'quantity_tier'],
    ['51', '114', 'quantity_tier'],
  ])('quantity %s on the tier scale costs %s (%s)', (qty, price, rule) => {
    const only: PriceRule[] = ['quantity_tier'];
    const r = resolvePrice(ctx({ quantity: dec(qty), pricingOrder: only }));
    expect([r.unitPrice.toFixed(), r.rule]).toEqual([price, rule]);
  });

  it('takes the customer-specific price only within its effective dates, the latest one winning', () => {
    const customerPrices = [
      { unitPrice: dec('100'), effectiveFrom: '2026-01-01', effectiveTo: '2026-06-30' },
      { unitPrice: dec('99'), effectiveFrom: '2026-07-01', effectiveTo: null },
      { unitPrice: dec('97'), effectiveFrom: '2026-11-01', effectiveTo: '2026-11-30' },
    ];
    const on = (date: string) => resolvePrice(ctx({ customerPrices, date }));
    expect([on('2026-03-15').unitPrice.toFixed(), on('2026-03-15').rule]).toEqual(['100', 'customer_price']);
    expect(on('2026-08-01').unitPrice.toFixed()).toBe('99');
    expect(on('2026-11-23').unitPrice.toFixed()).toBe('97');
    expect(on('2026-12-01').unitPrice.toFixed()).toBe('99');
    // Before any agreement the next rule in the order wins.
    expect(on('2025-12-31').rule).toBe('grade_discount');
  });

  it('follows the order the customer has: tiers first means the tier wins for 60 pieces', () => {
    const r = resolvePrice(ctx({ quantity: dec(60), pricingOrder: ['quantity_tier', 'grade_discount'] }));
    expect([r.unitPrice.toFixed(), r.rule]).toEqual(['114', 'quantity_tier']);
    // At 5 pieces the tier is the list price, so the grade discount is asked next.
    expect(resolvePrice(ctx({ quantity: dec(5), pricingOrder: ['quantity_tier', 'grade_discount'] })).rule).toBe('grade_discount');
  });

  it('falls back to the list price when no rule applies', () => {
    const r = resolvePrice(ctx({ pricingOrder: [] }));
    expect([r.unitPrice.toFixed(), r.rule]).toEqual(['120', 'list_price']);
  });
});

describe('price floor (单价下限率)', () => {
  it('flags P0001 (120.00, floor 80%) under 96.00, not at 96.00', () => {
    expect(isBelowFloor(dec('95.99'), dec('120'), dec('0.80'))).toBe(true);
    expect(isBelowFloor(dec('96.00'), dec('120'), dec('0.80'))).toBe(false);
  });

  it('keeps a manual price and flags it on the line', () => {
    const line = priceLine({ ...ctx(), floorRate: dec('0.80'), manualPrice: dec('33.333') });
    expect([line.unitPrice.toFixed(), line.rule, line.belowFloor, line.floorPrice.toFixed()]).toEqual(['33.333', 'manual', true, '96']);
    expect(priceLine({ ...ctx(), floorRate: dec('0.80') }).belowFloor).toBe(false);
  });
});

describe('a quantity tier table', () => {
  const t = (above: string, upTo: string | null, rate = '1'): QuantityTier => ({ above: dec(above), upTo: upTo === null ? null : dec(upTo), rate: dec(rate) });
  const fieldOf = (tiers: QuantityTier[]) => {
    try {
      validateQuantityTiers(tiers);
      return 'valid';
    } catch (e) {
      return (e as DomainError).field;
    }
  };

  it('accepts the DOMAIN.md scale in any order', () => {
    expect(fieldOf([tiers[2]!, tiers[0]!, tiers[1]!])).toBe('valid');
  });

  it.each([
    ['a gap between tiers', [t('0', '10'), t('11', '50'), t('50', null)], 'tiers[1].above'],
    ['an overlap', [t('0', '10'), t('8', '50'), t('50', null)], 'tiers[1].above'],
    ['a closed last tier', [t('0', '10'), t('10', '50')], 'tiers[1].upTo'],
    ['a start above zero', [t('1', '10'), t('10', null)], 'tiers[0].above'],
    ['two open tiers', [t('0', null), t('10', null)], 'tiers[0].upTo'],
    ['a rate above 100%', [t('0', null, '1.05')], 'tiers[0].rate'],
  ])('refuses %s', (_what, bad, field) => {
    expect(fieldOf(bad)).toBe(field);
  });
});
