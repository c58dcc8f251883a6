import { describe, expect, it } from 'vitest';
import { evaluateOrderChecks } from '../../db/order-checks.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const admin = 'admin.root';

type Line = { productCode: string; warehouseCode: string; quantity: string; unitPrice?: string };

async function order(customerCode: string, lines: Line[]) {
  const res = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode, lines } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order;
}

type Check = { code: string; passed: boolean; lineNo?: number; details?: Record<string, string> };
const check = (o: { checks: Check[] }, code: string, lineNo?: number) =>
  o.checks.find((c) => c.code === code && (lineNo === undefined || c.lineNo === lineNo))!;

/** A product without tax, so an order's gross is exactly its price (409 when it exists already is fine). */
async function ensureUntaxedProduct() {
  await stack.request('POST', '/products', { user: admin, body: { code: 'PZERO', name: 'Untaxed service', listPrice: '1', taxRate: '0' } });
}

describe('order entry prices lines from the strategies', () => {
  it('gives VIP C0001 its 90% on a line without a price and flags a typed price under the floor', async () => {
    const o = await order('C0001', [
      { productCode: 'P0002', warehouseCode: 'WH-SH', quantity: '2' },
      { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '95.99' },
      { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '96' },
    ]);
    expect(o.lines.map((l: { unitPrice: string; priceRule: string; belowFloor: boolean }) => [l.unitPrice, l.priceRule, l.belowFloor])).toEqual([
      ['2250', 'grade_discount', false],
      ['95.99', 'manual', true],
      ['96', 'manual', false],
    ]);
    // 4500.00 + 287.97 + 96.00 net; tax 585.00 + 37.44 (37.4361) + 12.48
    expect(o.totals).toEqual({ net: '4883.97', tax: '634.92', gross: '5518.89' });
    expect(check(o, 'CUSTOMER_BLOCKED').passed).toBe(true);
    expect(check(o, 'PRICE_BELOW_FLOOR', 2)).toMatchObject({ passed: false, details: { unitPrice: '95.99', floorPrice: '96' } });
    expect([check(o, 'PRICE_BELOW_FLOOR', 1).passed, check(o, 'PRICE_BELOW_FLOOR', 3).passed]).toEqual([true, true]);
    expect(check(o, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({ passed: true, details: { exposure: '5518.89', allowed: '1100000.00', payer: 'C0001' } });
    const again = await stack.request('GET', `/orders/${o.number}`);
    expect(again.body.order.checks).toEqual(o.checks);
  });

  it('takes a customer-specific price within its dates and shows the last price paid', async () => {
    const expired = { customerCode: 'C0002', productCode: 'P0001', unitPrice: '90', effectiveFrom: '2020-01-01', effectiveTo: '2020-12-31' };
    const current = { customerCode: 'C0002', productCode: 'P0001', unitPrice: '100.00', effectiveFrom: '2021-01-01', effectiveTo: null };
    expect((await stack.request('POST', '/prices/customer-prices', { user: admin, body: expired })).status).toBe(201);
    expect((await stack.request('POST', '/prices/customer-prices', { user: admin, body: current })).status).toBe(201);
    const o = await order('C0002', [{ productCode: 'P0001', warehouseCode: 'WH-BJ', quantity: '5' }]);
    expect([o.lines[0].unitPrice, o.lines[0].priceRule]).toEqual(['100', 'customer_price']);
    expect(o.totals).toEqual({ net: '500.00', tax: '65.00', gross: '565.00' });

    const quote = await stack.request('GET', '/prices/resolve?customerCode=C0002&productCode=P0001&quantity=5');
    expect(quote.body).toMatchObject({ unitPrice: '100', rule: 'customer_price', listPrice: '120', floorPrice: '96', lastPrice: { unitPrice: '100', orderNumber: o.number } });
    const past = await stack.request('GET', '/prices/resolve?customerCode=C0002&productCode=P0001&quantity=5&date=2020-06-01');
    expect([past.body.unitPrice, past.body.rule]).toEqual(['90', 'customer_price']);
    const before = await stack.request('GET', '/prices/resolve?customerCode=C0002&productCode=P0001&quantity=5&date=2019-06-01');
    expect([before.body.unitPrice, before.body.rule]).toEqual(['114', 'grade_discount']);
  });

  it('applies quantity tiers for a customer whose pricing order puts them first, rounding tax per line', async () => {
    const c = await stack.request('POST', '/customers', { user: admin, body: { name: 'Tier buyer', pricingOrder: ['quantity_tier', 'grade_discount'] } });
    const o = await order(c.body.code, [
      { productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '60' },
      { productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '20' },
      { productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '10' },
    ]);
    expect(o.lines.map((l: { unitPrice: string; priceRule: string }) => [l.unitPrice, l.priceRule])).toEqual([
      ['3.325', 'quantity_tier'], // over 50: 95%
      ['3.43', 'quantity_tier'], // 11–50: 98%
      ['3.325', 'grade_discount'], // 1–10 is the list price, so the regular grade's 95% is next
    ]);
    // 199.50 + 68.60 + 33.25 = 301.35; tax 25.94 (25.935) + 8.92 (8.918) + 4.32 (4.3225)
    expect(o.totals).toEqual({ net: '301.35', tax: '39.18', gross: '340.53' });
  });

  it('refuses a tier table with a gap or an overlap and keeps the old one', async () => {
    const gap = await stack.request('PUT', '/prices/quantity-tiers', {
      user: admin,
      body: { tiers: [{ above: '0', upTo: '10', rate: '1' }, { above: '20', upTo: null, rate: '0.9' }] },
    });
    expect([gap.status, gap.body.error.code, gap.body.error.field]).toEqual([400, 'VALIDATION_FAILED', 'tiers[1].above']);
    expect(gap.body.error.message).toMatch(/gap/);
    const overlap = await stack.request('PUT', '/prices/quantity-tiers', {
      user: admin,
      body: { tiers: [{ above: '0', upTo: '10', rate: '1' }, { above: '5', upTo: null, rate: '0.9' }] },
    });
    expect([overlap.status, overlap.body.error.field]).toEqual([400, 'tiers[1].above']);
    expect(overlap.body.error.message).toMatch(/overlap/);
    expect((await stack.request('GET', '/prices/quantity-tiers')).body.tiers).toEqual([
      { above: '0', upTo: '10', rate: '1' },
      { above: '10', upTo: '50', rate: '0.98' },
      { above: '50', upTo: null, rate: '0.95' },
    ]);
    const negative = await stack.request('POST', '/prices/customer-prices', {
      user: admin,
      body: { customerCode: 'C0001', productCode: 'P0001', unitPrice: '-1', effectiveFrom: '2026-01-01' },
    });
    expect([negative.status, negative.body.error.field]).toEqual([400, 'unitPrice']);
    const unknown = await stack.request('POST', '/prices/customer-prices', {
      user: admin,
      body: { customerCode: 'C0001', productCode: 'NOPE', unitPrice: '1', effectiveFrom: '2026-01-01' },
    });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.field]).toEqual([422, 'UNKNOWN_PRODUCT', 'productCode']);
    const dates = await stack.request('POST', '/prices/customer-prices', {
      user: admin,
      body: { customerCode: 'C0001', productCode: 'P0001', unitPrice: '1', effectiveFrom: '2026-01-01', effectiveTo: '2025-01-01' },
    });
    expect([dates.status, dates.body.error.field]).toEqual([400, 'effectiveTo']);
  });
});

