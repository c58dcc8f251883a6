import { describe, expect, it } from 'vitest';
import {
  allowedCredit,
  checkCredit,
  creditCheck,
  creditOutcome,
  deliveredNotInvoicedAmount,
  overDeliveredAmount,
  undeliveredOrderAmount,
  type CreditExposure,
  type CreditSettings,
} from '../../domain/credit.js';
import { dec, money } from '../../domain/decimal.js';

// DOMAIN.md: limit 1,000,000 with 10% overrun → 1,100,000 allowed.
const c0001 = { limit: dec('1000000'), overrunRate: dec('0.10') };
const company = { limit: dec('500000'), overrunRate: dec('0') };

const exposure = (newOrder: string, open = '0'): CreditExposure => ({
  openReceivables: dec(open),
  deliveredNotInvoiced: dec(0),
  openOrders: dec(0),
  newOrder: dec(newOrder),
});

describe('credit exposure against the allowed amount', () => {
  it('lets exposure reach exactly limit × (1 + overrun) and refuses one cent more', () => {
    expect(money(allowedCredit('customer', c0001, company)!)).toBe('1100000.00');
    expect(checkCredit(exposure('100000', '1000000'), 'customer', c0001, company).passed).toBe(true);
    const over = checkCredit(exposure('100000.01', '1000000'), 'customer', c0001, company);
    expect([over.passed, money(over.exposure), money(over.allowed!)]).toEqual([false, '1100000.01', '1100000.00']);
  });

  it('uses the company rule under mode company and no limit under none', () => {
    expect(checkCredit(exposure('500000'), 'company', c0001, company).passed).toBe(true);
    expect(checkCredit(exposure('500000.01'), 'company', c0001, company).passed).toBe(false);
    const none = checkCredit(exposure('99999999'), 'none', c0001, company);
    expect([none.passed, none.allowed]).toEqual([true, null]);
  });

  it('adds open receivables, delivered-not-invoiced, open orders and the new order', () => {
    const e = { openReceivables: dec('400000'), deliveredNotInvoiced: dec('300000'), openOrders: dec('350000'), newOrder: dec('50000') };
    expect(money(checkCredit(e, 'customer', c0001, company).exposure)).toBe('1100000.00');
    expect(checkCredit({ ...e, newOrder: dec('50000.01') }, 'customer', c0001, company).passed).toBe(false);
  });

  it('values open lines at gross, rounded per line', () => {
    const line = { quantity: '10', deliveredQty: '4', invoicedQty: '1', unitPrice: '33.333', taxRate: '0.13', closeStatus: 'N', fxRate: '1' };
    // delivered not invoiced: 3 × 33.333 = 99.999 → 100.00 + 13.00 tax
    expect(money(deliveredNotInvoicedAmount([line]))).toBe('113.00');
    // undelivered: 6 × 33.333 = 199.998 → 200.00 + 26.00 tax; a closed line holds nothing
    expect(money(undeliveredOrderAmount([line, { ...line, closeStatus: 'y' }]))).toBe('226.00');
  });

  it('counts a foreign-currency order in base at its rate, per line', () => {
    const usd = { quantity: '10', deliveredQty: '4', invoicedQty: '1', unitPrice: '33.333', taxRate: '0.13', closeStatus: 'N', fxRate: '7.1234' };
    // 113.00 USD × 7.1234 = 804.9442 → 804.94; 226.00 USD × 7.1234 = 1,609.8884 → 1,609.89
    expect(money(deliveredNotInvoicedAmount([usd]))).toBe('804.94');
    expect(money(undeliveredOrderAmount([usd]))).toBe('1609.89');
  });
});

describe('an over-delivery takes on credit the order did not hold', () => {
  // P0001: 10 ordered at 120.00 with 13% tax, 4 delivered; 5% over-delivery would allow 10.5.
  const line = { lineNo: 1, quantity: '10', deliveredQty: '4', invoicedQty: '0', unitPrice: '120', taxRate: '0.13', closeStatus: 'N', fxRate: '1' };
  it('nothing within the open quantity', () => {
    expect(money(overDeliveredAmount([line], [{ lineNo: 1, quantity: '6' }]))).toBe('0.00');
  });
  it('the excess at gross order value: 0.5 × 120 = 60.00 + 7.80 tax', () => {
    expect(money(overDeliveredAmount([line], [{ lineNo: 1, quantity: '6.5' }]))).toBe('67.80');
  });
  it('all of it once the line is fully delivered', () => {
    expect(money(overDeliveredAmount([{ ...line, deliveredQty: '10' }], [{ lineNo: 1, quantity: '0.5' }]))).toBe('67.80');
  });
});

describe('the credit check at a point, and what it does to the command', () => {
  const payer = { code: 'C0001', control: 'customer' as const, limit: '1000000', overrunRate: '0.10' };
  const settings = (checkPoints: CreditSettings['checkPoints'], onBreach: 'block' | 'warn'): CreditSettings => ({ checkPoints, onBreach, companyTerms: company });
  const over = exposure('100000.01', '1000000');

  it('passes within the limit at any point, whatever the settings', () => {
    const check = creditCheck(payer, settings(['delivery'], 'block'), exposure('100000', '1000000'), 'delivery');
    expect([check.passed, check.warning, creditOutcome(check, true)]).toEqual([true, undefined, 'pass']);
  });

  it('in block mode refuses a command one cent over, unless nobody waits on it (then only a warning)', () => {
    const check = creditCheck(payer, settings(['delivery'], 'block'), over, 'delivery');
    expect([check.passed, check.warning]).toEqual([false, undefined]);
    expect(check.details).toMatchObject({ exposure: '1100000.01', allowed: '1100000.00', payer: 'C0001', point: 'delivery' });
    expect(creditOutcome(check, true)).toBe('block');
    expect(creditOutcome(check, false)).toBe('warn');
  });

  it('in warn mode flags the breach a warning and goes on', () => {
    const check = creditCheck(payer, settings(['invoice'], 'warn'), over, 'invoice');
    expect([check.passed, check.warning, creditOutcome(check, true)]).toEqual([false, true, 'warn']);
  });

  it('at a point the settings do not check, lets it pass and still shows the figures', () => {
    const check = creditCheck(payer, settings(['approval'], 'block'), over, 'delivery');
    expect([check.passed, creditOutcome(check, true)]).toEqual([true, 'pass']);
    expect(check.message).toBe('credit of C0001: exposure 1100000.01 exceeds 1100000.00 (not checked at delivery)');
  });
});
