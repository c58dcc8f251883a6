import { lineAmounts } from './amounts.js';
import { D, dec, money, roundMoney, sum, type D as Dec } from './decimal.js';
import type { OrderCheck } from './order/checks.js';
import { toBase } from './fx.js';

/**
 * 信用额度控制: the credit a customer uses (exposure) against what it is allowed.
 * Both belong to the PAYING customer: a branch whose head office pays (总公司付款)
 * uses the head office's credit, together with the head office's other branches.
 */
export type CreditControl = 'company' | 'none' | 'customer';
/** Where the credit check runs; a company picks any of these. */
export const CREDIT_CHECK_POINTS = ['approval', 'delivery', 'invoice'] as const;
export type CreditCheckPoint = (typeof CREDIT_CHECK_POINTS)[number];
export type CreditBreachAction = 'block' | 'warn';

export interface CreditTerms {
  limit: Dec;
  /** 可超出率: 0.10 lets exposure reach the limit plus 10%. */
  overrunRate: Dec;
}

export interface CreditSettings {
  checkPoints: CreditCheckPoint[];
  onBreach: CreditBreachAction;
  /** The company rule, for customers whose control mode is 'company'. */
  companyTerms: CreditTerms;
}

export interface CreditExposure {
  openReceivables: Dec;
  deliveredNotInvoiced: Dec;
  openOrders: Dec;
  newOrder: Dec;
}

export function totalExposure(e: CreditExposure): Dec {
  return sum([e.openReceivables, e.deliveredNotInvoiced, e.openOrders, e.newOrder]);
}

/** The most exposure allowed; `null` means no limit (mode 'none'). */
export function allowedCredit(mode: CreditControl, customer: CreditTerms, company: CreditTerms): Dec | null {
  if (mode === 'none') return null;
  const terms = mode === 'customer' ? customer : company;
  return roundMoney(terms.limit.times(new D(1).plus(terms.overrunRate)));
}

export interface CreditVerdict {
  passed: boolean;
  exposure: Dec;
  allowed: Dec | null;
}

/** Exposure within the allowed amount passes; one cent over fails. */
export function checkCredit(exposure: CreditExposure, mode: CreditControl, customer: CreditTerms, company: CreditTerms): CreditVerdict {
  const total = totalExposure(exposure);
  const allowed = allowedCredit(mode, customer, company);
  return { passed: allowed === null || total.lessThanOrEqualTo(allowed), exposure: total, allowed };
}

export interface ExposureLine {
  quantity: string;
  deliveredQty: string;
  invoicedQty: string;
  unitPrice: string;
  taxRate: string;
  closeStatus: string;
  /** The order's rate to the base currency: the credit limit and every exposure figure are in base. */
  fxRate: string;
}

/** A line's gross value of `qty`, in base at its order's rate (rounded per line: goods not yet on a document). */
function baseGross(l: ExposureLine, qty: Dec): Dec {
  return toBase(lineAmounts(qty, dec(l.unitPrice), dec(l.taxRate)).gross, l.fxRate);
}

/** Goods that left and were not invoiced yet, at their gross order value (rounded per line). */
export function deliveredNotInvoicedAmount(lines: readonly ExposureLine[]): Dec {
  return sum(
    lines.map((l) => {
      const qty = dec(l.deliveredQty).minus(dec(l.invoicedQty));
      return qty.greaterThan(0) ? baseGross(l, qty) : new D(0);
    }),
  );
}

/** What approved orders still have to deliver on their open lines, at gross order value. */
export function undeliveredOrderAmount(lines: readonly ExposureLine[]): Dec {
  return sum(
    lines.map((l) => {
      const qty = dec(l.quantity).minus(dec(l.deliveredQty));
      return l.closeStatus === 'N' && qty.greaterThan(0) ? baseGross(l, qty) : new D(0);
    }),
  );
}

/**
 * 超交: what a delivery ships beyond a line's open quantity is credit the order did
 * not hold yet, at gross order value (rounded per line). Within the open quantity
 * the goods only move from open order to delivered-not-invoiced.
 */
export function overDeliveredAmount(lines: readonly (ExposureLine & { lineNo: number })[], delivering: readonly { lineNo: number; quantity: string }[]): Dec {
  return sum(
    delivering.map((d) => {
      const l = lines.find((x) => x.lineNo === d.lineNo);
      if (!l) return new D(0);
      const open = D.max(dec(l.quantity).minus(dec(l.deliveredQty)), 0);
      const excess = dec(d.quantity).minus(open);
      return excess.greaterThan(0) ? baseGross(l, excess) : new D(0);
    }),
  );
}

/** The figures an approver sees on a credit check, as strings. */
export function creditDetails(e: CreditExposure, verdict: CreditVerdict, onBreach: CreditBreachAction): Record<string, string> {
  return {
    exposure: money(verdict.exposure),
    allowed: verdict.allowed === null ? 'unlimited' : money(verdict.allowed),
    openReceivables: money(e.openReceivables),
    deliveredNotInvoiced: money(e.deliveredNotInvoiced),
    openOrders: money(e.openOrders),
    newOrder: money(e.newOrder),
    onBreach,
  };
}

/** The paying customer as the credit check needs it (总公司付款: a head office pays for its branches). */
export interface CreditPayer {
  code: string;
  control: CreditControl;
  limit: string;
  overrunRate: string;
}

/**
 * 信用控制 at one point, as the check the order shows: the payer's exposure
 * against what it is allowed. A company that does not check at this point lets
 * the order pass (the figures still show); in warn mode a breach is flagged a
 * warning: shown to whoever acts next, asking no credit controller, refusing nothing.
 */
export function creditCheck(payer: CreditPayer, settings: CreditSettings, exposure: CreditExposure, point: CreditCheckPoint): OrderCheck {
  const verdict = checkCredit(exposure, payer.control, { limit: dec(payer.limit), overrunRate: dec(payer.overrunRate) }, settings.companyTerms);
  const checked = settings.checkPoints.includes(point);
  const warning = checked && !verdict.passed && settings.onBreach === 'warn';
  const details = { ...creditDetails(exposure, verdict, settings.onBreach), payer: payer.code, point, checked: String(checked) };
  const allowed = verdict.allowed === null ? 'unlimited' : money(verdict.allowed);
  const note = !checked ? ` (not checked at ${point})` : warning ? ` (warning only, at ${point})` : '';
  return {
    code: 'CREDIT_LIMIT_EXCEEDED',
    passed: verdict.passed || !checked,
    ...(warning ? { warning: true } : {}),
    message: verdict.passed
      ? `credit of ${payer.code}: exposure ${money(verdict.exposure)} within ${allowed}`
      : `credit of ${payer.code}: exposure ${money(verdict.exposure)} exceeds ${allowed}${note}`,
    details,
  };
}

/**
 * What a credit check at delivery or invoicing does to the command: nothing when
 * it passed; a breach refuses it, unless the settings only warn or the command
 * cannot be refused (`mayBlock: false`, an automatic invoice nobody waits on),
 * where it goes on with a warning.
 */
export function creditOutcome(check: OrderCheck, mayBlock: boolean): 'pass' | 'warn' | 'block' {
  if (check.passed && !check.warning) return 'pass';
  return !check.warning && mayBlock ? 'block' : 'warn';
}