describe('credit check of the paying customer', () => {
  it('passes exposure of exactly limit × 1.10 and fails one cent more (C0001: 1,000,000 + 10%)', async () => {
    await ensureUntaxedProduct();
    const atLimit = await order('C0001', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '1100000' }]);
    expect(check(atLimit, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({ passed: true, details: { exposure: '1100000.00', allowed: '1100000.00' } });
    const over = await order('C0001', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '1100000.01' }]);
    expect(check(over, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({ passed: false, details: { exposure: '1100000.01', onBreach: 'block' } });
  });

  it('charges a branch order to the head office, with its open receivables', async () => {
    const branch = await stack.request('POST', '/customers', { user: admin, body: { code: 'C0001-BR', name: 'Branch', billToCode: 'C0001' } });
    expect(branch.status).toBe(201);
    await stack.sql`INSERT INTO receivable_entries (idempotency_key, customer_id, kind, amount)
                    SELECT 'test/open-invoice', id, 'invoice', 600000 FROM customers WHERE code = 'C0001'`;
    const fits = await order('C0001-BR', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '500000' }]);
    expect(check(fits, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({
      passed: true,
      details: { payer: 'C0001', openReceivables: '600000.00', newOrder: '500000.00', exposure: '1100000.00' },
    });
    const over = await order('C0001-BR', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '500000.01' }]);
    expect(check(over, 'CREDIT_LIMIT_EXCEEDED').passed).toBe(false);
    // The branch's own (zero) limit plays no part, and a blocked head office stops the branch.
    await stack.request('PATCH', '/customers/C0001', { user: admin, body: { approvalStatus: 'blocked' } });
    const refused = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001-BR', lines: [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1' }] },
    });
    expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([422, 'CUSTOMER_BLOCKED', 'customerCode']);
    await stack.request('PATCH', '/customers/C0001', { user: admin, body: { approvalStatus: 'approved' } });
    await stack.sql`DELETE FROM receivable_entries WHERE idempotency_key = 'test/open-invoice'`;
  });

  it('uses the company limit under mode company, none means unlimited, and warn is recorded', async () => {
    const body = { checkPoints: ['approval'], onBreach: 'warn', defaultLimit: '500000', defaultOverrunRate: '0' };
    await stack.request('PUT', '/settings/credit', { user: admin, body });
    const c2 = await order('C0002', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '499435' }]);
    // C0002 already has an unapproved order of 565.00 from above: unapproved orders do not count.
    expect(check(c2, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({ passed: true, details: { allowed: '500000.00', exposure: '499435.00' } });
    const big = await order('C0002', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '500000.01' }]);
    expect(check(big, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({ passed: false, details: { onBreach: 'warn' } });
    await stack.request('PATCH', '/customers/C0002', { user: admin, body: { creditControl: 'none' } });
    const free = await order('C0002', [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '90000000' }]);
    expect(check(free, 'CREDIT_LIMIT_EXCEEDED')).toMatchObject({ passed: true, details: { allowed: 'unlimited' } });
    await stack.request('PUT', '/settings/credit', { user: admin, body: { ...body, onBreach: 'block' } });
  });
});

