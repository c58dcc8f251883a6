import { lineAmountsOf } from '../../domain/amounts.js';
import { businessDate } from '../../domain/calendar.js';
import { dec, money } from '../../domain/decimal.js';
import type { ChangeDiffLine, LineTerms } from '../../domain/order/changes.js';
import type { Sql } from '../client.js';
import { orderChanges } from '../order-changes.js';
import { orderDocuments, type OrderDocuments } from '../orders.js';
import { quotationDocument } from '../quotations.js';
import { factsOf, type ChangeDocument, type ChangeSide, type FactKey, type LinesDocument } from './model.js';
import { companyHeader, partyOf, productNames } from './parties.js';

/** 报价单, 销售订单确认 and 订单变更单: read from the quotation's and the order's own read models, with names and the header added. */

const dateIn = (iso: string, timeZone: string) => businessDate(new Date(iso), timeZone);
const grossOf = (l: { net: string; tax: string }) => money(dec(l.net).plus(dec(l.tax)));

async function named(sql: Sql, lines: { productCode: string }[]) {
  const names = await productNames(sql, lines.map((l) => l.productCode));
  return (l: { productCode: string }) => ({ productName: names.get(l.productCode)?.name ?? '', unit: names.get(l.productCode)?.unit ?? '' });
}

/** A quotation at one version (the current one unless asked); undefined when the quotation or that version does not exist. */
export async function quotationPrint(sql: Sql, timeZone: string, number: string, version?: number): Promise<LinesDocument | undefined> {
  const q = await quotationDocument(sql, number);
  const v = q?.versions.find((x) => x.version === (version ?? q.currentVersion));
  if (!q || !v) return undefined;
  const [company, customer, name, [made]] = await Promise.all([
    companyHeader(sql),
    partyOf(sql, q.customerCode),
    named(sql, v.lines),
    // Each version is dated the day it was made: a revised quotation carries its own date.
    sql<{ created_at: Date }[]>`SELECT v.created_at FROM quotation_versions v JOIN quotations q ON q.id = v.quotation_id
                                WHERE q.number = ${number} AND v.version = ${v.version}`,
  ]);
  return {
    kind: 'quotation',
    number: q.number,
    date: businessDate(made!.created_at, timeZone),
    currency: customer!.currency,
    company,
    customer: customer!,
    facts: factsOf([
      ['version', String(v.version)],
      ['validUntil', v.validUntil],
      ['status', q.status],
      ['orderNumber', q.orderNumber],
      ['createdBy', v.createdBy],
    ]),
    lines: v.lines.map(({ giftQty, ...l }) => ({ ...l, ...name(l), gross: grossOf(l), ...(dec(giftQty).isZero() ? {} : { giftQty }) })),
    totals: v.totals,
  };
}

/** 销售订单确认: the order as it stands, every line with its amounts. */
export async function orderPrint(sql: Sql, timeZone: string, number: string): Promise<LinesDocument | undefined> {
  const o = await orderDocuments(sql, number);
  if (!o) return undefined;
  const [company, customer, name] = await Promise.all([companyHeader(sql), partyOf(sql, o.customerCode), named(sql, o.lines)]);
  return {
    kind: 'order',
    number: o.number,
    date: dateIn(o.createdAt, timeZone),
    currency: o.currency,
    company,
    customer: customer!,
    facts: factsOf([
      ['status', o.status],
      ['createdBy', o.createdBy],
      ['decidedBy', o.approvedBy],
      ...orderHeaderFacts(o.header),
    ]),
    lines: o.lines.map((l) => ({ ...l, ...name(l), gross: grossOf(l) })),
    totals: o.totals,
  };
}

/** The order's header as printed: the ship-to copy the order kept, whom the sale is credited to, deposit and terms. */
function orderHeaderFacts(h: OrderDocuments['header']): [FactKey, string | null][] {
  const join = (parts: (string | null)[], by: string) => parts.filter(Boolean).join(by) || null;
  return [
    ['shipTo', join([h.shipTo.label, h.shipTo.address], ': ')],
    ['contact', join([h.shipTo.contact, h.shipTo.phone], ' ')],
    ['salesperson', h.salesperson],
    ['department', h.department],
    ['depositRequired', dec(h.depositRequired).isZero() ? null : h.depositRequired],
    // Coded as terms:days; the sheet words it in the reader's language.
    ['paymentTerms', h.paymentTerms ? `${h.paymentTerms.settlementTerms}:${h.paymentTerms.settlementDays}` : null],
  ];
}

/** 订单变更单: change `version` of the order, each line's terms before and after with their amounts. */
export async function changePrint(sql: Sql, timeZone: string, orderNumber: string, version: number): Promise<ChangeDocument | undefined> {
  const [changes, o] = await Promise.all([orderChanges(sql, orderNumber), orderDocuments(sql, orderNumber)]);
  const c = changes?.find((x) => Number(x.version) === version);
  if (!c || !o) return undefined;
  const diff = c.lines as ChangeDiffLine[];
  const terms = diff.flatMap((d) => [d.before, d.after]).filter((t): t is LineTerms => t !== null);
  const [company, customer, name] = await Promise.all([companyHeader(sql), partyOf(sql, o.customerCode), named(sql, terms)]);
  const side = (t: LineTerms | null): ChangeSide | null => {
    if (!t) return null;
    const a = lineAmountsOf(t);
    return { ...t, ...name(t), net: money(a.net), tax: money(a.tax), gross: money(a.gross) };
  };
  return {
    kind: 'change',
    number: orderNumber,
    date: dateIn(c.requestedAt, timeZone),
    currency: o.currency,
    company,
    customer: customer!,
    facts: factsOf([
      ['orderNumber', orderNumber],
      ['version', c.version],
      ['status', c.status],
      ['reason', c.reason],
      ['requestedBy', c.requestedBy],
      ['decidedBy', c.decidedBy],
    ]),
    lines: diff.map((d) => ({ lineNo: d.lineNo, action: d.action, before: side(d.before), after: side(d.after) })),
    totals: { grossBefore: c.grossBefore, grossAfter: c.grossAfter, difference: money(dec(c.grossAfter).minus(dec(c.grossBefore))) },
  };
}
