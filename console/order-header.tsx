import type { OrderDocuments } from '../db/orders.js';
import type { PaymentTerms } from '../domain/order/header.js';
import { money } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { choiceWord } from './master-data/choices.js';

/** 收款条件 in words: "账期 45 天", "月结"; the days only where the terms count them. */
export function paymentTermsText(lang: Lang, t: PaymentTerms): string {
  const word = choiceWord(lang, 'settlementTerms', t.settlementTerms) ?? t.settlementTerms;
  return t.settlementTerms === 'cash' || t.settlementTerms === 'monthly' ? word : say(lang, { zh: `${word} ${t.settlementDays} 天`, en: `${word}, ${t.settlementDays} days` });
}

/** The ship-to copy as one line: label, address, then contact and phone. */
export function shipToText(s: OrderDocuments['header']['shipTo']): { address: string; contact: string } {
  return {
    address: [s.label, s.address].filter(Boolean).join(': '),
    contact: [s.contact, s.phone].filter(Boolean).join(' '),
  };
}

/** The order's header on its page: ship-to, contact, salesperson, department, deposit, payment terms. */
export function OrderHeaderFacts(props: { lang: Lang; header: OrderDocuments['header'] }) {
  const { lang, header: h } = props;
  const ship = shipToText(h.shipTo);
  const none = say(lang, { zh: '（未指定）', en: '(none)' });
  const deposit = h.depositAmount !== null
    ? money(h.depositAmount)
    : `${money(h.depositRequired)}${h.depositRatio !== null ? ` (${label(lang, 'depositRatio')} ${h.depositRatio})` : ''}`;
  const facts: [string, string, string][] = [
    ['shipTo', label(lang, 'shipTo'), ship.address || none],
    ['contact', label(lang, 'contact'), ship.contact || none],
    ['salesperson', label(lang, 'salesperson'), h.salesperson ?? none],
    ['department', label(lang, 'department'), h.department ?? none],
    ['deposit', label(lang, 'depositRequired'), deposit],
    ['paymentTerms', label(lang, 'paymentTerms'), h.paymentTerms ? paymentTermsText(lang, h.paymentTerms) : say(lang, { zh: '按客户设定', en: "the customer's" })],
  ];
  return (
    <table class="order-header">
      <thead><tr>{facts.map(([, name]) => <th>{name}</th>)}</tr></thead>
      <tbody><tr>{facts.map(([key, , value]) => <td data-header={key}>{value}</td>)}</tr></tbody>
    </table>
  );
}