describe('exposure follows the order through approval, delivery and invoicing', () => {
  it('counts the undelivered part of approved orders, then delivered-not-invoiced, then the receivable', async () => {
    await ensureUntaxedProduct();
    const c = await stack.request('POST', '/customers', { user: admin, body: { name: 'Exposure walk', creditControl: 'customer', creditLimit: '100000' } });
    const code = c.body.code as string;
    const first = await order(code, [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '120' }]);
    expect(first.totals.gross).toBe('1356.00');
    const probe = async () => check(await order(code, [{ productCode: 'PZERO', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '100' }]), 'CREDIT_LIMIT_EXCEEDED').details;

    // Unapproved: not yet credit in use.
    expect(await probe()).toMatchObject({ openOrders: '0.00', exposure: '100.00' });
    expect((await stack.request('POST', `/orders/${first.number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    expect(await probe()).toMatchObject({ openOrders: '1356.00', deliveredNotInvoiced: '0.00', exposure: '1456.00' });

    const delivered = await stack.request('POST', `/orders/${first.number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '4' }] } });
    expect(delivered.status).toBe(200);
    // 4 × 120 = 480.00 + 62.40 delivered; 6 × 120 = 720.00 + 93.60 still open
    expect(await probe()).toMatchObject({ openOrders: '813.60', deliveredNotInvoiced: '542.40', openReceivables: '0.00', exposure: '1456.00' });

    expect((await stack.request('POST', `/orders/${first.number}/invoice`, { user: 'finance.chen', body: {} })).status).toBe(200);
    expect(await probe()).toMatchObject({ openOrders: '813.60', deliveredNotInvoiced: '0.00', openReceivables: '542.40', exposure: '1456.00' });

    // Checks run again later see the master data of that moment: a customer blocked since.
    await stack.request('PATCH', `/customers/${code}`, { user: admin, body: { approvalStatus: 'blocked' } });
    const rerun = await evaluateOrderChecks(stack.sql, first.number);
    expect(rerun.find((x) => x.code === 'CUSTOMER_BLOCKED')).toMatchObject({ passed: false, message: `customer ${code} is blocked` });
    expect((await stack.request('GET', `/orders/${first.number}`)).body.order.checks).toEqual(rerun);
  });
});
